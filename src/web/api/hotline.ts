import { Readable } from 'node:stream';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  HOTLINE_CALLBACK_PATH,
  HotlineCallbackAnswerSchema,
  HotlineCallbackSchema,
  HotlineDeliveryPageSchema,
  HotlineDeliveryQuerySchema,
  HotlineSecretSchema,
  HotlineSettingsInputSchema,
  HotlineSettingsSchema,
  hotlineDeliveries,
  hotlineSettings,
  rotateHotlineSecret,
  takeHotlineCallback,
  updateHotlineSettings,
  verifyHotlineCallback,
} from '../../services/index.js';
import { actorOf } from '../auth.js';
import { contextOf } from '../context.js';
import { BACK_OFFICE_ERRORS, ErrorSchema } from './schemas.js';

/** A callback's body is small: a reply of at most 20,000 characters and a few fields. */
const CALLBACK_BODY_LIMIT = 128 * 1024;

/** The bytes of each callback's body as they came, for its signature (this route only). */
const rawBodies = new WeakMap<FastifyRequest, Buffer>();

function tooLarge(): Error {
  return Object.assign(new Error(`the body is larger than ${CALLBACK_BODY_LIMIT} bytes`), { statusCode: 413 });
}

const SIGNATURE_HEADERS = Type.Object({
  'x-gazette-timestamp': Type.Optional(
    Type.String({ description: 'Unix seconds; within 5 minutes of the server’s clock, else 401 (stale)' }),
  ),
  'x-gazette-signature': Type.Optional(
    Type.String({
      description:
        '`sha256=` + hex HMAC-SHA256 under the shared secret (its UTF-8 bytes) of `${X-Gazette-Timestamp}.${body}`, over the body’s exact bytes; missing or wrong: 401 SIGNATURE_INVALID',
    }),
  ),
});

/**
 * The 12345 city hotline link: its settings, its secret and its webhook deliveries in the back
 * office, and the public, signed callback the hotline posts to.
 */
/** Callbacks taken from one address in a minute; the next get 429 RATE_LIMITED. */
export const CALLBACKS_PER_MINUTE = 120;

export function registerHotlineApi(app: FastifyInstance): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['letters'];
  api.get(
    '/api/v1/hotline',
    {
      config: { permission: 'case.manage' },
      schema: {
        summary: 'The site’s 12345 hotline link: its webhook address, whether it is on, whether a secret is set',
        tags,
        response: { 200: HotlineSettingsSchema, ...BACK_OFFICE_ERRORS },
      },
    },
    async (request) => hotlineSettings(contextOf(request), actorOf(request)),
  );
  api.put(
    '/api/v1/hotline',
    {
      config: { permission: 'case.manage' },
      schema: {
        summary: 'Set the hotline’s webhook address and switch the link on or off (on needs an address and a secret)',
        description:
          'While on, every case event of the site’s letters (received, accepted, rejected, merged, assigned, returned, recalled, answered, published, unpublished, rated, reopened) is POSTed to the address as JSON, with X-Gazette-Event-Id, X-Gazette-Timestamp (unix seconds) and X-Gazette-Signature: `sha256=` + hex HMAC-SHA256(secret, `${timestamp}.${body}`). A 2xx delivers it; otherwise it is tried again after 1 min, 5 min, 30 min and 2 h, then given up (GET /api/v1/hotline/deliveries).',
        tags,
        body: HotlineSettingsInputSchema,
        response: { 200: HotlineSettingsSchema, ...BACK_OFFICE_ERRORS },
      },
    },
    async (request) => updateHotlineSettings(contextOf(request), actorOf(request), request.body),
  );
  api.post(
    '/api/v1/hotline/secret',
    {
      config: { permission: 'case.manage' },
      schema: {
        summary: 'Generate a new shared secret, answered this once; the old one stops working at once',
        tags,
        response: { 200: HotlineSecretSchema, 503: ErrorSchema, ...BACK_OFFICE_ERRORS },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      return rotateHotlineSecret(contextOf(request), actorOf(request));
    },
  );
  api.get(
    '/api/v1/hotline/deliveries',
    {
      config: { permission: 'case.manage' },
      schema: {
        summary: 'The webhooks sent to 12345, newest first: pending (with the next attempt), delivered, failed',
        tags,
        querystring: HotlineDeliveryQuerySchema,
        response: { 200: HotlineDeliveryPageSchema, ...BACK_OFFICE_ERRORS },
      },
    },
    async (request) => hotlineDeliveries(contextOf(request), actorOf(request), request.query),
  );
  api.post(
    HOTLINE_CALLBACK_PATH,
    {
      // The signature is the gate; the limit per address keeps a flood of forged calls from
      // costing a verification each (the hotline's own traffic is a few calls a minute).
      config: { permission: 'public', rateLimit: { max: CALLBACKS_PER_MINUTE, timeWindow: 60_000 } },
      bodyLimit: CALLBACK_BODY_LIMIT,
      schema: {
        summary: 'A callback from the 12345 city hotline: a status note, a reply on the unit’s behalf, or a rating',
        description:
          'Posted to the site’s own host, signed like the webhooks with the site’s shared secret (X-Gazette-Timestamp, X-Gazette-Signature over the exact body bytes). Checked in this order, each refusal storing nothing: the signature (401 SIGNATURE_INVALID), the timestamp within 5 minutes (401 SIGNATURE_INVALID, stale), the link switched on (403 HOTLINE_DISABLED), the body (400), the event id never taken before (409 REPLAY_REFUSED), the letter (404 HOTLINE_CASE_NOT_FOUND), the step its status allows (409 CASE_STEP_INVALID). A reply is possible while the letter is accepted, with a unit or in review; a rating once it is answered, and 1–2 reopen it.',
        tags: ['letters (public)'],
        headers: SIGNATURE_HEADERS,
        body: HotlineCallbackSchema,
        response: {
          200: HotlineCallbackAnswerSchema,
          400: ErrorSchema,
          401: ErrorSchema,
          403: ErrorSchema,
          404: ErrorSchema,
          409: ErrorSchema,
          413: ErrorSchema,
          429: ErrorSchema,
          503: ErrorSchema,
        },
      },
      // The body's exact bytes are kept for the signature, then parsed as usual.
      preParsing: async (request, _reply, payload) => {
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of payload) {
          const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
          size += bytes.length;
          if (size > CALLBACK_BODY_LIMIT) throw tooLarge();
          chunks.push(bytes);
        }
        const raw = Buffer.concat(chunks);
        rawBodies.set(request, raw);
        return Object.assign(Readable.from([raw]), { receivedEncodedLength: raw.length });
      },
      // Verified before the body is validated or read: a stranger learns nothing of the route.
      preValidation: async (request) => {
        const header = (name: string) => {
          const value = request.headers[name];
          return typeof value === 'string' ? value : undefined;
        };
        await verifyHotlineCallback(contextOf(request), {
          timestamp: header('x-gazette-timestamp'),
          signature: header('x-gazette-signature'),
          body: rawBodies.get(request) ?? Buffer.alloc(0),
        });
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      return takeHotlineCallback(contextOf(request), request.body, request.ip);
    },
  );
}
