import type sanitizeHtml from 'sanitize-html';
import { hasChildren, isTag, isText, type AnyNode } from 'domhandler';
import { lazyModule } from '../lazy.js';

// Loaded on first use: a command or a page server that never cleans or reads HTML starts without them.
const sanitizer = lazyModule<typeof sanitizeHtml>('sanitize-html');
const htmlparser2 = lazyModule<typeof import('htmlparser2')>('htmlparser2');

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

const SPECIAL = /[&<>"']/;

/** Text to HTML text: `<`, `&` and quotes stay characters, never markup. */
export function escapeHtml(text: string): string {
  // Most text (every Chinese label and value) has none of them: no new string, no callback.
  if (!SPECIAL.test(text)) return text;
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/**
 * The allow-list for article bodies: semantic structure, tables, links, images; no scripts,
 * styles or event handlers. The only class kept is `indent`, which the theme styles as a
 * first-line indent (the pages' leading spaces, as CSS).
 */
const BODY_POLICY: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'strong',
    'b',
    'em',
    'i',
    'u',
    's',
    'sub',
    'sup',
    'blockquote',
    'ul',
    'ol',
    'li',
    'a',
    'img',
    'figure',
    'figcaption',
    'table',
    'caption',
    'thead',
    'tbody',
    'tfoot',
    'tr',
    'th',
    'td',
    'hr',
    'span',
    'div',
    'pre',
    'code',
  ],
  allowedAttributes: {
    a: ['href', 'title'],
    img: ['src', 'alt', 'width', 'height'],
    th: ['colspan', 'rowspan', 'scope'],
    td: ['colspan', 'rowspan'],
    p: ['class'],
    ol: ['start'],
  },
  allowedClasses: { p: ['indent'] },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['http', 'https', 'data'] },
  allowProtocolRelative: false,
  transformTags: {
    h1: 'h2',
    font: 'span',
  },
  nonTextTags: ['script', 'style', 'textarea', 'noscript', 'title', 'iframe', 'object', 'embed', 'svg', 'math'],
};

/**
 * Whether a page may link to an address given as a field (a link column, an attachment, a cover):
 * a web address or a path on the site. Not `javascript:`, `data:` or anything else a browser
 * would run or a reader could not open; the body's links are the sanitiser's (BODY_POLICY).
 */
export function isWebAddress(url: string): boolean {
  return /^(https?:\/\/|\/)/i.test(url);
}

export function sanitizeBodyHtml(html: string): string {
  // Markup nested against the rules (a <td> inside a <td>) comes out of one pass in a shape the
  // parser reads differently the next time: passes are repeated until the output is stable, so
  // sanitising what was stored changes nothing (found by \`npm run fuzz\`).
  let clean = sanitizer()(html, BODY_POLICY).trim();
  for (let pass = 0; pass < 3; pass++) {
    const again = sanitizer()(clean, BODY_POLICY).trim();
    if (again === clean) break;
    clean = again;
  }
  return clean;
}

const BLOCK_TAGS = new Set([
  'p',
  'div',
  'br',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'li',
  'tr',
  'blockquote',
  'section',
  'article',
  'header',
  'footer',
  'nav',
  'main',
  'aside',
  'table',
  'ul',
  'ol',
  'figure',
  'figcaption',
  'pre',
  'hr',
]);
const HIDDEN_TAGS = new Set(['script', 'style', 'noscript', 'template', 'head', 'title']);

/** Text of DOM nodes as a reader sees it: block elements end lines, scripts and styles are not text. */
export function nodesToText(nodes: readonly AnyNode[]): string {
  let out = '';
  const walk = (node: AnyNode): void => {
    if (isText(node)) {
      out += node.data;
    } else if (isTag(node)) {
      if (HIDDEN_TAGS.has(node.name)) return;
      const block = BLOCK_TAGS.has(node.name);
      if (block) out += '\n';
      for (const child of node.children) walk(child);
      if (block) out += '\n';
    } else if (hasChildren(node)) {
      for (const child of node.children) walk(child);
    }
  };
  nodes.forEach(walk);
  return out
    .replace(/[ \t\u00a0\r]+/g, ' ')
    .replace(/ *\n[\s]*/g, '\n')
    .trim();
}

/** The reader-visible text of an HTML fragment (for summaries, checks and search). */
export function htmlToText(html: string): string {
  return nodesToText(htmlparser2().parseDocument(html, { decodeEntities: true }).children);
}
