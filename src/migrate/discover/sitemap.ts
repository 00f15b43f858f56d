// Site maps fill the gaps link-following leaves (lists capped at 10–20 pages): robots.txt names
// them, and a sitemap.xml lists pages (`<urlset>`) or further site maps (`<sitemapindex>`).
import { parseDocument } from 'htmlparser2';
import { isTag } from 'domhandler';
import { findAll, textContent } from 'domutils';
import type { CmsFamily, DiscoveredLink } from '../types.js';
import { roleOfUrl } from './shapes.js';
import { isPageUrl, originOf, resolveLink } from './urls.js';

const XML_OPTIONS = { xmlMode: true, lowerCaseTags: true };

/** `loc`, or a prefixed `sm:loc`. */
function isNamed(name: string, wanted: string): boolean {
  return name === wanted || name.endsWith(`:${wanted}`);
}

/**
 * URLs listed in a sitemap.xml on the site's origin, with their roles by shape (the family's
 * when the caller knows it); a site-map index's child site maps come back as 'page' for the
 * caller to fetch.
 */
export function sitemapLinks(xml: string, origin: string, family: CmsFamily = 'generic'): DiscoveredLink[] {
  const site = originOf(origin);
  const seen = new Set<string>();
  const links: DiscoveredLink[] = [];
  for (const loc of findAll((el) => isNamed(el.name, 'loc'), parseDocument(xml, XML_OPTIONS).children)) {
    const url = resolveLink(textContent(loc), site);
    if (url === null || url.origin !== site || seen.has(url.href)) continue;
    const parent = loc.parent !== null && isTag(loc.parent) ? loc.parent.name : '';
    const role = isNamed(parent, 'sitemap') ? 'page' : (roleOfUrl(url, family) ?? (isPageUrl(url) ? 'page' : null));
    if (role === null) continue;
    seen.add(url.href);
    links.push({ url: url.href, role, text: '' });
  }
  return links;
}

/** Sitemaps that robots.txt names (`Sitemap:` lines), on the site's origin, each once. */
export function robotsSitemaps(robotsTxt: string, origin: string): string[] {
  const site = originOf(origin);
  const sitemaps = new Set<string>();
  for (const line of robotsTxt.split(/\r?\n|\r/)) {
    const named = /^\s*sitemap\s*:\s*(\S+)/i.exec(line.replace(/#.*/, ''))?.[1];
    const url = named === undefined ? null : resolveLink(named, site);
    if (url !== null && url.origin === site) sitemaps.add(url.href);
  }
  return [...sitemaps];
}
