import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { MAX_PAGE, MAX_QUERY_LENGTH, SearchResultSchema, searchSite } from '../../search/index.js';
import { loadSiteView } from '../../publish/index.js';
import { GazetteError } from '../../domain/index.js';
import { readerStore, type AppContext } from '../context.js';
import { ErrorSchema } from './schemas.js';

const SearchQuery = Type.Object({
  q: Type.String({ description: `Words, "phrases", -exclusions, OR; pinyin (wujiang) and initials (wjq). At most ${MAX_QUERY_LENGTH} characters.` }),
  channel: Type.Optional(Type.Integer({ minimum: 1, description: 'Only this channel and its sub-channels' })),
  from: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'Published on or after this local date' })),
  to: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'Published on or before this local date' })),
  type: Type.Optional(Type.Union([Type.Literal('article'), Type.Literal('page')])),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10 })),
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
      if (!view) throw new GazetteError('SITE_MISSING');
      const { q, channel, from, to, type, page, pageSize } = request.query;
      return searchSite(
        { db: readerStore(ctx).db, dialect: readerStore(ctx).dialect, site: view.site, tree: view.tree },
        { q, channelId: channel ?? null, from: from ?? null, to: to ?? null, type: type ?? null, page, pageSize },
      );
    },
  );
}
