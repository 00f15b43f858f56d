import type { Kysely } from 'kysely';
import {
  articlePath,
  channelPagePath,
  escapeHtml,
  feedPath,
  formatIsoLocal,
  siteUrl,
  sitemapPath,
  type Channel,
  type ChannelTree,
  type FeedFormat,
} from '../domain/index.js';
import { articles, type ArticleLocation, type Database } from '../store/index.js';
import type { SiteView } from './pages.js';
import { linkPlaced } from './placed-links.js';

/**
 * Feeds, sitemap and robots.txt: plain text formats written here rather than in templates, so
 * that they are always well-formed. Times carry the site's offset; output depends only on content.
 */

export const FEED_SIZE = 20;
/**
 * Article ids per sitemap file (and the size up to which /sitemap.xml is one file). The protocol
 * allows 50,000 URLs; 2,000 keeps the part a publish re-renders small (about 200 KB, tens of ms).
 */
export const SITEMAP_LIMIT = 2_000;

const xml = escapeHtml;

function itemUrl(view: SiteView, listing: ArticleLocation & { readonly href?: string }): string {
  // A placed entry (引用) links to its article's page on its home site: already absolute there.
  if (listing.href !== undefined)
    return /^https?:/.test(listing.href) ? listing.href : siteUrl(view.site, listing.href);
  return siteUrl(view.site, articlePath(view.tree.path(listing.channelId), listing, view.site.timeZone));
}

export async function feed(
  db: Kysely<Database>,
  view: SiteView,
  channel: Channel | null,
  format: FeedFormat,
): Promise<string> {
  const { site, tree } = view;
  const ids = channel ? tree.subtreeIds(channel.id) : tree.all().map((c) => c.id);
  const items = await linkPlaced(db, view, await articles.listPublished(db, ids, { limit: FEED_SIZE, offset: 0 }));
  const title = channel ? `${channel.name} - ${site.name}` : site.name;
  const home = siteUrl(site, channel ? tree.path(channel.id) : '/');
  const self = siteUrl(site, feedPath(channel ? tree.path(channel.id) : '/', format));
  const description = (channel?.description || site.description) ?? '';
  const time = (iso: string) => formatIsoLocal(new Date(iso), site.timeZone);
  if (format === 'atom') {
    const updated = items[0]
      ? time(items[0].updatedAt > items[0].publishedAt ? items[0].updatedAt : items[0].publishedAt)
      : time('1970-01-01T00:00:00Z');
    const entries = items.map((item) => {
      const url = itemUrl(view, item);
      return [
        '  <entry>',
        `    <title>${xml(item.title)}</title>`,
        `    <link href="${xml(url)}"/>`,
        `    <id>${xml(url)}</id>`,
        `    <published>${time(item.publishedAt)}</published>`,
        `    <updated>${time(item.updatedAt > item.publishedAt ? item.updatedAt : item.publishedAt)}</updated>`,
        `    <summary>${xml(item.summary)}</summary>`,
        '  </entry>',
      ].join('\n');
    });
    return [
      '<?xml version="1.0" encoding="utf-8"?>',
      '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
      `  <title>${xml(title)}</title>`,
      `  <subtitle>${xml(description)}</subtitle>`,
      `  <link href="${xml(home)}"/>`,
      `  <link rel="self" href="${xml(self)}"/>`,
      `  <id>${xml(home)}</id>`,
      `  <updated>${updated}</updated>`,
      `  <author><name>${xml(site.hostOrganization)}</name></author>`,
      ...entries,
      '</feed>',
      '',
    ].join('\n');
  }
  const rfc822 = (iso: string) => new Date(iso).toUTCString().replace('GMT', '+0000');
  const entries = items.map((item) => {
    const url = itemUrl(view, item);
    return [
      '    <item>',
      `      <title>${xml(item.title)}</title>`,
      `      <link>${xml(url)}</link>`,
      `      <guid isPermaLink="true">${xml(url)}</guid>`,
      `      <pubDate>${rfc822(item.publishedAt)}</pubDate>`,
      `      <description>${xml(item.summary)}</description>`,
      '    </item>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
    '  <channel>',
    `    <title>${xml(title)}</title>`,
    `    <link>${xml(home)}</link>`,
    `    <description>${xml(description)}</description>`,
    '    <language>zh-CN</language>',
    `    <atom:link href="${xml(self)}" rel="self" type="application/rss+xml"/>`,
    ...(items[0] ? [`    <lastBuildDate>${rfc822(items[0].publishedAt)}</lastBuildDate>`] : []),
    ...entries,
    '  </channel>',
    '</rss>',
    '',
  ].join('\n');
}

function urlset(entries: readonly { loc: string; lastmod: string | null }[]): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ...entries.map((e) => `  <url><loc>${xml(e.loc)}</loc>${e.lastmod ? `<lastmod>${e.lastmod}</lastmod>` : ''}</url>`),
    '</urlset>',
    '',
  ].join('\n');
}

/** How the sitemap is cut: one file, or an index of parts (part 1: the fixed pages; part k+1: ids in ((k-1)·limit, k·limit]). */
export interface SitemapLayout {
  readonly single: boolean;
  readonly parts: number;
}

/**
 * One file while the site's own pages fit in one (`published` articles and `fixedPages`), else
 * an index of parts by article id range up to the store's highest id. A small site on a large
 * platform keeps one file, as it would on a store of its own.
 */
export function sitemapLayout(
  published: number,
  maxId: number,
  fixedPages: number,
  limit = SITEMAP_LIMIT,
): SitemapLayout {
  if (published + fixedPages <= limit) return { single: true, parts: 0 };
  return { single: false, parts: 1 + Math.ceil(maxId / limit) };
}

/** The sitemap layout of a site as the store holds it now (`published`: its count, when known). */
export async function siteSitemapLayout(
  db: Kysely<Database>,
  view: SiteView,
  limit = SITEMAP_LIMIT,
  published?: number,
): Promise<SitemapLayout> {
  const [count, maxId] = await Promise.all([
    published ?? articles.countPublished(db, { siteId: view.site.id }),
    articles.maxArticleId(db),
  ]);
  return sitemapLayout(count, maxId, sitemapFixedPages(view.tree), limit);
}

/** The sitemap's pages that are not articles: home and every column but links. */
export function sitemapFixedPages(tree: ChannelTree): number {
  return 1 + tree.all().filter((c) => c.type !== 'link').length;
}

/** The part of the sitemap index that lists an article, by its id. */
export function sitemapPartOf(articleId: number, limit = SITEMAP_LIMIT): number {
  return 1 + Math.ceil(articleId / limit);
}

/**
 * The sitemap: home, column pages and every published article. Part null is /sitemap.xml —
 * the whole map while it fits in one file, else an index of /sitemap-1.xml … Articles go to parts
 * by id range, so publishing or withdrawing one changes one part, never the others. Null for a
 * part that does not exist.
 */
export async function sitemap(
  db: Kysely<Database>,
  view: SiteView,
  part: number | null,
  limit = SITEMAP_LIMIT,
): Promise<string | null> {
  const { site, tree } = view;
  const fixed = [
    { loc: siteUrl(site, '/'), lastmod: null },
    ...tree
      .all()
      .filter((c) => c.type !== 'link')
      .map((c) => ({ loc: siteUrl(site, channelPagePath(tree.path(c.id), null)), lastmod: null })),
  ];
  const layout = await siteSitemapLayout(db, view, limit);
  const lastmod = (l: ArticleLocation) =>
    formatIsoLocal(new Date(l.updatedAt > l.publishedAt ? l.updatedAt : l.publishedAt), site.timeZone);
  const entries = (listings: readonly ArticleLocation[]) =>
    listings.map((l) => ({ loc: itemUrl(view, l), lastmod: lastmod(l) }));
  if (layout.single) {
    if (part !== null) return null;
    return urlset([...fixed, ...entries(await articles.publishedLocationsOfSite(db, site.id))]);
  }
  if (part === null) {
    return [
      '<?xml version="1.0" encoding="utf-8"?>',
      '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
      ...Array.from(
        { length: layout.parts },
        (_, i) => `  <sitemap><loc>${xml(siteUrl(site, sitemapPath(i + 1)))}</loc></sitemap>`,
      ),
      '</sitemapindex>',
      '',
    ].join('\n');
  }
  if (part > layout.parts) return null;
  if (part === 1) return urlset(fixed);
  const upTo = (part - 1) * limit;
  return urlset(entries(await articles.publishedLocationsInIdRange(db, site.id, upTo - limit, upTo)));
}

/** Whether the sitemap has this part (null: /sitemap.xml itself, always there). */
export async function sitemapHas(
  db: Kysely<Database>,
  view: SiteView,
  part: number | null,
  limit = SITEMAP_LIMIT,
): Promise<boolean> {
  if (part === null) return true;
  const layout = await siteSitemapLayout(db, view, limit);
  return !layout.single && part <= layout.parts;
}

export function robots(view: SiteView): string {
  return [
    'User-agent: *',
    'Disallow: /admin/',
    'Disallow: /api/',
    'Disallow: /search',
    `Sitemap: ${siteUrl(view.site, '/sitemap.xml')}`,
    '',
  ].join('\n');
}
