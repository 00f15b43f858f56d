import { parseArticlePath } from './article.js';

/**
 * Channel list pages: `/bqdt/` is the front page (the newest articles), `/bqdt/index_7.html` the
 * seventh chunk counted from the oldest article (see pagination.ts), an address that never moves.
 */
export function channelPagePath(channelPath: string, chunk: number | null): string {
  return chunk === null ? channelPath : `${channelPath}index_${chunk}.html`;
}

export type FeedFormat = 'rss' | 'atom';
export const FEED_FORMATS: readonly FeedFormat[] = ['rss', 'atom'];

export type PublicRoute =
  | { readonly kind: 'home' }
  /** A channel's front page (chunk null) or one chunk of its list. */
  | { readonly kind: 'channel'; readonly slugs: readonly string[]; readonly chunk: number | null }
  | { readonly kind: 'article'; readonly channelPath: string; readonly id: number }
  /** A feed of the whole site (no slugs) or of a column and its sub-columns. */
  | { readonly kind: 'feed'; readonly slugs: readonly string[]; readonly format: FeedFormat }
  /** The sitemap; past 2,000 articles an index (part null) of numbered parts. */
  | { readonly kind: 'sitemap'; readonly part: number | null }
  | { readonly kind: 'robots' }
  /** 网站地图 (`/sitemap.html`): every column of the site for readers (the XML sitemap is for search engines). */
  | { readonly kind: 'site-map' }
  /** `/look.css`: the site's colours (站点外观), a stylesheet every page links. */
  | { readonly kind: 'look' }
  /** The published letters (信箱): the front page (chunk null) or one chunk of the list, oldest first. */
  | { readonly kind: 'letters'; readonly chunk: number | null }
  | { readonly kind: 'letter'; readonly id: number }
  /** The 政策文件库: the front page (chunk null) or one chunk, counted from the oldest policy. */
  | { readonly kind: 'library'; readonly chunk: number | null };

/**
 * The site's 政策文件库 (document library): `/zcwjk/` lists every published 政策文件 with its
 * 有效性, `/zcwjk/index_3.html` a chunk of the list, and `/zcwjk/search` the filtered list the
 * app renders on request. A top-level column may not take this slug.
 */
export const LIBRARY_SLUG = 'zcwjk';
export const LIBRARY_PATH = `/${LIBRARY_SLUG}/`;
export const LIBRARY_SEARCH_PATH = `${LIBRARY_PATH}search`;
const LIBRARY_PAGE = /^\/zcwjk\/(?:index(?:_(\d{1,6}))?\.html)?$/;

/** Top-level slugs the site's own pages use. */
export const RESERVED_SLUGS: readonly string[] = [LIBRARY_SLUG, 'xinxiang', 'ysqgk'];

/**
 * Where the letter desk lives: `/xinxiang/` (信箱) lists the published letters, `/xinxiang/123.html`
 * is one, `/xinxiang/xiexin` the form and `/xinxiang/chaxun` the writer's follow-up. A top-level
 * column may not take this slug.
 */
/**
 * 依申请公开: `/ysqgk/shenqing` is the request form, `/ysqgk/chaxun` the applicant's follow-up
 * (and `/ysqgk/wenshu` the reply document for the code and password posted there). Pages the
 * app answers itself, never files of the output store.
 */
export const INFO_REQUEST_PATH = '/ysqgk/';

export const LETTERS_SLUG = 'xinxiang';
export const LETTERS_PATH = `/${LETTERS_SLUG}/`;

export function letterPath(id: number): string {
  return `${LETTERS_PATH}${id}.html`;
}

export function letterListPath(chunk: number | null): string {
  return chunk === null ? LETTERS_PATH : `${LETTERS_PATH}index_${chunk}.html`;
}

const LETTER_PAGE = /^\/xinxiang\/(?:(\d{1,9})\.html|index(?:_(\d{1,6}))?\.html)?$/;

/** Where a feed lives: `/rss.xml`, `/bqdt/atom.xml`. */
export function feedPath(channelPath: string, format: FeedFormat): string {
  return `${channelPath}${format}.xml`;
}

/** 网站地图: the readers' page listing every column (beside `/sitemap.xml`, the search engines' one). */
export const SITE_MAP_PATH = '/sitemap.html';
/** The stylesheet that carries a site's colours, published like a page and linked by every page. */
export const LOOK_STYLESHEET = '/look.css';

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
  if (urlPath === SITE_MAP_PATH) return { kind: 'site-map' };
  if (urlPath === LOOK_STYLESHEET) return { kind: 'look' };
  const sitemap = SITEMAP.exec(urlPath);
  if (sitemap)
    return sitemap[1] === undefined
      ? { kind: 'sitemap', part: null }
      : Number(sitemap[1]) >= 1
        ? { kind: 'sitemap', part: Number(sitemap[1]) }
        : null;
  const feed = FEED.exec(urlPath);
  if (feed)
    return {
      kind: 'feed',
      slugs: feed[1] ? feed[1].slice(1).split('/') : [],
      format: feed[2] === 'atom' ? 'atom' : 'rss',
    };
  const letters = LETTER_PAGE.exec(urlPath);
  if (letters) {
    if (letters[1] !== undefined) return Number(letters[1]) >= 1 ? { kind: 'letter', id: Number(letters[1]) } : null;
    const chunk = letters[2] === undefined ? null : Number(letters[2]);
    return chunk !== null && chunk < 1 ? null : { kind: 'letters', chunk };
  }
  const library = LIBRARY_PAGE.exec(urlPath);
  if (library) {
    const chunk = library[1] === undefined ? null : Number(library[1]);
    return chunk !== null && chunk < 1 ? null : { kind: 'library', chunk };
  }
  const article = parseArticlePath(urlPath);
  if (article) return { kind: 'article', ...article };
  const m = CHANNEL_PAGE.exec(urlPath);
  if (!m || !m[1]) return null;
  const chunk = m[2] === undefined ? null : Number(m[2]);
  if (chunk !== null && chunk < 1) return null;
  return { kind: 'channel', slugs: m[1].slice(1).split('/'), chunk };
}
