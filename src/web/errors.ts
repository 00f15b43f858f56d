import type { FastifyRequest } from 'fastify';
import { GazetteError } from '../domain/index.js';
import {
  ArticleVersionConflict,
  WordingBlocked,
  recordAuditOncePerMinute,
  resolveSession,
  type Actor,
} from '../services/index.js';
import { sessionTokenOf } from './auth.js';
import type { AppContext } from './context.js';

/** The JSON shape of every error answer: a stable code and a message (Chinese, English). */
export function errorBody(
  error: GazetteError,
): { code: string; message: string; messageEn: string } & Record<string, unknown> {
  const body = { code: error.code, message: error.messageIn('zh'), messageEn: error.messageIn('en') };
  if (error instanceof ArticleVersionConflict) return { ...body, current: error.current, changed: [...error.changed] };
  if (error instanceof WordingBlocked) return { ...body, findings: [...error.findings] };
  if (error.code === 'THEME_TEMPLATE_ERROR') return templateProblem(error);
  return body;
}

/** A template's problem (THEME_TEMPLATE_ERROR) says where it is, for the editor to mark the line. */
export function templateProblem(error: GazetteError): {
  code: string;
  message: string;
  messageEn: string;
  template: string;
  line: number;
  column: number;
} {
  const { name, line, column } = error.params;
  return {
    code: error.code,
    message: error.messageIn('zh'),
    messageEn: error.messageIn('en'),
    template: typeof name === 'string' ? name : '',
    line: typeof line === 'number' ? line : 1,
    column: typeof column === 'number' ? column : 1,
  };
}

/**
 * The answer to a failure nobody meant (ASVS 7.4.1): nothing of the error itself (its message may
 * hold SQL, a path or a value), only a reference to quote to support, which is the request's id
 * and so stands in the error's log line.
 */
export function internalErrorBody(reference: string): ReturnType<typeof errorBody> & { reference: string } {
  return { ...errorBody(new GazetteError('INTERNAL', { reference })), reference };
}

/** The refusals that are access-control decisions: ASVS 7.2.2 wants each in the audit log. */
const DENIALS: ReadonlySet<string> = new Set(['PERMISSION_DENIED', 'CSRF_INVALID']);
const OFFICE = /^\/(api|admin)\//;

/** Who was refused: the gate's session, or (a CSRF refusal comes before the gate keeps it) the cookie's. */
async function deniedActor(ctx: AppContext, request: FastifyRequest): Promise<Pick<Actor, 'userId' | 'userName'>> {
  if (request.gazetteSession) return request.gazetteSession.actor;
  const token = sessionTokenOf(request);
  const session = token ? await resolveSession(ctx, token, request.ip) : null;
  // Both refusals come after a session was found; should it be gone meanwhile, the IP remains.
  return session?.actor ?? { userId: null, userName: '(no session)' };
}

/**
 * Records a PERMISSION_DENIED or CSRF_INVALID answer of the back office or the API in the audit
 * log: who, from where, the route's pattern (never the raw URL, which the client chose), and the
 * permission at stake. Refusals cost the refused nothing, so a flood is bounded by recording the
 * same refusal (user, method, route, code) once a minute. A failure to record is logged, and the
 * refusal still answered: a 403 must not turn into a 500.
 */
export async function auditDenial(ctx: AppContext, request: FastifyRequest, error: GazetteError): Promise<void> {
  if (!DENIALS.has(error.code) || !OFFICE.test(request.url)) return;
  const route = request.routeOptions.url ?? '(no route)';
  const needed = error.params.action ?? request.routeOptions.config?.permission ?? null;
  try {
    const who = await deniedActor(ctx, request);
    await recordAuditOncePerMinute(
      ctx,
      { ...who, ip: request.ip },
      {
        action: 'auth.denied',
        targetType: 'route',
        targetId: route,
        details: { code: error.code, method: request.method, route, action: needed },
      },
    );
  } catch (failure) {
    request.log.error({ err: failure, code: error.code, route }, 'a refusal could not be audited');
  }
}
