import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import {
  DisclosureEditSchema,
  DisclosureInputSchema,
  DisclosureReportSchema,
  DisclosureViewSchema,
  disclosureReport,
  getDisclosure,
  removeDisclosure,
  setDisclosure,
} from '../../services/index.js';
import { actorOf } from '../auth.js';
import { contextOf } from '../context.js';
import { BACK_OFFICE_ERRORS, IdParams } from './schemas.js';

/** 信息公开: an article's disclosure metadata, and the annual report's figures. */
export function registerDisclosureApi(app: FastifyInstance): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['disclosure'];
  const errors = BACK_OFFICE_ERRORS;

  api.get(
    '/api/v1/articles/:id/disclosure',
    {
      config: { permission: 'article.read' },
      schema: {
        summary:
          'The article’s 信息公开 metadata (null when not disclosed), the form’s defaults, 主题分类 and 公开方式',
        tags,
        params: IdParams,
        response: { 200: DisclosureEditSchema, ...errors },
      },
    },
    async (request) => getDisclosure(contextOf(request), actorOf(request), request.params.id),
  );

  api.put(
    '/api/v1/articles/:id/disclosure',
    {
      config: { permission: 'article.edit' },
      schema: {
        summary:
          'Mark the article as disclosed information or correct its metadata; the 索引号 is allocated once and never changes',
        tags,
        params: IdParams,
        body: DisclosureInputSchema,
        response: { 200: DisclosureViewSchema, ...errors },
      },
    },
    async (request) => setDisclosure(contextOf(request), actorOf(request), request.params.id, request.body),
  );

  api.delete(
    '/api/v1/articles/:id/disclosure',
    {
      config: { permission: 'article.edit' },
      schema: {
        summary: 'Take the 信息公开 metadata off (its 索引号 is retired, never reused)',
        tags,
        params: IdParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await removeDisclosure(contextOf(request), actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  api.get(
    '/api/v1/disclosure/report',
    {
      config: { permission: 'article.read' },
      schema: {
        summary:
          'Annual report figures: disclosed articles published in a year by 主题分类, 公开方式 and 发布机构, with withdrawn counts',
        tags,
        querystring: Type.Object({
          year: Type.Optional(
            Type.Integer({ minimum: 2000, maximum: 2100, description: 'Default: this year on the site’s clock' }),
          ),
        }),
        response: { 200: DisclosureReportSchema, ...errors },
      },
    },
    async (request) => disclosureReport(contextOf(request), actorOf(request), request.query.year),
  );
}
