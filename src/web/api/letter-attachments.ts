import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import {
  LetterDetailSchema,
  REPLY_ATTACHMENT_LIMITS,
  ROW_ID_MAX,
  addLetterReplyFile,
  followReplyFile,
  letterReplyFile,
  letterWriterFile,
  removeLetterReplyFile,
} from '../../services/index.js';
import { actorOf } from '../auth.js';
import { contextOf } from '../context.js';
import { uploadedFile } from '../letter-uploads.js';
import { sendDocument } from './info-requests.js';
import { BACK_OFFICE_ERRORS, ErrorSchema } from './schemas.js';

const RowId = Type.Integer({ minimum: 1, maximum: ROW_ID_MAX });
const FileParams = Type.Object({ id: RowId, attachmentId: RowId });
const FILE_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'application/octet-stream'];

/**
 * The files of letters: the writer's (personal data: case.personal, every download audited),
 * the reply's (added and removed by the unit's handlers while they draft it), and the reply's
 * for the writer with the query code and password. The public addresses of published reply
 * files are pages of the site (/xinxiang/fujian/…), not API routes.
 */
export function registerLetterAttachmentApi(app: FastifyInstance): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['letters'];
  // The downloads: the writer's files are personal data (audited), the reply's are the unit's.
  const downloads = [
    {
      role: 'writer',
      permission: 'case.personal',
      summary: 'A file the writer attached (personal data): every download is an audit entry',
      read: letterWriterFile,
    },
    { role: 'reply', permission: 'case.read', summary: 'A file of the reply, as uploaded', read: letterReplyFile },
  ] as const;
  for (const { role, permission, summary, read } of downloads)
    api.get(
      `/api/v1/letters/:id/${role}-attachments/:attachmentId`,
      {
        config: { permission },
        schema: { summary, tags, params: FileParams, produces: FILE_TYPES, response: { ...BACK_OFFICE_ERRORS } },
      },
      async (request, reply) =>
        sendDocument(
          reply,
          await read(contextOf(request), actorOf(request), request.params.id, request.params.attachmentId),
        ),
    );
  api.post(
    '/api/v1/letters/:id/reply-attachments',
    {
      config: { permission: 'case.handle' },
      schema: {
        summary:
          'Add a file to the reply in draft (multipart field `file`): the unit’s handlers, while it is with them',
        description: `pdf, doc, docx, xls, xlsx, ofd, zip, jpg or png, up to ${REPLY_ATTACHMENT_LIMITS.mb} MB, at most ${REPLY_ATTACHMENT_LIMITS.count} files. The content is sniffed: a file whose content is not what its name says is refused (415). The files go public with the letter.`,
        tags,
        params: Type.Object({ id: RowId }),
        consumes: ['multipart/form-data'],
        response: {
          201: LetterDetailSchema,
          ...BACK_OFFICE_ERRORS,
          413: ErrorSchema,
          415: ErrorSchema,
          422: ErrorSchema,
        },
      },
    },
    async (request, reply) => {
      const file = await uploadedFile(request, REPLY_ATTACHMENT_LIMITS.mb * 1024 * 1024);
      return reply
        .code(201)
        .send(await addLetterReplyFile(contextOf(request), actorOf(request), request.params.id, file));
    },
  );
  api.delete(
    '/api/v1/letters/:id/reply-attachments/:attachmentId',
    {
      config: { permission: 'case.handle' },
      schema: {
        summary: 'Remove a file from the reply in draft',
        tags,
        params: FileParams,
        response: { 200: LetterDetailSchema, ...BACK_OFFICE_ERRORS },
      },
    },
    async (request) =>
      removeLetterReplyFile(contextOf(request), actorOf(request), request.params.id, request.params.attachmentId),
  );
  api.get(
    '/api/v1/public/letters/:queryCode/attachments/:attachmentId',
    {
      config: { permission: 'public' },
      schema: {
        summary: 'A file of the reply, for the writer once the letter is answered',
        description: 'A wrong query code and a wrong password both answer 404; attempts are limited per address.',
        tags: ['letters (public)'],
        params: Type.Object({ queryCode: Type.String({ minLength: 1, maxLength: 40 }), attachmentId: RowId }),
        headers: Type.Object({ 'x-case-password': Type.String({ minLength: 1, maxLength: 40 }) }),
        produces: FILE_TYPES,
        response: { 404: ErrorSchema, 429: ErrorSchema },
      },
    },
    async (request, reply) =>
      sendDocument(
        reply,
        await followReplyFile(
          contextOf(request),
          request.params.queryCode,
          request.headers['x-case-password'],
          request.params.attachmentId,
          request.ip,
        ),
      ),
  );
}
