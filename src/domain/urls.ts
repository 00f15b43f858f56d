import { parseArticlePath } from './article.js';

/** Channel list pages: `/bqdt/` is page 1, `/bqdt/index_2.html` page 2, and so on. */
export function channelPagePath(channelPath: string, page: number): string {
  return page <= 1 ? channelPath : `${channelPath}index_${page}.html`;
}

export type FeedFormat = 'rss' | 'atom';

export type PublicRoute =
  | { readonly kind: 'home' }
  | { readonly kind: 'channel'; readonly slugs: readonly string[]; readonly page: number }
  | { readonly kind: 'article'; readonly channelPath: string; readonly id: number }
  /** A feed of the whole site (no slugs) or of a column and its sub-columns. */
  | { readonly kind: 'feed'; readonly slugs: readonly string[]; readonly format: FeedFormat }
  /** The sitemap; past 50,000 URLs an index (part null) of numbered parts. */
  | { readonly kind: 'sitemap'; readonly part: number | null }
  | { readonly kind: 'robots' };

/** Where a feed lives: `/rss.xml`, `/bqdt/atom.xml`. */
export function feedPath(channelPath: string, format: FeedFormat): string {
  return `${channelPath}${format}.xml`;
}

export function sitemapPath(part: number | null): string {
  return part === null ? '/sitemap.xml' : `/sitemap-${part}.xml`;
}

const FEED = /^((?:\/[a-z0-9-]+)*)\/(rss|atom)\.xml$/;
const SITEMAP = /^\/sitemap(?:-(\d{1,6}))?\.xml$/;

const CHANNEL_PAGE = /^((?:\/[a-z0-9-]+)+)\/(?:index(?:_(\d{1,6}))?\.html)?$/;

/** What a public URL path names, or null when it names nothing Gazette serves. */
export function routeOf(urlPath: string): PublicRoute | null {
  if (urlPath === '/' || urlPath === '/index.html') return { kind: 'home' };
  if (urlPath === '/robots.txt') return { kind: 'robots' };
  const sitemap = SITEMAP.exec(urlPath);
  if (sitemap) return sitemap[1] === undefined ? { kind: 'sitemap', part: null } : Number(sitemap[1]) >= 1 ? { kind: 'sitemap', part: Number(sitemap[1]) } : null;
  const feed = FEED.exec(urlPath);
  if (feed) return { kind: 'feed', slugs: feed[1] ? feed[1].slice(1).split('/') : [], format: feed[2] === 'atom' ? 'atom' : 'rss' };
  const article = parseArticlePath(urlPath);
  if (article) return { kind: 'article', ...article };
  const m = CHANNEL_PAGE.exec(urlPath);
  if (!m || !m[1]) return null;
  const page = m[2] === undefined ? 1 : Number(m[2]);
  if (page < 1) return null;
  return { kind: 'channel', slugs: m[1].slice(1).split('/'), page };
}
