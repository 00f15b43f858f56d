import type { FastifyRequest } from 'fastify';
import { GazetteError, caseFieldInvalid } from '../domain/index.js';
import { publicDesk, type IncomingFile } from '../services/index.js';
import { contextOf } from './context.js';
import { letterFromForm } from './letter-pages.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route reads multipart/form-data itself (the letter form with its files), JSON otherwise. */
    multipartForm?: boolean;
  }
}

const MB = 1024 * 1024;
/** Text fields of the letter form, with room to spare (a field given twice keeps its first value). */
const FORM_FIELDS = 40;
const FIELD_BYTES = 128 * 1024;

/** What a multipart post held: its text fields, its files (empty file fields included), or why it stopped. */
export interface MultipartPost {
  readonly fields: Record<string, string>;
  readonly files: (IncomingFile & { readonly field: string })[];
  /** Set when the post had more files than allowed: the refusal to answer, nothing being stored. */
  readonly refusal: GazetteError | null;
}

/**
 * Reads a multipart post whole, in memory, within limits: `files` files of at most `fileBytes`
 * each (a larger one is kept cut, marked truncated, for the service to refuse naming it). One
 * file more than allowed is read too, so that "too many" is the service's refusal; beyond that
 * the transport stops and the refusal is given here.
 */
export async function readMultipart(
  request: FastifyRequest,
  limits: { files: number; fileBytes: number; tooMany: () => GazetteError },
): Promise<MultipartPost> {
  const fields: Record<string, string> = {};
  const files: MultipartPost['files'] = [];
  // A file over the size is kept cut and marked (the plugin reads this option; its types omit it).
  const options = {
    limits: {
      files: limits.files + 1,
      fileSize: limits.fileBytes,
      fields: FORM_FIELDS,
      fieldSize: FIELD_BYTES,
      parts: FORM_FIELDS + limits.files + 1,
    },
    throwFileSizeLimit: false,
  };
  const parts = request.parts(options);
  try {
    for await (const part of parts) {
      if (part.type === 'field') {
        if (!(part.fieldname in fields)) fields[part.fieldname] = String(part.value);
        continue;
      }
      const data = await part.toBuffer();
      files.push({ field: part.fieldname, filename: part.filename, data, truncated: part.file.truncated });
    }
  } catch (error) {
    if ((error as { code?: string }).code !== 'FST_FILES_LIMIT') throw error;
    return { fields, files, refusal: limits.tooMany() };
  }
  return { fields, files, refusal: null };
}

const posts = new WeakMap<FastifyRequest, MultipartPost>();

/**
 * The letter form posted as multipart/form-data (its files): read before validation, within the
 * desk's limits, into the fields the API takes; the files wait for the handler.
 */
export async function readLetterPost(request: FastifyRequest): Promise<void> {
  if (!request.isMultipart()) return;
  const desk = await publicDesk(contextOf(request));
  const post = await readMultipart(request, {
    files: desk.attachmentsMax,
    fileBytes: desk.attachmentMb * MB,
    tooMany: () =>
      caseFieldInvalid('attachments', `最多上传 ${desk.attachmentsMax} 个附件`, `at most ${desk.attachmentsMax} files`),
  });
  posts.set(request, post);
  request.body = letterFromForm(post.fields);
}

/** The files of the letter form's post (only those of its `attachments` field), and a refusal if any. */
export function letterPostFiles(request: FastifyRequest): { files: IncomingFile[]; refusal: GazetteError | null } {
  const post = posts.get(request);
  return { files: post?.files.filter((f) => f.field === 'attachments') ?? [], refusal: post?.refusal ?? null };
}

/** Whether a multipart post asks for JSON (an API client) rather than the form's page. */
export function wantsJson(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').split(',')[0]?.trim().toLowerCase() === 'application/json';
}

/** The one file of a back-office upload (field `file`), within `fileBytes`. */
export async function uploadedFile(request: FastifyRequest, fileBytes: number): Promise<IncomingFile> {
  if (!request.isMultipart()) throw new GazetteError('MEDIA_NO_FILE');
  const post = await readMultipart(request, {
    files: 1,
    fileBytes,
    tooMany: () => new GazetteError('MEDIA_NO_FILE'),
  });
  const file = post.files.find((f) => f.field === 'file' && (f.filename !== '' || f.data.length > 0));
  if (post.refusal) throw post.refusal;
  if (!file) throw new GazetteError('MEDIA_NO_FILE');
  return file;
}
