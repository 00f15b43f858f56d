import { parseArticlePath } from './article.js';

/** Channel list pages: `/bqdt/` is page 1, `/bqdt/index_2.html` page 2, and so on. */
export function channelPagePath(channelPath: string, page: number): string {
  return page <= 1 ? channelPath : `${channelPath}index_${page}.html`;
}

export type PublicRoute =
  | { readonly kind: 'home' }
  | { readonly kind: 'channel'; readonly slugs: readonly string[]; readonly page: number }
  | { readonly kind: 'article'; readonly channelPath: string; readonly id: number };

const CHANNEL_PAGE = /^((?:\/[a-z0-9-]+)+)\/(?:index(?:_(\d{1,6}))?\.html)?$/;

/** What a public URL path names, or null when it names nothing Gazette serves. */
export function routeOf(urlPath: string): PublicRoute | null {
  if (urlPath === '/' || urlPath === '/index.html') return { kind: 'home' };
  const article = parseArticlePath(urlPath);
  if (article) return { kind: 'article', ...article };
  const m = CHANNEL_PAGE.exec(urlPath);
  if (!m || !m[1]) return null;
  const page = m[2] === undefined ? 1 : Number(m[2]);
  if (page < 1) return null;
  return { kind: 'channel', slugs: m[1].slice(1).split('/'), page };
}
