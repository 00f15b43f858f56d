import type { FastifyInstance } from 'fastify';
import { GazetteError } from '../domain/index.js';

/** A body schema describing an object (the only kind /api/v1 takes). */
function isObjectSchema(schema: unknown): boolean {
  return typeof schema === 'object' && schema !== null && (schema as { type?: unknown }).type === 'object';
}

/**
 * An action whose fields are all optional (submit, approve, publish…) is called as `curl -X POST
 * URL` sends it: no body at all, or an empty one under `content-type: application/json`. Both are
 * read as `{}`, so such an action runs, and a route with required fields answers 400 naming the
 * first one missing (`body must have required property 'reason'`), not `body must be object`.
 */
export function acceptEmptyBodies(app: FastifyInstance): void {
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    void json(request, text, done);
  });
  app.addHook('preValidation', (request, _reply, done) => {
    const json = isObjectSchema(request.routeOptions.schema?.body);
    // A form upload to a JSON route would reach it as an empty body (multipart is parsed only
    // by the route that reads files): refused, not taken for an action with no fields.
    // (A route that reads the form's files itself says so: `config.multipartForm`.)
    if (json && request.isMultipart() && request.routeOptions.config.multipartForm !== true)
      return done(
        new GazetteError('CONTENT_TYPE_UNSUPPORTED', { type: 'multipart/form-data', expected: 'application/json' }),
      );
    if (request.body === undefined && json) request.body = {};
    done();
  });
}
