import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { dateBarText, routeOf, toLocal } from '../domain/index.js';
import {
  contentTypeOf,
  hasIncludes,
  sha256,
  type Encoding,
  type MissingPage,
  type PageStore,
  type Publisher,
  type SiteView,
} from '../publish/index.js';
import { articles, manifest } from '../store/index.js';
import type { AppContext } from './context.js';
import {
  currentRepresentation,
  negotiate,
  readyRepresentation,
  representation,
  type AnswerHeaders,
  type CachedPage,
  type PageCache,
  type PageLoad,
  type RawHeaders,
  type Representation,
} from './page-cache.js';
import type { ViewCounter } from './view-counter.js';

/** One site's published pages as the server reads them. */
export interface StaticPages {
  readonly siteId: number;
  /** The site's time zone: its date bar and its CDN lifetime (never past the reader's midnight). */
  readonly timeZone: string;
  /** The site's folder of the output store, and its publisher. */
  readonly output: PageStore;
  readonly publisher: Publisher;
  /** The memory cache every site shares (bounded in bytes), keyed by manifest key: prefix + path. */
  readonly cache: PageCache;
  readonly prefix: string;
  /** How long a shown view count may lag the real one (ms); 0 fills every read. */
  readonly viewsRefreshMs: number;
  /** The reads not yet in the store, added to the stored count when a page is loaded. */
  readonly counter: ViewCounter;
  /** The security headers of its pages, as header lines (pageSecurityHeaders). */
  readonly securityHeaders: readonly string[];
}

/** One key per page: `/index.html` is `/`, `/bqdt/index.html` is `/bqdt/`. */
export function pageKey(urlPath: string): string {
  return urlPath.endsWith('/index.html') ? urlPath.slice(0, -'index.html'.length) : urlPath;
}

const inFlight = new WeakMap<StaticPages, Map<string, Promise<CachedPage | NotStored>>>();

/**
 * A URL that is not a stored page: what it is instead (null: not even a page's address), and the
 * site as it was read to find out (null when it was not read), for the answer's frame.
 */
export interface NotStored {
  readonly kind: 'not-stored';
  readonly view: SiteView | null;
  readonly instead: Exclude<MissingPage['instead'], null> | null;
}

const NOT_A_PAGE: NotStored = { kind: 'not-stored', view: null, instead: null };

/**
 * The page for a URL from memory, else from the output store, else rendered into the output
 * store first (a page nobody asked for since the last build). Null when the URL is not a page
 * (a redirect, a withdrawn article, nothing at all): those are answered dynamically.
 */
export async function loadPage(ctx: AppContext, pages: StaticPages, key: string): Promise<CachedPage | NotStored> {
  const cached = pages.cache.get(pages.prefix + key);
  if (cached) return cached;
  let loads = inFlight.get(pages);
  if (!loads) inFlight.set(pages, (loads = new Map<string, Promise<CachedPage | NotStored>>()));
  const pending = loads.get(key);
  if (pending) return pending;
  const mark = pages.cache.startLoad(pages.prefix + key);
  const load = readPage(ctx, pages, key, mark).finally(() => {
    loads.delete(key);
    pages.cache.endLoad(mark);
  });
  loads.set(key, load);
  return load;
}

/**
 * Whether bytes a load read may be kept although the page was dropped from memory while it
 * loaded: only when they are what the manifest now says the page is. A drop during the load is
 * either the change that wrote newer bytes (keeping the old ones would serve them until the next
 * change) or news of an older one (the manifest watcher catching up), after which the bytes read
 * are the current ones and keeping them spares the next reader a load.
 */
async function stillCurrent(
  ctx: AppContext,
  pages: StaticPages,
  key: string,
  stored: Buffer,
  mark: PageLoad,
): Promise<boolean> {
  while (mark.dropped) {
    mark.dropped = false;
    const row = await manifest.findPage(ctx.store.db, pages.prefix + key);
    if (row?.hash !== sha256(stored)) return false;
  }
  return true;
}

async function readPage(
  ctx: AppContext,
  pages: StaticPages,
  key: string,
  mark: PageLoad,
): Promise<CachedPage | NotStored> {
  const route = routeOf(key);
  if (!route) return NOT_A_PAGE;
  let stored = await pages.output.read(key);
  // A run storing this page now (a publish's own article page) is waited for, not repeated.
  if (!stored && (await pages.publisher.written(key))) stored = await pages.output.read(key);
  if (!stored) {
    const missing = await pages.publisher.renderMissing(key);
    if (missing.instead) return { kind: 'not-stored', view: missing.view, instead: missing.instead };
    stored = await pages.output.read(key);
    if (!stored) return { kind: 'not-stored', view: missing.view, instead: null };
  }
  // Filled and compressed per answer: the output store keeps no compressed forms of it (keepsForms).
  const dynamic = hasIncludes(stored);
  const articleId = route.kind === 'article' ? route.id : null;
  // Asked side by side: a reader waiting for a page just published waits for the slowest, not the sum.
  const [row, gz, br, base] = await Promise.all([
    manifest.findPage(ctx.store.db, pages.prefix + key),
    dynamic ? null : pages.output.read(key, 'gzip'),
    dynamic ? null : pages.output.read(key, 'br'),
    articleId === null
      ? 0
      : pages.counter.currentCount(
          articleId,
          async () => (await articles.findArticle(ctx.store.db, articleId))?.viewCount ?? 0,
        ),
  ]);
  const page: CachedPage = {
    path: pages.prefix + key,
    contentType: contentTypeOf(key),
    lastModified: new Date(row?.updatedAt ?? ctx.clock.now()).toUTCString(),
    articleId,
    dynamic,
    stored,
    fixed: dynamic ? null : await representation(stored, gz && br ? { gzip: gz, br } : undefined),
    views: base,
    filled: null,
    refill: null,
    used: false,
  };
  if (!(await stillCurrent(ctx, pages, key, stored, mark))) return page;
  pages.cache.set(page, mark);
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
    moment = {
      second,
      timeZone,
      today: dateBarText(now, timeZone),
      sharedMaxAge: Math.min(3600, secondsToMidnight(now, timeZone)),
    };
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

/** Headers every answer carries (the app's onSend hook sets them on everything else). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'SAMEORIGIN',
};

/** Strict-Transport-Security on every HTTPS answer (a year; the site's subdomains too). */
export const HSTS = 'max-age=31536000; includeSubDomains';

/** A page's header lines with HSTS added, made once per set of lines (every HTTPS read asks). */
const hstsLines = new WeakMap<RawHeaders, RawHeaders>();
function withHsts(headers: RawHeaders): RawHeaders {
  let lines = hstsLines.get(headers);
  if (!lines) hstsLines.set(headers, (lines = [...headers, 'strict-transport-security', HSTS]));
  return lines;
}

/** The security headers of a page answer, with the site's Content-Security-Policy, as header lines. */
export function pageSecurityHeaders(contentSecurityPolicy: string): readonly string[] {
  return [...Object.entries(SECURITY_HEADERS).flat(), 'content-security-policy', contentSecurityPolicy];
}

/** The header lines of a page's answers in one encoding: a 200 with its body, and a 304. */
function headersFor(
  page: CachedPage,
  chosen: Representation,
  encoding: Encoding,
  sharedMaxAge: number,
  security: readonly string[],
): AnswerHeaders {
  if (chosen.headers?.sharedMaxAge !== sharedMaxAge) chosen.headers = { sharedMaxAge, byEncoding: new Map() };
  const known = chosen.headers.byEncoding.get(encoding);
  if (known) return known;
  const etag =
    encoding === 'identity' ? chosen.etag : `${chosen.etag.slice(0, -1)}-${encoding === 'br' ? 'br' : 'gz'}"`;
  const html = page.contentType.startsWith('text/html');
  const validators = [
    'content-type',
    page.contentType,
    'etag',
    etag,
    'last-modified',
    page.lastModified,
    'vary',
    'Accept-Encoding',
    // Browsers revalidate every time (a 304 is cheap), so a withdrawal reaches readers at once;
    // a CDN keeps the page until the purge hook tells it otherwise, never past midnight.
    'cache-control',
    html ? `public, max-age=0, must-revalidate, s-maxage=${sharedMaxAge}` : 'public, max-age=300',
    ...security,
  ];
  const body = bodyOf(chosen, encoding);
  const made = {
    etag,
    ok: [
      ...validators,
      ...(encoding === 'identity' ? [] : ['content-encoding', encoding]),
      'content-length',
      String(body.length),
    ],
    notModified: validators,
  };
  chosen.headers.byEncoding.set(encoding, made);
  return made;
}

function bodyOf(chosen: Representation, encoding: Encoding): Buffer {
  return encoding === 'br' ? chosen.br : encoding === 'gzip' ? chosen.gzip : chosen.body;
}

interface PageAnswer {
  readonly status: 200 | 304;
  readonly headers: RawHeaders;
  readonly body: Buffer | null;
}

/** Status, headers and body for a page: negotiated, with validators and cache headers. */
function answer(
  page: CachedPage,
  chosen: Representation,
  acceptEncoding: string | undefined,
  ifNoneMatch: string | undefined,
  sharedMaxAge: number,
  security: readonly string[],
): PageAnswer {
  const encoding: Encoding = negotiate(acceptEncoding);
  const headers = headersFor(page, chosen, encoding, sharedMaxAge, security);
  if (ifNoneMatch !== undefined && matches(ifNoneMatch, headers.etag))
    return { status: 304, headers: headers.notModified, body: null };
  return { status: 200, headers: headers.ok, body: bodyOf(chosen, encoding) };
}

export interface SendContext {
  readonly counter: ViewCounter;
  readonly timeZone: string;
  readonly now: Date;
  readonly viewsRefreshMs: number;
  readonly securityHeaders: readonly string[];
}

function countRead(page: CachedPage, method: string | undefined, counter: ViewCounter): void {
  if (page.articleId !== null && method === 'GET') {
    counter.record(page.articleId);
    page.views += 1;
  }
}

/** Sends a stored page through Fastify: counted, filled if need be, negotiated. */
export async function sendPage(
  request: FastifyRequest,
  reply: FastifyReply,
  page: CachedPage,
  context: SendContext,
): Promise<FastifyReply> {
  countRead(page, request.method, context.counter);
  const { today, sharedMaxAge } = momentOf(context.now, context.timeZone);
  const chosen = await currentRepresentation(page, today, context.now.getTime(), context.viewsRefreshMs);
  const { status, headers, body } = answer(
    page,
    chosen,
    request.headers['accept-encoding'],
    request.headers['if-none-match'],
    sharedMaxAge,
    context.securityHeaders,
  );
  for (let i = 0; i + 1 < headers.length; i += 2) reply.header(headers[i] as string, headers[i + 1]);
  return reply.code(status).send(body ?? undefined);
}

/**
 * The fast path, ahead of the framework: a GET or HEAD for a page already in memory and ready to
 * send (nothing to fill or compress) is answered straight from the cache — the same bytes and
 * headers Fastify's route would send, at the cost of a Map lookup, with header lines made once
 * per page. Anything else returns false and goes through Fastify as usual.
 */
export function answerFromMemory(
  request: IncomingMessage,
  response: ServerResponse,
  context: FastPathContext,
): boolean {
  const method = request.method;
  if (method !== 'GET' && method !== 'HEAD') return false;
  const url = request.url ?? '';
  // Only decoded paths without a query are cache keys; the rest is the router's.
  if (url.includes('?') || url.includes('%')) return false;
  // The site of a host seen lately; a host not known yet goes through the router, which finds it.
  const pages = context.siteOf(request);
  if (!pages) return false;
  const page = pages.cache.get(pages.prefix + pageKey(url));
  if (!page) return false;
  const now = context.clock.now();
  const { today, sharedMaxAge } = momentOf(now, pages.timeZone);
  const chosen = readyRepresentation(page, today, now.getTime(), pages.viewsRefreshMs);
  if (!chosen) return false;
  countRead(page, method, context.counter);
  const { status, headers, body } = answer(
    page,
    chosen,
    request.headers['accept-encoding'],
    request.headers['if-none-match'],
    sharedMaxAge,
    pages.securityHeaders,
  );
  response.writeHead(status, (context.isHttps(request) ? withHsts(headers) : headers) as string[]);
  response.end(method === 'HEAD' ? undefined : (body ?? undefined));
  return true;
}

export interface FastPathContext {
  readonly counter: ViewCounter;
  /** Whether the request came over HTTPS (directly, or by a trusted proxy's word): HSTS then. */
  readonly isHttps: (request: IncomingMessage) => boolean;
  /** The pages of the site a request reaches, when known without waiting; else null or undefined. */
  readonly siteOf: (request: IncomingMessage) => StaticPages | null | undefined;
  readonly clock: { now(): Date };
}
