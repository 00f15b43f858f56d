// The raw material of discovery: the page's links with their resolved URLs and texts, and the
// text of its scripts (where TRS and Hanweb keep their page counts and records).
import type { Document, Element } from 'domhandler';
import { findAll, findOne, textContent } from 'domutils';
import { resolveLink } from './urls.js';
import { collapse, visibleText } from './text.js';

/** Elements that lead to another page, and the attribute that says where. */
const LINK_ATTRIBUTE: ReadonlyMap<string, string> = new Map([
  ['a', 'href'],
  ['area', 'href'],
  ['frame', 'src'],
  ['iframe', 'src'],
]);

export interface PageLink {
  /** Absolute, http(s), without the fragment. */
  readonly url: URL;
  /** The link's text, else its title, else the alt text of an image it wraps. */
  readonly text: string;
  readonly element: Element;
}

/** The URL relative links resolve against: the page's `<base href>` when it has one. */
export function pageBase(doc: Document, pageUrl: string): string {
  const base = findOne((el) => el.name === 'base' && el.attribs.href !== undefined, doc.children);
  const resolved = base?.attribs.href === undefined ? null : resolveLink(base.attribs.href, pageUrl);
  return resolved?.href ?? pageUrl;
}

function linkText(element: Element): string {
  const text = collapse(visibleText(element.children));
  if (text !== '') return text;
  const title = collapse(element.attribs.title ?? '');
  if (title !== '') return title;
  const image = findOne((el) => el.name === 'img' && (el.attribs.alt ?? '').trim() !== '', element.children);
  return collapse(image?.attribs.alt ?? '');
}

/** The page link an element is, when it is one that leads somewhere a crawl can go. */
export function asPageLink(element: Element, base: string): PageLink | null {
  const attribute = LINK_ATTRIBUTE.get(element.name);
  const target = attribute === undefined ? undefined : element.attribs[attribute];
  if (target === undefined) return null;
  const url = resolveLink(target, base);
  return url === null ? null : { url, text: linkText(element), element };
}

/** Every link of the page in document order (duplicates kept: the caller picks). */
export function pageLinks(doc: Document, pageUrl: string): PageLink[] {
  const base = pageBase(doc, pageUrl);
  return findAll((el) => LINK_ATTRIBUTE.has(el.name), doc.children).flatMap((el) => asPageLink(el, base) ?? []);
}

/** `<script type="text/xml">` holding a Hanweb `<datastore>`. */
export function isDatastoreScript(element: Element): boolean {
  return (
    element.name === 'script' && /xml/i.test(element.attribs.type ?? '') && /<datastore/i.test(textContent(element))
  );
}

/** The text of every inline script of the page, data blocks included, in document order. */
export function scriptTexts(doc: Document): string[] {
  return findAll((el) => el.name === 'script', doc.children)
    .map((el) => textContent(el))
    .filter((text) => text.trim() !== '');
}
