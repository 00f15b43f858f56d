// Where an article's body is: the family's own container first, then the other families' (pages
// moved between CMSs keep their old markup), then the usual generic containers, and last the
// block with the most text that is not navigation (a text-density pick).
import { findAll } from 'domutils';
import { isTag, isText, type AnyNode, type ChildNode, type Comment, type Document, type Element } from 'domhandler';
import type { CmsFamily } from '../types.js';
import { contains, flatText, hasClass, hasId, hintOf } from './dom.js';
import { HANWEB_BEGIN, HANWEB_END } from './detect.js';
import { isMetaLine } from './fields.js';
import { pageIndex } from './page.js';

/** Where a body is on the page. */
export interface BodyPick {
  /** The nodes the body takes on the page (its container, or the nodes between Hanweb's markers). */
  readonly place: readonly ChildNode[];
  /** The body's content: the container's children, or the nodes between the markers. */
  readonly nodes: readonly ChildNode[];
  /** Found by text density: the clean-up also drops a title, meta line and breadcrumb caught in the block. */
  readonly byDensity: boolean;
}

type Finder = (doc: Document) => ChildNode[] | null;

/** Of several matches, the one with the most text (an outer element wins a tie with its inner one). */
function largest(elements: Element[]): Element[] | null {
  if (elements.length <= 1) return elements.length === 1 ? elements : null;
  let best: Element | null = null;
  let bestLength = -1;
  for (const el of elements) {
    const length = flatText([el]).length;
    if (length > bestLength) [best, bestLength] = [el, length];
  }
  return best ? [best] : null;
}

const byTest =
  (test: (el: Element) => boolean): Finder =>
  (doc) =>
    largest(pageIndex(doc).elements.filter(test));

function findComment(doc: Document, marker: string): Comment | null {
  return pageIndex(doc).comments.find((c) => c.data.includes(marker)) ?? null;
}

/**
 * The nodes between two markers in document order, as few and as large as possible: siblings
 * after `begin`, then its ancestors' later siblings, descending into the one that holds `end`.
 */
export function nodesBetween(begin: ChildNode, end: ChildNode): ChildNode[] {
  const out: ChildNode[] = [];
  let node: ChildNode = begin;
  for (;;) {
    let next = node.next;
    for (let at: AnyNode = node; !next; next = at.next) {
      if (!at.parent) return out;
      at = at.parent;
    }
    node = next;
    while (node !== end && contains(node, end) && 'children' in node) {
      const first = node.children[0];
      if (!first) break;
      node = first;
    }
    if (node === end) return out;
    out.push(node);
  }
}

/** Hanweb: the content between the ZJEG_RSS comments (comment nodes in the tree). */
const hanwebMarkers: Finder = (doc) => {
  const begin = findComment(doc, HANWEB_BEGIN);
  const end = findComment(doc, HANWEB_END);
  if (!begin || !end) return null;
  const nodes = nodesBetween(begin, end);
  return nodes.length > 0 ? nodes : null;
};

const FAMILY_FINDERS: Record<Exclude<CmsFamily, 'generic'>, readonly Finder[]> = {
  trs: [
    byTest((el) => hasClass(el, 'TRS_Editor')),
    byTest((el) => hasId(el, 'zoom')),
    byTest((el) => hasClass(el, 'Custom_UnionStyle')),
  ],
  hanweb: [hanwebMarkers, byTest((el) => hasId(el, 'zoom'))],
  ucap: [byTest((el) => el.name === 'ucapcontent' || hasId(el, 'UCAP-CONTENT'))],
};

/** The containers generic article pages use (those of the importer's HTML reader, and their kin). */
const GENERIC_FINDERS: readonly Finder[] = [
  byTest((el) => el.attribs.itemprop === 'articleBody'),
  byTest((el) =>
    ['article-body', 'article-content', 'articleContent', 'content-text', 'news-content', 'news_content'].some((c) =>
      hasClass(el, c),
    ),
  ),
];

function familyOrder(family: CmsFamily): Finder[] {
  const own = family === 'generic' ? [] : FAMILY_FINDERS[family];
  const others = (['trs', 'hanweb', 'ucap'] as const).filter((f) => f !== family).flatMap((f) => FAMILY_FINDERS[f]);
  return [...own, ...others, ...GENERIC_FINDERS];
}

/** A container's children; a run of nodes (between markers) as it is. */
function contentOf(place: readonly ChildNode[]): readonly ChildNode[] {
  const only = place.length === 1 ? place[0] : undefined;
  return only && isTag(only) ? only.children : place;
}

/** The places the body may be, most likely first; the caller takes the first that holds content. */
export function* bodyCandidates(doc: Document, family: CmsFamily): Generator<BodyPick> {
  for (const find of familyOrder(family)) {
    const place = find(doc);
    if (place) yield { place, nodes: contentOf(place), byDensity: false };
  }
  const dense = densestBlock(doc);
  if (dense) yield { place: [dense], nodes: dense.children, byDensity: true };
}

// --- text density ---

const BLOCK_CONTAINERS = new Set(['div', 'article', 'section', 'td', 'main', 'center']);
const SKIPPED_TAGS = new Set([
  'a',
  'nav',
  'header',
  'footer',
  'aside',
  'script',
  'style',
  'noscript',
  'select',
  'option',
  'button',
  'h1',
  'h2',
  'h3',
  'head',
  'title',
  'iframe',
  'textarea',
]);
const NAVIGATION_HINT =
  /(?:^|[\s_-])(?:nav|navs|navbar|menu|menus|header|head|footer|foot|sidebar|side|aside|copyright|banner|crumbs?|breadcrumbs?|position|location|share|links?|friendlink|toolbar|top|bottom)(?:[\s_-]|$)/i;
/** Less non-link text than this is not a body. */
const MIN_DENSITY_SCORE = 10;

function visibleLength(text: string): number {
  return text.replace(/[\s\u00a0\u3000]/g, '').length;
}

/** A list whose text is mostly links is navigation (related articles, a column menu). */
function isLinkList(el: Element): boolean {
  if (el.name !== 'ul' && el.name !== 'ol') return false;
  const all = visibleLength(flatText([el]));
  const linked = findAll((a) => a.name === 'a', el.children).reduce((sum, a) => sum + visibleLength(flatText([a])), 0);
  return all > 0 && linked * 2 >= all;
}

function isSkipped(el: Element): boolean {
  return SKIPPED_TAGS.has(el.name) || NAVIGATION_HINT.test(hintOf(el)) || isLinkList(el);
}

function containerOf(node: AnyNode): Element | null {
  for (let at = node.parent; at; at = at.parent) if (isTag(at) && BLOCK_CONTAINERS.has(at.name)) return at;
  return null;
}

/**
 * The block with the most text of its own that is not links, navigation, headings or the meta
 * line. A block's text counts in full for its nearest container and half for the next one up, so
 * a body split into several inner blocks still wins over any one of them.
 */
function densestBlock(doc: Document): Element | null {
  const scores = new Map<Element, number>();
  const add = (el: Element | null, points: number) => {
    if (el) scores.set(el, (scores.get(el) ?? 0) + points);
  };
  const walk = (node: AnyNode): void => {
    if (isTag(node)) {
      if (!isSkipped(node)) node.children.forEach(walk);
    } else if (isText(node)) {
      const length = visibleLength(node.data);
      if (length === 0 || isMetaLine(node.data)) return;
      const container = containerOf(node);
      add(container, length);
      if (container) add(containerOf(container), length / 2);
    } else if ('children' in node) node.children.forEach(walk);
  };
  doc.children.forEach(walk);
  let best: Element | null = null;
  let bestScore = MIN_DENSITY_SCORE - 1;
  for (const [el, score] of scores) if (score > bestScore) [best, bestScore] = [el, score];
  return best;
}
