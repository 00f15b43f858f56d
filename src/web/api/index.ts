import type { FastifyInstance } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import type { AppContext } from '../context.js';
import { registerSearchApi } from './search.js';

/** /api/v1: JSON routes whose schemas also generate /api/openapi.json. */
export async function registerApi(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Gazette API', version: '1', description: 'Public and back-office API of a Gazette portal' },
    },
    hideUntagged: true,
  });
  registerSearchApi(app, ctx);
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
