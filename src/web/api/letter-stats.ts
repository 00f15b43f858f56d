import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import {
  LetterStatisticsSchema,
  LetterStatsQuerySchema,
  letterStatistics,
  publicLetterStatistics,
} from '../../services/index.js';
import { actorOf } from '../auth.js';
import { contextOf } from '../context.js';
import { BACK_OFFICE_ERRORS, ErrorSchema } from './schemas.js';

/** 信件统计: the letter desk's figures, for the office and, the same, for the public. */
export function registerLetterStatsApi(app: FastifyInstance): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.get(
    '/api/v1/letter-stats',
    {
      config: { permission: 'case.read' },
      schema: {
        summary:
          'The letters received in a year or month, by type, unit and month: 受理量, 不予受理数, 办结量, 办结率, 按期办结率, 超期数, 平均办理时长, 公开答复数, 满意率',
        tags: ['letters'],
        querystring: LetterStatsQuerySchema,
        response: { 200: LetterStatisticsSchema, ...BACK_OFFICE_ERRORS },
      },
    },
    async (request) => letterStatistics(contextOf(request), actorOf(request), request.query),
  );
  api.get(
    '/api/v1/public/letter-stats',
    {
      config: { permission: 'public' },
      schema: {
        summary: 'The same figures as the public page /xinxiang/tongji shows them',
        tags: ['letters (public)'],
        querystring: LetterStatsQuerySchema,
        response: { 200: LetterStatisticsSchema, 400: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'public, max-age=300');
      return publicLetterStatistics(contextOf(request), request.query);
    },
  );
}
