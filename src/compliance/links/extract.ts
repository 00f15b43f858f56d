import { parseDocument } from 'htmlparser2';
import { isTag, type ChildNode, type Element } from 'domhandler';

/** The attributes that point at another resource, per element. */
const LINK_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  a: ['href'],
  img: ['src', 'srcset'],
  link: ['href'],
  script: ['src'],
  source: ['src', 'srcset'],
  iframe: ['src'],
};

/** `<link rel>` values that name no resource to fetch (hints to the browser). */
const HINT_RELS = new Set(['preconnect', 'dns-prefetch']);

/** The URLs of a srcset: `a.jpg 480w, b.jpg 960w` → a.jpg, b.jpg. */
function srcsetUrls(value: string): string[] {
  return value
    .split(',')
    .map((candidate) => candidate.trim().split(/\s+/)[0] ?? '')
    .filter((url) => url !== '');
}

function linksOf(element: Element): string[] {
  const attributes = LINK_ATTRIBUTES[element.name];
  if (!attributes) return [];
  if (
    element.name === 'link' &&
    (element.attribs.rel ?? '').split(/\s+/).some((rel) => HINT_RELS.has(rel.toLowerCase()))
  )
    return [];
  return attributes.flatMap((name) => {
    const value = element.attribs[name]?.trim();
    if (!value) return [];
    return name === 'srcset' ? srcsetUrls(value) : [value];
  });
}

/** Every href/src of a, img, link, script, source and iframe in a page, once each, in page order. */
export function extractLinks(html: string): string[] {
  const found = new Set<string>();
  const stack: ChildNode[] = [...parseDocument(html).children].reverse();
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node || !isTag(node)) continue;
    for (const url of linksOf(node)) found.add(url);
    for (let i = node.children.length - 1; i >= 0; i--) {
      const child = node.children[i];
      if (child) stack.push(child);
    }
  }
  return [...found];
}
