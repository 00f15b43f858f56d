import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { MAX_PAGE, MAX_QUERY_LENGTH, SearchResultSchema, SearchTypeSchema, searchSite } from '../../search/index.js';
import { loadSiteView } from '../../publish/index.js';
import { GazetteError } from '../../domain/index.js';
import { readerStore, type AppContext } from '../context.js';
import { ROW_ID_MAX, sitesUnder } from '../../services/index.js';
import { ErrorSchema } from './schemas.js';

const SearchQuery = Type.Object({
  q: Type.String({
    description: `Words, "phrases", -exclusions, OR; pinyin (wujiang) and initials (wjq). At most ${MAX_QUERY_LENGTH} characters.`,
  }),
  channel: Type.Optional(
    Type.Integer({ minimum: 1, maximum: ROW_ID_MAX, description: 'Only this channel and its sub-channels' }),
  ),
  from: Type.Optional(
    Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'Published on or after this local date' }),
  ),
  to: Type.Optional(
    Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'Published on or before this local date' }),
  ),
  type: Type.Optional(SearchTypeSchema),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10 })),
  site: Type.Optional(
    Type.String({
      pattern: '^(all|\\d{1,9})$',
      description:
        "all: this site and every site under it (the portal's departments and towns); an id: that one of them",
    }),
  ),
});

export function registerSearchApi(app: FastifyInstance, ctx: AppContext): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/api/v1/search',
    {
      config: { permission: 'public' },
      schema: {
        summary: 'Search the published pages of the site',
        tags: ['search'],
        querystring: SearchQuery,
        response: { 200: SearchResultSchema, 400: ErrorSchema },
      },
    },
    async (request) => {
      const view = await loadSiteView(readerStore(ctx).db, request.siteContext?.siteId);
      // The site was removed after the request found it.
      if (!view) throw new GazetteError('NOT_FOUND');
      const { q, channel, from, to, type, page, pageSize, site } = request.query;
      const db = readerStore(ctx).db;
      const subSites = site === undefined ? [] : await sitesUnder(db, view.site.id);
      return searchSite(
        { db, dialect: readerStore(ctx).dialect, site: view.site, tree: view.tree, subSites },
        {
          q,
          site: site === undefined ? null : site === 'all' ? 'all' : Number(site),
          channelId: channel ?? null,
          from: from ?? null,
          to: to ?? null,
          type: type ?? null,
          page,
          pageSize,
        },
      );
    },
  );
}
