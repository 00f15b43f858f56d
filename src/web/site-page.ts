import type { FastifyReply, FastifyRequest } from 'fastify';
import { dateBarText, type GazetteError } from '../domain/index.js';
import { fillIncludes, loadSiteView, renderOnRequest, type SiteView } from '../publish/index.js';
import { createTextChallenge, keysOf } from '../services/index.js';
import type { TemplateName } from '../theme/index.js';
import { contextOf, type AppContext } from './context.js';
import { sendNotFound } from './public.js';

/**
 * The pages the app makes on request for the public's forms (信箱, 依申请公开, 办理统计): each
 * finds the request's site first (a site removed meanwhile is a 404 page like any of its pages),
 * and sends its HTML never cached, with the date bar filled in.
 */
export function onSitePage(
  ctx: AppContext,
  handle: (request: FastifyRequest, reply: FastifyReply, view: SiteView) => Promise<FastifyReply>,
) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const view = await loadSiteView(ctx.store.db, request.siteContext?.siteId);
    if (!view) return sendNotFound(ctx, reply);
    return handle(request, reply, view);
  };
}

export function sendSitePage(
  ctx: AppContext,
  reply: FastifyReply,
  view: SiteView,
  template: TemplateName,
  model: object,
  code = 200,
): FastifyReply {
  return reply
    .code(code)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(
      fillIncludes(renderOnRequest(ctx.theme, view, template, model), {
        today: dateBarText(ctx.clock.now(), view.site.timeZone),
      }),
    );
}

/** Whether the public forms are on: they need the key that seals personal data. */
export function formsOpen(request: FastifyRequest): boolean {
  const site = contextOf(request);
  return site.dataKeys !== null && site.dataKeys !== undefined;
}

/** A fresh text question for a form without JavaScript (none when the form is not shown). */
export function formQuestion(request: FastifyRequest, shown: boolean): { text: string; token: string } | null {
  if (!shown) return null;
  const site = contextOf(request);
  const question = createTextChallenge(keysOf(site).challenge, site.clock.now().getTime());
  return { text: question.question, token: question.token };
}

/** A refusal as a form shows it: the message, and the field to mark (the question for a failed check). */
export function formError(error: GazetteError | null): { message: string; field: string | null } | null {
  if (!error) return null;
  const field =
    error.code === 'CHALLENGE_FAILED'
      ? 'challenge'
      : typeof error.params.field === 'string'
        ? error.params.field
        : null;
  return { message: error.messageIn('zh'), field };
}
