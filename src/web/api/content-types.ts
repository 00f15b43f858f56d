import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { SHIPPED_TYPES } from '../../domain/index.js';
import {
  ContentTypeViewSchema,
  FieldInputSchema,
  addContentField,
  listContentTypes,
  removeContentField,
} from '../../services/index.js';
import { actorOf } from '../auth.js';
import { contextOf } from '../context.js';
import { BACK_OFFICE_ERRORS } from './schemas.js';

const errors = BACK_OFFICE_ERRORS;
// A type by its key or its Chinese label (policy or 政策文件).
const TypeName = Type.Union(SHIPPED_TYPES.flatMap((t) => [Type.Literal(t.key), Type.Literal(t.label)]));
const TypeParams = Type.Object({ type: TypeName });
const FieldParams = Type.Object({ type: TypeParams.properties.type, name: Type.String({ maxLength: 40 }) });

/** Content types: their fields (shipped and added by the site), and the site administrator's changes. */
export function registerContentTypeApi(app: FastifyInstance): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['content types'];

  api.get(
    '/api/v1/content-types',
    {
      config: { permission: 'article.read' },
      schema: {
        summary: 'Every content type with its fields (the shipped ones and those this site added)',
        tags,
        response: { 200: Type.Array(ContentTypeViewSchema), ...errors },
      },
    },
    async (request) => listContentTypes(contextOf(request), actorOf(request)),
  );

  api.post(
    '/api/v1/content-types/:type/fields',
    {
      config: { permission: 'site.manage' },
      schema: {
        summary: 'Add a field to a type on this site: no item changes and no page is rendered',
        tags,
        params: TypeParams,
        body: FieldInputSchema,
        response: { 201: ContentTypeViewSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await addContentField(contextOf(request), actorOf(request), request.params.type, request.body)),
  );

  api.delete(
    '/api/v1/content-types/:type/fields/:name',
    {
      config: { permission: 'site.manage' },
      schema: {
        summary:
          'Remove a field this site added; refused (409) while items hold values, unless force=true archives them first',
        tags,
        params: FieldParams,
        querystring: Type.Object({ force: Type.Optional(Type.Boolean()) }),
        response: { 200: Type.Object({ archived: Type.Integer() }), ...errors },
      },
    },
    async (request) =>
      removeContentField(contextOf(request), actorOf(request), request.params.type, request.params.name, {
        force: request.query.force === true,
      }),
  );
}
