// One walk over a page, shared by every extractor: its elements in order, its comments, meta tags
// and script text. The crawl asks several questions of the same page (family, problem,
// breadcrumb, article, links), so the walk is kept with the page (the page is never changed after
// parsing: the clean-up works on a copy).
import {
  hasChildren,
  isComment,
  isTag,
  isText,
  type AnyNode,
  type Comment,
  type Document,
  type Element,
} from 'domhandler';
import { nodesToText } from '../../domain/index.js';

export interface PageIndex {
  /** Every element, in document order. */
  readonly elements: readonly Element[];
  readonly comments: readonly Comment[];
  /** `<meta name=…>` (or property) values, names lower-cased, the first of each name kept. */
  readonly metas: ReadonlyMap<string, string>;
  /** The text of every inline `<script>`, joined: where CMSs write page counts and challenges. */
  readonly scripts: string;
  /** The page's text as a reader sees it, a line per block. */
  readonly text: () => string;
}

const indexes = new WeakMap<Document, PageIndex>();

function build(doc: Document): PageIndex {
  const elements: Element[] = [];
  const comments: Comment[] = [];
  const scripts: string[] = [];
  const metas = new Map<string, string>();
  const walk = (node: AnyNode): void => {
    if (isTag(node)) {
      elements.push(node);
      if (node.name === 'meta') {
        const name = (node.attribs.name ?? node.attribs.property ?? '').trim().toLowerCase();
        const content = node.attribs.content?.trim();
        if (name && content && !metas.has(name)) metas.set(name, content);
      } else if (node.name === 'script') {
        scripts.push(node.children.map((c) => (isText(c) ? c.data : '')).join(''));
      }
    } else if (isComment(node)) comments.push(node);
    if (hasChildren(node)) node.children.forEach(walk);
  };
  doc.children.forEach(walk);
  let text: string | undefined;
  return { elements, comments, metas, scripts: scripts.join('\n'), text: () => (text ??= nodesToText(doc.children)) };
}

export function pageIndex(doc: Document): PageIndex {
  let index = indexes.get(doc);
  if (!index) {
    index = build(doc);
    indexes.set(doc, index);
  }
  return index;
}
