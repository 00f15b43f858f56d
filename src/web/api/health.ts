import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { HealthOverviewSchema, HealthReportSchema } from '../../compliance/index.js';
import { healthOverview, runHealthCheck } from '../../services/index.js';
import { actorOf } from '../auth.js';
import { contextOf } from '../context.js';
import { BACK_OFFICE_ERRORS } from './schemas.js';

/** The site's health (国办秘函〔2019〕19号 indicators): the latest report and history, and a run on demand. */
export function registerHealthApi(app: FastifyInstance): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.get(
    '/api/v1/health',
    {
      config: { permission: 'health.read' },
      schema: {
        summary: 'The latest health report, the score history and the updates per column per week',
        tags: ['health'],
        response: { 200: HealthOverviewSchema, ...BACK_OFFICE_ERRORS },
      },
    },
    async (request) => healthOverview(contextOf(request), actorOf(request)),
  );
  api.post(
    '/api/v1/health/run',
    {
      config: { permission: 'site.manage' },
      schema: {
        summary: 'Run the health check now and store it',
        description:
          'Recomputes column freshness and the score; link findings are those kept by the checks on publish and the nightly sweep.',
        tags: ['health'],
        response: { 201: HealthReportSchema, ...BACK_OFFICE_ERRORS },
      },
    },
    async (request, reply) => reply.code(201).send(await runHealthCheck(contextOf(request), actorOf(request))),
  );
}
