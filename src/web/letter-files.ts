import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LETTERS_PATH, isGazetteError } from '../domain/index.js';
import { letterFollowPage, type SiteView } from '../publish/index.js';
import { followReplyFile, publicDesk, publicReplyFile, type FileDownload } from '../services/index.js';
import { sendDocument } from './api/info-requests.js';
import { contextOf, type AppContext } from './context.js';
import { sendNotFound } from './public.js';
import { onSitePage, sendSitePage } from './site-page.js';

/** Types a browser may show itself; anything else is downloaded. */
const INLINE = new Set(['application/pdf', 'image/jpeg', 'image/png']);

/**
 * A published reply file at its public address. Served from the store while its letter is on the
 * site, so a letter taken off takes its files with it at once on every instance (404, like its
 * page); browsers and CDNs revalidate for that reason rather than keep it.
 */
function sendPublicFile(request: FastifyRequest, reply: FastifyReply, file: FileDownload & { sha256: string }) {
  const etag = `"${file.sha256.slice(0, 32)}"`;
  void reply
    .header('cache-control', 'public, no-cache')
    .header('etag', etag)
    .header('x-content-type-options', 'nosniff')
    .header(
      'content-disposition',
      `${INLINE.has(file.mimeType) ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    );
  if (request.headers['if-none-match'] === etag) return reply.code(304).send();
  return reply.type(file.mimeType).send(file.data);
}

export function registerLetterFiles(app: FastifyInstance, ctx: AppContext): void {
  app.get(`${LETTERS_PATH}fujian/:id/:name`, async (request, reply) => {
    const { id } = request.params as { id: string };
    if (!/^\d{1,9}$/.test(id)) return sendNotFound(ctx, reply);
    try {
      return await sendPublicFile(request, reply, await publicReplyFile(contextOf(request), Number(id)));
    } catch (error) {
      if (isGazetteError(error) && error.status === 404) return sendNotFound(ctx, reply);
      throw error;
    }
  });

  /** The writer's download of a reply file from the follow-up page: the code and password in the body. */
  app.post(
    `${LETTERS_PATH}fujian`,
    onSitePage(ctx, async (request: FastifyRequest, reply: FastifyReply, view: SiteView) => {
      const site = contextOf(request);
      const fields = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<
        string,
        string
      >;
      const queryCode = fields.queryCode ?? '';
      const id = /^\d{1,9}$/.test(fields.attachmentId ?? '') ? Number(fields.attachmentId) : 0;
      try {
        return await sendDocument(reply, await followReplyFile(site, queryCode, fields.password ?? '', id, request.ip));
      } catch (error) {
        if (!isGazetteError(error) || error.status >= 500) throw error;
        const desk = await publicDesk(site);
        return sendSitePage(
          ctx,
          reply,
          view,
          'letter-follow',
          letterFollowPage(view, desk.name, { error: error.messageIn('zh'), queryCode }),
          error.status,
        );
      }
    }),
  );
}
