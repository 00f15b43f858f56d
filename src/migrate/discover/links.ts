// Every link on a page worth following, with the role it plays: the family's URL shapes first,
// then where the link sits (a dated list line, the navigation, a page bar).
import { isTag, type Document, type Element } from 'domhandler';
import { findAll, textContent } from 'domutils';
import type { CmsFamily, DiscoveredLink, LinkRole } from '../types.js';
import { asPageLink, isDatastoreScript, pageBase, scriptTexts, type PageLink } from './anchors.js';
import { datastoreLinks } from './datastore.js';
import { isPagingText, linkPaging, pagingKey, pagingLinkKeys, pagingRole, scriptPaging } from './paging.js';
import { roleOfUrl } from './shapes.js';
import { datedListItems, enclosingListItem } from './text.js';
import { isPageUrl, originOf } from './urls.js';

/** Containers of a site's column navigation: `<nav>`, `<header>`, and class or id nav/menu. */
const NAVIGATION_NAME = /nav|menu/i;

function isNavigation(element: Element): boolean {
  if (element.name === 'nav' || element.name === 'header') return true;
  return NAVIGATION_NAME.test(element.attribs.id ?? '') || NAVIGATION_NAME.test(element.attribs.class ?? '');
}

function inNavigation(element: Element): boolean {
  for (let node = element.parent; node !== null; node = node.parent) {
    if (isTag(node) && isNavigation(node)) return true;
  }
  return false;
}

interface PageContext {
  readonly doc: Document;
  readonly family: CmsFamily;
  readonly listRole: LinkRole;
  readonly pagingKeys: ReadonlySet<string>;
}

/** A link's role where its shape does not tell: a dated list line (plain sites), a page bar, the navigation. */
function roleByPlace(link: PageLink, page: PageContext): LinkRole {
  if (page.family === 'generic') {
    const item = enclosingListItem(link.element);
    if (item !== null && datedListItems(page.doc).has(item)) return 'article';
  }
  const key = pagingKey(link.url);
  if (isPagingText(link.text) || (key !== null && page.pagingKeys.has(key))) return page.listRole;
  return inNavigation(link.element) ? 'list' : 'page';
}

function roleOfLink(link: PageLink, page: PageContext): LinkRole | null {
  if (link.text.includes('网站地图') && isPageUrl(link.url)) return 'page';
  const shape = roleOfUrl(link.url, page.family);
  if (shape !== null) return shape;
  return isPageUrl(link.url) ? roleByPlace(link, page) : null;
}

/** Links in page order, each URL once: the first time a page shows a URL decides its role. */
class LinkSet {
  readonly links: DiscoveredLink[] = [];
  private readonly seen = new Set<string>();
  constructor(private readonly origin: string) {}

  add(link: DiscoveredLink): void {
    // Hrefs are normalised: on the origin exactly when they start with it and a slash.
    if (this.seen.has(link.url) || !link.url.startsWith(`${this.origin}/`)) return;
    this.seen.add(link.url);
    this.links.push(link);
  }
}

/** What the page shows in order: its links, and the records of a Hanweb datastore where it holds one. */
type PageItem = { readonly link: PageLink } | { readonly records: readonly DiscoveredLink[] };

function pageItems(doc: Document, pageUrl: string, origin: string): PageItem[] {
  const base = pageBase(doc, pageUrl);
  return findAll((el) => el.name !== 'script' || isDatastoreScript(el), doc.children).flatMap((element): PageItem[] => {
    if (element.name === 'script') return [{ records: datastoreLinks(textContent(element), base, origin) }];
    const link = asPageLink(element, base);
    return link === null ? [] : [{ link }];
  });
}

/**
 * Every link on the page worth following, on the same origin as `origin`, absolute, fragment
 * dropped, deduplicated (first occurrence wins), with its role: the page's links and Hanweb
 * datastore records in page order, then the pages its page bars lead to.
 */
export function discoverLinks(doc: Document, pageUrl: string, family: CmsFamily, origin: string): DiscoveredLink[] {
  const items = pageItems(doc, pageUrl, origin);
  const links = items.flatMap((item) => ('link' in item ? [item.link] : []));
  const page: PageContext = {
    doc,
    family,
    listRole: pagingRole(new URL(pageUrl), family),
    pagingKeys: pagingLinkKeys(links),
  };
  const found = new LinkSet(originOf(origin));
  for (const item of items) {
    if ('records' in item) {
      for (const record of item.records) found.add(record);
      continue;
    }
    const role = roleOfLink(item.link, page);
    if (role !== null) found.add({ url: item.link.url.href, role, text: item.link.text });
  }
  for (const link of scriptPaging(scriptTexts(doc), pageUrl, family)) found.add(link);
  for (const link of linkPaging(links, pageUrl, family)) found.add(link);
  return found.links;
}
