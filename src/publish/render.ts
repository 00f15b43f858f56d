import type { Kysely } from 'kysely';
import {
  articlePath,
  chunkCount,
  routeOf,
  LIBRARY_PATH,
  libraryChannelIds,
  siteUrl,
  type Article,
  type Channel,
  type FeedFormat,
} from '../domain/index.js';
import { articles, letters, placements, sites, type Database, type Letter } from '../store/index.js';
import { letterListPage, letterPageFiles, letterPageModel } from './letter-pages.js';
import type { Theme } from '../theme/index.js';
import {
  NO_SURROUNDINGS,
  articlePage,
  channelPage,
  errorPage,
  loadSiteView,
  type ErrorStatus,
  type PlacedCopy,
  type SiteView,
} from './pages.js';
import { feed, robots, sitemap, sitemapHas } from './feeds.js';
import { homePage } from './home.js';
import { contentTypeOf } from './output.js';
import { libraryPage } from './library.js';
import { siteMapPage } from './site-map.js';
import { lookStylesheet } from './look-stylesheet.js';
import { renderOnRequest, renderSource, type PageSource } from './page-job.js';

/** What is at a public path, before rendering: a page's source, or why there is no page. */
export type Resolved =
  | {
      readonly kind: 'page';
      readonly source: PageSource;
      readonly article: { readonly id: number; readonly viewCount: number } | null;
    }
  | { readonly kind: 'redirect'; readonly location: string; readonly permanent: boolean }
  | { readonly kind: 'not-found' }
  /** A withdrawn article (撤稿): 410, so that search engines drop it. */
  | { readonly kind: 'gone' };

export type Rendered =
  | {
      readonly kind: 'page';
      readonly html: string;
      readonly article: { readonly id: number; readonly viewCount: number } | null;
    }
  | { readonly kind: 'document'; readonly body: string; readonly contentType: string }
  | Exclude<Resolved, { kind: 'page' }>;

/** What a public path names, found without making its page (cheap: a link check asks it of every link). */
export type Located =
  | { readonly kind: 'home' }
  | { readonly kind: 'channel'; readonly channel: Channel; readonly chunk: number | null }
  | { readonly kind: 'feed'; readonly channel: Channel | null; readonly format: FeedFormat }
  | { readonly kind: 'sitemap'; readonly part: number | null }
  | { readonly kind: 'robots' }
  | { readonly kind: 'site-map' }
  | { readonly kind: 'look' }
  | { readonly kind: 'letters'; readonly chunk: number | null }
  | { readonly kind: 'letter'; readonly letter: Letter }
  | { readonly kind: 'library'; readonly chunk: number | null }
  /** `copyIn`: this site's copy of another site's article placed in one of its columns (its page is elsewhere). */
  | { readonly kind: 'article'; readonly article: Article; readonly copyIn?: PlacedCopy }
  | Exclude<Resolved, { kind: 'page' }>;

const NOT_FOUND = { kind: 'not-found' } as const;

export { loadSiteView };

export async function locatePublicPath(db: Kysely<Database>, view: SiteView, urlPath: string): Promise<Located> {
  const route = routeOf(urlPath);
  if (!route) return NOT_FOUND;
  switch (route.kind) {
    case 'home':
    case 'robots':
    case 'site-map':
    case 'look':
      return { kind: route.kind };
    case 'channel': {
      const channel = view.tree.findByPath(route.slugs);
      if (!channel) return NOT_FOUND;
      if (channel.type === 'link')
        return channel.linkUrl ? { kind: 'redirect', location: channel.linkUrl, permanent: true } : NOT_FOUND;
      if (channel.type === 'page' && route.chunk !== null) return NOT_FOUND;
      // A chunk past the end (articles were withdrawn) sends readers to the front page.
      if (
        route.chunk !== null &&
        route.chunk > chunkCount(await articles.countPublished(db, view.tree.subtreeIds(channel.id)))
      ) {
        return { kind: 'redirect', location: view.tree.path(channel.id), permanent: false };
      }
      return { kind: 'channel', channel, chunk: route.chunk };
    }
    case 'feed': {
      const channel = route.slugs.length > 0 ? view.tree.findByPath(route.slugs) : null;
      if (channel === undefined || channel?.type === 'link') return NOT_FOUND;
      return { kind: 'feed', channel, format: route.format };
    }
    case 'sitemap':
      return (await sitemapHas(db, view, route.part)) ? { kind: 'sitemap', part: route.part } : NOT_FOUND;
    case 'letters':
      return { kind: 'letters', chunk: route.chunk };
    case 'library':
      return libraryChannelIds(view.tree).length > 0 ? { kind: 'library', chunk: route.chunk } : NOT_FOUND;
    case 'letter': {
      const letter = await letters.findLetter(db, route.id);
      if (!letter || letter.siteId !== view.site.id || letter.publishedAt === null) return NOT_FOUND;
      return { kind: 'letter', letter };
    }
    case 'article': {
      const article = await articles.findArticle(db, route.id);
      if (article && article.siteId !== view.site.id) return locateCopy(db, view, article, route.channelPath, urlPath);
      if (!article || article.siteId !== view.site.id) return NOT_FOUND;
      if (article.status === 'withdrawn') return { kind: 'gone' };
      if (article.status !== 'published' || article.publishedAt === null || !view.tree.get(article.channelId))
        return NOT_FOUND;
      // An article moved to another column keeps working at its old address.
      const canonical = articlePath(view.tree.path(article.channelId), article, view.site.timeZone);
      if (canonical !== urlPath) return { kind: 'redirect', location: canonical, permanent: true };
      return { kind: 'article', article };
    }
  }
}

/**
 * Another site's article at this site's address: the copy a site that shows placed articles as
 * copies keeps of one live in its column. Its canonical address is the article's own page.
 */
async function locateCopy(
  db: Kysely<Database>,
  view: SiteView,
  article: Article,
  channelPath: string,
  urlPath: string,
): Promise<Located> {
  const channel = view.tree.findByPath(channelPath.split('/').filter((s) => s !== ''));
  if (!channel || article.status !== 'published' || article.publishedAt === null) return NOT_FOUND;
  const placement = await placements.findPlacementOf(db, article.id, channel.id);
  if (!placement?.live || (await sites.findPlacedPages(db, view.site.id)) !== 'copy') return NOT_FOUND;
  if (articlePath(view.tree.path(channel.id), article, view.site.timeZone) !== urlPath) return NOT_FOUND;
  const home = await loadSiteView(db, article.siteId);
  if (!home?.tree.get(article.channelId)) return NOT_FOUND;
  const canonical = siteUrl(home.site, articlePath(home.tree.path(article.channelId), article, home.site.timeZone));
  return { kind: 'article', article, copyIn: { channelId: channel.id, canonical, homeName: home.site.name } };
}

const page = (source: PageSource, article: { id: number; viewCount: number } | null = null): Resolved => ({
  kind: 'page',
  source,
  article,
});

/** What a URL path names: the template and model (or the document) of its page. */
export async function resolvePublicPath(db: Kysely<Database>, view: SiteView, urlPath: string): Promise<Resolved> {
  const located = await locatePublicPath(db, view, urlPath);
  switch (located.kind) {
    case 'home':
      return page({ template: 'home', model: await homePage(db, view) });
    case 'robots':
      return page({ document: robots(view) });
    case 'look':
      return page({ document: lookStylesheet(view) });
    case 'site-map':
      return page({ template: 'site-map', model: siteMapPage(view) });
    case 'channel': {
      const { channel, chunk } = located;
      const model = await channelPage(db, view, channel, chunk);
      if (!model) return { kind: 'redirect', location: view.tree.path(channel.id), permanent: false };
      return page({ template: channel.type === 'page' ? 'page' : 'channel', model });
    }
    case 'feed':
      return page({ document: await feed(db, view, located.channel, located.format) });
    case 'sitemap': {
      const body = await sitemap(db, view, located.part);
      return body === null ? NOT_FOUND : page({ document: body });
    }
    case 'letters': {
      const model = await letterListPage(db, view, located.chunk);
      return model
        ? page({ template: 'letters', model })
        : { kind: 'redirect', location: '/xinxiang/', permanent: false };
    }
    case 'library': {
      const model = await libraryPage(db, view, located.chunk);
      if (model === 'absent') return NOT_FOUND;
      return model
        ? page({ template: 'library', model })
        : { kind: 'redirect', location: LIBRARY_PATH, permanent: false };
    }
    case 'letter':
      return page({
        template: 'letter',
        model: letterPageModel(view, located.letter, await letterPageFiles(db, located.letter.id)),
      });
    case 'article': {
      const { article, copyIn } = located;
      if (copyIn) return page({ article, around: NO_SURROUNDINGS, copyIn });
      const source = await articlePageSource(db, view, article);
      return source ? page(source, { id: article.id, viewCount: article.viewCount }) : NOT_FOUND;
    }
    default:
      return located;
  }
}

/** What a published article's own page is made from; null when it is not in a column of the site. */
export async function articlePageSource(
  db: Kysely<Database>,
  view: SiteView,
  article: Article,
): Promise<PageSource | null> {
  const model = await articlePage(db, view, article);
  return model ? { template: 'article', model } : null;
}

/** Renders whatever public page a URL path names. */
export async function renderPublicPath(
  db: Kysely<Database>,
  theme: Theme,
  view: SiteView,
  urlPath: string,
): Promise<Rendered> {
  const resolved = await resolvePublicPath(db, view, urlPath);
  if (resolved.kind !== 'page') return resolved;
  const { source, article } = resolved;
  if ('document' in source) return { kind: 'document', body: source.document, contentType: contentTypeOf(urlPath) };
  return { kind: 'page', html: renderSource(theme, view, source), article };
}

export function renderErrorPage(theme: Theme, view: SiteView, status: ErrorStatus): string {
  return renderOnRequest(theme, view, 'error', errorPage(view, status));
}
