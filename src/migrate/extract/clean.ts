// The body's clean-up before the caller sanitises it: what old CMSs put inside article bodies that
// is not the article (styles, scripts, Flash, share bars, 纠错 widgets, counters, print/close
// buttons, the page bar of a split article), indents as Gazette writes them, and every link and
// image address made absolute (the caller rewrites the old site's addresses later).
import { findAll, getOuterHTML, removeElement, textContent } from 'domutils';
import { isComment, isTag, isText, type AnyNode, type ChildNode, type Document, type Element } from 'domhandler';
import { absoluteUrl, cloneFragment, flatText, hintOf, textNodesIn } from './dom.js';
import { normaliseIndents } from './indent.js';
import { crumbElementsIn } from './crumbs.js';
import { findDisclosureBlock } from './disclosure.js';
import { isMetaLine } from './fields.js';

const DROPPED_TAGS = new Set(['style', 'script', 'noscript', 'object', 'embed', 'link', 'meta']);
/** Classes and ids of what sits in bodies but is not the article: share bars, 纠错, counters, footers, buttons. */
const WIDGET_HINT =
  /share|footer|copyright|fenxiang|分享|jiathis|jiucuo|纠错|correction|counter|hits|访问量|浏览次数|点击数|(?:^|[\s_-])(?:print|close)(?:[\s_-]|$)/i;
const WIDGET_TEXT =
  /打印本页|打印此页|关闭窗口|关闭本页|【打印】|【关闭】|我要纠错|分享到|(?:浏览次数|访问量|浏览量|点击数|阅读次数)\s*[:：]/;
/** A widget's block is short; a paragraph that mentions one of those words is content. */
const WIDGET_TEXT_MAX = 40;
/** A widget's words alone (浏览次数：) inside a longer line. */
const WIDGET_WORDS_MAX = 12;
const WIDGET_SCRIPT_LINK = /^javascript:.*(?:print|close)\s*\(/i;
const BLOCK_TAGS = new Set(['p', 'div', 'li', 'td', 'tr', 'table', 'ul', 'center', 'section', 'dl', 'form']);
/** A page bar's text: page numbers and the words around them. */
const PAGE_BAR_TEXT = /^[\s\d上下一页首尾末共第跳转到页[\]【】<>«»|…./:：]*$/;
const EMBEDDED = new Set(['img', 'table', 'iframe', 'video', 'audio', 'embed', 'object', 'svg', 'hr', 'input']);

function nearestBlock(node: AnyNode, root: Document): Element | null {
  for (let at = node.parent; at && at !== root; at = at.parent) if (isTag(at) && BLOCK_TAGS.has(at.name)) return at;
  return null;
}

/** The outermost ancestor of `start` (itself included) whose text is page-bar text only. */
function pageBarAround(start: Element, root: Document): Element {
  let bar = start;
  for (let at = start.parent; at && at !== root && isTag(at); at = at.parent) {
    if (!PAGE_BAR_TEXT.test(flatText([at]))) break;
    bar = at;
  }
  return bar;
}

function dropPageBars(fragment: Document): void {
  const starts = findAll(
    (el) =>
      (el.name === 'script' && el.children.some((c) => isText(c) && /createPageHTML/.test(c.data))) ||
      (el.name === 'a' && /^\s*(?:下一页|上一页)\s*$/.test(textContent(el))),
    fragment.children,
  );
  starts.map((start) => pageBarAround(start, fragment)).forEach(removeElement);
}

function dropWidgets(fragment: Document): void {
  const hinted = findAll((el) => WIDGET_HINT.test(hintOf(el)), fragment.children);
  hinted.forEach(removeElement);
  for (const link of findAll(
    (el) => el.name === 'a' && WIDGET_SCRIPT_LINK.test(el.attribs.href ?? ''),
    fragment.children,
  )) {
    removeElement(nearestShortBlock(link, fragment) ?? link);
  }
  for (const text of textNodesIn(fragment, (t) => WIDGET_TEXT.test(t.data))) {
    if (!text.parent) continue;
    const block = nearestShortBlock(text, fragment);
    if (block) removeElement(block);
    else if (flatText([text]).length <= WIDGET_WORDS_MAX) removeElement(text);
  }
}

/** The nearest block around a widget, when it holds no more than a widget's text. */
function nearestShortBlock(node: AnyNode, root: Document): Element | null {
  const block = nearestBlock(node, root);
  return block && flatText([block]).length <= WIDGET_TEXT_MAX ? block : null;
}

/** For a body found by text density: the title, breadcrumb and 来源/发布时间 line caught in its block. */
function dropPageFurniture(fragment: Document): void {
  findAll((el) => el.name === 'h1', fragment.children).forEach(removeElement);
  crumbElementsIn(fragment.children).forEach(removeElement);
  const metaBlocks = findAll(
    (el) => isMetaLine(flatText([el])) && !el.children.some((c) => isTag(c) && isMetaLine(flatText([c]))),
    fragment.children,
  );
  metaBlocks.forEach(removeElement);
  textNodesIn(fragment, (t) => isMetaLine(t.data)).forEach(removeElement);
}

function absolutise(fragment: Document, pageUrl: string): void {
  for (const el of findAll((e) => e.attribs.href !== undefined || e.attribs.src !== undefined, fragment.children)) {
    for (const name of ['href', 'src'] as const) {
      const url = absoluteUrl(el.attribs[name], pageUrl);
      if (url) el.attribs[name] = url;
    }
  }
}

/** Paragraphs left with nothing in them (spacer `<p>&nbsp;</p>`, or a widget's leftovers). */
function dropEmptyParagraphs(fragment: Document): void {
  const empty = findAll(
    (el) =>
      el.name === 'p' &&
      /^[\s\u3000]*$/.test(textContent(el)) &&
      findAll((inner) => EMBEDDED.has(inner.name), el.children).length === 0,
    fragment.children,
  );
  empty.forEach(removeElement);
}

/** Blank runs left between blocks where widgets were: one line break each. */
function tidyBlankText(fragment: Document): void {
  for (const text of textNodesIn(fragment, (t) => /^\s*$/.test(t.data) && t.data.includes('\n'))) {
    if (text.prev && isText(text.prev) && /^\s*$/.test(text.prev.data)) removeElement(text);
    else text.data = '\n';
  }
}

function dropNodes(fragment: Document): void {
  const doomed: AnyNode[] = [];
  const walk = (node: AnyNode) => {
    if (isComment(node) || (isTag(node) && DROPPED_TAGS.has(node.name))) doomed.push(node);
    else if ('children' in node) node.children.forEach(walk);
  };
  walk(fragment);
  doomed.forEach(removeElement);
}

export interface CleanBody {
  readonly fragment: Document;
  readonly html: string;
}

/** A cleaned copy of the body nodes (the page itself is left as it was) and its markup. */
export function cleanBody(nodes: readonly ChildNode[], pageUrl: string, byDensity: boolean): CleanBody {
  const fragment = cloneFragment(nodes);
  dropPageBars(fragment);
  dropNodes(fragment);
  dropWidgets(fragment);
  const disclosure = findDisclosureBlock(findAll(() => true, fragment.children));
  // The block is the whole body only when the page has nothing else: keep it then.
  if (disclosure && !(fragment.children.length === 1 && fragment.children[0] === disclosure)) removeElement(disclosure);
  if (byDensity) dropPageFurniture(fragment);
  normaliseIndents(fragment);
  dropEmptyParagraphs(fragment);
  absolutise(fragment, pageUrl);
  tidyBlankText(fragment);
  return { fragment, html: getOuterHTML(fragment.children, { encodeEntities: 'utf8' }).trim() };
}
