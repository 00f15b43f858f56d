import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  GazetteError,
  LETTER_RATING_NAMES,
  LETTERS_PATH,
  dateBarText,
  formatDate,
  formatDateTime,
  isGazetteError,
  isLetterRating,
} from '../domain/index.js';
import {
  fillIncludes,
  letterFollowPage,
  letterFormPage,
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
  rateLetter,
  submitLetter,
  type LetterFollow,
  type NewLetter,
} from '../services/index.js';
import type { TemplateName } from '../theme/index.js';
import { contextOf, type AppContext } from './context.js';
import { sendNotFound } from './public.js';

/**
 * The letter desk's own pages (信箱), made on request like the search page: the form (it works
 * without JavaScript: a text question stands in for the proof of work), the receipt with the
 * query code and password, and the writer's follow-up with the rating form. Form posts are read
 * here only, for these three addresses; the API stays JSON.
 */
const FORM_POSTS = new Set(['/api/v1/public/letters', '/xinxiang/chaxun', '/xinxiang/pingjia']);
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
    if (!FORM_POSTS.has(request.url.split('?')[0] ?? ''))
      return done(new GazetteError('CONTENT_TYPE_UNSUPPORTED', { type: FORM, expected: 'application/json' }));
    const fields: Fields = {};
    for (const [name, value] of new URLSearchParams(typeof body === 'string' ? body : body.toString('utf8')))
      if (!(name in fields)) fields[name] = value;
    done(null, request.url.startsWith('/api/') ? letterFromForm(fields) : fields);
  });
}

async function siteView(ctx: AppContext, request: FastifyRequest): Promise<SiteView | null> {
  return loadSiteView(ctx.store.db, request.siteContext?.siteId);
}

function send(ctx: AppContext, reply: FastifyReply, view: SiteView, template: TemplateName, model: object, code = 200) {
  const html = ctx.theme.render(template, model);
  return reply
    .code(code)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(fillIncludes(html, { today: dateBarText(ctx.clock.now(), view.site.timeZone) }));
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
  return send(
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

/** A form post to POST /api/v1/public/letters: the receipt page, or the form again with the reason. */
export async function answerLetterForm(request: FastifyRequest, reply: FastifyReply, letter: NewLetter) {
  const ctx = contextOf(request);
  const view = await siteView(ctx, request);
  if (!view) return sendNotFound(ctx, reply);
  // An API address, but this answer is the page the form's reader is to see (the API's JSON
  // answers are downloads, never pages: ASVS 14.4.2).
  void reply.header('content-disposition', 'inline');
  try {
    const receipt = await submitLetter(ctx, letter, request.ip);
    const desk = await publicDesk(ctx);
    return await send(ctx, reply, view, 'letter-follow', letterFollowPage(view, desk.name, { receipt }), 201);
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
  };
}

export function registerLetterPages(app: FastifyInstance, ctx: AppContext): void {
  app.get(`${LETTERS_PATH}xiexin`, async (request, reply) => {
    const view = await siteView(ctx, request);
    if (!view) return sendNotFound(ctx, reply);
    return sendForm(ctx, request, reply, view);
  });

  app.get(`${LETTERS_PATH}chaxun`, async (request, reply) => {
    const view = await siteView(ctx, request);
    if (!view) return sendNotFound(ctx, reply);
    const desk = await publicDesk(contextOf(request));
    return send(ctx, reply, view, 'letter-follow', letterFollowPage(view, desk.name, {}));
  });

  /** The follow-up and the rating: the code and password travel in the body, never the URL. */
  const follow = (rate: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
    const view = await siteView(ctx, request);
    if (!view) return sendNotFound(ctx, reply);
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
      return await send(
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
      return send(
        ctx,
        reply,
        view,
        'letter-follow',
        letterFollowPage(view, desk.name, { error: error.messageIn('zh'), queryCode }),
        error.status,
      );
    }
  };
  app.post(`${LETTERS_PATH}chaxun`, follow(false));
  app.post(`${LETTERS_PATH}pingjia`, follow(true));
}
