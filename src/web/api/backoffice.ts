import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GazetteError, isGazetteError } from '../../domain/index.js';
import {
  AuditEntrySchema,
  ChannelInputSchema,
  ChannelPatchSchema,
  ChannelViewSchema,
  MediaViewSchema,
  RoleGrantSchema,
  UserViewSchema,
  channelViews,
  createChannel,
  createUser,
  currentSite,
  deleteChannel,
  listAuditEntries,
  listMedia,
  listUsers,
  pageOf,
  requireAnywhere,
  updateChannel,
  updateUser,
  uploadMedia,
  verifyAuditChain,
  MEDIA_LIMITS,
  MAX_IMAGE_PIXELS,
  ROW_ID_MAX,
} from '../../services/index.js';
import { actorOf } from '../auth.js';
import { contextOf, type AppContext } from '../context.js';
import { errorBody } from '../errors.js';
import { auditLogRead, userListRead } from '../read-audit.js';
import { BACK_OFFICE_ERRORS, ErrorSchema, IdParams } from './schemas.js';

const errors = BACK_OFFICE_ERRORS;
const Id = IdParams;
/** How long an editor is told to wait before trying an upload again when the virus scanner is down. */
const SCANNER_RETRY_AFTER_S = 30;

/**
 * MEDIA_SCAN_UNAVAILABLE answered as itself: the error handler answers other 5xx errors as a bare
 * INTERNAL, but here the editor must learn that the scanner is at fault, not the file, and may retry.
 */
function scannerUnavailable(request: FastifyRequest, reply: FastifyReply, error: GazetteError): FastifyReply {
  request.log.warn({ err: error }, 'virus scanner unavailable: upload refused');
  return reply.code(503).header('retry-after', String(SCANNER_RETRY_AFTER_S)).send(errorBody(error));
}

/** Channels, users, media and the audit log. */
export function registerBackOfficeApi(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  // GET and PATCH /api/v1/site live in site.ts.
  api.get(
    '/api/v1/channels',
    {
      config: { permission: 'channel.read' },
      schema: {
        summary: 'Every channel, in tree order',
        tags: ['channels'],
        response: { 200: Type.Object({ items: Type.Array(ChannelViewSchema) }), ...errors },
      },
    },
    async (request) => ({
      items: channelViews((await currentSite(contextOf(request).store.db, contextOf(request).siteId)).tree),
    }),
  );
  api.get(
    '/api/v1/channels/:id',
    {
      config: { permission: 'channel.read' },
      schema: {
        summary: 'One channel',
        tags: ['channels'],
        params: Id,
        response: { 200: ChannelViewSchema, ...errors },
      },
    },
    async (request) => {
      const found = channelViews((await currentSite(contextOf(request).store.db, contextOf(request).siteId)).tree).find(
        (c) => c.id === request.params.id,
      );
      if (!found) throw new GazetteError('CHANNEL_NOT_FOUND', { id: request.params.id });
      return found;
    },
  );
  api.post(
    '/api/v1/channels',
    {
      config: { permission: 'channel.manage' },
      schema: {
        summary: 'Create a channel',
        tags: ['channels'],
        body: ChannelInputSchema,
        response: { 201: ChannelViewSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createChannel(contextOf(request), actorOf(request), request.body)),
  );
  api.patch(
    '/api/v1/channels/:id',
    {
      config: { permission: 'channel.manage' },
      schema: {
        summary: 'Rename, move, reorder or reconfigure a channel',
        tags: ['channels'],
        params: Id,
        body: ChannelPatchSchema,
        response: { 200: ChannelViewSchema, ...errors },
      },
    },
    async (request) => updateChannel(contextOf(request), actorOf(request), request.params.id, request.body),
  );
  api.delete(
    '/api/v1/channels/:id',
    {
      config: { permission: 'channel.manage' },
      schema: {
        summary: 'Delete an empty channel',
        tags: ['channels'],
        params: Id,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await deleteChannel(contextOf(request), actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  api.get(
    '/api/v1/media',
    {
      config: { permission: 'media.read' },
      schema: {
        summary: 'The media library, newest first',
        tags: ['media'],
        querystring: Type.Object({
          kind: Type.Optional(Type.Union([Type.Literal('image'), Type.Literal('attachment')])),
          page: Type.Optional(Type.Integer({ minimum: 1 })),
          pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
        }),
        response: { 200: pageOf(MediaViewSchema), ...errors },
      },
    },
    async (request) => listMedia(contextOf(request), actorOf(request), request.query),
  );
  api.post(
    '/api/v1/media',
    {
      config: { permission: 'media.upload' },
      schema: {
        summary: 'Upload an image (multipart fields `alt`, then `file`) or an attachment (`file`)',
        description: `Images: jpg, png, webp, gif up to ${MEDIA_LIMITS.imageBytes / 1048576} MB and ${MAX_IMAGE_PIXELS / 1_000_000} megapixels, alt text required. Attachments: pdf, doc, docx, xls, xlsx, ofd, zip up to ${MEDIA_LIMITS.attachmentBytes / 1048576} MB. The content is sniffed; an extension that does not match it is refused (415). An upload past the uploader's quota on the site is refused (413 MEDIA_QUOTA_EXCEEDED); every upload is virus-checked: a finding is refused (422 MEDIA_INFECTED), and a configured scanner that cannot answer refuses it too (503 MEDIA_SCAN_UNAVAILABLE).`,
        tags: ['media'],
        consumes: ['multipart/form-data'],
        response: {
          201: MediaViewSchema,
          ...errors,
          413: ErrorSchema,
          415: ErrorSchema,
          422: ErrorSchema,
          503: ErrorSchema,
        },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      requireAnywhere(
        actor,
        'media.upload',
        (await currentSite(contextOf(request).store.db, contextOf(request).siteId)).tree,
      );
      if (!request.isMultipart()) throw new GazetteError('MEDIA_NO_FILE');
      let alt: string | undefined;
      for await (const part of request.parts()) {
        if (part.type === 'field') {
          if (part.fieldname === 'alt') alt = String(part.value);
          continue;
        }
        if (part.fieldname !== 'file') {
          await part.toBuffer();
          continue;
        }
        const data = await part.toBuffer().catch((error: unknown) => {
          if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') return null;
          throw error;
        });
        const view = await uploadMedia(contextOf(request), actor, {
          filename: part.filename,
          data: data ?? Buffer.alloc(1),
          alt,
          truncated: data === null,
        }).catch((error: unknown) => {
          if (isGazetteError(error) && error.code === 'MEDIA_SCAN_UNAVAILABLE') return error;
          throw error;
        });
        if (view instanceof GazetteError) return scannerUnavailable(request, reply, view);
        return reply.code(201).send(view);
      }
      throw new GazetteError('MEDIA_NO_FILE');
    },
  );

  api.get(
    '/api/v1/users',
    {
      config: { permission: 'user.manage' },
      schema: {
        summary: 'Every account',
        tags: ['users'],
        response: { 200: Type.Object({ items: Type.Array(UserViewSchema) }), ...errors },
      },
    },
    async (request) => {
      const items = await listUsers(contextOf(request), actorOf(request));
      await userListRead(request);
      return { items };
    },
  );
  api.post(
    '/api/v1/users',
    {
      config: { permission: 'user.manage', recentProof: true },
      schema: {
        summary: 'Create an account (the user changes the initial password at first sign-in)',
        tags: ['users'],
        body: Type.Object({
          username: Type.String({ minLength: 2, maxLength: 32 }),
          displayName: Type.String({ maxLength: 50 }),
          password: Type.String({ maxLength: 256 }),
          roles: Type.Array(RoleGrantSchema, { maxItems: 50 }),
          email: Type.Optional(
            Type.Union([Type.String({ maxLength: 254 }), Type.Null()], {
              description: 'Where the letter desk’s deadline alerts are mailed',
            }),
          ),
        }),
        response: { 201: UserViewSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createUser(contextOf(request), actorOf(request), request.body)),
  );
  api.patch(
    '/api/v1/users/:id',
    {
      config: { permission: 'user.manage', recentProof: true },
      schema: {
        summary:
          'Change roles, disable, unlock, set a new initial password, reset the second factor, or set the e-mail address',
        tags: ['users'],
        params: Id,
        body: Type.Object({
          displayName: Type.Optional(Type.String({ maxLength: 50 })),
          roles: Type.Optional(Type.Array(RoleGrantSchema, { maxItems: 50 })),
          disabled: Type.Optional(Type.Boolean()),
          unlock: Type.Optional(Type.Boolean()),
          password: Type.Optional(Type.String({ maxLength: 256 })),
          resetSecondFactor: Type.Optional(
            Type.Boolean({ description: 'Switch the one-time-code factor off (a lost phone)' }),
          ),
          email: Type.Optional(
            Type.Union([Type.String({ maxLength: 254 }), Type.Null()], {
              description: 'Where the letter desk’s deadline alerts are mailed; empty or null removes it',
            }),
          ),
        }),
        response: { 200: UserViewSchema, ...errors },
      },
    },
    async (request) => updateUser(contextOf(request), actorOf(request), request.params.id, request.body),
  );

  api.get(
    '/api/v1/audit',
    {
      config: { permission: 'audit.read' },
      schema: {
        summary: 'The audit log, newest first',
        tags: ['audit'],
        querystring: Type.Object({
          user: Type.Optional(Type.String({ maxLength: 64 })),
          action: Type.Optional(Type.String({ maxLength: 64 })),
          article: Type.Optional(Type.Integer({ minimum: 1, maximum: ROW_ID_MAX })),
          from: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
          to: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
          page: Type.Optional(Type.Integer({ minimum: 1 })),
          pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
        }),
        response: { 200: pageOf(AuditEntrySchema), ...errors },
      },
    },
    async (request) => {
      const page = await listAuditEntries(contextOf(request), actorOf(request), request.query);
      await auditLogRead(request, request.query, page);
      return page;
    },
  );
  api.get(
    '/api/v1/audit/verify',
    {
      config: { permission: 'audit.read' },
      schema: {
        summary: 'Check every link of the audit chain',
        tags: ['audit'],
        response: {
          200: Type.Object({
            ok: Type.Boolean(),
            entries: Type.Integer(),
            firstBadSeq: Type.Union([Type.Integer(), Type.Null()]),
            reason: Type.Union([Type.String(), Type.Null()]),
            head: Type.Union([Type.Object({ seq: Type.Integer(), hash: Type.String() }), Type.Null()]),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      requireAnywhere(
        actorOf(request),
        'audit.read',
        (await currentSite(contextOf(request).store.db, contextOf(request).siteId)).tree,
      );
      return verifyAuditChain(ctx.store.db);
    },
  );
}
