// The role a URL has by its shape: each CMS family writes its articles and lists at URLs of its
// own form, so the URL alone often tells an article from a list before the page is fetched.
import type { CmsFamily, LinkRole } from '../types.js';
import { PAGE_PARAMETER, fileName, isFileUrl, isHomeUrl, isPageUrl, isSitemapUrl } from './urls.js';

/** TRS articles: `t20210520_123.html`, continued in `t20210520_123_1.html`. */
const TRS_ARTICLE = /\/t\d{8}_\d+(?:_\d+)?\.s?html?$/i;
/** TRS column pages: the directory, `index.html`, `index_3.html`. */
const TRS_LIST_FILE = /^(?:index(?:_\d+)?\.s?html?)?$/i;

/** Hanweb articles: `/art/2021/5/20/art_123_456.html`. */
const HANWEB_ARTICLE = /\/art\/\d{4}\/\d{1,2}\/\d{1,2}\/art_\d+_\d+\.s?html?$/i;
/** Hanweb columns: `/col/col123/`, `/col/col123/index.html`, `index_2.html`. */
const HANWEB_LIST = /\/col\/col\d+\/(?:index(?:_\d+)?\.s?html?)?$/i;

/** Detail pages of the many home-grown and lesser CMSs: the path says "one item". */
const DETAIL_PATHS: readonly RegExp[] = [
  /\/art\/./i,
  /\/content\/./i,
  /\/detail/i,
  /\/show/i,
  /content_\d+/i,
  /\/\d{4}-?\d{2}\/(?:[^/]*\/)*[^/]*\d+\.s?html?$/i,
  /\/\d{6,}\.s?html?$/i,
];
/** `NewsView.aspx?NewsID=123`, `view.jsp?id=5`: a view script with an id. */
const VIEW_SCRIPT = /view\.\w+$/i;
/** List scripts and pages of those CMSs: `index.html`, `list_3.html`, `NewsList.aspx?cid=2`. */
const LIST_FILE = /^(?:index|default|list)(?:_\d+)?\.\w+$/i;

function trsShape(url: URL): LinkRole | null {
  if (TRS_ARTICLE.test(url.pathname)) return 'article';
  return TRS_LIST_FILE.test(fileName(url)) ? 'list' : null;
}

function hanwebShape(url: URL): LinkRole | null {
  if (HANWEB_ARTICLE.test(url.pathname)) return 'article';
  return HANWEB_LIST.test(url.pathname) ? 'list' : null;
}

function isDetailUrl(url: URL): boolean {
  if (VIEW_SCRIPT.test(url.pathname) && [...url.searchParams.keys()].some((key) => /id$/i.test(key))) return true;
  return !url.pathname.endsWith('/') && DETAIL_PATHS.some((shape) => shape.test(url.pathname));
}

function hasPageParameter(url: URL): boolean {
  return [...url.searchParams].some(([name, value]) => PAGE_PARAMETER.test(name) && /^\d+$/.test(value));
}

function isListUrl(url: URL): boolean {
  if (hasPageParameter(url)) return true;
  const name = fileName(url);
  if (/list/i.test(name)) return true;
  return LIST_FILE.test(name) && url.search === '';
}

/** The shapes every family shares: detail pages first, then list pages. */
function commonShape(url: URL): LinkRole | null {
  if (isDetailUrl(url)) return 'article';
  return isListUrl(url) ? 'list' : null;
}

const FAMILY_SHAPES: Readonly<Record<CmsFamily, (url: URL) => LinkRole | null>> = {
  trs: trsShape,
  hanweb: hanwebShape,
  ucap: () => null,
  generic: () => null,
};

/** The role of a parsed URL by its shape; see `roleByShape`. */
export function roleOfUrl(url: URL, family: CmsFamily): LinkRole | null {
  if (isFileUrl(url)) return 'file';
  if (isHomeUrl(url) || isSitemapUrl(url)) return 'page';
  if (!isPageUrl(url)) return null;
  return FAMILY_SHAPES[family](url) ?? commonShape(url);
}

/**
 * The role a URL has by its shape alone: 'file' for attachments and download gateways, 'page'
 * for the home page and site maps, 'article' or 'list' by the family's own URL forms (then the
 * forms every family shares), or null when the shape does not tell.
 */
export function roleByShape(url: string, family: CmsFamily): LinkRole | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  return roleOfUrl(parsed, family);
}
