import type { Kysely } from 'kysely';
import { ChannelTree, routeOf } from '../domain/index.js';
import { articles, channels, sites, type Database } from '../store/index.js';
import type { Theme } from '../theme/index.js';
import { articlePage, channelPage, errorPage, homePage, type ErrorStatus, type SiteView } from './pages.js';
import { feed, robots, sitemap } from './feeds.js';

export type Rendered =
  | { readonly kind: 'page'; readonly html: string; readonly article: { readonly id: number; readonly viewCount: number } | null }
  | { readonly kind: 'document'; readonly body: string; readonly contentType: string }
  | { readonly kind: 'redirect'; readonly location: string; readonly permanent: boolean }
  | { readonly kind: 'not-found' }
  /** A withdrawn article (撤稿): 410, so that search engines drop it. */
  | { readonly kind: 'gone' };

export async function loadSiteView(db: Kysely<Database>): Promise<SiteView | null> {
  const site = await sites.findFirstSite(db);
  if (!site) return null;
  return { site, tree: new ChannelTree(await channels.listChannels(db, site.id)) };
}

const NOT_FOUND: Rendered = { kind: 'not-found' };

/** Renders whatever public page a URL path names. */
export async function renderPublicPath(db: Kysely<Database>, theme: Theme, view: SiteView, urlPath: string): Promise<Rendered> {
  const route = routeOf(urlPath);
  if (!route) return NOT_FOUND;
  switch (route.kind) {
    case 'home':
      return { kind: 'page', html: await theme.render('home', await homePage(db, view)), article: null };
    case 'channel': {
      const channel = view.tree.findByPath(route.slugs);
      if (!channel) return NOT_FOUND;
      if (channel.type === 'link') return channel.linkUrl ? { kind: 'redirect', location: channel.linkUrl, permanent: true } : NOT_FOUND;
      if (channel.type === 'page' && route.chunk !== null) return NOT_FOUND;
      const model = await channelPage(db, view, channel, route.chunk);
      // A chunk past the end (articles were withdrawn) sends readers to the front page.
      if (!model) return { kind: 'redirect', location: view.tree.path(channel.id), permanent: false };
      return { kind: 'page', html: await theme.render(channel.type === 'page' ? 'page' : 'channel', model), article: null };
    }
    case 'feed': {
      const channel = route.slugs.length > 0 ? view.tree.findByPath(route.slugs) : null;
      if (channel === undefined || channel?.type === 'link') return NOT_FOUND;
      const type = route.format === 'atom' ? 'application/atom+xml; charset=utf-8' : 'application/rss+xml; charset=utf-8';
      return { kind: 'document', body: await feed(db, view, channel, route.format), contentType: type };
    }
    case 'sitemap': {
      const body = await sitemap(db, view, route.part);
      return body === null ? NOT_FOUND : { kind: 'document', body, contentType: 'application/xml; charset=utf-8' };
    }
    case 'robots':
      return { kind: 'document', body: robots(view), contentType: 'text/plain; charset=utf-8' };
    case 'article': {
      const article = await articles.findArticle(db, route.id);
      if (!article || article.siteId !== view.site.id) return NOT_FOUND;
      if (article.status === 'withdrawn') return { kind: 'gone' };
      if (article.status !== 'published') return NOT_FOUND;
      const model = await articlePage(db, view, article);
      if (!model) return NOT_FOUND;
      // An article moved to another column keeps working at its old address.
      const canonical = new URL(model.frame.canonical).pathname;
      if (canonical !== urlPath) return { kind: 'redirect', location: canonical, permanent: true };
      return { kind: 'page', html: await theme.render('article', model), article: { id: article.id, viewCount: article.viewCount } };
    }
  }
}

export function renderErrorPage(theme: Theme, view: SiteView, status: ErrorStatus): Promise<string> {
  return theme.render('error', errorPage(view, status));
}
