import type { FastifyInstance } from 'fastify';
import { GazetteError, dateBarText, isGazetteError } from '../domain/index.js';
import {
  CATALOGUE_PATH,
  NO_FILTER,
  cataloguePage,
  readCatalogueParams,
  type CatalogueParams,
} from '../compliance/disclosure/index.js';
import { fillIncludes, loadSiteView, renderOnRequest } from '../publish/index.js';
import { readerStore, type AppContext } from './context.js';
import { sendNotFound } from './public.js';

/** `/xxgk.html?topic=…&organization=…&year=…&q=…`: the 信息公开目录, filtered, rendered on request. */
export function registerDisclosurePage(app: FastifyInstance, ctx: AppContext): void {
  app.get(CATALOGUE_PATH, async (request, reply) => {
    const db = readerStore(ctx).db;
    const view = await loadSiteView(db, request.siteContext?.siteId);
    // The site was removed (or archived) after the request found it: not found, like any page of it.
    if (!view) return sendNotFound(ctx, reply);
    let params: CatalogueParams = NO_FILTER;
    let error: GazetteError | null = null;
    try {
      params = readCatalogueParams(request.query as Record<string, unknown>);
    } catch (caught) {
      if (!isGazetteError(caught) || caught.status !== 400) throw caught;
      error = caught;
    }
    const html = renderOnRequest(
      ctx.theme,
      view,
      'disclosure-catalogue',
      await cataloguePage(db, view, params, error ? error.messageIn('zh') : null),
    );
    return reply
      .code(error ? 400 : 200)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(fillIncludes(html, { today: dateBarText(ctx.clock.now(), view.site.timeZone) }));
  });
}
