// Links inside a migrated body: those to the old site's pages and files that came over point at
// their new places; the others stay as they are and are reported.
import { parseDocument } from 'htmlparser2';
import { findAll, getOuterHTML } from 'domutils';

/** An old URL's path and query, as the redirect table keys it. */
export function oldPathOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}

/** Whether a URL is on the old site (same scheme, host and port as its origin). */
export function isOwnUrl(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

/** The old-site URLs a body links to or shows (href and src), absolute, without fragments, in order. */
export function ownLinksIn(html: string, origin: string): string[] {
  const document = parseDocument(html, { decodeEntities: true });
  const found = new Set<string>();
  for (const el of findAll((e) => e.name === 'a' || e.name === 'img', document.children)) {
    const value = el.name === 'a' ? el.attribs.href : el.attribs.src;
    if (!value || !isOwnUrl(value, origin)) continue;
    found.add(value.replace(/#.*$/, ''));
  }
  return [...found];
}

/**
 * Rewrites each old-site href and src that `resolve` knows to its new path (a fragment is kept);
 * returns the markup and the old-site links left as they were. The markup is serialised as it
 * was parsed; the caller sanitises the result.
 */
export function rewriteLinks(
  html: string,
  origin: string,
  resolve: (url: string) => string | undefined,
): { html: string; unresolved: string[] } {
  const document = parseDocument(html, { decodeEntities: true });
  const unresolved = new Set<string>();
  let changed = false;
  for (const el of findAll((e) => e.name === 'a' || e.name === 'img', document.children)) {
    const attribute = el.name === 'a' ? 'href' : 'src';
    const value = el.attribs[attribute];
    if (!value || !isOwnUrl(value, origin)) continue;
    const hash = value.indexOf('#');
    const bare = hash < 0 ? value : value.slice(0, hash);
    const target = resolve(bare);
    if (target === undefined) {
      unresolved.add(bare);
      continue;
    }
    el.attribs[attribute] = hash < 0 ? target : `${target}${value.slice(hash)}`;
    changed = true;
  }
  return {
    html: changed ? getOuterHTML(document.children, { encodeEntities: 'utf8', decodeEntities: true }) : html,
    unresolved: [...unresolved],
  };
}
