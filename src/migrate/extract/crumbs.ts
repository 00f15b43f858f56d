// The breadcrumb (当前位置): the column path an article or list page sits in, with the columns'
// list URLs where the steps are links.
import { findAll, findOne } from 'domutils';
import { isTag, isText, type AnyNode, type Document, type Element } from 'domhandler';
import { parseBreadcrumb } from '../../importers/index.js';
import type { CmsFamily, CrumbStep } from '../types.js';
import { absoluteUrl, flatText, hasClass, hintOf } from './dom.js';
import { pageIndex, type PageIndex } from './page.js';

const CRUMB_HINT = /crumb|position|location|dqwz|weizhi|curpos|nav-?path|site-?path|wz_?nav/i;
const CRUMB_LEAD = /^(?:当前位置|您的位置|您现在的位置|您当前的位置|当前的位置|所在位置|当前所在位置)\s*[:：]?\s*/;
const CRUMB_WORDS = /当前位置|您的位置|您现在的位置|您当前的位置|当前的位置|所在位置/;
const SEPARATOR = /\s*(?:[>＞›»→]|&gt;|\/|\|)\s*/;
const HOME_NAMES = new Set(['首页', '网站首页', '主页', '返回首页', 'home', '门户首页']);
const CURRENT_PAGE_NAMES = new Set(['正文', '详情', '内容', '正文内容', '文章详情', '详细内容']);
/** A breadcrumb is one short line; a wrapper holding the whole page is not one. */
const CRUMB_TEXT_MAX = 200;

/** Where a breadcrumb ends when its element was left open and swallowed the page after it. */
const ENDS_CRUMB = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'div', 'table', 'form', 'section', 'article']);

/**
 * The length of an element's breadcrumb-like text: up to its first block child (an unclosed
 * breadcrumb holds the page after it), or of that block when nothing comes before it (a wrapper).
 */
function leadLength(el: Element): number {
  const end = el.children.findIndex((c) => isTag(c) && ENDS_CRUMB.has(c.name));
  if (end === -1) return flatText([el]).length;
  const lead = flatText(el.children.slice(0, end)).length;
  const block = el.children[end];
  return lead > 0 || !block || !isTag(block) ? lead : leadLength(block);
}

function hasLink(el: Element): boolean {
  return findOne((a) => a.name === 'a', el.children) !== null;
}

function isCrumbElement(el: Element): boolean {
  if (el.attribs['aria-label'] === '当前位置' || el.attribs['aria-label'] === 'breadcrumb') return true;
  return CRUMB_HINT.test(hintOf(el)) && leadLength(el) <= CRUMB_TEXT_MAX;
}

/** The smallest element around the words 当前位置 that also holds links. */
function aroundCrumbWords(page: PageIndex): Element | null {
  const label = page.elements.find((el) => el.children.some((c) => isText(c) && CRUMB_WORDS.test(c.data)));
  for (let at: Element | null = label ?? null; at; at = at.parent && isTag(at.parent) ? at.parent : null) {
    if (leadLength(at) > CRUMB_TEXT_MAX) return null;
    if (hasLink(at)) return at;
  }
  return null;
}

/**
 * The smallest element with links whose text reads as a breadcrumb line (首页 > 栏目 > …): each
 * link's ancestors are looked at up to the first too long to be a breadcrumb.
 */
function crumbShapedLine(page: PageIndex): Element | null {
  let best: { el: Element; length: number } | null = null;
  const seen = new Set<Element>();
  for (const link of page.elements) {
    if (link.name !== 'a') continue;
    for (let at = link.parent; at && isTag(at) && !seen.has(at); at = at.parent) {
      seen.add(at);
      const text = flatText([at]);
      if (text.length > CRUMB_TEXT_MAX) break;
      if ((!best || text.length < best.length) && parseBreadcrumb(text)?.length) best = { el: at, length: text.length };
    }
  }
  return best?.el ?? null;
}

/** Where the breadcrumb may be, most likely first (looked for only as far as needed). */
function* crumbCandidates(page: PageIndex, family: CmsFamily): Generator<Element> {
  for (const el of page.elements) {
    if (isCrumbElement(el) && (hasLink(el) || CRUMB_WORDS.test(flatText([el])))) yield el;
  }
  const worded = aroundCrumbWords(page);
  if (worded) yield worded;
  const shaped = crumbShapedLine(page);
  if (shaped) yield shaped;
  if (family === 'trs') {
    // TRS writes each step as <a class="CurrChnlCls">: their common parent is the breadcrumb.
    const step = page.elements.find((el) => el.name === 'a' && hasClass(el, 'CurrChnlCls'));
    if (step?.parent && isTag(step.parent)) yield step.parent;
  }
}

/**
 * Steps in order: each link is one step; text between links splits at the separators. A block
 * element after the first step ends the breadcrumb (an unclosed breadcrumb holds the page).
 */
function rawSteps(el: Element, pageUrl: string): CrumbStep[] {
  const steps: CrumbStep[] = [];
  let ended = false;
  const started = () => steps.some((step) => step.name.replace(CRUMB_LEAD, '').trim() !== '');
  const walk = (node: AnyNode): void => {
    if (ended) return;
    if (isTag(node)) {
      if (node.name === 'script' || node.name === 'style') return;
      if (ENDS_CRUMB.has(node.name) && started()) {
        ended = true;
        return;
      }
      if (node.name === 'a') {
        steps.push({ name: flatText([node]), url: absoluteUrl(node.attribs.href, pageUrl) });
        return;
      }
      node.children.forEach(walk);
    } else if (isText(node)) {
      for (const part of node.data.replace(/[\s\u00a0\u3000]+/g, ' ').split(SEPARATOR)) {
        steps.push({ name: part.trim(), url: null });
      }
    }
  };
  el.children.forEach(walk);
  return steps;
}

function stepsOf(el: Element, pageUrl: string): CrumbStep[] {
  const steps = rawSteps(el, pageUrl)
    .map((step) => ({ ...step, name: step.name.replace(CRUMB_LEAD, '').trim() }))
    .filter((step) => step.name !== '' && !HOME_NAMES.has(step.name.toLowerCase()));
  const last = steps[steps.length - 1];
  if (last && last.url === null && CURRENT_PAGE_NAMES.has(last.name)) steps.pop();
  return steps;
}

export function readBreadcrumb(doc: Document, url: string, family: CmsFamily): CrumbStep[] {
  for (const el of crumbCandidates(pageIndex(doc), family)) {
    const steps = stepsOf(el, url);
    if (steps.length > 0) return steps;
  }
  return [];
}

/** Every element that holds a breadcrumb (the generic extractor keeps them out of a body). */
export function crumbElementsIn(nodes: readonly AnyNode[]): Element[] {
  return findAll(isCrumbElement, nodes as AnyNode[]);
}
