// Small DOM helpers shared by the extractors: parsing, class/id hints, text, meta tags, URLs.
import { parseDocument } from 'htmlparser2';
import { findOne, textContent } from 'domutils';
import {
  Document,
  cloneNode,
  hasChildren,
  isTag,
  isText,
  type AnyNode,
  type ChildNode,
  type Element,
  type Text,
} from 'domhandler';
import { nodesToText } from '../../domain/index.js';

/** Parses a page once; every extractor reads the same tree (tags and attribute names lower-cased). */
export function parsePage(html: string): Document {
  return parseDocument(html, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
}

/** Class names and id of an element, as one string to test hints against. */
export function hintOf(el: Element): string {
  return `${el.attribs.class ?? ''} ${el.attribs.id ?? ''}`;
}

export function hasClass(el: Element, name: string): boolean {
  const classes = el.attribs.class?.toLowerCase();
  const wanted = name.toLowerCase();
  // Most elements have no class or not this one: no split for them.
  return classes !== undefined && classes.includes(wanted) && classes.split(/\s+/).includes(wanted);
}

export function hasId(el: Element, id: string): boolean {
  return (el.attribs.id ?? '').trim().toLowerCase() === id.toLowerCase();
}

/** The visible text of nodes on one line: runs of white space (NBSP and U+3000 too) folded to one space. */
export function flatText(nodes: readonly AnyNode[]): string {
  return nodesToText(nodes)
    .replace(/[\s\u3000]+/g, ' ')
    .trim();
}

const NOT_TEXT = new Set(['script', 'style', 'noscript', 'template', 'title', 'head']);

/** The visible text under nodes, folded to one line, leaving out the elements `skip` accepts. */
export function textExcept(nodes: readonly AnyNode[], skip: (el: Element) => boolean): string {
  let out = '';
  const walk = (node: AnyNode): void => {
    if (isText(node)) out += node.data;
    else if (isTag(node)) {
      if (NOT_TEXT.has(node.name) || skip(node)) return;
      out += ' ';
      node.children.forEach(walk);
      out += ' ';
    } else if (hasChildren(node)) node.children.forEach(walk);
  };
  nodes.forEach(walk);
  return out.replace(/[\s\u3000]+/g, ' ').trim();
}

/**
 * The first `max` characters or so of the visible text under nodes, white space left out: enough
 * to test how a block starts, or whether it has text at all, without reading all of it.
 */
export function leadingText(nodes: readonly AnyNode[], max: number): string {
  let out = '';
  const walk = (node: AnyNode): void => {
    if (out.length >= max) return;
    if (isText(node)) out += node.data.replace(/[\s\u00a0\u3000]+/g, '');
    else if (isTag(node) && NOT_TEXT.has(node.name)) return;
    else if (hasChildren(node)) node.children.forEach(walk);
  };
  nodes.forEach(walk);
  return out.slice(0, max);
}

/** The text nodes under a node that the test accepts, in document order. */
export function textNodesIn(root: AnyNode, test: (text: Text) => boolean): Text[] {
  const found: Text[] = [];
  const walk = (node: AnyNode): void => {
    if (isText(node)) {
      if (test(node)) found.push(node);
    } else if (hasChildren(node)) node.children.forEach(walk);
  };
  walk(root);
  return found;
}

/** The page's <title>, white space folded ('' when none). */
export function titleOf(doc: Document): string {
  const title = findOne((el) => el.name === 'title', doc.children);
  return title
    ? textContent(title)
        .replace(/[\s\u3000]+/g, ' ')
        .trim()
    : '';
}

/** Whether `ancestor` is `node` or holds it. */
export function contains(ancestor: AnyNode, node: AnyNode): boolean {
  for (let at: AnyNode | null = node; at; at = at.parent) if (at === ancestor) return true;
  return false;
}

/** Whether the node sits inside an element that the test accepts (the node itself included). */
export function insideElement(node: AnyNode, test: (el: Element) => boolean): boolean {
  for (let at: AnyNode | null = node; at; at = at.parent) if (isTag(at) && test(at)) return true;
  return false;
}

/** An address on the page made absolute against the page's URL; null for script links, anchors and junk. */
export function absoluteUrl(value: string | undefined, pageUrl: string): string | null {
  const href = value?.trim();
  if (!href || href.startsWith('#') || /^(javascript|mailto|tel|data|about):/i.test(href)) return null;
  try {
    return new URL(href, pageUrl).href;
  } catch {
    return null;
  }
}

/**
 * Deep copies of nodes under a document of their own: the clean-up edits the copy, never the page
 * the caller still reads (links, list paging).
 */
export function cloneFragment(nodes: readonly ChildNode[]): Document {
  const children = nodes.map((node) => cloneNode(node, true));
  const fragment = new Document(children);
  children.forEach((child, i) => {
    child.parent = fragment;
    child.prev = children[i - 1] ?? null;
    child.next = children[i + 1] ?? null;
  });
  return fragment;
}
