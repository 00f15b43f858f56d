/** Where a link goes: a page of this site (or of another site of the platform), an uploaded file, or another site. */
export type LinkTarget =
  | { readonly kind: 'internal'; readonly path: string; readonly siteId?: number }
  | { readonly kind: 'media'; readonly path: string }
  | { readonly kind: 'external'; readonly url: string };

export type LinkKind = LinkTarget['kind'];
export const LINK_KINDS: readonly LinkKind[] = ['internal', 'media', 'external'];

/**
 * Resolves a link as written on the page at `pagePath` of the site at `origin`
 * (`https://www.example.gov.cn`). Links to the site's own host, by any scheme, are internal; so
 * are links to a host of another site of the platform (`platformHosts`: host → site id), checked
 * against that site's pages; in-page anchors and non-web schemes (mailto:, tel:, javascript:,
 * data:) are not checked: null.
 */
export function classifyLink(
  raw: string,
  pagePath: string,
  origin: string,
  platformHosts: ReadonlyMap<string, number> = new Map(),
): LinkTarget | null {
  if (raw.startsWith('#')) return null;
  let url: URL;
  try {
    url = new URL(raw, origin + pagePath);
  } catch {
    // An address no browser can follow (a bad host or port) is as broken as a missing page.
    return { kind: 'internal', path: raw };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.host !== new URL(origin).host) {
    const siteId = platformHosts.get(url.hostname);
    return siteId === undefined || url.port !== ''
      ? { kind: 'external', url: url.href }
      : { kind: 'internal', path: url.pathname, siteId };
  }
  return url.pathname.startsWith('/media/')
    ? { kind: 'media', path: url.pathname }
    : { kind: 'internal', path: url.pathname };
}
