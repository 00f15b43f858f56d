import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { WORKFLOW_STEPS, STEP_PERMISSION } from '../../domain/index.js';
import {
  ArticleInputSchema,
  ArticlePatchSchema,
  ArticleStatusSchema,
  ArticleSummarySchema,
  ArticleViewSchema,
  ContentTypeKeySchema,
  DiffPartSchema,
  RevisionSchema,
  RevisionSummarySchema,
  createArticle,
  dashboard,
  deleteArticle,
  diffArticleRevisions,
  getArticle,
  getRevision,
  listArticles,
  listRevisions,
  pageOf,
  restoreRevision,
  stepArticle,
  updateArticle,
  ROW_ID_MAX,
} from '../../services/index.js';
import { actorOf } from '../auth.js';
import { contextOf } from '../context.js';
import { articleRead } from '../read-audit.js';
import { BACK_OFFICE_ERRORS, ConflictSchema, ErrorSchema, IdParams } from './schemas.js';
import { WordingBlockedSchema } from './wording.js';

const errors = BACK_OFFICE_ERRORS;
const Id = IdParams;
const RevisionParams = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: ROW_ID_MAX }),
  n: Type.Integer({ minimum: 1, maximum: ROW_ID_MAX }),
});

/** Articles: CRUD, the workflow steps, revisions, and the dashboard's lists. */
export function registerArticleApi(app: FastifyInstance): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['articles'];

  api.get(
    '/api/v1/dashboard',
    {
      config: { permission: 'article.read' },
      schema: {
        summary: 'My drafts, what waits for my review or signature, what was published lately',
        tags,
        response: {
          200: Type.Object({
            myDrafts: Type.Array(ArticleSummarySchema),
            awaitingMyReview: Type.Array(ArticleSummarySchema),
            awaitingPublish: Type.Array(ArticleSummarySchema),
            recentlyPublished: Type.Array(ArticleSummarySchema),
          }),
          ...errors,
        },
      },
    },
    async (request) => dashboard(contextOf(request), actorOf(request)),
  );

  api.get(
    '/api/v1/articles',
    {
      config: { permission: 'article.read' },
      schema: {
        summary: 'Articles in every status, filtered; queue=review|publish lists what waits for you',
        tags,
        querystring: Type.Object({
          status: Type.Optional(ArticleStatusSchema),
          channel: Type.Optional(Type.Integer({ minimum: 1, maximum: ROW_ID_MAX })),
          q: Type.Optional(Type.String({ maxLength: 100, description: 'Words in the title' })),
          mine: Type.Optional(Type.Boolean()),
          queue: Type.Optional(Type.Union([Type.Literal('review'), Type.Literal('publish')])),
          type: Type.Optional(ContentTypeKeySchema),
          page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
          pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
        }),
        response: { 200: pageOf(ArticleSummarySchema), ...errors },
      },
    },
    async (request) => {
      const { channel, ...rest } = request.query;
      return listArticles(contextOf(request), actorOf(request), { ...rest, channelId: channel });
    },
  );

  api.post(
    '/api/v1/articles',
    {
      config: { permission: 'article.create' },
      schema: {
        summary: 'Write a new article (a draft)',
        tags,
        body: ArticleInputSchema,
        // 422: a relation to an item of the wrong type, or to none.
        response: { 201: ArticleViewSchema, ...errors, 422: ErrorSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createArticle(contextOf(request), actorOf(request), request.body)),
  );

  api.get(
    '/api/v1/articles/:id',
    {
      config: { permission: 'article.read' },
      schema: { summary: 'One article', tags, params: Id, response: { 200: ArticleViewSchema, ...errors } },
    },
    async (request) => {
      const article = await getArticle(contextOf(request), actorOf(request), request.params.id);
      await articleRead(request, article);
      return article;
    },
  );

  api.patch(
    '/api/v1/articles/:id',
    {
      config: { permission: 'article.edit' },
      schema: {
        summary:
          'Save an edit made on `version`; 409 with the current article and the changed fields if someone saved first',
        tags,
        params: Id,
        body: ArticlePatchSchema,
        response: {
          200: ArticleViewSchema,
          ...errors,
          409: Type.Union([ConflictSchema, ErrorSchema]),
          422: ErrorSchema,
        },
      },
    },
    async (request) => updateArticle(contextOf(request), actorOf(request), request.params.id, request.body),
  );

  api.delete(
    '/api/v1/articles/:id',
    {
      config: { permission: 'article.delete' },
      schema: {
        summary: 'Delete a draft or withdrawn article',
        tags,
        params: Id,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await deleteArticle(contextOf(request), actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  for (const step of WORKFLOW_STEPS) {
    api.post(
      `/api/v1/articles/:id/${step}`,
      {
        config: { permission: STEP_PERMISSION[step] },
        schema: {
          summary: `Workflow: ${step}`,
          tags: ['workflow'],
          params: Id,
          body: Type.Optional(
            Type.Object({
              comment: Type.Optional(Type.String({ maxLength: 2000 })),
              reason: Type.Optional(Type.String({ maxLength: 2000 })),
              at: Type.Optional(
                Type.String({ format: 'date-time', description: 'publish/withdraw: at this time instead of now' }),
              ),
            }),
          ),
          response: {
            200: ArticleViewSchema,
            ...errors,
            // Serious wording findings (with the findings), or an item missing what publishing requires.
            ...(step === 'submit' || step === 'publish'
              ? { 422: Type.Union([WordingBlockedSchema, ErrorSchema]) }
              : {}),
          },
        },
      },
      async (request) => stepArticle(contextOf(request), actorOf(request), request.params.id, step, request.body ?? {}),
    );
  }

  api.get(
    '/api/v1/articles/:id/revisions',
    {
      config: { permission: 'article.read' },
      schema: {
        summary: 'Every saved state, newest first',
        tags: ['revisions'],
        params: Id,
        response: { 200: Type.Object({ items: Type.Array(RevisionSummarySchema) }), ...errors },
      },
    },
    async (request) => ({ items: await listRevisions(contextOf(request), actorOf(request), request.params.id) }),
  );
  api.get(
    '/api/v1/articles/:id/revisions/:n',
    {
      config: { permission: 'article.read' },
      schema: {
        summary: 'One revision',
        tags: ['revisions'],
        params: RevisionParams,
        response: { 200: RevisionSchema, ...errors },
      },
    },
    async (request) => getRevision(contextOf(request), actorOf(request), request.params.id, request.params.n),
  );
  api.get(
    '/api/v1/articles/:id/revisions/:n/diff',
    {
      config: { permission: 'article.read' },
      schema: {
        summary: 'Word-level diff of a revision against another (default: the one before)',
        tags: ['revisions'],
        params: RevisionParams,
        querystring: Type.Object({ against: Type.Optional(Type.Integer({ minimum: 1, maximum: ROW_ID_MAX })) }),
        response: {
          200: Type.Object({ title: Type.Array(DiffPartSchema), body: Type.Array(DiffPartSchema) }),
          ...errors,
        },
      },
    },
    async (request) =>
      diffArticleRevisions(
        contextOf(request),
        actorOf(request),
        request.params.id,
        request.params.n,
        request.query.against,
      ),
  );
  api.post(
    '/api/v1/articles/:id/revisions/:n/restore',
    {
      config: { permission: 'article.edit' },
      schema: {
        summary: 'Make a revision the current content (saved as a new revision)',
        tags: ['revisions'],
        params: RevisionParams,
        body: Type.Object({ version: Type.Integer({ minimum: 1, maximum: ROW_ID_MAX }) }),
        response: {
          200: ArticleViewSchema,
          ...errors,
          409: Type.Union([ConflictSchema, ErrorSchema]),
          422: ErrorSchema,
        },
      },
    },
    async (request) =>
      restoreRevision(contextOf(request), actorOf(request), request.params.id, request.params.n, request.body.version),
  );
}
