import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GazetteError, dateBarText, isGazetteError } from '../domain/index.js';
import { auditDenial, errorBody, internalErrorBody } from './errors.js';
import { isStoreUnavailable, redirects } from '../store/index.js';
import type { ViewCounter } from './view-counter.js';
import {
  fillIncludes,
  loadSiteView,
  renderErrorPage,
  renderPublicPath,
  type ErrorStatus,
  type SiteView,
} from '../publish/index.js';
import { readerStore, type AppContext } from './context.js';
import { loadPage, pageKey, sendPage, type NotStored } from './static-pages.js';

const HTML = 'text/html; charset=utf-8';

/** The path part of a request URL, decoded; null when it is not valid percent-encoding. */
function decodedPath(url: string): string | null {
  try {
    return decodeURI(url.split('?')[0] ?? '/');
  } catch {
    return null;
  }
}

/** Minimal page for when not even the site frame can be rendered (no site, store down). */
function bareErrorPage(status: number): string {
  const text =
    status === 404
      ? '页面不存在 (404)'
      : status === 410
        ? '该信息已撤销 (410)'
        : '服务暂时不可用 (' + String(status) + ')';
  return `<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>${text}</title></head><body><main><h1>${text}</h1><p><a href="/">返回首页</a></p></main></body></html>\n`;
}

async function sendErrorPage(ctx: AppContext, reply: FastifyReply, view: SiteView | null, status: ErrorStatus) {
  let html = bareErrorPage(status);
  if (view) {
    try {
      html = fillIncludes(renderErrorPage(ctx.theme, view, status), {
        today: dateBarText(ctx.clock.now(), view.site.timeZone),
      });
    } catch (error) {
      reply.log.error({ err: error }, 'error page could not be rendered');
    }
  }
  return reply.code(status).type(HTML).header('cache-control', 'no-store').send(html);
}

/** The site frame of the request's site, for an error page; null when it cannot be had. */
function siteViewOf(ctx: AppContext, request: FastifyRequest | null): Promise<SiteView | null> {
  const siteId = request?.servedSite?.siteId;
  return siteId === undefined ? Promise.resolve(null) : loadSiteView(ctx.store.db, siteId).catch(() => null);
}

/** The 404 page, also for URLs too malformed for the router (a reader mistyped, a bot probed). */
export async function sendNotFound(ctx: AppContext, reply: FastifyReply) {
  return sendErrorPage(ctx, reply, await siteViewOf(ctx, reply.request ?? null), 404);
}

/** Paths of Gazette's own that never lead to an old site's page. */
const NOT_OLD_PATHS = /^\/(api|admin|assets)\//;

/**
 * The 301 an old URL of a migrated site answers (its path and query exactly as received), when
 * the site has no page of its own there: the redirects live in the store, so every instance
 * answers them. Null when the path is not an old one.
 */
async function oldUrlRedirect(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, siteId: number) {
  const rawUrl = request.raw.url ?? '';
  if (NOT_OLD_PATHS.test(rawUrl)) return null;
  const found = await redirects.findRedirectForRequest(readerStore(ctx).db, siteId, rawUrl);
  if (!found) return null;
  // Percent-encoded as a browser would: a header holds no Chinese.
  const location = redirects.requestFormOf(found.target);
  // An old path that is also its own new one (same column, date and id) leads nowhere else.
  if (location === rawUrl.split('?')[0]) return null;
  return reply.code(301).header('location', location).header('cache-control', 'public, max-age=3600').send();
}

/** The reader's side: home, column and article pages of the request's site, with 404 and 500 pages in its frame. */
export function registerPublicRoutes(app: FastifyInstance, ctx: AppContext, counter: ViewCounter): void {
  app.get('/*', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.url.startsWith('/api/')) return reply.code(404).send(errorBody(new GazetteError('NOT_FOUND')));
    const urlPath = decodedPath(request.url);
    const pages = request.servedSite;
    // The site hook answers a host that reaches no site; a site removed meanwhile is not found.
    if (!pages) return sendErrorPage(ctx, reply, null, 404);
    let looked: NotStored | null = null;
    if (urlPath !== null) {
      const found = await loadPage(ctx, pages, pageKey(urlPath));
      if (!('kind' in found))
        return sendPage(request, reply, found, {
          counter,
          timeZone: pages.timeZone,
          now: ctx.clock.now(),
          viewsRefreshMs: pages.viewsRefreshMs,
          securityHeaders: pages.securityHeaders,
        });
      looked = found;
    }
    // Not a stored page: a redirect, a withdrawn article, or nothing; the lookup that found so
    // answers without a second one (a reader polling for an article about to appear costs little).
    const db = readerStore(ctx).db;
    const view = looked?.view ?? (await loadSiteView(db, pages.siteId));
    if (!view) return sendErrorPage(ctx, reply, null, 404);
    // Paths in an old site's own encoding (GBK escapes) are no page here, but may be old URLs.
    if (urlPath === null)
      return (await oldUrlRedirect(ctx, request, reply, pages.siteId)) ?? sendErrorPage(ctx, reply, view, 404);
    const rendered = looked?.instead ?? (await renderPublicPath(db, ctx.theme, view, urlPath));
    // No page here, only a guess from the path's shape (an old TRS address reads like one of
    // Gazette's, with another article's id): an old URL the migration recorded comes first.
    if (rendered.kind === 'not-found' || rendered.kind === 'gone' || rendered.kind === 'redirect') {
      const moved = await oldUrlRedirect(ctx, request, reply, pages.siteId);
      if (moved) return moved;
    }
    if (rendered.kind === 'not-found') return sendErrorPage(ctx, reply, view, 404);
    if (rendered.kind === 'gone') return sendErrorPage(ctx, reply, view, 410);
    if (rendered.kind === 'redirect') return reply.redirect(rendered.location, rendered.permanent ? 301 : 302);
    if (rendered.kind === 'document')
      return reply.type(rendered.contentType).header('cache-control', 'no-cache').send(rendered.body);
    let views: number | undefined;
    if (rendered.article) {
      const { id, viewCount } = rendered.article;
      views = viewCount + (request.method === 'HEAD' ? counter.pendingFor(id) : counter.record(id));
    }
    const html = fillIncludes(rendered.html, { today: dateBarText(ctx.clock.now(), view.site.timeZone), views });
    return reply.type(HTML).header('cache-control', 'no-cache').send(html);
  });

  app.setNotFoundHandler((_request, reply) => sendNotFound(ctx, reply));
}

/** Seconds a client is asked to wait (Retry-After) when the store cannot be reached. */
const STORE_RETRY_AFTER_S = 5;

/**
 * One error handler for the whole app, installed before any route: a GazetteError below 500 (or
 * a 503) is its status and `{ code, message }` (an access-control refusal is audited first); anything else
 * is logged and answered 500 (JSON with a reference under /api/, the site's error page elsewhere).
 */
export function installErrorHandler(app: FastifyInstance, ctx: AppContext): void {
  app.setErrorHandler(async (error, request, reply) => {
    // A deliberate 503 (a form off for want of GAZETTE_DATA_KEY) says why; other 5xx are failures.
    if (isGazetteError(error) && (error.status < 500 || error.status === 503)) {
      await auditDenial(request.siteContext ?? ctx, request, error);
      return reply.code(error.status).send(errorBody(error));
    }
    if (isStoreUnavailable(error)) {
      // The database is restarting or out of reach: a client may try again shortly. Nothing is
      // lost: what was not acknowledged was not committed.
      request.log.warn({ err: error }, 'store unavailable');
      // Perhaps only the read replica is gone: the next request finds out, and reads the primary.
      ctx.replica?.suspect();
      void reply.header('retry-after', String(STORE_RETRY_AFTER_S));
      if (request.url.startsWith('/api/'))
        return reply.code(503).send(errorBody(new GazetteError('STORE_UNAVAILABLE')));
      return sendErrorPage(ctx, reply, null, 503);
    }
    const status =
      typeof (error as { statusCode?: unknown }).statusCode === 'number'
        ? (error as { statusCode: number }).statusCode
        : 500;
    if (status >= 400 && status < 500) {
      return reply.code(status).send(errorBody(new GazetteError('BAD_REQUEST', { reason: (error as Error).message })));
    }
    // The log line carries the request's id (reqId): the reference the answer gives the client.
    request.log.error({ err: error }, 'request failed');
    if (request.url.startsWith('/api/')) return reply.code(500).send(internalErrorBody(request.id));
    return sendErrorPage(ctx, reply, await siteViewOf(ctx, request), 500);
  });
}
