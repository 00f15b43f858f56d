// An article's fields beside its body: title, subtitle, 来源, 作者, 发布时间. The government meta
// tags (ArticleTitle, PubDate, ContentSource) are the most reliable where present; the visible
// page is read otherwise.
import { findOne } from 'domutils';
import { isTag, isText, type AnyNode, type Document, type Element } from 'domhandler';
import { OWN_SOURCE } from '../../domain/index.js';
import { parseMetaLine } from '../../importers/index.js';
import { contains, flatText, hintOf, insideElement, titleOf } from './dom.js';
import { pageIndex, type PageIndex } from './page.js';

export interface ArticleFields {
  readonly title: string;
  readonly subtitle: string;
  readonly source: string | null;
  readonly author: string;
  readonly publishedAtText: string | null;
}

/** A line of page furniture (来源, 发布时间, 浏览次数…) is short; a paragraph that cites a source is not. */
const META_LINE_MAX = 150;
const TITLE_MAX = 200;
const DATE_TIME =
  /\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s*\d{1,2}\s*[:：时]\s*\d{1,2}(?:\s*[:：分]\s*\d{1,2}\s*秒?)?)?/;
const TITLE_HINT =
  /^(?:(?:article|detail|news|art|con|content|main|text|info|xl|wz|zw)[-_]?)?(?:title|tit|biaoti|bt)$/i;
const SUBTITLE_HINT = /^(?:sub[-_]?title|fbt|fu[-_]?title|vice[-_]?title)$/i;
/** Lines worth reading as meta lines hold one of these words. */
const LABEL_WORDS = /来源|作者|撰稿|时间|日期/;
const SUBTITLE_LEAD = /^副标题\s*[:：]?\s*/;
/** The site itself as the source: Gazette stores null. */
const OWN_SOURCES = new Set([OWN_SOURCE, '本网', '本站原创', '本网原创']);
/** Between a page's title and its site's name in <title>: 标题_栏目_站点, 标题 - 站点, 标题|站点. */
const TITLE_SUFFIX = /\s*(?:[_|｜]|(?<!\d)-(?!\d)|\s[-—–]\s)\s*/;

/** The labels parseMetaLine knows, with the other names pages give them. */
function normaliseLabels(line: string): string {
  return line
    .replace(/(?:信息|文章|稿件|新闻)来源(?=\s*[:：])/g, '来源')
    .replace(/撰稿人?(?=\s*[:：])/g, '作者')
    .replace(/(^|[\s\u00a0\u3000|｜【】[\]])时间(?=\s*[:：])/g, '$1发布时间')
    .replace(/(^|[\s\u00a0\u3000|｜【】[\]])日期(?=\s*[:：])/g, '$1发布日期');
}

/** Whether a short text is a meta line (来源/发布时间/浏览次数…), not content. */
export function isMetaLine(text: string): boolean {
  if (!/[:：]/.test(text)) return false;
  const line = text.replace(/[\s\u00a0\u3000]+/g, ' ').trim();
  return line.length > 0 && line.length <= META_LINE_MAX && parseMetaLine(normaliseLabels(line)) !== null;
}

function ownSource(source: string, siteName: string | undefined): string | null {
  const value = source.replace(/[\s【[（(|｜]+$/, '').trim();
  return value === '' || OWN_SOURCES.has(value) || value === siteName ? null : value;
}

interface VisibleMeta {
  source?: string | null;
  author?: string;
  publishedAtText?: string | null;
}

/** The first 来源, 作者 and 发布时间 the page shows, each from whichever short line has it. */
function visibleMeta(doc: Document, siteName: string | undefined): VisibleMeta {
  const found: VisibleMeta = {};
  for (const raw of pageIndex(doc).text().split('\n')) {
    if (raw.length > META_LINE_MAX * 2 || !LABEL_WORDS.test(raw)) continue;
    const line = normaliseLabels(raw.replace(/[\s\u00a0\u3000]+/g, ' ').trim());
    if (line.length > META_LINE_MAX) continue;
    const meta = parseMetaLine(line);
    if (!meta) continue;
    if (found.source === undefined && /来源\s*[:：]/.test(line)) {
      found.source = meta.source === null ? null : ownSource(meta.source, siteName);
    }
    if (found.author === undefined && meta.author) found.author = meta.author;
    if (found.publishedAtText === undefined && meta.publishedAtText) {
      const date = DATE_TIME.exec(meta.publishedAtText)?.[0];
      if (date) found.publishedAtText = date.trim();
    }
  }
  return found;
}

const BLOCKS = new Set(['div', 'p', 'table', 'ul', 'ol', 'dl', 'section', 'article', 'form', 'h1', 'h2', 'h3']);

/** A title's text up to the first block inside it (an unclosed <h1> holds the page after it). */
function titleText(el: Element): string {
  const end = el.children.findIndex((child) => isTag(child) && BLOCKS.has(child.name));
  return flatText(end === -1 ? el.children : el.children.slice(0, end));
}

function isTitleElement(el: Element): boolean {
  if (
    el.name !== 'h1' &&
    !(
      (el.attribs.class !== undefined || el.attribs.id !== undefined) &&
      hintOf(el)
        .split(/\s+/)
        .some((t) => TITLE_HINT.test(t))
    )
  ) {
    return false;
  }
  const text = titleText(el);
  return text.length >= 2 && text.length <= TITLE_MAX;
}

/**
 * The nearest h1 (or title-classed element) around the body, outside it and outside the masthead:
 * the one whose common ancestor with the body is lowest, an h1 before a classed element. A block
 * found by text density may hold its title: its own h1 comes first then.
 */
function titleNearBody(page: PageIndex, body: readonly AnyNode[], byDensity: boolean): string | null {
  const first = body[0];
  if (!first) return null;
  const own = byDensity ? findOne((el) => el.name === 'h1' && isTitleElement(el), body as AnyNode[]) : null;
  if (own) return titleText(own);
  const distance = new Map<AnyNode, number>();
  for (let at = first.parent, d = 0; at; at = at.parent, d++) distance.set(at, d);
  let best: { el: Element; rank: number } | null = null;
  for (const el of page.elements) {
    if (!isTitleElement(el) || body.some((node) => contains(node, el))) continue;
    if (insideElement(el, (e) => e.name === 'header' || e.name === 'nav' || e.name === 'a')) continue;
    let at: AnyNode | null = el.parent;
    while (at && !distance.has(at)) at = at.parent;
    const rank = (at ? (distance.get(at) ?? 0) : Infinity) * 2 + (el.name === 'h1' ? 0 : 1);
    if (!best || rank < best.rank) best = { el, rank };
  }
  return best ? titleText(best.el) : null;
}

/** <title> without the site's (and column's) name after it. */
function pageTitle(doc: Document, siteName: string | undefined): string {
  let title = titleOf(doc);
  if (siteName && title.endsWith(siteName)) title = title.slice(0, -siteName.length);
  return (title.split(TITLE_SUFFIX).find((part) => part.trim() !== '') ?? '').trim();
}

function subtitleOf(page: PageIndex): string {
  const meta = page.metas.get('subtitle');
  if (meta) return meta;
  const el = page.elements.find(
    (e) =>
      ((e.attribs.class !== undefined || e.attribs.id !== undefined) &&
        hintOf(e)
          .split(/\s+/)
          .some((t) => SUBTITLE_HINT.test(t))) ||
      e.children.some((c) => isText(c) && c.data.includes('副标题') && SUBTITLE_LEAD.test(c.data.trim())),
  );
  return el ? flatText([el]).replace(SUBTITLE_LEAD, '').trim() : '';
}

export function readFields(doc: Document, body: readonly AnyNode[], byDensity: boolean): ArticleFields {
  const page = pageIndex(doc);
  const metas = page.metas;
  const siteName = metas.get('sitename');
  const shown = visibleMeta(doc, siteName);
  const metaSource = metas.get('contentsource');
  return {
    title: (metas.get('articletitle') ?? titleNearBody(page, body, byDensity) ?? pageTitle(doc, siteName))
      .replace(/\s+/g, ' ')
      .trim(),
    subtitle: subtitleOf(page),
    source: metaSource !== undefined ? ownSource(metaSource, siteName) : (shown.source ?? null),
    author: shown.author ?? '',
    publishedAtText: metas.get('pubdate') ?? shown.publishedAtText ?? null,
  };
}
