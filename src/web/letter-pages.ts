import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  GazetteError,
  LETTER_RATING_NAMES,
  LETTERS_PATH,
  formatDate,
  formatDateTime,
  isGazetteError,
  isLetterRating,
} from '../domain/index.js';
import {
  fileSizeText,
  letterFollowPage,
  letterFormPage,
  letterStatsPage,
  loadSiteView,
  type LetterFormValues,
  type LetterStatusView,
  type SiteView,
} from '../publish/index.js';
import {
  createTextChallenge,
  followLetter,
  keysOf,
  publicDesk,
  publicLetterStatistics,
  rateLetter,
  submitLetter,
  type IncomingFile,
  type LetterFollow,
  type NewLetter,
} from '../services/index.js';
import { contextOf, type AppContext } from './context.js';
import { sendNotFound } from './public.js';
import { onSitePage, sendSitePage } from './site-page.js';
import { infoRequestFromForm } from './info-request-pages.js';
import { registerLetterFiles } from './letter-files.js';

/**
 * The letter desk's own pages (信箱), made on request like the search page: the form (it works
 * without JavaScript: a text question stands in for the proof of work), the receipt with the
 * query code and password, and the writer's follow-up with the rating form. Form posts are read
 * here only, for these addresses and 依申请公开's (info-request-pages.ts); the API stays JSON.
 */
const FORM_POSTS = new Set([
  '/api/v1/public/letters',
  '/xinxiang/chaxun',
  '/xinxiang/pingjia',
  '/xinxiang/fujian',
  '/api/v1/public/info-requests',
  '/ysqgk/chaxun',
  '/ysqgk/wenshu',
]);
const FORM = 'application/x-www-form-urlencoded';

type Fields = Record<string, string>;

function fieldsOf(body: unknown): Fields {
  return typeof body === 'object' && body !== null ? (body as Fields) : {};
}

export function isFormPost(request: FastifyRequest): boolean {
  return (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() === FORM;
}

/** The letter form's fields as the API takes them: checkboxes present or not, missing text empty. */
export function letterFromForm(fields: Fields): NewLetter {
  const unitId = /^\d{1,9}$/.test(fields.unitId ?? '') ? Number(fields.unitId) : undefined;
  return {
    type: (fields.type ?? '') as NewLetter['type'],
    title: fields.title ?? '',
    body: fields.body ?? '',
    name: fields.name ?? '',
    phone: fields.phone ?? '',
    ...(fields.email && { email: fields.email }),
    ...(fields.address && { address: fields.address }),
    ...(unitId !== undefined && { unitId }),
    agreePublish: fields.agreePublish !== undefined,
    showName: fields.showName !== undefined,
    ...(fields.altcha && { altcha: fields.altcha }),
    ...(fields.challengeToken && { challengeToken: fields.challengeToken }),
    ...(fields.challengeAnswer !== undefined && { challengeAnswer: fields.challengeAnswer }),
    ...(fields.website !== undefined && { website: fields.website }),
  };
}

/** Reads form posts to the desk's addresses (a form field given twice keeps its first value). */
export function registerFormPosts(app: FastifyInstance): void {
  app.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: 64 * 1024 }, (request, body, done) => {
    const posted = request.url.split('?')[0] ?? '';
    // 网上调查's answer sheets too (src/web/survey-pages.ts reads their fields).
    if (
      !FORM_POSTS.has(posted) &&
      !/^\/api\/v1\/public\/surveys\/\d+\/answers$/.test(posted) &&
      // 意见征集's comment form too (src/web/consultation-pages.ts answers it).
      !/^\/api\/v1\/public\/consultations\/\d+\/comments$/.test(posted)
    )
      return done(new GazetteError('CONTENT_TYPE_UNSUPPORTED', { type: FORM, expected: 'application/json' }));
    const fields: Fields = {};
    for (const [name, value] of new URLSearchParams(typeof body === 'string' ? body : body.toString('utf8')))
      if (!(name in fields)) fields[name] = value;
    const path = request.url.split('?')[0];
    done(
      null,
      path === '/api/v1/public/letters'
        ? letterFromForm(fields)
        : path === '/api/v1/public/info-requests'
          ? infoRequestFromForm(fields)
          : fields,
    );
  });
}

/** The form, with a fresh question; again with the writer's text and the reason when refused. */
async function sendForm(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  view: SiteView,
  values: LetterFormValues = {},
  error: GazetteError | null = null,
) {
  const site = contextOf(request);
  const desk = await publicDesk(site);
  const question = desk.open ? createTextChallenge(keysOf(site).challenge, site.clock.now().getTime()) : null;
  const field =
    error?.code === 'CHALLENGE_FAILED'
      ? 'challenge'
      : typeof error?.params.field === 'string'
        ? error.params.field
        : null;
  return sendSitePage(
    ctx,
    reply,
    view,
    'letter-form',
    letterFormPage(
      view,
      desk,
      question && { text: question.question, token: question.token },
      values,
      error && { message: error.messageIn('zh'), field },
    ),
    error ? error.status : 200,
  );
}

/**
 * A form post to POST /api/v1/public/letters: the receipt page, or the form again with the reason
 * (the files are not kept: the writer chooses them again).
 */
export async function answerLetterForm(
  request: FastifyRequest,
  reply: FastifyReply,
  letter: NewLetter,
  upload: { files: readonly IncomingFile[]; refusal: GazetteError | null } = { files: [], refusal: null },
) {
  const ctx = contextOf(request);
  const view = await loadSiteView(ctx.store.db, request.siteContext?.siteId);
  if (!view) return sendNotFound(ctx, reply);
  // An API address, but this answer is the page the form's reader is to see (the API's JSON
  // answers are downloads, never pages: ASVS 14.4.2).
  void reply.header('content-disposition', 'inline');
  try {
    if (upload.refusal) throw upload.refusal;
    const receipt = await submitLetter(ctx, letter, request.ip, upload.files);
    const desk = await publicDesk(ctx);
    return await sendSitePage(ctx, reply, view, 'letter-follow', letterFollowPage(view, desk.name, { receipt }), 201);
  } catch (error) {
    if (!isGazetteError(error) || error.status >= 500) throw error;
    const { altcha: _a, challengeToken: _t, challengeAnswer: _c, website: _w, ...values } = letter;
    return sendForm(ctx, request, reply, view, values, error);
  }
}

function statusView(follow: LetterFollow, timeZone: string): LetterStatusView {
  const day = (iso: string | null) => (iso ? formatDate(new Date(iso), timeZone) : null);
  return {
    queryCode: follow.queryCode,
    title: follow.title,
    statusName: follow.statusName,
    received: formatDate(new Date(follow.receivedAt), timeZone),
    dueDay: follow.dueDay,
    answered: day(follow.answeredAt),
    replyUnit: follow.replyUnit,
    replyHtml: follow.reply,
    rejectReason: follow.rejectReason,
    rating: follow.rating !== null && isLetterRating(follow.rating) ? LETTER_RATING_NAMES[follow.rating].zh : null,
    canRate: follow.canRate,
    steps: follow.steps.map((s) => ({ name: s.name, at: formatDateTime(new Date(s.at), timeZone) })),
    files: follow.replyAttachments.map((f) => ({ id: f.id, name: f.fileName, size: fileSizeText(f.size) })),
  };
}

export function registerLetterPages(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    `${LETTERS_PATH}xiexin`,
    onSitePage(ctx, async (request, reply, view) => {
      return sendForm(ctx, request, reply, view);
    }),
  );

  app.get(
    `${LETTERS_PATH}chaxun`,
    onSitePage(ctx, async (request, reply, view) => {
      const desk = await publicDesk(contextOf(request));
      return sendSitePage(ctx, reply, view, 'letter-follow', letterFollowPage(view, desk.name, {}));
    }),
  );

  /** The follow-up and the rating: the code and password travel in the body, never the URL. */
  const follow = (rate: boolean) =>
    onSitePage(ctx, async (request: FastifyRequest, reply: FastifyReply, view: SiteView) => {
      const site = contextOf(request);
      const fields = fieldsOf(request.body);
      const queryCode = fields.queryCode ?? '';
      const password = fields.password ?? '';
      const desk = await publicDesk(site);
      try {
        const rating = Number(fields.rating);
        const found = rate
          ? await rateLetter(
              site,
              queryCode,
              password,
              { rating, ...(fields.comment && { comment: fields.comment }) },
              request.ip,
            )
          : await followLetter(site, queryCode, password, request.ip);
        return await sendSitePage(
          ctx,
          reply,
          view,
          'letter-follow',
          letterFollowPage(view, desk.name, {
            status: statusView(found, view.site.timeZone),
            password,
            ...(rate && {
              notice: found.status === 'assigned' ? '感谢您的评价，信件已重新交办理单位办理。' : '感谢您的评价。',
            }),
          }),
        );
      } catch (error) {
        if (!isGazetteError(error) || error.status >= 500) throw error;
        return sendSitePage(
          ctx,
          reply,
          view,
          'letter-follow',
          letterFollowPage(view, desk.name, { error: error.messageIn('zh'), queryCode }),
          error.status,
        );
      }
    });
  /** 办理统计: a year's figures (default this year); a year out of range is a 400 with the page. */
  app.get(
    `${LETTERS_PATH}tongji`,
    onSitePage(ctx, async (request, reply, view) => {
      const site = contextOf(request);
      const thisYear = Number(formatDate(site.clock.now(), view.site.timeZone).slice(0, 4));
      const asked = (request.query as Record<string, unknown>).year;
      const year = typeof asked === 'string' && /^\d{4}$/.test(asked) ? Number(asked) : undefined;
      const valid = asked === undefined || (year !== undefined && year >= 2000 && year <= thisYear + 1);
      const stats = await publicLetterStatistics(site, { year: valid ? (year ?? thisYear) : thisYear });
      const years = Array.from({ length: 6 }, (_, i) => thisYear - i);
      const desk = await publicDesk(site);
      const error = valid ? null : `年度“${typeof asked === 'string' ? asked : ''}”无效，显示 ${thisYear} 年`;
      return sendSitePage(
        ctx,
        reply,
        view,
        'letter-stats',
        letterStatsPage(view, desk.name, stats, years, error),
        valid ? 200 : 400,
      );
    }),
  );
  app.post(`${LETTERS_PATH}chaxun`, follow(false));
  app.post(`${LETTERS_PATH}pingjia`, follow(true));
  registerLetterFiles(app, ctx);
}
