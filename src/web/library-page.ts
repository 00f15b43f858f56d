import type { FastifyInstance } from 'fastify';
import { GazetteError, LIBRARY_SEARCH_PATH, dateBarText, isGazetteError, libraryChannelIds } from '../domain/index.js';
import {
  NO_LIBRARY_FILTER,
  fillIncludes,
  librarySearchPage,
  loadSiteView,
  readLibraryParams,
  renderOnRequest,
  type LibraryParams,
} from '../publish/index.js';
import { readerStore, type AppContext } from './context.js';
import { sendNotFound } from './public.js';

/** `/zcwjk/search?organization=…&topic=…&year=…&validity=…&q=…`: the 政策文件库 filtered, rendered on request. */
export function registerLibraryPage(app: FastifyInstance, ctx: AppContext): void {
  app.get(LIBRARY_SEARCH_PATH, async (request, reply) => {
    const store = readerStore(ctx);
    const view = await loadSiteView(store.db, request.siteContext?.siteId);
    if (!view || libraryChannelIds(view.tree).length === 0) return sendNotFound(ctx, reply);
    let params: LibraryParams = NO_LIBRARY_FILTER;
    let error: GazetteError | null = null;
    try {
      params = readLibraryParams(request.query as Record<string, unknown>);
    } catch (caught) {
      if (!isGazetteError(caught) || caught.status !== 400) throw caught;
      error = caught;
    }
    const model = await librarySearchPage(store.db, store.dialect, view, params, error ? error.messageIn('zh') : null);
    return reply
      .code(error ? 400 : 200)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(
        fillIncludes(renderOnRequest(ctx.theme, view, 'library', model), {
          today: dateBarText(ctx.clock.now(), view.site.timeZone),
        }),
      );
  });
}
