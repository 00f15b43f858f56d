import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GazetteError } from '../../domain/index.js';
import {
  CONSULTATION_ATTACHMENT_MAX_BYTES,
  CommentDecisionInputSchema,
  CommentReceiptSchema,
  CommentRowSchema,
  CommenterSchema,
  ConsultationDetailSchema,
  ConsultationInputSchema,
  ConsultationRowSchema,
  FeedbackInputSchema,
  NewCommentSchema,
  PeriodCheckSchema,
  PeriodQuerySchema,
  PublicConsultationRowSchema,
  PublicConsultationSchema,
  ROW_ID_MAX,
  addConsultationAttachment,
  consultationAttachmentFile,
  consultationComments,
  consultationCommenter,
  consultationDetail,
  consultationPeriod,
  createConsultation,
  decideComment,
  listConsultations,
  publicConsultation,
  publicConsultationAttachment,
  publicConsultations,
  publishConsultation,
  publishFeedback,
  removeConsultationAttachment,
  saveFeedback,
  submitComment,
  updateConsultation,
  withdrawConsultation,
} from '../../services/index.js';
import { actorOf } from '../auth.js';
import { answerCommentForm } from '../consultation-pages.js';
import { contextOf } from '../context.js';
import { isFormPost } from '../letter-pages.js';
import { sendDocument } from './info-requests.js';
import { BACK_OFFICE_ERRORS, ErrorSchema, IdParams as Id } from './schemas.js';

const RowId = Type.Integer({ minimum: 1, maximum: ROW_ID_MAX });
const AttachmentParams = Type.Object({ id: RowId, attachmentId: RowId });
const CommentParams = Type.Object({ id: RowId, commentId: RowId });
const PUBLIC_ERRORS = { 400: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema, 429: ErrorSchema, 503: ErrorSchema };
const PERMISSION = 'consultation.manage' as const;

/** 意见征集, the public side: the list, one consultation, its attachments, and a comment. */
function registerPublicConsultationApi(app: FastifyInstance): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['consultations (public)'];
  api.get(
    '/api/v1/public/consultations',
    {
      config: { permission: 'public' },
      schema: {
        summary: 'The consultations out for comment: open ones first, then upcoming, then closed',
        tags,
        response: { 200: Type.Object({ items: Type.Array(PublicConsultationRowSchema) }), ...PUBLIC_ERRORS },
      },
    },
    async (request) => ({ items: await publicConsultations(contextOf(request)) }),
  );
  api.get(
    '/api/v1/public/consultations/:id',
    {
      config: { permission: 'public' },
      schema: {
        summary: 'One consultation: the draft, 起草说明, 解读, attachments, contact, the comments shown and the 反馈',
        tags,
        params: Id,
        response: { 200: PublicConsultationSchema, ...PUBLIC_ERRORS },
      },
    },
    async (request) => publicConsultation(contextOf(request), request.params.id),
  );
  api.get(
    '/api/v1/public/consultations/:id/attachments/:attachmentId',
    {
      config: { permission: 'public' },
      schema: {
        summary: 'An attachment of the draft, as uploaded',
        tags,
        params: AttachmentParams,
        produces: ['application/pdf', 'application/octet-stream'],
        response: { ...PUBLIC_ERRORS },
      },
    },
    async (request, reply) =>
      sendDocument(
        reply,
        await publicConsultationAttachment(contextOf(request), request.params.id, request.params.attachmentId),
      ),
  );
  api.post(
    '/api/v1/public/consultations/:id/comments',
    {
      config: { permission: 'public' },
      schema: {
        summary: 'Comment on an open consultation: answers the receipt',
        description:
          'Needs a solved proof of work (`altcha`) or the answer to the form’s text question, like a letter; a filled `website` is refused. 409 before the start day and after the end day (the consultation closes at the midnight after it, in the site’s time zone). The consultation’s own page posts here as application/x-www-form-urlencoded and gets a page.',
        tags,
        params: Id,
        body: NewCommentSchema,
        response: { 201: CommentReceiptSchema, ...PUBLIC_ERRORS },
      },
    },
    async (request, reply) =>
      isFormPost(request)
        ? answerCommentForm(request, reply, request.params.id, request.body)
        : reply.code(201).send(await submitComment(contextOf(request), request.params.id, request.body, request.ip)),
  );
}

/** The one file of a multipart upload (field `file`); null bytes when over the size limit. */
async function uploadedFile(request: FastifyRequest): Promise<{ filename: string; data: Buffer | null }> {
  if (!request.isMultipart()) throw new GazetteError('MEDIA_NO_FILE');
  for await (const part of request.parts()) {
    if (part.type === 'field') continue;
    const data = await part.toBuffer().catch((error: unknown) => {
      if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') return null;
      throw error;
    });
    if (part.fieldname === 'file') return { filename: part.filename, data };
  }
  throw new GazetteError('MEDIA_NO_FILE');
}

/** 意见征集, the office (互动受理): every route needs consultation.manage. */
function registerConsultationOfficeApi(app: FastifyInstance): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['consultations'];
  const config = { permission: PERMISSION } as const;
  const detail = { 200: ConsultationDetailSchema, ...BACK_OFFICE_ERRORS };
  api.get(
    '/api/v1/consultations',
    {
      config,
      schema: {
        summary: 'The site’s consultations, the latest end day first',
        tags,
        response: { 200: Type.Object({ items: Type.Array(ConsultationRowSchema) }), ...BACK_OFFICE_ERRORS },
      },
    },
    async (request) => ({ items: await listConsultations(contextOf(request), actorOf(request)) }),
  );
  api.post(
    '/api/v1/consultations/period',
    {
      config,
      schema: {
        summary: 'A period measured against the rule for its kind (规章 30 日, 规范性文件 7 个工作日, 涉企 30 日)',
        tags,
        body: PeriodQuerySchema,
        response: { 200: PeriodCheckSchema, ...BACK_OFFICE_ERRORS },
      },
    },
    async (request) => consultationPeriod(contextOf(request), actorOf(request), request.body),
  );
  api.post(
    '/api/v1/consultations',
    {
      config,
      schema: {
        summary: 'A new consultation, as a draft; the answer carries the period’s warning when it is too short',
        tags,
        body: ConsultationInputSchema,
        response: { 201: ConsultationDetailSchema, ...BACK_OFFICE_ERRORS },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createConsultation(contextOf(request), actorOf(request), request.body)),
  );
  api.get(
    '/api/v1/consultations/:id',
    { config, schema: { summary: 'One consultation with its period check', tags, params: Id, response: detail } },
    async (request) => consultationDetail(contextOf(request), actorOf(request), request.params.id),
  );
  api.put(
    '/api/v1/consultations/:id',
    {
      config,
      schema: {
        summary: 'Change a consultation (until its 反馈 is published)',
        tags,
        params: Id,
        body: ConsultationInputSchema,
        response: detail,
      },
    },
    async (request) => updateConsultation(contextOf(request), actorOf(request), request.params.id, request.body),
  );
  for (const [step, run, summary] of [
    ['publish', publishConsultation, 'Put it out for comment (from a draft or withdrawn)'],
    ['withdraw', withdrawConsultation, 'Take it off the public pages (撤回)'],
    ['feedback/publish', publishFeedback, 'Publish the 反馈: after it closes, every comment decided'],
  ] as const)
    api.post(
      `/api/v1/consultations/:id/${step}`,
      { config, schema: { summary, tags, params: Id, response: detail } },
      async (request) => run(contextOf(request), actorOf(request), request.params.id),
    );
  api.put(
    '/api/v1/consultations/:id/feedback',
    {
      config,
      schema: { summary: 'Save the 反馈’s text', tags, params: Id, body: FeedbackInputSchema, response: detail },
    },
    async (request) => saveFeedback(contextOf(request), actorOf(request), request.params.id, request.body.text),
  );
  api.post(
    '/api/v1/consultations/:id/attachments',
    {
      config,
      schema: {
        summary: 'Attach a file to the draft (multipart field `file`): pdf, doc, docx, xls, xlsx, ofd, zip…',
        description: `Up to ${CONSULTATION_ATTACHMENT_MAX_BYTES / 1048576} MB. The content is sniffed; an extension that does not match it is refused (415).`,
        tags,
        params: Id,
        consumes: ['multipart/form-data'],
        response: { ...detail, 413: ErrorSchema, 415: ErrorSchema },
      },
    },
    async (request) => {
      const file = await uploadedFile(request);
      return addConsultationAttachment(contextOf(request), actorOf(request), request.params.id, {
        filename: file.filename,
        data: file.data ?? Buffer.alloc(0),
        truncated: file.data === null,
      });
    },
  );
  api.get(
    '/api/v1/consultations/:id/attachments/:attachmentId',
    {
      config,
      schema: {
        summary: 'An attachment as uploaded, whatever the consultation’s state',
        tags,
        params: AttachmentParams,
        produces: ['application/pdf', 'application/octet-stream'],
        response: { ...BACK_OFFICE_ERRORS },
      },
    },
    async (request, reply) =>
      sendDocument(
        reply,
        await consultationAttachmentFile(
          contextOf(request),
          actorOf(request),
          request.params.id,
          request.params.attachmentId,
        ),
      ),
  );
  api.delete(
    '/api/v1/consultations/:id/attachments/:attachmentId',
    { config, schema: { summary: 'Remove an attachment', tags, params: AttachmentParams, response: detail } },
    async (request) =>
      removeConsultationAttachment(
        contextOf(request),
        actorOf(request),
        request.params.id,
        request.params.attachmentId,
      ),
  );
  api.get(
    '/api/v1/consultations/:id/comments',
    {
      config,
      schema: {
        summary: 'The comments, without who wrote them',
        tags,
        params: Id,
        response: { 200: Type.Object({ items: Type.Array(CommentRowSchema) }), ...BACK_OFFICE_ERRORS },
      },
    },
    async (request) => ({ items: await consultationComments(contextOf(request), actorOf(request), request.params.id) }),
  );
  api.put(
    '/api/v1/consultations/:id/comments/:commentId',
    {
      config,
      schema: {
        summary: 'Decide a comment (采纳 / 部分采纳 / 不予采纳, with the reason) and whether it is shown',
        tags,
        params: CommentParams,
        body: CommentDecisionInputSchema,
        response: { 200: CommentRowSchema, ...BACK_OFFICE_ERRORS },
      },
    },
    async (request) =>
      decideComment(contextOf(request), actorOf(request), request.params.id, request.params.commentId, request.body),
  );
  api.get(
    '/api/v1/consultations/:id/comments/:commentId/commenter',
    {
      config,
      schema: {
        summary: 'Who wrote a comment (name, phone, e-mail, 单位): every reading is an audit entry',
        tags,
        params: CommentParams,
        response: { 200: CommenterSchema, ...BACK_OFFICE_ERRORS },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      return consultationCommenter(contextOf(request), actorOf(request), request.params.id, request.params.commentId);
    },
  );
}

export function registerConsultationApi(app: FastifyInstance): void {
  registerPublicConsultationApi(app);
  registerConsultationOfficeApi(app);
}
