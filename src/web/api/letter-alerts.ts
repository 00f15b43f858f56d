import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { LetterAlertViewSchema, letterAlerts } from '../../services/index.js';
import { actorOf } from '../auth.js';
import { contextOf } from '../context.js';
import { BACK_OFFICE_ERRORS } from './schemas.js';

/** The letter desk's deadline alerts on the back office's dashboard. */
export function registerLetterAlertApi(app: FastifyInstance): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.get(
    '/api/v1/letter-alerts',
    {
      config: { permission: 'case.read' },
      schema: {
        summary: 'Deadline alerts of the letters you handle that still wait for an answer, newest first',
        description:
          'The office and the site administrator see the site’s letters, a handler those of their units. Per letter, the latest deadline alert (50%, 80%, 100% of the working days) and the latest veto alert (60, 80, 90 days unanswered).',
        tags: ['letters'],
        response: { 200: Type.Object({ items: Type.Array(LetterAlertViewSchema) }), ...BACK_OFFICE_ERRORS },
      },
    },
    async (request) => letterAlerts(contextOf(request), actorOf(request)),
  );
}
