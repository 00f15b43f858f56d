import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import { storeBackedRateLimits } from './rate-limit-store.js';
import { GazetteError, holdsAnywhere, isAction, type Action } from '../domain/index.js';
import { resolveSession, type ActiveSession, type Actor } from '../services/index.js';
import type { AppContext } from './context.js';

/**
 * What a route needs, declared on every back-office route (`config.permission`): `public` (no
 * session), `login` (the sign-in itself), `signed-in` (any live session, even one that must
 * still change its password), or an action the user must hold somewhere. The channel-scoped check
 * is the service's; this is the gate. A back-office route without a declaration is refused at
 * start-up, so no route can skip its check by omission.
 */
export type RoutePermission = 'public' | 'login' | 'signed-in' | Action;

declare module 'fastify' {
  interface FastifyContextConfig {
    permission?: RoutePermission;
  }
  interface FastifyRequest {
    gazetteSession: ActiveSession | null;
  }
}

export const SESSION_COOKIE = 'gz_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const GUARDED = /^\/(api\/v1\/|admin\/preview\/)/;

export interface AuthOptions {
  /** Sign-in attempts per address per minute (the lockout per account is separate). */
  readonly loginPerMinute?: number;
  /** Back-office writes per session per minute. */
  readonly writesPerMinute?: number;
}

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The signed-in actor of a request that passed the gate. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.gazetteSession) throw new GazetteError('AUTH_REQUIRED');
  return request.gazetteSession.actor;
}

export function sessionOf(request: FastifyRequest): ActiveSession {
  if (!request.gazetteSession) throw new GazetteError('AUTH_REQUIRED');
  return request.gazetteSession;
}

export async function registerAuth(app: FastifyInstance, ctx: AppContext, options: AuthOptions = {}): Promise<void> {
  await app.register(fastifyCookie);
  app.decorateRequest('gazetteSession', null);

  app.addHook('onRoute', (route) => {
    if (!GUARDED.test(route.url)) return;
    const permission = route.config?.permission;
    if (!permission) throw new Error(`route ${String(route.method)} ${route.url} declares no permission`);
    if (permission !== 'public' && permission !== 'login' && permission !== 'signed-in' && !isAction(permission)) {
      throw new Error(`route ${route.url} declares an unknown permission ${String(permission)}`);
    }
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const writes = methods.some((m) => !SAFE_METHODS.has(m));
    if (permission === 'login') {
      route.config = { ...route.config, rateLimit: { max: options.loginPerMinute ?? 10, timeWindow: 60_000 } };
    } else if (writes && permission !== 'public') {
      route.config = {
        ...route.config,
        rateLimit: {
          max: options.writesPerMinute ?? 120,
          timeWindow: 60_000,
          keyGenerator: (request: FastifyRequest) => request.cookies[SESSION_COOKIE] ?? request.ip,
        },
      };
    }
  });

  await app.register(fastifyRateLimit, {
    global: false,
    store: storeBackedRateLimits(ctx.store.db, ctx.clock),
    errorResponseBuilder: () => new GazetteError('RATE_LIMITED'),
  });

  // On request, before the body is read or validated: strangers learn nothing about the route.
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const permission = request.routeOptions.config.permission;
    if (!permission || permission === 'public' || permission === 'login') return;
    const token = request.cookies[SESSION_COOKIE];
    const session = token ? await resolveSession(request.siteContext ?? ctx, token, request.ip) : null;
    if (!session) {
      if (token) void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      throw new GazetteError('AUTH_REQUIRED');
    }
    if (!SAFE_METHODS.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !sameToken(sent, session.csrfToken)) throw new GazetteError('CSRF_INVALID');
    }
    request.gazetteSession = session;
    if (permission === 'signed-in') return;
    if (session.mustChangePassword) throw new GazetteError('PASSWORD_CHANGE_REQUIRED');
    if (!holdsAnywhere(session.actor.grants, permission))
      throw new GazetteError('PERMISSION_DENIED', { action: permission });
  });
}
