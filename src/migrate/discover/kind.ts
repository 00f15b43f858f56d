// What a page is: an article, a column's list page, or any other page. The URL's shape decides
// when it can (TRS and Hanweb always write their articles and lists at URLs of their own form);
// otherwise the content does: an article shows its 发布时间 above a run of prose, a list shows
// dated lines or a page bar.
import type { Document } from 'domhandler';
import { findAll } from 'domutils';
import type { CmsFamily } from '../types.js';
import { isDatastoreScript } from './anchors.js';
import { hasListPaging } from './paging.js';
import { roleByShape } from './shapes.js';
import { datedListLineCount, longestTextBlock, visibleText } from './text.js';

/** `发布时间：2021-05-20`, `发布日期: 2021年5月20日`: an article's date line (a table head alone is not). */
const PUBLISHED_LINE = /发布(?:时间|日期)\s*[:：]?\s*\d{4}/;
/** Prose an article has at least, in characters other than white space. */
const ARTICLE_TEXT = 100;
/** Dated lines a list shows at least, and an article fewer than its upper bound. */
const LIST_LINES = 5;
const ARTICLE_MAX_LINES = 10;

function hasPublishedDate(doc: Document): boolean {
  const pubDate = findAll(
    (el) =>
      el.name === 'meta' &&
      (el.attribs.name ?? '').toLowerCase() === 'pubdate' &&
      (el.attribs.content ?? '').trim() !== '',
    doc.children,
  );
  return pubDate.length > 0 || PUBLISHED_LINE.test(visibleText(doc.children));
}

function readsAsArticle(doc: Document, datedLines: number): boolean {
  return datedLines < ARTICLE_MAX_LINES && hasPublishedDate(doc) && longestTextBlock(doc) >= ARTICLE_TEXT;
}

function readsAsList(doc: Document, url: string, family: CmsFamily, datedLines: number): boolean {
  if (datedLines >= LIST_LINES) return true;
  return findAll(isDatastoreScript, doc.children).length > 0 || hasListPaging(doc, url, family);
}

/** The page's kind by its URL shape first (per family), then by its content. */
export function pageKind(doc: Document, url: string, family: CmsFamily): 'article' | 'list' | 'other' {
  const shape = roleByShape(url, family);
  if (shape === 'article') return 'article';
  if (shape === 'page' || shape === 'file') return 'other';
  if (shape === 'list' && family !== 'generic') return 'list';
  // Plain sites' URLs say little: a list-like URL may still hold one page of prose.
  const datedLines = datedListLineCount(doc);
  if (readsAsArticle(doc, datedLines)) return 'article';
  return shape === 'list' || readsAsList(doc, url, family, datedLines) ? 'list' : 'other';
}
