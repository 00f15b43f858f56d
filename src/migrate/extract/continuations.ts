// The further pages of an article split over several (`t20210520_123_1.html`, `_2.html`…): the
// caller fetches them and joins their bodies to this one.
import type { Document } from 'domhandler';
import type { CmsFamily } from '../types.js';
import { absoluteUrl, flatText } from './dom.js';
import { pageIndex, type PageIndex } from './page.js';

const TRS_ARTICLE = /^(t\d{8}_\d+)\.(s?html?)$/i;
const PAGE_FILE = /^(.+)\.(s?html?)$/i;
/** Link texts of a page bar: 下一页, a page number, 第2页, 尾页. */
const PAGE_LINK_TEXT = /^(?:下一页|下页|\d+|第\s*\d+\s*页|尾页|末页|\[\d+\])$/;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The page's folder URL and its file's stem and extension, or null when the URL names no page file. */
function splitPageUrl(url: string, file: RegExp): { folder: string; stem: string; ext: string } | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const slash = parsed.pathname.lastIndexOf('/');
  const match = file.exec(parsed.pathname.slice(slash + 1));
  if (!match?.[1] || !match[2]) return null;
  return { folder: `${parsed.origin}${parsed.pathname.slice(0, slash + 1)}`, stem: match[1], ext: match[2] };
}

/** The page's links to `<stem>_<n>.<ext>` in the same folder: their page numbers and texts. */
function linkedPages(page: PageIndex, pageUrl: string, folder: string, stem: string): { n: number; text: string }[] {
  const shape = new RegExp(`^${escapeRegExp(folder)}${escapeRegExp(stem)}_(\\d+)\\.s?html?$`, 'i');
  const pages: { n: number; text: string }[] = [];
  for (const link of page.elements) {
    if (link.name !== 'a' || !link.attribs.href?.includes(`${stem}_`)) continue;
    const url = absoluteUrl(link.attribs.href, pageUrl)?.replace(/[?#].*$/, '');
    const n = url ? shape.exec(url)?.[1] : undefined;
    if (n) pages.push({ n: Number(n), text: flatText([link]) });
  }
  return pages;
}

/** TRS writes the page bar from script: createPageHTML(count, current, "t…_123", "html"). */
function trsPageCount(page: PageIndex, stem: string): number {
  const call = new RegExp(`createPageHTML\\(\\s*(\\d+)\\s*,\\s*\\d+\\s*,\\s*["']${escapeRegExp(stem)}["']`);
  return Number(call.exec(page.scripts)?.[1] ?? 0);
}

/**
 * The article's further pages, in order. Only the first page of an article has them: a page that
 * is itself a continuation (`…_1.html`) has none, since nothing is named after its stem.
 */
export function continuationsOf(doc: Document, pageUrl: string, family: CmsFamily): string[] {
  const trs = splitPageUrl(pageUrl, TRS_ARTICLE);
  const page = trs ?? splitPageUrl(pageUrl, PAGE_FILE);
  if (!page) return [];
  const index = pageIndex(doc);
  const links = linkedPages(index, pageUrl, page.folder, page.stem);
  const numbers = new Set<number>();
  if (trs || family === 'trs') {
    const count = trsPageCount(index, page.stem);
    for (let n = 1; n < count; n++) numbers.add(n);
    links.forEach((link) => numbers.add(link.n));
  } else if (links.some((link) => /^下一?页$/.test(link.text))) {
    // A page bar is there when one of its links is 下一页; its numbered links count too.
    links.filter((link) => PAGE_LINK_TEXT.test(link.text)).forEach((link) => numbers.add(link.n));
  }
  return [...numbers]
    .filter((n) => n > 0)
    .sort((a, b) => a - b)
    .map((n) => `${page.folder}${page.stem}_${n}.${page.ext}`);
}
