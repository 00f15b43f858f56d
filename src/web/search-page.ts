import type { FastifyInstance } from 'fastify';
import { GazetteError, dateBarText, isGazetteError } from '../domain/index.js';
import { fillIncludes, loadSiteView, renderOnRequest, searchPage, type SearchPageParams } from '../publish/index.js';
import { searchSite, type SearchResult } from '../search/index.js';
import { readerStore, type AppContext } from './context.js';
import { sendNotFound } from './public.js';
import { sitesUnder } from '../services/index.js';

function one(value: unknown): string | undefined {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first.trim() !== '' ? first.trim() : undefined;
}

/** Reads the search form's fields; numbers that are not numbers are the reader's mistake (400). */
function readParams(query: Record<string, unknown>): SearchPageParams {
  const number = (name: string): number | null => {
    const raw = one(query[name]);
    if (raw === undefined) return null;
    if (!/^\d{1,9}$/.test(raw))
      throw new GazetteError('SEARCH_BAD_FILTER', { name, reason: `"${raw}" is not a number` });
    return Number(raw);
  };
  const site = one(query.site);
  if (site !== undefined && !/^(all|\d{1,9})$/.test(site))
    throw new GazetteError('SEARCH_BAD_FILTER', { name: 'site', reason: `"${site}" is not a site` });
  return {
    q: one(query.q) ?? '',
    site: site === undefined ? null : site === 'all' ? 'all' : Number(site),
    channelId: number('channel'),
    from: one(query.from) ?? null,
    to: one(query.to) ?? null,
    type: one(query.type) ?? null,
    page: number('page') ?? 1,
  };
}

/** `/search?q=…`: the search page in the site frame; bad input is shown on the page with a 400. */
export function registerSearchPage(app: FastifyInstance, ctx: AppContext): void {
  app.get('/search', async (request, reply) => {
    const view = await loadSiteView(readerStore(ctx).db, request.siteContext?.siteId);
    // The site was removed (or archived) after the request found it: not found, like any page of it.
    if (!view) return sendNotFound(ctx, reply);
    let params: SearchPageParams = { q: '', site: null, channelId: null, from: null, to: null, type: null, page: 1 };
    const subSites = await sitesUnder(readerStore(ctx).db, view.site.id);
    let result: SearchResult | null = null;
    let error: GazetteError | null = null;
    try {
      params = readParams(request.query as Record<string, unknown>);
      if (params.q !== '') {
        const scope = {
          db: readerStore(ctx).db,
          dialect: readerStore(ctx).dialect,
          site: view.site,
          tree: view.tree,
          subSites,
        };
        result = await searchSite(scope, { ...params, pageSize: 10 });
      }
    } catch (caught) {
      if (!isGazetteError(caught) || caught.status !== 400) throw caught;
      error = caught;
    }
    const html = renderOnRequest(
      ctx.theme,
      view,
      'search',
      searchPage(
        view,
        params,
        result,
        error ? error.messageIn('zh') : null,
        subSites.map((s) => ({ id: s.id, name: s.name })),
      ),
    );
    return reply
      .code(error ? 400 : 200)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(fillIncludes(html, { today: dateBarText(ctx.clock.now(), view.site.timeZone) }));
  });
}
