import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import {
  beginTotp,
  changePassword,
  confirmPassword,
  confirmTotp,
  currentSite,
  endOtherSessions,
  endSession,
  listSessions,
  login,
  logout,
  SessionViewSchema,
  UserViewSchema,
  setOwnEmail,
  sitesOfUser,
} from '../../services/index.js';
import { actorOf, sessionCookieName, sessionOf } from '../auth.js';
import { contextOf } from '../context.js';
import { ErrorSchema } from './schemas.js';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 423: ErrorSchema, 429: ErrorSchema };

/** Sign-in, sign-out, the user's own password and second factor. */
export function registerSessionApi(app: FastifyInstance): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.post(
    '/api/v1/session',
    {
      config: { permission: 'login' },
      schema: {
        summary: 'Sign in; the answer carries the CSRF token for every later write',
        tags: ['session'],
        body: Type.Object({
          username: Type.String({ minLength: 1, maxLength: 64 }),
          password: Type.String({ minLength: 1, maxLength: 256 }),
          totp: Type.Optional(Type.String({ maxLength: 12 })),
        }),
        response: { 200: SessionViewSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { token, session } = await login(contextOf(request), {
        ...request.body,
        ip: request.ip,
        userAgent: request.headers['user-agent'],
      });
      void reply.setCookie(sessionCookieName(request), token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: 'auto',
      });
      return session;
    },
  );
  api.get(
    '/api/v1/session',
    {
      config: { permission: 'signed-in' },
      schema: { summary: 'The current session', tags: ['session'], response: { 200: SessionViewSchema, ...errors } },
    },
    async (request) => sessionOf(request).view(),
  );
  api.delete(
    '/api/v1/session',
    {
      config: { permission: 'signed-in' },
      schema: { summary: 'Sign out', tags: ['session'], response: { 204: Type.Null(), ...errors } },
    },
    async (request, reply) => {
      await logout(contextOf(request), sessionOf(request));
      return reply.clearCookie(sessionCookieName(request), { path: '/' }).code(204).send(null);
    },
  );
  api.post(
    '/api/v1/session/password',
    {
      config: { permission: 'signed-in' },
      schema: {
        summary: 'Change your own password (ends your other sessions)',
        tags: ['session'],
        body: Type.Object({
          currentPassword: Type.String({ maxLength: 256 }),
          newPassword: Type.String({ maxLength: 256 }),
        }),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await changePassword(
        contextOf(request),
        sessionOf(request),
        request.body.currentPassword,
        request.body.newPassword,
      );
      return reply.code(204).send(null);
    },
  );
  api.put(
    '/api/v1/session/email',
    {
      config: { permission: 'signed-in' },
      schema: {
        summary: 'Set your own e-mail address, where the letter desk’s deadline alerts are mailed',
        description: 'An empty string or null removes it. Mail is sent only when the server has GAZETTE_SMTP_URL.',
        tags: ['session'],
        body: Type.Object(
          { email: Type.Union([Type.String({ maxLength: 254 }), Type.Null()]) },
          { additionalProperties: false },
        ),
        response: { 200: UserViewSchema, ...errors },
      },
    },
    async (request) => setOwnEmail(contextOf(request), actorOf(request), request.body.email),
  );
  api.get(
    '/api/v1/session/sites',
    {
      config: { permission: 'signed-in' },
      schema: {
        summary: 'The sites the signed-in user works on (the site switcher), and the one this request reached',
        description: 'Send X-Gazette-Site: ID with any /api/v1 request to work on another of them.',
        tags: ['session'],
        response: {
          200: Type.Object({
            items: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), domain: Type.String() })),
            currentId: Type.Union([Type.Integer(), Type.Null()]),
          }),
          ...errors,
        },
      },
    },
    async (request) => ({
      items: await sitesOfUser(contextOf(request), actorOf(request)),
      currentId: contextOf(request).siteId ?? null,
    }),
  );
  api.post(
    '/api/v1/session/totp',
    {
      config: { permission: 'signed-in', recentProof: true },
      schema: {
        summary: 'Begin enrolling a one-time-code app (TOTP)',
        tags: ['session'],
        response: { 200: Type.Object({ secret: Type.String(), otpauthUrl: Type.String() }), ...errors },
      },
    },
    async (request) =>
      beginTotp(
        contextOf(request),
        sessionOf(request),
        (await currentSite(contextOf(request).store.db, contextOf(request).siteId)).site.name,
      ),
  );
  api.post(
    '/api/v1/session/totp/confirm',
    {
      config: { permission: 'signed-in' },
      schema: {
        summary: 'Confirm the one-time-code app with a code; sign-in asks for codes from then on',
        tags: ['session'],
        body: Type.Object({ code: Type.String({ pattern: '^\\d{6}$' }) }),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await confirmTotp(contextOf(request), sessionOf(request), request.body.code);
      return reply.code(204).send(null);
    },
  );
  registerSessionListApi(app);
}

const SessionItemSchema = Type.Object({
  ref: Type.String({ description: 'Names the session in this list, to end it' }),
  ip: Type.Union([Type.String(), Type.Null()]),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  lastSeenAt: Type.String({ format: 'date-time' }),
  current: Type.Boolean(),
});

/** The signed-in user's own sessions (ASVS 3.3.4), and the proof of identity sensitive actions ask for (3.7.1). */
function registerSessionListApi(app: FastifyInstance): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.get(
    '/api/v1/sessions',
    {
      config: { permission: 'signed-in' },
      schema: {
        summary: 'Your live sessions: where and when each was opened and last used',
        tags: ['session'],
        response: { 200: Type.Object({ items: Type.Array(SessionItemSchema) }), ...errors },
      },
    },
    async (request) => ({ items: await listSessions(contextOf(request), sessionOf(request)) }),
  );
  api.delete(
    '/api/v1/sessions',
    {
      config: { permission: 'signed-in' },
      schema: {
        summary: 'End every other session of yours (sign out everywhere else)',
        tags: ['session'],
        response: { 200: Type.Object({ ended: Type.Integer() }), ...errors },
      },
    },
    async (request) => ({ ended: await endOtherSessions(contextOf(request), sessionOf(request)) }),
  );
  api.delete(
    '/api/v1/sessions/:ref',
    {
      config: { permission: 'signed-in' },
      schema: {
        summary: 'End one of your sessions',
        tags: ['session'],
        params: Type.Object({ ref: Type.String({ pattern: '^[0-9a-f]{16}$' }) }),
        response: { 204: Type.Null(), 404: ErrorSchema, ...errors },
      },
    },
    async (request, reply) => {
      await endSession(contextOf(request), sessionOf(request), request.params.ref);
      return reply.code(204).send(null);
    },
  );
  api.post(
    '/api/v1/session/confirm',
    {
      config: { permission: 'signed-in' },
      schema: {
        summary: 'Give your password again: sensitive actions (REAUTH_REQUIRED) are allowed for 15 minutes',
        tags: ['session'],
        body: Type.Object({ password: Type.String({ minLength: 1, maxLength: 256 }) }),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await confirmPassword(contextOf(request), sessionOf(request), request.body.password);
      return reply.code(204).send(null);
    },
  );
}
