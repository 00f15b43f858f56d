import { parseDocument } from 'htmlparser2';
import { findAll, findOne, getAttributeValue, getInnerHTML } from 'domutils';
import type { Element } from 'domhandler';
import {
  GazetteError,
  nodesToText,
  parseLocalDateTime,
  sanitizeBodyHtml,
  htmlToText,
  OWN_SOURCE,
} from '../domain/index.js';
import { parseBreadcrumb, parseMetaLine } from './pagetext.js';
import type { ImportedPage } from './page.js';

/**
 * An article page saved from a portal (Gazette's own, or the TRS/Hanweb-style pages most
 * government sites run): the government meta tags when present, else the visible breadcrumb,
 * title and 来源/发布时间 line; the body from the main content element, sanitised.
 */

/** Where portals put the article body, most specific first. */
const BODY_SELECTORS: readonly ((el: Element) => boolean)[] = [
  (el) => getAttributeValue(el, 'itemprop') === 'articleBody',
  (el) => hasClass(el, 'article-body'),
  (el) => el.attribs.id === 'zoom' || hasClass(el, 'TRS_Editor'),
  (el) => hasClass(el, 'article-content') || hasClass(el, 'content-text') || el.attribs.id === 'content',
  (el) => el.name === 'article',
  (el) => el.name === 'main',
];
const BREADCRUMB_HINT = /breadcrumb|crumb|position|location|dqwz|weizhi/i;
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})$/;

function hasClass(el: Element, name: string): boolean {
  return (el.attribs.class ?? '').split(/\s+/).includes(name);
}

function metaTags(elements: Element[]): Map<string, string> {
  const metas = new Map<string, string>();
  for (const el of elements) {
    if (el.name !== 'meta') continue;
    const name = (el.attribs.name ?? el.attribs.property ?? '').toLowerCase();
    if (name && el.attribs.content !== undefined && !metas.has(name)) metas.set(name, el.attribs.content.trim());
  }
  return metas;
}

function readTime(text: string, timeZone: string): Date | null {
  const value = text.trim();
  if (ISO_WITH_ZONE.test(value)) {
    const instant = new Date(value);
    return Number.isNaN(instant.getTime()) ? null : instant;
  }
  return parseLocalDateTime(value, timeZone);
}

/** The line of visible text with 发布时间 on it, parsed; HTML pages keep it near the title. */
function visibleMeta(text: string) {
  for (const line of text.split('\n')) {
    const meta = parseMetaLine(line);
    if (meta?.publishedAtText) return meta;
  }
  return null;
}

export function parseHtmlPage(html: string, timeZone: string): ImportedPage {
  const document = parseDocument(html, { decodeEntities: true });
  const elements = findAll(() => true, document.children);
  const metas = metaTags(elements);
  const text = nodesToText(document.children);

  const crumbElement = elements.find(
    (el) =>
      BREADCRUMB_HINT.test(`${el.attribs.class ?? ''} ${el.attribs.id ?? ''}`) ||
      el.attribs['aria-label'] === '当前位置',
  );
  const crumbColumns = crumbElement ? parseBreadcrumb(nodesToText([crumbElement]).replace(/\n/g, ' ')) : null;
  const columnName = metas.get('columnname');
  const columns = crumbColumns && crumbColumns.length > 0 ? crumbColumns : columnName ? [columnName] : null;
  if (!columns) throw new GazetteError('IMPORT_NO_BREADCRUMB', {}, { line: 1 });

  const h1 = findOne((el) => el.name === 'h1', document.children);
  const titleElement = findOne((el) => el.name === 'title', document.children);
  const title = (
    metas.get('articletitle') ||
    (h1 && nodesToText([h1])) ||
    (titleElement && nodesToText([titleElement])) ||
    ''
  )
    .replace(/\s+/g, ' ')
    .trim();
  if (!title) throw new GazetteError('IMPORT_NO_TITLE', {}, { line: 1 });

  const shown = visibleMeta(text);
  const timeText = shown?.publishedAtText ?? metas.get('pubdate') ?? null;
  if (!timeText) throw new GazetteError('IMPORT_NO_PUBLISH_TIME', {}, { line: 1 });
  const publishedAt = readTime(timeText, timeZone);
  if (!publishedAt) throw new GazetteError('IMPORT_BAD_DATE', { value: timeText }, { line: 1 });

  let bodyElement: Element | null = null;
  for (const matches of BODY_SELECTORS) {
    bodyElement = findOne(matches, document.children);
    if (bodyElement) break;
  }
  if (!bodyElement) throw new GazetteError('IMPORT_HTML_NO_CONTENT', {}, { line: 1 });
  const bodyHtml = sanitizeBodyHtml(getInnerHTML(bodyElement));
  if (htmlToText(bodyHtml) === '') throw new GazetteError('IMPORT_NO_BODY', {}, { line: 1 });

  const source = shown ? shown.source : (metas.get('contentsource') ?? null);
  return {
    columns,
    columnsLine: null,
    title,
    subtitle: '',
    source: source === OWN_SOURCE || source === '' ? null : source,
    author: shown?.author ?? '',
    responsibleEditor: shown?.responsibleEditor ?? '',
    publishedAt,
    bodyHtml,
    keywords: metas.get('keywords') ?? '',
  };
}
