import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { GazetteError, INFO_REQUEST_STEPS, INFO_REQUEST_STEP_PERMISSION } from '../../domain/index.js';
import {
  ApplicantSchema,
  InfoRequestDetailSchema,
  InfoRequestFollowSchema,
  InfoRequestPageSchema,
  InfoRequestQuerySchema,
  InfoRequestStepInputSchema,
  LetterReceiptSchema,
  NewInfoRequestSchema,
  REPLY_DOCUMENT_MAX_BYTES,
  applicantReplyDocument,
  followInfoRequest,
  infoRequestApplicant,
  infoRequestDetail,
  listInfoRequests,
  putReplyDocument,
  replyDocument,
  stepInfoRequest,
  submitInfoRequest,
} from '../../services/index.js';
import { actorOf } from '../auth.js';
import { contextOf } from '../context.js';
import { answerInfoRequestForm } from '../info-request-pages.js';
import { isFormPost } from '../letter-pages.js';
import { BACK_OFFICE_ERRORS, ErrorSchema, IdParams as Id } from './schemas.js';

const PUBLIC_ERRORS = { 400: ErrorSchema, 404: ErrorSchema, 415: ErrorSchema, 429: ErrorSchema, 503: ErrorSchema };
const QueryCodeParams = Type.Object({ queryCode: Type.String({ minLength: 1, maxLength: 40 }) });
const CasePasswordHeaders = Type.Object({
  'x-case-password': Type.String({
    minLength: 1,
    maxLength: 40,
    description: 'The password given with the query code',
  }),
});

/** A file as a download, its name kept in any script (RFC 6266 / RFC 5987). */
export function sendDocument(reply: FastifyReply, file: { fileName: string; mimeType: string; data: Buffer }) {
  const ascii = file.fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return reply
    .header('cache-control', 'no-store')
    .header(
      'content-disposition',
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    )
    .type(file.mimeType)
    .send(file.data);
}

/** 依申请公开, the public side: the request, following it, the reply document. */
function registerPublicInfoRequestApi(app: FastifyInstance): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['disclosure requests (public)'];
  api.post(
    '/api/v1/public/info-requests',
    {
      config: { permission: 'public' },
      schema: {
        summary: 'Request government information (依申请公开, 条例 Art. 29): answers the query code and password',
        description:
          'Needs a solved proof of work (`altcha`) or the answer to the form’s text question, like a letter. The request waits for the office to confirm its receipt: the received day (Art. 31) starts the 20 working days. The site’s own form posts here as application/x-www-form-urlencoded and gets a page.',
        tags,
        body: NewInfoRequestSchema,
        response: { 201: LetterReceiptSchema, ...PUBLIC_ERRORS },
      },
    },
    async (request, reply) =>
      isFormPost(request)
        ? answerInfoRequestForm(request, reply, request.body)
        : reply.code(201).send(await submitInfoRequest(contextOf(request), request.body, request.ip)),
  );
  api.get(
    '/api/v1/public/info-requests/:queryCode',
    {
      config: { permission: 'public' },
      schema: {
        summary: 'Where a request stands: its clock, the notices (补正, 延期) and the outcome once answered',
        description: 'A wrong query code and a wrong password both answer 404; attempts are limited per address.',
        tags,
        params: QueryCodeParams,
        headers: CasePasswordHeaders,
        response: { 200: InfoRequestFollowSchema, ...PUBLIC_ERRORS },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      return followInfoRequest(
        contextOf(request),
        request.params.queryCode,
        request.headers['x-case-password'],
        request.ip,
      );
    },
  );
  api.get(
    '/api/v1/public/info-requests/:queryCode/reply-document',
    {
      config: { permission: 'public' },
      schema: {
        summary: 'The reply document (答复告知书), once the request is answered',
        tags,
        params: QueryCodeParams,
        headers: CasePasswordHeaders,
        produces: ['application/pdf', 'application/octet-stream'],
        response: { ...PUBLIC_ERRORS },
      },
    },
    async (request, reply) =>
      sendDocument(
        reply,
        await applicantReplyDocument(
          contextOf(request),
          request.params.queryCode,
          request.headers['x-case-password'],
          request.ip,
        ),
      ),
  );
}

/** 依申请公开, the office: the requests, the applicant (audited), the steps, the reply document. */
function registerInfoRequestOfficeApi(app: FastifyInstance): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['disclosure requests'];
  api.get(
    '/api/v1/info-requests',
    {
      config: { permission: 'case.read' },
      schema: {
        summary: 'The site’s requests: open ones by due day first',
        tags,
        querystring: InfoRequestQuerySchema,
        response: { 200: InfoRequestPageSchema, ...BACK_OFFICE_ERRORS },
      },
    },
    async (request) => listInfoRequests(contextOf(request), actorOf(request), request.query),
  );
  api.get(
    '/api/v1/info-requests/:id',
    {
      config: { permission: 'case.read' },
      schema: {
        summary: 'A request with its clock, its steps and the steps the reader may take',
        tags,
        params: Id,
        response: { 200: InfoRequestDetailSchema, ...BACK_OFFICE_ERRORS },
      },
    },
    async (request) => infoRequestDetail(contextOf(request), actorOf(request), request.params.id),
  );
  api.get(
    '/api/v1/info-requests/:id/applicant',
    {
      config: { permission: 'case.personal' },
      schema: {
        summary: 'The applicant’s identity and contact: every reading is an audit entry',
        tags,
        params: Id,
        response: { 200: ApplicantSchema, ...BACK_OFFICE_ERRORS },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      return infoRequestApplicant(contextOf(request), actorOf(request), request.params.id);
    },
  );
  for (const step of INFO_REQUEST_STEPS)
    api.post(
      `/api/v1/info-requests/:id/${step}`,
      {
        config: { permission: INFO_REQUEST_STEP_PERMISSION[step] },
        schema: {
          summary: `Request step: ${step}`,
          tags,
          params: Id,
          body: InfoRequestStepInputSchema,
          response: { 200: InfoRequestDetailSchema, ...BACK_OFFICE_ERRORS },
        },
      },
      async (request) => stepInfoRequest(contextOf(request), actorOf(request), request.params.id, step, request.body),
    );
  api.put(
    '/api/v1/info-requests/:id/reply-document',
    {
      config: { permission: 'case.screen' },
      schema: {
        summary: 'Upload the reply document (multipart field `file`): pdf, doc, docx, xls, xlsx, ofd or zip',
        description: `Up to ${REPLY_DOCUMENT_MAX_BYTES / 1048576} MB. The content is sniffed; an extension that does not match it is refused (415). Replaces the earlier upload until the request is answered.`,
        tags,
        params: Id,
        consumes: ['multipart/form-data'],
        response: { 200: InfoRequestDetailSchema, ...BACK_OFFICE_ERRORS, 413: ErrorSchema, 415: ErrorSchema },
      },
    },
    async (request) => {
      if (!request.isMultipart()) throw new GazetteError('MEDIA_NO_FILE');
      for await (const part of request.parts()) {
        if (part.type === 'field') continue;
        if (part.fieldname !== 'file') {
          await part.toBuffer();
          continue;
        }
        const data = await part.toBuffer().catch((error: unknown) => {
          if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') return null;
          throw error;
        });
        return putReplyDocument(contextOf(request), actorOf(request), request.params.id, {
          filename: part.filename,
          data: data ?? Buffer.alloc(0),
          truncated: data === null,
        });
      }
      throw new GazetteError('MEDIA_NO_FILE');
    },
  );
  api.get(
    '/api/v1/info-requests/:id/reply-document',
    {
      config: { permission: 'case.read' },
      schema: {
        summary: 'The reply document as uploaded',
        tags,
        params: Id,
        produces: ['application/pdf', 'application/octet-stream'],
        response: { ...BACK_OFFICE_ERRORS },
      },
    },
    async (request, reply) =>
      sendDocument(reply, await replyDocument(contextOf(request), actorOf(request), request.params.id)),
  );
}

export function registerInfoRequestApi(app: FastifyInstance): void {
  registerPublicInfoRequestApi(app);
  registerInfoRequestOfficeApi(app);
}
