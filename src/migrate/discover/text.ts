// What a page shows a reader, read from the parsed document: visible text, the dated lines of a
// government list, the longest run of prose. Used to tell list pages from articles by content.
import { isCDATA, isTag, isText, type AnyNode, type Document, type Element } from 'domhandler';
import { findAll } from 'domutils';

/** Elements whose text a reader never sees. */
const HIDDEN = new Set(['script', 'style', 'noscript', 'template', 'head', 'title']);

/** Elements that start a block of their own; the rest (span, a, strong, font…) run inside one. */
const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'center', 'dd', 'div', 'dl', 'dt', 'fieldset',
  'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'html', 'li', 'main',
  'nav', 'ol', 'p', 'pre', 'section', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul',
]); // prettier-ignore

/** The elements whose lines make up a list: `<li>`, a table row, `<dd>`. */
const LIST_ITEMS = new Set(['li', 'tr', 'dd']);

/** 2021-05-20, 2021/5/20, 2021.05.20, 2021年5月20日, [05-20], 【05-20】. */
const DATE =
  /\d{4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[[【(（]\s*\d{1,2}\s*[-/.]\s*\d{1,2}\s*[\]】)）]/;

/** Runs of white space (NBSP and the full-width space included) as one space, trimmed. */
export function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The text of nodes as a reader sees it: scripts, styles and comments left out. */
export function visibleText(nodes: readonly AnyNode[]): string {
  let text = '';
  const stack: AnyNode[] = [...nodes].reverse();
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === undefined) break;
    if (isText(node)) text += node.data;
    else if ((isTag(node) && !HIDDEN.has(node.name)) || isCDATA(node)) {
      for (let i = node.children.length - 1; i >= 0; i--) {
        const child = node.children[i];
        if (child) stack.push(child);
      }
    }
  }
  return text;
}

function isListItem(element: Element): boolean {
  return LIST_ITEMS.has(element.name);
}

/** The closest `<li>`, `<tr>` or `<dd>` holding an element, or null. */
export function enclosingListItem(element: Element): Element | null {
  for (let node = element.parent; node !== null; node = node.parent) {
    if (isTag(node) && isListItem(node)) return node;
  }
  return null;
}

const datedItemsCache = new WeakMap<Document, ReadonlySet<Element>>();

/** The list items that hold a link and show a date: the lines of a government list. */
export function datedListItems(doc: Document): ReadonlySet<Element> {
  const cached = datedItemsCache.get(doc);
  if (cached) return cached;
  const items = new Set(
    findAll(
      (el) =>
        isListItem(el) &&
        findAll((a) => a.name === 'a' && a.attribs.href !== undefined, el.children).length > 0 &&
        DATE.test(visibleText(el.children)),
      doc.children,
    ),
  );
  datedItemsCache.set(doc, items);
  return items;
}

/** How many dated list lines a page shows; an item holding another dated item is that line seen twice. */
export function datedListLineCount(doc: Document): number {
  const items = datedListItems(doc);
  const holders = new Set<Element>();
  for (const item of items) {
    for (let node = enclosingListItem(item); node !== null; node = enclosingListItem(node)) {
      if (items.has(node)) holders.add(node);
    }
  }
  return items.size - holders.size;
}

/**
 * The length, in characters other than white space, of the longest run of prose: the text that
 * sits directly in one block (through inline elements), link text left out, so that menus and
 * lists of links never count as prose.
 */
export function longestTextBlock(doc: Document): number {
  const lengths = new Map<AnyNode, number>();
  // A stack, not recursion: broken pages nest thousands of unclosed tags.
  const stack: [AnyNode, AnyNode][] = doc.children.map((child) => [child, doc]);
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const [node, block] = entry;
    if (isText(node)) lengths.set(block, (lengths.get(block) ?? 0) + node.data.replace(/\s+/g, '').length);
    if (!isTag(node) || HIDDEN.has(node.name) || node.name === 'a') continue;
    const own = BLOCKS.has(node.name) ? node : block;
    for (const child of node.children) stack.push([child, own]);
  }
  let longest = 0;
  for (const length of lengths.values()) longest = Math.max(longest, length);
  return longest;
}
