import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { STEP_PERMISSION, WORKFLOW_STEPS } from '../../domain/index.js';
import {
  AdoptionSchema,
  ArticleStatusSchema,
  NewPlacementSchema,
  NewSubmissionSchema,
  PlacementSchema,
  SubmissionColumnSchema,
  SubmissionSchema,
  SubmissionStatsSchema,
  SubmissionStatusSchema,
  SubmissionTargetSchema,
  adoptSubmission,
  listPlacements,
  listSubmissions,
  pageOf,
  placeArticle,
  placementsOfArticle,
  removePlacement,
  returnSubmission,
  setSubmissionColumn,
  stepPlacement,
  submissionColumnsOf,
  submissionStats,
  submissionTargets,
  submitArticle,
} from '../../services/index.js';
import { actorOf } from '../auth.js';
import { contextOf } from '../context.js';
import { BACK_OFFICE_ERRORS, ErrorSchema, IdParams as Id } from './schemas.js';

/** Refusals here also answer 422: a column that holds no articles, a submission to the own site. */
const errors = { ...BACK_OFFICE_ERRORS, 422: ErrorSchema };

/** 引用 (placements of an article in more columns) and 信息报送 (submissions between sites). */
export function registerSharingApi(app: FastifyInstance): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['sharing'];

  api.get(
    '/api/v1/placements',
    {
      config: { permission: 'article.read' },
      schema: {
        summary: "Articles placed in the site's columns (引用稿件), newest change first",
        tags,
        querystring: Type.Object({ status: Type.Optional(ArticleStatusSchema) }),
        response: { 200: Type.Object({ items: Type.Array(PlacementSchema) }), ...errors },
      },
    },
    async (request) => ({
      items: await listPlacements(
        contextOf(request),
        actorOf(request),
        request.query.status ? [request.query.status] : null,
      ),
    }),
  );
  api.post(
    '/api/v1/placements',
    {
      config: { permission: 'article.edit' },
      schema: {
        summary: 'Show an article in one more list column, of this site or another (引用)',
        tags,
        body: NewPlacementSchema,
        response: { 201: PlacementSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await placeArticle(contextOf(request), actorOf(request), request.body)),
  );
  for (const step of WORKFLOW_STEPS.filter((s) => s !== 'submit')) {
    api.post(
      `/api/v1/placements/:id/${step}`,
      {
        config: { permission: STEP_PERMISSION[step] },
        schema: {
          summary: `Placement workflow: ${step}, on the receiving column's rules`,
          tags,
          params: Id,
          body: Type.Optional(
            Type.Object({
              comment: Type.Optional(Type.String({ maxLength: 2000 })),
              reason: Type.Optional(Type.String({ maxLength: 2000 })),
            }),
          ),
          response: { 200: PlacementSchema, ...errors },
        },
      },
      async (request) =>
        stepPlacement(contextOf(request), actorOf(request), request.params.id, step, request.body ?? {}),
    );
  }
  api.delete(
    '/api/v1/placements/:id',
    {
      config: { permission: 'article.edit' },
      schema: {
        summary: 'Remove a placement that is not on its column (withdraw it first)',
        tags,
        params: Id,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await removePlacement(contextOf(request), actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
  api.get(
    '/api/v1/articles/:id/placements',
    {
      config: { permission: 'article.read' },
      schema: {
        summary: 'Every column, of any site, an article of this site is placed in',
        tags,
        params: Id,
        response: { 200: Type.Object({ items: Type.Array(PlacementSchema) }), ...errors },
      },
    },
    async (request) => ({ items: await placementsOfArticle(contextOf(request), actorOf(request), request.params.id) }),
  );

  api.get(
    '/api/v1/submissions',
    {
      config: { permission: 'article.read' },
      schema: {
        summary: 'inbox: submissions to this site (报送稿件); sent: what this site submitted, with their state',
        tags,
        querystring: Type.Object({
          box: Type.Union([Type.Literal('inbox'), Type.Literal('sent')]),
          status: Type.Optional(SubmissionStatusSchema),
          page: Type.Optional(Type.Integer({ minimum: 1 })),
          pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
        }),
        response: { 200: pageOf(SubmissionSchema), ...errors },
      },
    },
    async (request) => listSubmissions(contextOf(request), actorOf(request), request.query),
  );
  api.get(
    '/api/v1/submissions/targets',
    {
      config: { permission: 'article.submit' },
      schema: {
        summary: 'Columns of other sites that take submissions (报送栏目)',
        tags,
        response: { 200: Type.Object({ items: Type.Array(SubmissionTargetSchema) }), ...errors },
      },
    },
    async (request) => ({ items: await submissionTargets(contextOf(request), actorOf(request)) }),
  );
  api.post(
    '/api/v1/submissions',
    {
      config: { permission: 'article.submit' },
      schema: {
        summary: "Submit an article of this site to another site's column (信息报送)",
        tags,
        body: NewSubmissionSchema,
        response: { 201: SubmissionSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await submitArticle(contextOf(request), actorOf(request), request.body)),
  );
  api.post(
    '/api/v1/submissions/:id/adopt',
    {
      config: { permission: 'article.edit' },
      schema: {
        summary: '采用: as a placement of the original, or as a draft copy to edit',
        tags,
        params: Id,
        body: AdoptionSchema,
        response: { 200: SubmissionSchema, ...errors },
      },
    },
    async (request) => adoptSubmission(contextOf(request), actorOf(request), request.params.id, request.body),
  );
  api.post(
    '/api/v1/submissions/:id/return',
    {
      config: { permission: 'article.edit' },
      schema: {
        summary: '退回 with a reason the sender sees',
        tags,
        params: Id,
        body: Type.Object({ reason: Type.String({ maxLength: 2000 }) }, { additionalProperties: false }),
        response: { 200: SubmissionSchema, ...errors },
      },
    },
    async (request) => returnSubmission(contextOf(request), actorOf(request), request.params.id, request.body.reason),
  );
  api.get(
    '/api/v1/submissions/stats',
    {
      config: { permission: 'article.read' },
      schema: {
        summary: '信息报送考核: 报送数, 采用数, 退回数, 采用率 and points per submitting unit, ranked',
        tags,
        querystring: Type.Object({ period: Type.String({ description: 'YYYY or YYYY-MM' }) }),
        response: { 200: SubmissionStatsSchema, ...errors },
      },
    },
    async (request) => submissionStats(contextOf(request), actorOf(request), request.query.period),
  );
  api.get(
    '/api/v1/submission-columns',
    {
      config: { permission: 'channel.read' },
      schema: {
        summary: "The site's columns that take submissions, with their points",
        tags,
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({ channelId: Type.Integer(), channelName: Type.String(), points: Type.Integer() }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => ({ items: await submissionColumnsOf(contextOf(request), actorOf(request)) }),
  );
  api.put(
    '/api/v1/channels/:id/submissions',
    {
      config: { permission: 'channel.manage' },
      schema: {
        summary: 'Open a column to submissions from other sites (with points per adopted article), or close it',
        tags,
        params: Id,
        body: SubmissionColumnSchema,
        response: { 200: Type.Object({ open: Type.Boolean(), points: Type.Integer() }), ...errors },
      },
    },
    async (request) => setSubmissionColumn(contextOf(request), actorOf(request), request.params.id, request.body),
  );
}
