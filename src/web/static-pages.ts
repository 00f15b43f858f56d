import type { FastifyReply, FastifyRequest } from 'fastify';
import { dateBarText, routeOf, toLocal } from '../domain/index.js';
import { contentTypeOf, type Encoding, type OutputStore, type Publisher } from '../publish/index.js';
import { articles, manifest } from '../store/index.js';
import type { AppContext } from './context.js';
import { currentRepresentation, negotiate, representation, type CachedPage, type PageCache } from './page-cache.js';
import type { ViewCounter } from './view-counter.js';

export interface StaticPages {
  readonly output: OutputStore;
  readonly publisher: Publisher;
  readonly cache: PageCache;
  /** How long a shown view count may lag the real one (ms); 0 fills every read. */
  readonly viewsRefreshMs: number;
}

/** One key per page: `/index.html` is `/`, `/bqdt/index.html` is `/bqdt/`. */
export function pageKey(urlPath: string): string {
  return urlPath.endsWith('/index.html') ? urlPath.slice(0, -'index.html'.length) : urlPath;
}

const INCLUDE = Buffer.from('<!--gz:');
const inFlight = new WeakMap<StaticPages, Map<string, Promise<CachedPage | null>>>();

/**
 * The page for a URL from memory, else from the output store, else rendered into the output
 * store first (a page nobody asked for since the last build). Null when the URL is not a page
 * (a redirect, a withdrawn article, nothing at all): those are answered dynamically.
 */
export async function loadPage(ctx: AppContext, pages: StaticPages, key: string): Promise<CachedPage | null> {
  const cached = pages.cache.get(key);
  if (cached) return cached;
  let loads = inFlight.get(pages);
  if (!loads) inFlight.set(pages, (loads = new Map()));
  const pending = loads.get(key);
  if (pending) return pending;
  const load = readPage(ctx, pages, key).finally(() => loads.delete(key));
  loads.set(key, load);
  return load;
}

async function readPage(ctx: AppContext, pages: StaticPages, key: string): Promise<CachedPage | null> {
  const route = routeOf(key);
  if (!route) return null;
  let stored = await pages.output.read(key);
  if (!stored) {
    const outcome = await pages.publisher.publishPath(key);
    if (outcome !== 'written' && outcome !== 'unchanged') return null;
    stored = await pages.output.read(key);
    if (!stored) return null;
  }
  const row = await manifest.findPage(ctx.store.db, key);
  const dynamic = stored.includes(INCLUDE);
  const [gz, br] = dynamic ? [null, null] : await Promise.all([pages.output.read(key, 'gzip'), pages.output.read(key, 'br')]);
  const articleId = route.kind === 'article' ? route.id : null;
  const base = articleId === null ? 0 : ((await articles.findArticle(ctx.store.db, articleId))?.viewCount ?? 0);
  const page: CachedPage = {
    path: key,
    contentType: contentTypeOf(key),
    lastModified: new Date(row?.updatedAt ?? ctx.clock.now()).toUTCString(),
    articleId,
    dynamic,
    stored,
    fixed: dynamic ? null : await representation(stored, gz && br ? { gzip: gz, br } : undefined),
    views: base,
    filled: null,
  };
  pages.cache.set(page);
  return page;
}

/** Seconds until the reader's midnight: a shared cache must not keep yesterday's date bar. */
function secondsToMidnight(now: Date, timeZone: string): number {
  const local = toLocal(now, timeZone);
  const elapsed = local.hour * 3600 + local.minute * 60 + local.second;
  return Math.max(1, 86_400 - elapsed);
}

/**
 * The date bar and the CDN lifetime for this second. Time-zone arithmetic goes through Intl and
 * costs microseconds; at tens of thousands of reads a second it is worth doing once a second.
 */
let moment: { second: number; timeZone: string; today: string; sharedMaxAge: number } | null = null;
function momentOf(now: Date, timeZone: string) {
  const second = Math.floor(now.getTime() / 1000);
  if (moment?.second !== second || moment.timeZone !== timeZone) {
    moment = { second, timeZone, today: dateBarText(now, timeZone), sharedMaxAge: Math.min(3600, secondsToMidnight(now, timeZone)) };
  }
  return moment;
}

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim().replace(/^W\//, '');
    return t === '*' || t === etag;
  });
}

/** Sends a stored page: counted, filled, negotiated, with validators and cache headers. */
export async function sendPage(
  request: FastifyRequest,
  reply: FastifyReply,
  page: CachedPage,
  context: { counter: ViewCounter; timeZone: string; now: Date; viewsRefreshMs: number },
): Promise<FastifyReply> {
  if (page.articleId !== null && request.method === 'GET') {
    context.counter.record(page.articleId);
    page.views += 1;
  }
  const { today, sharedMaxAge } = momentOf(context.now, context.timeZone);
  const chosen = await currentRepresentation(page, today, context.now.getTime(), context.viewsRefreshMs);
  const encoding: Encoding = negotiate(request.headers['accept-encoding']);
  const etag = encoding === 'identity' ? chosen.etag : `${chosen.etag.slice(0, -1)}-${encoding === 'br' ? 'br' : 'gz'}"`;
  const html = page.contentType.startsWith('text/html');
  void reply
    .header('content-type', page.contentType)
    .header('etag', etag)
    .header('last-modified', page.lastModified)
    .header('vary', 'Accept-Encoding')
    .header(
      'cache-control',
      html
        ? // Browsers revalidate every time (a 304 is cheap), so a withdrawal reaches readers at once;
          // a CDN keeps the page until the purge hook tells it otherwise, never past midnight.
          `public, max-age=0, must-revalidate, s-maxage=${sharedMaxAge}`
        : 'public, max-age=300',
    );
  if (matches(request.headers['if-none-match'], etag)) return reply.code(304).send();
  const body = encoding === 'br' ? chosen.br : encoding === 'gzip' ? chosen.gzip : chosen.body;
  if (encoding !== 'identity') void reply.header('content-encoding', encoding);
  return reply.header('content-length', body.length).send(body);
}
