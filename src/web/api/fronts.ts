import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import {
  frontEvents,
  FrontEventViewSchema,
  FrontStatusSchema,
  handleFrontEvent,
  listFronts,
  ROW_ID_MAX,
} from '../../services/index.js';
import { actorOf } from '../auth.js';
import { contextOf } from '../context.js';
import { BACK_OFFICE_ERRORS, IdParams } from './schemas.js';

const tags = ['fronts'];

/**
 * The tamper events are the platform administrator's (every site) and each site administrator's
 * (their own site): the gate lets either through and the service keeps each to its reach.
 */
const EVENT_READERS = ['platform.manage', 'site.manage'] as const;

/**
 * 前端服务器 (分发, 网页防篡改): the fronts' state and lag, and the tamper events they report.
 * Fronts are added and removed on the command line only (`gazette front add|remove`): that needs
 * the front's token file on the CMS machine, which a browser has no business sending.
 */
export function registerFrontsApi(app: FastifyInstance): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.get(
    '/api/v1/fronts',
    {
      config: { permission: 'platform.manage' },
      schema: {
        summary: 'The front servers published pages are pushed to: state, lag, last contact and last sweep',
        description: 'Fronts are added and removed with `gazette front add|remove` on the CMS machine.',
        tags,
        response: { 200: Type.Object({ items: Type.Array(FrontStatusSchema) }), ...BACK_OFFICE_ERRORS },
      },
    },
    async (request) => ({ items: await listFronts(contextOf(request), actorOf(request)) }),
  );
  api.get(
    '/api/v1/fronts/events',
    {
      config: { permission: EVENT_READERS },
      schema: {
        summary: 'Tamper events the fronts reported (newest first, at most 500)',
        description:
          "A site administrator sees their site's events; the platform administrator every site's, or one site's with `site`.",
        tags,
        querystring: Type.Object(
          {
            site: Type.Optional(Type.Integer({ minimum: 1, maximum: ROW_ID_MAX, description: 'Only this site' })),
            unhandled: Type.Optional(Type.Boolean({ description: 'Only the events nobody has handled yet' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(FrontEventViewSchema) }), ...BACK_OFFICE_ERRORS },
      },
    },
    async (request) => {
      const { site, unhandled } = request.query;
      const query = { ...(site !== undefined && { siteId: site }), ...(unhandled !== undefined && { unhandled }) };
      return { items: await frontEvents(contextOf(request), actorOf(request), query) };
    },
  );
  api.post(
    '/api/v1/fronts/events/:id/handle',
    {
      config: { permission: EVENT_READERS },
      schema: {
        summary: 'Mark a tamper event handled (标记为已处理), with what was done about it',
        description: 'An event already handled stays as it was handled first.',
        tags,
        params: IdParams,
        body: Type.Object(
          { note: Type.String({ maxLength: 1000, description: 'What was done: found the cause, closed the hole…' }) },
          { additionalProperties: false },
        ),
        response: { 200: FrontEventViewSchema, ...BACK_OFFICE_ERRORS },
      },
    },
    async (request) => handleFrontEvent(contextOf(request), actorOf(request), request.params.id, request.body.note),
  );
}
