import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import {
  WordingCheckInputSchema,
  WordingEntryInputSchema,
  WordingEntryPatchSchema,
  WordingEntrySchema,
  WordingFindingSchema,
  WordingOverrideSchema,
  checkWording,
  createWordingEntry,
  deleteWordingEntry,
  listWordingEntries,
  overrideWording,
  pageOf,
  updateWordingEntry,
} from '../../services/index.js';
import { actorOf } from '../auth.js';
import { contextOf } from '../context.js';
import { BACK_OFFICE_ERRORS, ErrorSchema, IdParams } from './schemas.js';

const errors = BACK_OFFICE_ERRORS;
const tags = ['wording'];

/** 422 on a submit or publish stopped by serious wording findings: the findings come with it. */
export const WordingBlockedSchema = Type.Object({
  code: Type.Literal('WORDING_SERIOUS'),
  message: Type.String(),
  messageEn: Type.String(),
  findings: Type.Array(WordingFindingSchema),
});

/** The wording check (错敏词): the live check, the site's own dictionary entries, the override. */
export function registerWordingApi(app: FastifyInstance): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.post(
    '/api/v1/wording/check',
    {
      config: { permission: 'wording.read' },
      schema: {
        summary: 'Check a title, summary and body (HTML) against the wording dictionary (错敏词)',
        description:
          "Offsets are in each field's text (the body's text as htmlToText gives it). Serious findings block submission.",
        tags,
        body: WordingCheckInputSchema,
        response: { 200: Type.Object({ findings: Type.Array(WordingFindingSchema) }), ...errors },
      },
    },
    async (request) => checkWording(contextOf(request), actorOf(request), request.body),
  );

  api.get(
    '/api/v1/wording/entries',
    {
      config: { permission: 'wording.read' },
      schema: {
        summary: "The dictionary: the site's own entries, then the shipped ones",
        tags,
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 100, description: 'Part of the phrase or the suggestion' })),
          source: Type.Optional(Type.Union([Type.Literal('site'), Type.Literal('shipped'), Type.Literal('all')])),
          page: Type.Optional(Type.Integer({ minimum: 1 })),
          pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
        }),
        response: {
          200: Type.Object({
            ...pageOf(WordingEntrySchema).properties,
            shipped: Type.Integer({ description: 'Entries in the shipped dictionary' }),
          }),
          ...errors,
        },
      },
    },
    async (request) => listWordingEntries(contextOf(request), actorOf(request), request.query),
  );

  api.post(
    '/api/v1/wording/entries',
    {
      config: { permission: 'wording.manage' },
      schema: {
        summary: "Add an entry to the site's own list (enabled=false turns off a shipped entry with the same phrase)",
        tags,
        body: WordingEntryInputSchema,
        response: { 201: WordingEntrySchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createWordingEntry(contextOf(request), actorOf(request), request.body)),
  );

  api.patch(
    '/api/v1/wording/entries/:id',
    {
      config: { permission: 'wording.manage' },
      schema: {
        summary: "Change one of the site's entries",
        tags,
        params: IdParams,
        body: WordingEntryPatchSchema,
        response: { 200: WordingEntrySchema, ...errors },
      },
    },
    async (request) => updateWordingEntry(contextOf(request), actorOf(request), request.params.id, request.body),
  );

  api.delete(
    '/api/v1/wording/entries/:id',
    {
      config: { permission: 'wording.manage' },
      schema: {
        summary: "Remove one of the site's entries",
        tags,
        params: IdParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await deleteWordingEntry(contextOf(request), actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  api.post(
    '/api/v1/articles/:id/wording-override',
    {
      config: { permission: 'wording.override' },
      schema: {
        summary: "Security administrator: let the current content's serious wording findings through (audited)",
        tags,
        params: IdParams,
        body: Type.Object({ reason: Type.String({ maxLength: 2000 }) }),
        response: { 201: WordingOverrideSchema, ...errors, 409: ErrorSchema },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await overrideWording(contextOf(request), actorOf(request), request.params.id, request.body.reason)),
  );
}
