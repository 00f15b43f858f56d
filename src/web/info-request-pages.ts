import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GazetteError, INFO_REQUEST_PATH, formatDate, formatDateTime, isGazetteError } from '../domain/index.js';
import {
  infoRequestFollowPage,
  infoRequestFormPage,
  loadSiteView,
  type InfoRequestFormValues,
  type InfoRequestStatusView,
  type SiteView,
} from '../publish/index.js';
import {
  applicantReplyDocument,
  followInfoRequest,
  submitInfoRequest,
  type InfoRequestFollow,
  type NewInfoRequest,
} from '../services/index.js';
import { sendDocument } from './api/info-requests.js';
import { contextOf, type AppContext } from './context.js';
import { sendNotFound } from './public.js';
import { formError, formQuestion, formsOpen, onSitePage, sendSitePage } from './site-page.js';

/**
 * 依申请公开's own pages, made on request: the form (without JavaScript a text question stands in
 * for the proof of work), the receipt, the applicant's follow-up and the reply document. The code
 * and password travel in form bodies, never in URLs.
 */
type Fields = Record<string, string>;

const fieldsOf = (body: unknown): Fields => (typeof body === 'object' && body !== null ? (body as Fields) : {});

const TEXT_FIELDS = [
  'name',
  'idType',
  'idNumber',
  'legalRepresentative',
  'contactName',
  'phone',
  'email',
  'address',
  'postcode',
  'description',
  'documentNo',
  'purpose',
] as const;

/** The form's fields as the API takes them: empty optional fields left out. */
export function infoRequestFromForm(fields: Fields): NewInfoRequest {
  const optional = (name: string) => (fields[name] ? { [name]: fields[name] } : {});
  return {
    applicantClass: (fields.applicantClass ?? '') as NewInfoRequest['applicantClass'],
    name: fields.name ?? '',
    idNumber: fields.idNumber ?? '',
    phone: fields.phone ?? '',
    description: fields.description ?? '',
    deliveryForm: fields.deliveryForm ?? '',
    deliveryWay: fields.deliveryWay ?? '',
    ...optional('idType'),
    ...optional('legalRepresentative'),
    ...optional('contactName'),
    ...optional('email'),
    ...optional('address'),
    ...optional('postcode'),
    ...optional('documentNo'),
    ...optional('purpose'),
    ...optional('altcha'),
    ...optional('challengeToken'),
    ...(fields.challengeAnswer !== undefined && { challengeAnswer: fields.challengeAnswer }),
    ...(fields.website !== undefined && { website: fields.website }),
  };
}

async function sendForm(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  view: SiteView,
  values: InfoRequestFormValues = {},
  error: GazetteError | null = null,
) {
  const open = formsOpen(request);
  const model = infoRequestFormPage(
    view,
    { open, closedReason: open ? null : '网上申请暂不可用：服务器未配置个人信息加密密钥（GAZETTE_DATA_KEY）' },
    formQuestion(request, open),
    values,
    formError(error),
  );
  return sendSitePage(ctx, reply, view, 'info-request-form', model, error ? error.status : 200);
}

/** A form post to POST /api/v1/public/info-requests: the receipt page, or the form again with the reason. */
export async function answerInfoRequestForm(request: FastifyRequest, reply: FastifyReply, input: NewInfoRequest) {
  const ctx = contextOf(request);
  const view = await loadSiteView(ctx.store.db, request.siteContext?.siteId);
  if (!view) return sendNotFound(ctx, reply);
  // An API address, but this answer is the page the applicant is to see.
  void reply.header('content-disposition', 'inline');
  try {
    const receipt = await submitInfoRequest(ctx, input, request.ip);
    return await sendSitePage(ctx, reply, view, 'info-request-follow', infoRequestFollowPage(view, { receipt }), 201);
  } catch (error) {
    if (!isGazetteError(error) || error.status >= 500) throw error;
    const values: InfoRequestFormValues = {
      applicantClass: input.applicantClass,
      deliveryForm: input.deliveryForm,
      deliveryWay: input.deliveryWay,
    };
    for (const name of TEXT_FIELDS) values[name] = input[name] ?? '';
    return sendForm(ctx, request, reply, view, values, error);
  }
}

export function sizeText(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1048576).toFixed(1)} MB`;
}

function statusView(follow: InfoRequestFollow, timeZone: string): InfoRequestStatusView {
  return {
    queryCode: follow.queryCode,
    description: follow.description,
    statusName: follow.statusName,
    submitted: formatDate(new Date(follow.submittedAt), timeZone),
    receivedDay: follow.receivedDay,
    dueDay: follow.dueDay,
    extension:
      follow.extensionDays > 0 ? `延长 ${follow.extensionDays} 个工作日：${follow.extensionReason ?? ''}` : null,
    outcomeName: follow.outcomeName,
    answeredDay: follow.answeredDay,
    replyDocument: follow.replyDocument && {
      fileName: follow.replyDocument.fileName,
      size: sizeText(follow.replyDocument.size),
    },
    steps: follow.steps.map((s) => ({ name: s.name, at: formatDateTime(new Date(s.at), timeZone), note: s.note })),
  };
}

export function registerInfoRequestPages(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    `${INFO_REQUEST_PATH}shenqing`,
    onSitePage(ctx, async (request, reply, view) => {
      return sendForm(ctx, request, reply, view);
    }),
  );
  app.get(
    `${INFO_REQUEST_PATH}chaxun`,
    onSitePage(ctx, async (_request, reply, view) => {
      return sendSitePage(ctx, reply, view, 'info-request-follow', infoRequestFollowPage(view, {}));
    }),
  );
  app.post(
    `${INFO_REQUEST_PATH}chaxun`,
    onSitePage(ctx, async (request, reply, view) => {
      const fields = fieldsOf(request.body);
      const queryCode = fields.queryCode ?? '';
      const password = fields.password ?? '';
      try {
        const found = await followInfoRequest(contextOf(request), queryCode, password, request.ip);
        const model = infoRequestFollowPage(view, { status: statusView(found, view.site.timeZone), password });
        return await sendSitePage(ctx, reply, view, 'info-request-follow', model);
      } catch (error) {
        if (!isGazetteError(error) || error.status >= 500) throw error;
        const model = infoRequestFollowPage(view, { error: error.messageIn('zh'), queryCode });
        return sendSitePage(ctx, reply, view, 'info-request-follow', model, error.status);
      }
    }),
  );
  app.post(
    `${INFO_REQUEST_PATH}wenshu`,
    onSitePage(ctx, async (request, reply, view) => {
      const fields = fieldsOf(request.body);
      try {
        const file = await applicantReplyDocument(
          contextOf(request),
          fields.queryCode ?? '',
          fields.password ?? '',
          request.ip,
        );
        return await sendDocument(reply, file);
      } catch (error) {
        if (!isGazetteError(error) || error.status >= 500) throw error;
        const model = infoRequestFollowPage(view, { error: error.messageIn('zh'), queryCode: fields.queryCode ?? '' });
        return sendSitePage(ctx, reply, view, 'info-request-follow', model, error.status);
      }
    }),
  );
}
