// Paragraph indents as old pages write them — leading U+3000 or &nbsp; runs, `text-indent` styles —
// become Gazette's indent style: the characters go, and a <p> gets class="indent", which the
// sanitiser keeps and the theme styles (`.article-body p.indent { text-indent: 2em }`).
import { findAll } from 'domutils';
import { isTag, isText, type AnyNode, type Document, type Element } from 'domhandler';

const BLOCKS = new Set([
  'p',
  'div',
  'li',
  'td',
  'th',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'center',
  'dd',
]);
const INLINE = new Set(['span', 'font', 'strong', 'b', 'em', 'i', 'u', 'a', 'sub', 'sup', 'label', 'small', 'big']);
const LEADING = /^[\s\u00a0\u3000]+/;
/** One U+3000 or two NBSPs is an indent; a lone NBSP is just a space. */
const INDENT_RUN = /\u3000|\u00a0[\s\S]*\u00a0/;
const TEXT_INDENT = /(?:^|;)\s*text-indent\s*:\s*([^;]*)/i;

/**
 * Drops the blank run at the start of the text that follows in `nodes`, descending into inline
 * elements and stopping at the first text or at anything else (an image, a nested block).
 * `found.indent` tells whether the run held an indent; returns whether it stopped inside `nodes`.
 */
function stripLeading(nodes: readonly AnyNode[], found: { indent: boolean }): boolean {
  for (const node of nodes) {
    if (isText(node)) {
      const run = LEADING.exec(node.data)?.[0] ?? '';
      const blank = run.length === node.data.length;
      if (/[\u00a0\u3000]/.test(run)) node.data = node.data.slice(run.length);
      if (INDENT_RUN.test(run)) found.indent = true;
      if (!blank) return true;
      continue;
    }
    if (isTag(node) && (!INLINE.has(node.name) || stripLeading(node.children, found))) return true;
  }
  return false;
}

/** Removes a `text-indent` declaration; whether it indented (a positive length). */
function dropTextIndent(el: Element): boolean {
  const style = el.attribs.style;
  const match = style ? TEXT_INDENT.exec(style) : null;
  if (!style || !match) return false;
  const rest = style
    .replace(TEXT_INDENT, '')
    .replace(/^\s*;\s*/, '')
    .trim();
  if (rest) el.attribs.style = rest;
  else delete el.attribs.style;
  return parseFloat(match[1] ?? '') > 0;
}

function markIndent(el: Element): void {
  const classes = (el.attribs.class ?? '').split(/\s+/).filter((c) => c !== '' && c !== 'indent');
  el.attribs.class = [...classes, 'indent'].join(' ');
}

/** Normalises every paragraph's indent under the fragment (and lines after a <br>). */
export function normaliseIndents(fragment: Document): void {
  for (const el of findAll(() => true, fragment.children)) {
    const styled = dropTextIndent(el);
    if (!BLOCKS.has(el.name)) continue;
    const found = { indent: false };
    stripLeading(el.children, found);
    if (el.name === 'p' && (styled || found.indent)) markIndent(el);
  }
  for (const br of findAll((el) => el.name === 'br', fragment.children)) {
    const after: AnyNode[] = [];
    for (let at = br.next; at; at = at.next) after.push(at);
    stripLeading(after, { indent: false });
  }
}
