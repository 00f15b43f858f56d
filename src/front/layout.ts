import path from 'node:path';
import { routeOf } from '../domain/index.js';
// The output store's own helpers, not the publishing front door: an agent on a front server
// loads no renderer, theme or store (its memory is bounded for a sweep of a million files).
import { brotliPage, contentTypeOf, fileOf, gzipPage } from '../publish/output.js';
import { splitSiteKey } from '../publish/site-output.js';

/**
 * A front server's folder (`--root DIR`):
 * - `www/<siteId>/…`: the served tree, one folder per site, each nginx's root for its hosts.
 *   Only the agent writes here; anything else that appears is tampering.
 * - `state/front.db`: the agent's own copy of the manifest and what it serves, its journal, its
 *   tamper events and view counts (SQLite).
 * - `state/objects/ab/<sha256>`: every page's verified bytes, as pushed: the copy a tampered file
 *   is put back from.
 * - `state/staging/`: a batch's files before they replace the served ones (same disk: a rename).
 * - `state/quarantine/`: foreign files, kept aside as evidence.
 * - `state/include/<siteId>/today.html` and `…/views/<articleId>`: what nginx's SSI includes: the
 *   date bar, rewritten at the site's midnight, and 浏览次数.
 * - `state/access.log`: nginx's log of page reads, from which the agent counts 浏览次数.
 * - `state/hosts.map`: host → site, for nginx.
 */
export interface FrontLayout {
  readonly root: string;
  readonly www: string;
  readonly state: string;
  readonly db: string;
  readonly objects: string;
  readonly staging: string;
  readonly quarantine: string;
  readonly include: string;
  readonly accessLog: string;
  readonly hostsMap: string;
}

export function frontLayout(root: string): FrontLayout {
  const resolved = path.resolve(root);
  const state = path.join(resolved, 'state');
  return {
    root: resolved,
    www: path.join(resolved, 'www'),
    state,
    db: path.join(state, 'front.db'),
    objects: path.join(state, 'objects'),
    staging: path.join(state, 'staging'),
    quarantine: path.join(state, 'quarantine'),
    include: path.join(state, 'include'),
    accessLog: path.join(state, 'access.log'),
    hostsMap: path.join(state, 'hosts.map'),
  };
}

/** Where a verified page's bytes are kept. */
export function objectFile(layout: FrontLayout, hash: string): string {
  return path.join(layout.objects, hash.slice(0, 2), hash);
}

/** The date bar's include of a site, and an article's 浏览次数. */
export function todayFile(layout: FrontLayout, siteId: number): string {
  return path.join(layout.include, String(siteId), 'today.html');
}
export function viewsFile(layout: FrontLayout, siteId: number, articleId: number): string {
  return path.join(layout.include, String(siteId), 'views', String(articleId));
}

/** The URI nginx includes for the date bar (an internal location mapped to the site's include folder). */
export const TODAY_URI = '/_gz/today.html';
export const VIEWS_URI = '/_gz/views/';

/** One file of the served tree: relative to `www` (`1/bqdt/index.html`), with its exact bytes. */
export interface ServedFile {
  readonly file: string;
  readonly bytes: Buffer;
}

const MARKER = /<!--gz:(today|views)-->/g;

/**
 * A page as nginx serves it: Gazette's serve-time markers become SSI includes. The date bar is
 * the site's today file; 浏览次数 is the article's count file, 0 until there is one (an SSI
 * block, defined just before, is the stub). Pages without a marker are served as pushed.
 */
export function frontPageBytes(urlPath: string, source: Buffer): Buffer {
  if (!source.includes('<!--gz:')) return source;
  const route = routeOf(urlPath);
  const articleId = route?.kind === 'article' ? route.id : null;
  const html = source.toString('utf8').replace(MARKER, (_marker, name: string) => {
    if (name === 'today') return `<!--# include virtual="${TODAY_URI}" -->`;
    if (articleId === null) return '';
    return `<!--# block name="gz0" -->0<!--# endblock --><!--# include virtual="${VIEWS_URI}${articleId}" stub="gz0" -->`;
  });
  return Buffer.from(html, 'utf8');
}

/**
 * The files a pushed page is served as, derived from its bytes alone (the same bytes always give
 * the same files, so a file is checked and put back from the page's verified copy):
 * - an HTML page: the page with its includes, compressed by nginx after SSI fills it (a stored
 *   `.gz` could not carry today's date);
 * - anything else (feeds, sitemaps, robots.txt): the bytes, with their `.gz` and `.br` beside.
 */
export function servedFiles(key: string, source: Buffer): ServedFile[] {
  const { path: urlPath } = splitSiteKey(key);
  const [file = '', gz, br] = servedNames(key);
  if (gz === undefined || br === undefined) return [{ file, bytes: frontPageBytes(urlPath, source) }];
  return [
    { file, bytes: source },
    { file: gz, bytes: gzipPage(source) },
    { file: br, bytes: brotliPage(source) },
  ];
}

/** The served file names of a key, without its bytes (a removal). */
export function servedNames(key: string): string[] {
  const { siteId, path: urlPath } = splitSiteKey(key);
  const file = `${siteId}/${fileOf(urlPath)}`;
  return contentTypeOf(urlPath).startsWith('text/html') ? [file] : [file, `${file}.gz`, `${file}.br`];
}
