// A reply's HTML shown without innerHTML: the server sanitised it already, and here it is parsed in
// an inert document (no script runs, no image loads) and rebuilt as Preact elements from a short
// list of text tags, so nothing but text, structure and plain links can reach the page.
import { h, type ComponentChildren } from 'preact';
import { useMemo } from 'preact/hooks';

const KEEP = new Set([
  'p',
  'br',
  'strong',
  'em',
  'u',
  's',
  'sub',
  'sup',
  'ul',
  'ol',
  'li',
  'blockquote',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'h3',
  'h4',
  'a',
]);
/** Heading levels under the screen's h2 sections; b and i as their meaning. */
const RENAME: Record<string, string> = { h1: 'h3', h2: 'h3', h5: 'h4', h6: 'h4', b: 'strong', i: 'em' };
/** Dropped with everything inside. */
const DROP = new Set(['script', 'style', 'template', 'iframe', 'object', 'embed', 'svg', 'math', 'noscript']);
const SAFE_LINK = /^(https?:|mailto:|\/(?!\/)|#)/i;

function attributesOf(element: Element, tag: string): Record<string, string> {
  const props: Record<string, string> = {};
  if (tag === 'a') {
    const href = element.getAttribute('href')?.trim() ?? '';
    if (SAFE_LINK.test(href)) props['href'] = href;
  }
  if (tag === 'th' || tag === 'td') {
    for (const name of ['colspan', 'rowspan']) {
      const value = element.getAttribute(name);
      if (value && /^\d{1,2}$/.test(value)) props[name] = value;
    }
  }
  return props;
}

function rebuild(node: Node, key: number): ComponentChildren {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent;
  if (node.nodeType !== Node.ELEMENT_NODE) return null;
  const element = node as Element;
  const name = element.tagName.toLowerCase();
  if (DROP.has(name)) return null;
  const children = Array.from(element.childNodes).map(rebuild);
  const tag = RENAME[name] ?? name;
  // Anything else (div, span, font, img…) gives only its text and structure inside.
  if (!KEEP.has(tag)) return children;
  return h(tag, { key, ...attributesOf(element, tag) }, ...children);
}

export function SafeHtml({ html, class: className, lang }: { html: string; class?: string; lang?: string }) {
  const nodes = useMemo(() => {
    const doc = new DOMParser().parseFromString(html, 'text/html');
    return Array.from(doc.body.childNodes).map(rebuild);
  }, [html]);
  return (
    <div class={className} lang={lang}>
      {nodes}
    </div>
  );
}
