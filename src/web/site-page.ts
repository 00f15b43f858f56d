import type { FastifyReply, FastifyRequest } from 'fastify';
import { dateBarText } from '../domain/index.js';
import { fillIncludes, loadSiteView, type SiteView } from '../publish/index.js';
import type { TemplateName } from '../theme/index.js';
import type { AppContext } from './context.js';
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
    .send(fillIncludes(ctx.theme.render(template, model), { today: dateBarText(ctx.clock.now(), view.site.timeZone) }));
}
