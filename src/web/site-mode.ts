import type { FastifyInstance } from 'fastify';
import { sites } from '../store/index.js';
import type { AppContext } from './context.js';

/** The whole public site in grey, for days of mourning (哀悼日置灰). */
export const MOURNING_CSS = '/* 哀悼日置灰 */\nhtml{-webkit-filter:grayscale(1);filter:grayscale(1)}\n';

const MODES = {
  mourning: { body: MOURNING_CSS, etag: '"site-mode-mourning"' },
  normal: { body: '', etag: '"site-mode-normal"' },
} as const;

/**
 * `/site-mode.css`, linked by every public page: the site-wide look an administrator switches
 * (grey mode) without re-rendering a single page. Read from the primary store on each request so
 * that every instance follows a change at once; browsers and CDNs revalidate it every time (a 304
 * with the ETag is a few bytes), so it is never stale. It is not a published page, so the page
 * cache never holds it.
 */
export function registerSiteModeStylesheet(app: FastifyInstance, ctx: AppContext): void {
  app.get('/site-mode.css', async (request, reply) => {
    const mode = (await sites.findMourning(ctx.store.db, request.servedSite?.siteId)) ? MODES.mourning : MODES.normal;
    void reply
      .header('content-type', 'text/css; charset=utf-8')
      .header('etag', mode.etag)
      .header('cache-control', 'public, no-cache');
    if (request.headers['if-none-match'] === mode.etag) return reply.code(304).send();
    return reply.send(mode.body);
  });
}
