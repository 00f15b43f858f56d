import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import { storeBackedRateLimits } from './rate-limit-store.js';
import { GazetteError, holdsAnywhere, isAction, type Action } from '../domain/index.js';
import { requireRecentProof, resolveSession, type ActiveSession, type Actor } from '../services/index.js';
import type { AppContext } from './context.js';

/**
 * What a route needs, declared on every back-office route (`config.permission`): `public` (no
 * session), `login` (the sign-in itself), `signed-in` (any live session, even one that must
 * still change its password), or an action the user must hold somewhere (a list: any one of
 * them, for a route two roles share, each within its own reach). The channel-scoped check
 * is the service's; this is the gate. A back-office route without a declaration is refused at
 * start-up, so no route can skip its check by omission.
 */
export type RoutePermission = 'public' | 'login' | 'signed-in' | Action | readonly Action[];

declare module 'fastify' {
  interface FastifyContextConfig {
    permission?: RoutePermission;
    /** A sensitive action (ASVS 3.7.1): the session's password must have been given in the last minutes. */
    recentProof?: boolean;
  }
  interface FastifyRequest {
    gazetteSession: ActiveSession | null;
  }
}

/** The session cookie over plain HTTP (a machine's own loopback, an intranet without TLS). */
export const SESSION_COOKIE = 'gz_session';
/**
 * Over HTTPS (ASVS 3.4.4): the `__Host-` prefix makes the browser refuse the cookie unless it is
 * Secure, has Path=/ and names no Domain, so no other host of the domain can plant or shadow it.
 */
export const SECURE_SESSION_COOKIE = '__Host-gz_session';

/** The session cookie's name for this request's scheme. */
export function sessionCookieName(request: FastifyRequest): string {
  return request.protocol === 'https' ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
}

/** The session token the request's cookie carries, under the name its scheme uses. */
export function sessionTokenOf(request: FastifyRequest): string | undefined {
  return request.cookies[sessionCookieName(request)];
}
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
    const valid =
      typeof permission === 'string'
        ? permission === 'public' || permission === 'login' || permission === 'signed-in' || isAction(permission)
        : permission.length > 0 && permission.every((action) => isAction(action));
    if (!valid) {
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
          keyGenerator: (request: FastifyRequest) => sessionTokenOf(request) ?? request.ip,
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
    const token = sessionTokenOf(request);
    const siteCtx = request.siteContext ?? ctx;
    const session = token ? await resolveSession(siteCtx, token, request.ip) : null;
    if (!session) {
      if (token) void reply.clearCookie(sessionCookieName(request), { path: '/' });
      throw new GazetteError('AUTH_REQUIRED');
    }
    if (!SAFE_METHODS.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !sameToken(sent, session.csrfToken)) throw new GazetteError('CSRF_INVALID');
    }
    request.gazetteSession = session;
    if (request.routeOptions.config.recentProof) requireRecentProof(siteCtx, session);
    if (permission === 'signed-in') return;
    if (session.mustChangePassword) throw new GazetteError('PASSWORD_CHANGE_REQUIRED');
    if (session.mustEnrolSecondFactor) throw new GazetteError('SECOND_FACTOR_REQUIRED');
    const actions = typeof permission === 'string' ? [permission] : permission;
    if (!actions.some((action) => holdsAnywhere(session.actor.grants, action)))
      throw new GazetteError('PERMISSION_DENIED', { action: actions.join('|') });
  });
}
