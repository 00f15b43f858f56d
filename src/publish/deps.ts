import type { Kysely } from 'kysely';
import {
  FEED_FORMATS,
  LIBRARY_PATH,
  libraryChannelIds,
  articlePath,
  channelPagePath,
  chunkCount,
  chunkOf,
  chunkPositions,
  feedPath,
  listLayout,
  sitemapPath,
  type Article,
  type FeedFormat,
} from '../domain/index.js';
import { articles, sites, type Database } from '../store/index.js';
import { FEED_SIZE, SITEMAP_LIMIT, siteSitemapLayout, sitemapPartOf, type SitemapLayout } from './feeds.js';
import { RELATED_COUNT, type SiteView } from './pages.js';
import { homeShowsArticle, homeShowsPlacement } from './home-deps.js';

/**
 * The dependency map: for a change to one article, the exact set of pages whose bytes change.
 * Everything is read from the store as it is after the change; `present` says whether the
 * article is on the public site now (published, updated) or has just left it (withdrawn).
 */
export interface PageChanges {
  /** Pages to render again (their content changes). */
  readonly render: ReadonlySet<string>;
  /** Pages that no longer exist as files (a withdrawn article, a chunk that emptied). */
  readonly remove: ReadonlySet<string>;
}

type Placed = Pick<Article, 'id' | 'channelId' | 'publishedAt' | 'createdAt'>;

/**
 * How the article's presence changed the lists it is in; 'marked': only its typed values changed,
 * which lists (the home page's among them) show as the mark beside its title, and a 专题's banner
 * is one of (neighbours and feeds show none of them).
 */
export type ArticleChange = 'added' | 'removed' | 'edited' | 'marked';

/** Pages that show `article` at its place (`channelId`, `publishedAt`), for a change of `kind`. */
export async function pagesForArticle(
  db: Kysely<Database>,
  view: SiteView,
  article: Placed,
  kind: ArticleChange,
): Promise<PageChanges> {
  const render = new Set<string>();
  const remove = new Set<string>();
  const { tree, site } = view;
  const channel = tree.get(article.channelId);
  if (!channel || article.publishedAt === null) return { render, remove };
  const ownPath = articlePath(tree.path(channel.id), article, site.timeZone);
  (kind === 'removed' ? remove : render).add(ownPath);

  // 上一篇/下一篇 of its neighbours, and the 相关文章 blocks of those published just after it.
  if (kind !== 'marked') {
    const [before, after] = await Promise.all([
      articles.publishedBefore(db, article, 1),
      articles.publishedAfter(db, article, RELATED_COUNT),
    ]);
    for (const listing of [...before, ...after])
      render.add(articlePath(tree.path(listing.channelId), listing, site.timeZone));
  }

  await listPages(db, view, article, kind, render, remove);
  if (await homeShowsArticle(db, view, article, kind)) render.add('/');
  // A policy is listed in the site's 政策文件库 too, with its 有效性.
  if (channel.contentType === 'policy')
    await chunkPages(db, libraryChannelIds(tree), LIBRARY_PATH, article, kind, render, remove);
  const sitemaps = await sitemapPages(db, view, article.id, kind);
  for (const path of sitemaps.render) render.add(path);
  for (const path of sitemaps.remove) remove.add(path);
  return { render, remove };
}

/**
 * Pages that show a placement (引用) of an article in a column of this site: the lists, feeds
 * and home block it is in. The article's own page, its neighbours and the sitemap belong to its
 * home site and are not touched here.
 */
export async function pagesForPlacement(
  db: Kysely<Database>,
  view: SiteView,
  entry: Placed,
  kind: ArticleChange,
): Promise<PageChanges> {
  const render = new Set<string>();
  const remove = new Set<string>();
  const column = view.tree.get(entry.channelId);
  if (!column || entry.publishedAt === null) return { render, remove };
  await listPages(db, view, entry, kind, render, remove);
  if (await homeShowsPlacement(db, view, entry)) render.add('/');
  // A policy placed in a policy column is in this site's 政策文件库 too.
  if (column.contentType === 'policy')
    await chunkPages(db, libraryChannelIds(view.tree), LIBRARY_PATH, entry, kind, render, remove);
  // The site's copy of the page, when it keeps copies (and gone when it no longer does).
  const article = await articles.findArticle(db, entry.id);
  if (article && article.siteId !== view.site.id && article.publishedAt !== null) {
    const copy = articlePath(view.tree.path(entry.channelId), article, view.site.timeZone);
    const keeps =
      kind !== 'removed' &&
      article.status === 'published' &&
      (await sites.findPlacedPages(db, view.site.id)) === 'copy';
    (keeps ? render : remove).add(copy);
  }
  return { render, remove };
}

/** The list pages and feeds that show an entry at its place in a column's lists. */
async function listPages(
  db: Kysely<Database>,
  view: SiteView,
  article: Placed,
  kind: ArticleChange,
  render: Set<string>,
  remove: Set<string>,
): Promise<void> {
  const { tree } = view;
  const channel = tree.get(article.channelId);
  if (!channel) return;
  // The lists it is in: each list channel from its own up to the root.
  for (const list of tree.ancestry(channel.id)) {
    if (list.type !== 'list') continue;
    const path = tree.path(list.id);
    const { position, withIt } = await chunkPages(db, tree.subtreeIds(list.id), path, article, kind, render, remove);
    // Leaders and units are shown all on the column's front page, in their own order.
    if (list.contentType === 'leader' || list.contentType === 'organ') render.add(channelPagePath(path, null));
    if (position > withIt - FEED_SIZE) for (const format of feedsShowing(kind)) render.add(feedPath(path, format));
  }

  // The site's own feeds list the newest articles of every column.
  // Only whether it is among the site's newest matters here: count what is newer, nothing else.
  const everywhere = tree.all().map((c) => c.id);
  const newer = await articles.countPublishedAfter(db, everywhere, article);
  if (newer < FEED_SIZE) for (const format of feedsShowing(kind)) render.add(feedPath('/', format));
}

/** Feeds that change: an Atom entry carries its <updated> time, which an edit of values alone moves. */
function feedsShowing(kind: ArticleChange): readonly FeedFormat[] {
  return kind === 'marked' ? ['atom'] : FEED_FORMATS;
}

/**
 * The pages of a list (a column's, or the 政策文件库) that show an entry at its place: the chunk
 * it is in, the chunks after it that move when it comes or goes, and the front page while it is
 * on it. Returns its place, counted from the oldest end, and the list's length with it.
 */
async function chunkPages(
  db: Kysely<Database>,
  ids: readonly number[],
  path: string,
  article: Placed,
  kind: ArticleChange,
  render: Set<string>,
  remove: Set<string>,
): Promise<{ position: number; withIt: number }> {
  const [after, now] = await Promise.all([
    articles.countPublishedAfter(db, ids, article),
    articles.countPublished(db, ids),
  ]);
  // The list with the article in it, and without; its place counted from the oldest end.
  const withIt = kind === 'removed' ? now + 1 : now;
  const position = withIt - after;
  const withoutIt = withIt - 1;
  const chunksWith = chunkCount(withIt);
  const chunksWithout = chunkCount(withoutIt);
  render.add(channelPagePath(path, null));
  const inPlace = kind === 'edited' || kind === 'marked';
  const lastChunk = inPlace ? chunkOf(position) : chunksWith;
  for (let k = chunkOf(position); k <= lastChunk; k++) {
    (kind === 'removed' && k > chunksWithout ? remove : render).add(channelPagePath(path, k));
  }
  // A chunk appeared or went: the old newest chunk's "newer" link points elsewhere now.
  if (!inPlace && chunksWith !== chunksWithout && chunksWithout >= 1) render.add(channelPagePath(path, chunksWithout));
  if (inPlace && !onFront(position, withIt)) render.delete(channelPagePath(path, null));
  return { position, withIt };
}

/** The item's own page alone: it shows another item that changed. */
export function pagesShowingItem(view: SiteView, article: Placed & { status: string }): PageChanges {
  const channel = view.tree.get(article.channelId);
  const render = new Set<string>();
  if (channel && article.status === 'published' && article.publishedAt !== null)
    render.add(articlePath(view.tree.path(channel.id), article, view.site.timeZone));
  return { render, remove: new Set() };
}

function onFront(position: number, total: number): boolean {
  const layout = listLayout(total);
  const oldestOnFront = layout.front[layout.front.length - 1];
  return oldestOnFront !== undefined && position >= chunkPositions(oldestOnFront, total).first;
}

/**
 * The sitemap files that list an article, and the index while the article is in its last part.
 * When the change moves the site across the one-file limit, every file of both layouts.
 */
async function sitemapPages(
  db: Kysely<Database>,
  view: SiteView,
  articleId: number,
  kind: ArticleChange,
): Promise<{ render: string[]; remove: string[] }> {
  const published = await articles.countPublished(db, { siteId: view.site.id });
  const now = await siteSitemapLayout(db, view, SITEMAP_LIMIT, published);
  const before = await siteSitemapLayout(
    db,
    view,
    SITEMAP_LIMIT,
    kind === 'added' ? published - 1 : kind === 'removed' ? published + 1 : published,
  );
  const files = (layout: SitemapLayout) => [
    sitemapPath(null),
    ...Array.from({ length: layout.parts }, (_, i) => sitemapPath(i + 1)),
  ];
  if (before.single !== now.single)
    return { render: files(now), remove: files(before).filter((p) => !files(now).includes(p)) };
  if (now.single) return { render: [sitemapPath(null)], remove: [] };
  const part = sitemapPartOf(articleId, SITEMAP_LIMIT);
  return { render: part >= now.parts ? [sitemapPath(part), sitemapPath(null)] : [sitemapPath(part)], remove: [] };
}

export function mergeChanges(...all: readonly PageChanges[]): PageChanges {
  const render = new Set<string>();
  const remove = new Set<string>();
  for (const changes of all) {
    for (const path of changes.render) render.add(path);
    for (const path of changes.remove) remove.add(path);
  }
  for (const path of render) remove.delete(path);
  return { render, remove };
}
