import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CONSULTATIONS_PATH, GazetteError, consultationPath, formatDateTime, isGazetteError } from '../domain/index.js';
import { loadSiteView, type SiteView } from '../publish/index.js';
import { frame } from '../publish/pages.js';
import {
  publicConsultation,
  publicConsultations,
  submitComment,
  type NewComment,
  type PublicConsultation,
} from '../services/index.js';
import { contextOf, type AppContext } from './context.js';
import { sizeText } from './info-request-pages.js';
import { sendNotFound } from './public.js';
import { formError, formQuestion, formsOpen, onSitePage, sendSitePage } from './site-page.js';

/**
 * 意见征集's public pages, made on request (a consultation opens and closes by the clock, so its
 * page is never a stale file): the list, one page per consultation with the comment form while it
 * is open (without JavaScript a text question stands in for the proof of work), and the
 * confirmation after a comment.
 */
const crumb = { title: '意见征集', url: CONSULTATIONS_PATH };
const paragraphs = (text: string) => text.split(/\n+/).filter((line) => line.trim() !== '');

type CommentValues = Partial<Record<'clause' | 'body' | 'name' | 'phone' | 'email' | 'organisation', string>>;

function listModel(view: SiteView, items: Awaited<ReturnType<typeof publicConsultations>>) {
  return {
    frame: frame(view, `意见征集 - ${view.site.name}`, CONSULTATIONS_PATH, null, {}),
    breadcrumb: [crumb],
    items,
  };
}

/** The consultation's page; the form (while open) with a fresh question and, after a refusal, what was typed. */
function pageModel(
  request: FastifyRequest,
  view: SiteView,
  c: PublicConsultation,
  values: CommentValues = {},
  error: GazetteError | null = null,
) {
  const open = formsOpen(request);
  return {
    frame: frame(view, `${c.title} - 意见征集 - ${view.site.name}`, consultationPath(c.id), null, {
      ArticleTitle: c.title,
      ContentSource: c.draftingUnit,
    }),
    breadcrumb: [crumb],
    c: { ...c, attachments: c.attachments.map((a) => ({ ...a, sizeText: sizeText(a.size) })) },
    otherWays: paragraphs(c.otherWays),
    feedback: c.feedback && {
      ...c.feedback,
      paragraphs: paragraphs(c.feedback.text),
      published: formatDateTime(new Date(c.feedback.publishedAt), view.site.timeZone),
    },
    open,
    closedReason: open ? null : '在线提交暂不可用：服务器未配置个人信息加密密钥（GAZETTE_DATA_KEY）',
    question: formQuestion(request, open && c.phase === 'open'),
    values,
    error: formError(error),
  };
}

/** A form post to POST /api/v1/public/consultations/:id/comments: the confirmation, or the page again with the reason. */
export async function answerCommentForm(request: FastifyRequest, reply: FastifyReply, id: number, input: NewComment) {
  const ctx = contextOf(request);
  const view = await loadSiteView(ctx.store.db, request.siteContext?.siteId);
  if (!view) return sendNotFound(ctx, reply);
  // An API address, but this answer is the page the commenter is to see.
  void reply.header('content-disposition', 'inline');
  try {
    const receipt = await submitComment(ctx, id, input, request.ip);
    const c = await publicConsultation(ctx, id);
    const model = {
      frame: frame(view, `意见已提交 - 意见征集 - ${view.site.name}`, consultationPath(id), null, {}),
      breadcrumb: [crumb, { title: c.title, url: c.url }],
      title: c.title,
      url: c.url,
      receipt,
      submitted: formatDateTime(new Date(receipt.submittedAt), view.site.timeZone),
    };
    return await sendSitePage(ctx, reply, view, 'consultation-received', model, 201);
  } catch (error) {
    if (!isGazetteError(error) || error.status >= 500) throw error;
    if (error.code === 'CONSULTATION_MISSING') return sendNotFound(ctx, reply);
    const { altcha: _a, challengeToken: _t, challengeAnswer: _c, website: _w, ...values } = input;
    const c = await publicConsultation(ctx, id);
    return sendSitePage(ctx, reply, view, 'consultation', pageModel(request, view, c, values, error), error.status);
  }
}

export function registerConsultationPages(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    CONSULTATIONS_PATH,
    onSitePage(ctx, async (request, reply, view) => {
      const items = await publicConsultations(contextOf(request));
      return sendSitePage(ctx, reply, view, 'consultations', listModel(view, items));
    }),
  );
  app.get(
    `${CONSULTATIONS_PATH}:page`,
    onSitePage(ctx, async (request, reply, view) => {
      const page = /^([1-9]\d{0,9})\.html$/.exec((request.params as { page: string }).page);
      const id = Number(page?.[1] ?? 0);
      if (!page || id > 2_147_483_647) return sendNotFound(ctx, reply);
      try {
        const c = await publicConsultation(contextOf(request), id);
        return await sendSitePage(ctx, reply, view, 'consultation', pageModel(request, view, c));
      } catch (error) {
        if (isGazetteError(error) && error.code === 'CONSULTATION_MISSING') return sendNotFound(ctx, reply);
        throw error;
      }
    }),
  );
}
