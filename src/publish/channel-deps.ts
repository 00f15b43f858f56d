import type { Kysely } from 'kysely';
import {
  articlePath,
  channelPagePath,
  chunkCount,
  diffChannelTrees,
  FEED_FORMATS,
  LIBRARY_PATH,
  SITE_MAP_PATH,
  feedPath,
  libraryChannelIds,
  listLayout,
  sitemapPath,
  LIST_PAGE_SIZE,
  type Channel,
  type ChannelTree,
  type Site,
  type SiteLook,
} from '../domain/index.js';
import { articles, type ArticleListing, type Database } from '../store/index.js';
import type { PageChanges } from './deps.js';
import { FEED_SIZE, SITEMAP_LIMIT, sitemapFixedPages, sitemapLayout, sitemapPartOf } from './feeds.js';
import { contentTypeOf } from './output.js';
import { homeChangedWithTree } from './home-deps.js';
import { listingsInOrder } from './site-walk.js';
import { siteMapContent } from './site-map.js';

/**
 * The dependency map for a change to the channel tree: the exact pages whose bytes change, from
 * the tree before and after (the articles themselves did not change). A new navigation is on
 * every HTML page; anything else reaches only the columns it concerns, their articles, the lists
 * whose entries moved, and the feeds, home blocks and sitemap parts that link to them.
 */
export async function pagesForChannelChange(
  db: Kysely<Database>,
  site: Site,
  before: ChannelTree,
  after: ChannelTree,
  knownPaths: () => Promise<readonly string[]>,
  /** The site's look; absent: the default look for each tree. */
  look?: SiteLook,
): Promise<PageChanges> {
  const render = new Set<string>();
  const remove = new Set<string>();
  const tz = site.timeZone;
  const diff = diffChannelTrees(before, after);

  for (const id of diff.pages) {
    const channel = after.get(id);
    if (channel) for (const path of await ownPages(db, after, channel, false)) render.add(path);
  }
  for (const id of diff.feeds) {
    if (after.get(id)?.type === 'list') for (const format of FEED_FORMATS) render.add(feedPath(after.path(id), format));
  }
  for (const id of diff.gone) {
    const channel = before.get(id);
    if (channel) for (const path of await ownPages(db, before, channel, true)) remove.add(path);
  }
  // Article pages: each column's own articles, at their new address (and gone from the old one).
  const movedIds: number[] = [];
  for (const id of diff.articles) {
    for await (const listing of listingsInOrder(db, [id])) {
      render.add(articlePath(after.path(id), listing, tz));
      if (diff.moved.has(id)) {
        remove.add(articlePath(before.path(id), listing, tz));
        movedIds.push(listing.id);
      }
    }
  }

  // Lists whose entries changed: a column moved into or out of them, or an entry's address moved.
  for (const channel of after.all()) {
    if (channel.type !== 'list' || diff.moved.has(channel.id)) continue;
    const was = before.get(channel.id);
    const oldIds = was?.type === 'list' ? before.subtreeIds(channel.id) : [];
    const newIds = after.subtreeIds(channel.id);
    const union = [...new Set([...oldIds, ...newIds])];
    const affected =
      oldIds.length !== newIds.length || union.length !== newIds.length || union.some((id) => diff.moved.has(id));
    if (!affected) continue;
    const path = after.path(channel.id);
    const entry = (tree: ChannelTree) => (l: ArticleListing) => `${l.id}:${articlePath(tree.path(l.channelId), l, tz)}`;
    const old = new ListEntries(new Set(oldIds), entry(before));
    const now = new ListEntries(new Set(newIds), entry(after));
    for await (const listing of listingsInOrder(db, union)) {
      old.add(listing);
      now.add(listing);
    }
    for (let k = 1; k <= Math.max(old.chunks(), now.chunks()); k++) {
      if (k > now.chunks()) remove.add(channelPagePath(path, k));
      else if (old.chunkPage(k) !== now.chunkPage(k)) render.add(channelPagePath(path, k));
    }
    if (old.frontPage() !== now.frontPage()) render.add(channelPagePath(path, null));
    if (old.newest(FEED_SIZE) !== now.newest(FEED_SIZE))
      for (const format of FEED_FORMATS) render.add(feedPath(path, format));
  }
  // The home page's blocks name columns and list their newest entries by address.
  if (await homeChangedWithTree(db, site, look, before, after)) render.add('/');
  // 网站地图 lists every column (names, addresses, nesting) and the pages that depend on the tree.
  if (JSON.stringify(siteMapContent(before)) !== JSON.stringify(siteMapContent(after))) render.add(SITE_MAP_PATH);

  // The site's feeds list the newest articles of every column, by address.
  if (diff.moved.size > 0) {
    const newest = await articles.listPublished(
      db,
      after.all().map((c) => c.id),
      { limit: FEED_SIZE, offset: 0 },
    );
    if (newest.some((l) => diff.moved.has(l.channelId)))
      for (const format of FEED_FORMATS) render.add(feedPath('/', format));
  }

  await libraryPages(db, before, after, diff.moved, render, remove);

  const sitemaps = await sitemapPages(db, site, before, after, diff.sitemapColumns, movedIds);
  for (const path of sitemaps.render) render.add(path);
  for (const path of sitemaps.remove) remove.add(path);

  if (diff.navigation) {
    // Feeds, sitemaps and robots.txt show no navigation; every HTML page does.
    for (const path of await knownPaths())
      if (!remove.has(path) && contentTypeOf(path).startsWith('text/html')) render.add(path);
  }
  for (const path of render) remove.delete(path);
  return { render, remove };
}

/**
 * The 政策文件库 lists the policies of every policy column by address: a policy column that came,
 * went or moved renders all its pages again (and removes those past its new end, or all of them
 * when the site has no policy column left).
 */
async function libraryPages(
  db: Kysely<Database>,
  before: ChannelTree,
  after: ChannelTree,
  moved: ReadonlySet<number>,
  render: Set<string>,
  remove: Set<string>,
): Promise<void> {
  const was = libraryChannelIds(before);
  const now = libraryChannelIds(after);
  const same = was.length === now.length && was.every((id) => now.includes(id));
  if (same && !now.some((id) => moved.has(id))) return;
  const pages = async (ids: readonly number[]) => {
    if (ids.length === 0) return [];
    const chunks = chunkCount(await articles.countPublished(db, ids));
    return [LIBRARY_PATH, ...Array.from({ length: chunks }, (_, i) => channelPagePath(LIBRARY_PATH, i + 1))];
  };
  const kept = await pages(now);
  for (const path of kept) render.add(path);
  for (const path of await pages(was)) if (!kept.includes(path)) remove.add(path);
}

/** A column's own pages: a single page, or a list's front page and every chunk (with its feeds when `withFeeds`). */
async function ownPages(
  db: Kysely<Database>,
  tree: ChannelTree,
  channel: Channel,
  withFeeds: boolean,
): Promise<string[]> {
  const path = tree.path(channel.id);
  if (channel.type === 'page') return [path];
  if (channel.type !== 'list') return [];
  const chunks = chunkCount(await articles.countPublished(db, tree.subtreeIds(channel.id)));
  const pages = [path, ...Array.from({ length: chunks }, (_, i) => channelPagePath(path, i + 1))];
  if (withFeeds) pages.push(...FEED_FORMATS.map((format) => feedPath(path, format)));
  return pages;
}

/**
 * The entries of one list (a column with its sub-columns), oldest first, as each page shows them:
 * chunks cut from the oldest end, the front page from the newest chunks, the newest for feeds.
 * Compared as text, before against after.
 */
class ListEntries {
  private readonly chunkTexts: string[] = [];
  private current: string[] = [];
  private readonly tail: string[] = [];
  private total = 0;

  constructor(
    private readonly members: ReadonlySet<number>,
    private readonly entry: (listing: ArticleListing) => string,
  ) {}

  add(listing: ArticleListing): void {
    if (!this.members.has(listing.channelId)) return;
    const text = this.entry(listing);
    this.total++;
    this.current.push(text);
    this.tail.push(text);
    if (this.tail.length > FEED_SIZE) this.tail.shift();
    if (this.current.length === LIST_PAGE_SIZE) this.closeChunk();
  }

  private closeChunk(): void {
    this.chunkTexts.push(this.current.join('\n'));
    this.current = [];
  }

  chunks(): number {
    return chunkCount(this.total);
  }

  private chunkText(k: number): string {
    return k <= this.chunkTexts.length ? (this.chunkTexts[k - 1] ?? '') : this.current.join('\n');
  }

  /** A chunk page: its entries and whether it is the newest chunk (its "newer" link). */
  chunkPage(k: number): string {
    return `${k < this.chunks()}\n${this.chunkText(k)}`;
  }

  /** The front page: the count and pager (from the total) and the entries of the newest chunks. */
  frontPage(): string {
    return [String(this.total), ...listLayout(this.total).front.map((k) => this.chunkText(k))].join('\n\n');
  }

  newest(count: number): string {
    return this.tail.slice(-count).join('\n');
  }
}

/** The sitemap files that list a moved column or article; all of them when the layout changed. */
async function sitemapPages(
  db: Kysely<Database>,
  site: Site,
  before: ChannelTree,
  after: ChannelTree,
  columns: boolean,
  movedIds: readonly number[],
): Promise<{ render: string[]; remove: string[] }> {
  if (!columns && movedIds.length === 0) return { render: [], remove: [] };
  const [maxId, published] = await Promise.all([
    articles.maxArticleId(db),
    articles.countPublished(db, { siteId: site.id }),
  ]);
  const was = sitemapLayout(published, maxId, sitemapFixedPages(before), SITEMAP_LIMIT);
  const now = sitemapLayout(published, maxId, sitemapFixedPages(after), SITEMAP_LIMIT);
  const allParts = (parts: number) => Array.from({ length: parts }, (_, i) => sitemapPath(i + 1));
  if (now.single) return { render: [sitemapPath(null)], remove: was.single ? [] : allParts(was.parts) };
  if (was.single) return { render: [sitemapPath(null), ...allParts(now.parts)], remove: [] };
  const parts = new Set(movedIds.map((id) => sitemapPath(sitemapPartOf(id, SITEMAP_LIMIT))));
  if (columns) parts.add(sitemapPath(1));
  return { render: [...parts], remove: [] };
}
