import type { Kysely } from 'kysely';
import { ChannelTree, articlePath, siteUrl } from '../domain/index.js';
import { channels, sites, type ArticleListing, type Database } from '../store/index.js';
import type { SiteView } from './pages.js';

/** A list entry with the address it links to, when that is not its own column's article page. */
export type LinkedListing = ArticleListing & { readonly href?: string };

/** Sites read for one render (or one build), by id. */
export type SiteViews = Map<number, Promise<SiteView | null>>;

/**
 * Gives each placed entry (引用) the address of its article's one page: on its home site's own
 * host (an absolute URL) when that is another site, or the path on this one. The home sites'
 * trees are read once per call, or once per build when the caller keeps `views`.
 */
export async function linkPlaced(
  db: Kysely<Database>,
  view: SiteView,
  listings: readonly ArticleListing[],
  views: SiteViews = new Map(),
): Promise<LinkedListing[]> {
  if (!listings.some((l) => l.home)) return [...listings];
  // A site that keeps copies links to them, at the address they have in its own column.
  const copies = (await sites.findPlacedPages(db, view.site.id)) === 'copy';
  return Promise.all(
    listings.map(async (listing): Promise<LinkedListing> => {
      const home = listing.home;
      if (!home) return listing;
      if (copies && home.siteId !== view.site.id && view.tree.get(listing.channelId)) {
        return {
          ...listing,
          href: articlePath(
            view.tree.path(listing.channelId),
            { id: listing.id, publishedAt: home.publishedAt, createdAt: listing.createdAt },
            view.site.timeZone,
          ),
        };
      }
      const homeView = home.siteId === view.site.id ? view : await viewOf(db, home.siteId, views);
      const channelPath = homeView?.tree.get(home.channelId) ? homeView.tree.path(home.channelId) : null;
      if (!homeView || channelPath === null) return listing;
      const path = articlePath(
        channelPath,
        { id: listing.id, publishedAt: home.publishedAt, createdAt: listing.createdAt },
        homeView.site.timeZone,
      );
      return { ...listing, href: homeView === view ? path : siteUrl(homeView.site, path) };
    }),
  );
}

function viewOf(db: Kysely<Database>, siteId: number, views: SiteViews): Promise<SiteView | null> {
  let view = views.get(siteId);
  if (!view) {
    view = (async () => {
      const site = await sites.findSite(db, siteId);
      return site ? { site, tree: new ChannelTree(await channels.listChannels(db, site.id)) } : null;
    })();
    views.set(siteId, view);
  }
  return view;
}
