import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  GazetteError,
  LETTER_STATUS_NAMES,
  caseFieldInvalid,
  holdsAnywhere,
  isGazetteError,
  type LetterDeskSettings,
} from '../../domain/index.js';
import {
  letterAttachments,
  type Database,
  type Letter,
  type LetterAttachmentInfo,
  type LetterAttachmentRole,
} from '../../store/index.js';
import { requireAnywhere, type Actor } from '../actor.js';
import { appendAudit, recordAudit } from '../audit.js';
import type { ServiceContext } from '../context.js';
import { requireVirusFree, sniffedLetterFile } from '../content/index.js';
import { currentSite } from '../site.js';
import type { LetterAttachmentView } from './attachment-views.js';
import { findVisible, letterDetail, standingOf, type Standing } from './handling.js';
import { letterByCode } from './intake.js';
import { openPersonal, requireDataKeyring, sealPersonal, type DataKeyring } from './personal-data.js';

/**
 * The files of a letter. The writer's come with the letter (the desk's limits: how many, how
 * large), are sniffed like media uploads and virus-checked, and are personal data: name and bytes
 * are sealed with GAZETTE_DATA_KEY, each download in the back office needs case.personal and is
 * an audit entry, and the retention job deletes them. The unit's reply files are added and
 * removed while the reply is drafted, and go public with the letter.
 */

const MB = 1024 * 1024;
/** The largest reply file, and how many a reply may carry. */
export const REPLY_ATTACHMENT_LIMITS = { mb: 20, count: 10 } as const;

/** A file as the transport read it. */
export interface IncomingFile {
  readonly filename: string;
  readonly data: Buffer;
  /** The transport stopped reading at its size limit. */
  readonly truncated?: boolean | undefined;
}

/** A file that passed the checks, named safely. */
export interface CheckedFile {
  readonly fileName: string;
  readonly mimeType: string;
  readonly data: Buffer;
}

/** A file to send: its download name, type and bytes. */
export interface FileDownload {
  readonly fileName: string;
  readonly mimeType: string;
  readonly data: Buffer;
}

const nameContext = (letterId: number) => `letter:${letterId}:attachment-name`;
const contentContext = (letterId: number) => `letter:${letterId}:attachment`;

/** The name a refusal quotes: the file's own, without folders, short. */
function quoted(filename: string): string {
  const base = filename.replace(/\\/g, '/').split('/').pop() ?? '';
  return Array.from(base).slice(0, 60).join('') || '?';
}

/** One file: its size (413), its bytes against its name (415), the virus check (422). */
async function checkFile(ctx: ServiceContext, file: IncomingFile, maxMb: number, field: string): Promise<CheckedFile> {
  const name = quoted(file.filename);
  if (file.truncated || file.data.length > maxMb * MB)
    throw new GazetteError('CASE_ATTACHMENT_TOO_LARGE', { field, file: name, max: maxMb });
  if (file.data.length === 0) throw caseFieldInvalid(field, `附件“${name}”是空文件`, `the file “${name}” is empty`);
  // The bytes against the name first (a renamed executable or page is a lie: 415), then the
  // virus check of what claims to be a document or a photo.
  const checked = await sniffedLetterFile(file.filename, file.data).catch((error: unknown) => {
    if (!isGazetteError(error) || !error.code.startsWith('MEDIA_TYPE_')) throw error;
    throw new GazetteError('CASE_ATTACHMENT_TYPE', {
      field,
      file: name,
      reason: { zh: error.messageIn('zh'), en: error.messageIn('en') },
    });
  });
  await requireVirusFree(ctx.virusScanner, file.data);
  return { fileName: checked.fileName, mimeType: checked.mimeType, data: file.data };
}

/**
 * The writer's files against the desk's limits, before anything is stored: too many is a 400
 * naming `attachments`, a file too large 413, one whose bytes are not what its name says 415,
 * each naming the file. Empty file fields (a form sent with no file chosen) are not files.
 */
export async function checkWriterFiles(
  ctx: ServiceContext,
  desk: LetterDeskSettings,
  files: readonly IncomingFile[],
): Promise<CheckedFile[]> {
  const sent = files.filter((f) => f.filename !== '' || f.data.length > 0);
  if (sent.length > desk.attachmentsMax)
    throw caseFieldInvalid(
      'attachments',
      desk.attachmentsMax === 0
        ? '本信箱不接受附件'
        : `最多上传 ${desk.attachmentsMax} 个附件（现为 ${sent.length} 个）`,
      `at most ${desk.attachmentsMax} files (there are ${sent.length})`,
    );
  const checked: CheckedFile[] = [];
  for (const file of sent) checked.push(await checkFile(ctx, file, desk.attachmentMb, 'attachments'));
  return checked;
}

/** Stores the writer's files with their letter, sealed (in the letter's transaction). */
export async function storeWriterFiles(
  trx: Kysely<Database>,
  keyring: DataKeyring,
  letter: Letter,
  files: readonly CheckedFile[],
  now: Date,
): Promise<void> {
  for (const file of files)
    await letterAttachments.insertAttachment(trx, {
      siteId: letter.siteId,
      letterId: letter.id,
      role: 'writer',
      fileName: sealPersonal(keyring, file.fileName, nameContext(letter.id)),
      mimeType: file.mimeType,
      size: file.data.length,
      sha256: '',
      content: sealPersonal(keyring, file.data.toString('base64'), contentContext(letter.id)),
      keyId: keyring.current.id,
      uploadedBy: '写信人',
      uploadedAt: now.toISOString(),
      publishedAt: null,
    });
}

/** A writer's file opened: its name and bytes. */
function openWriterFile(keyring: DataKeyring, row: { letterId: number; fileName: string; content: string }) {
  return {
    fileName: openPersonal(keyring, row.fileName, nameContext(row.letterId)),
    data: Buffer.from(openPersonal(keyring, row.content, contentContext(row.letterId)), 'base64'),
  };
}

/** The same file sealed again under the current key (the rotation). */
export function resealWriterFile(
  keyring: DataKeyring,
  row: { letterId: number; fileName: string; content: string },
): { fileName: string; content: string; keyId: string } {
  const opened = openWriterFile(keyring, row);
  return {
    fileName: sealPersonal(keyring, opened.fileName, nameContext(row.letterId)),
    content: sealPersonal(keyring, opened.data.toString('base64'), contentContext(row.letterId)),
    keyId: keyring.current.id,
  };
}

function view(row: LetterAttachmentInfo, fileName: string, url: string): LetterAttachmentView {
  return {
    id: row.id,
    fileName,
    mimeType: row.mimeType,
    size: row.size,
    uploadedBy: row.uploadedBy,
    uploadedAt: row.uploadedAt,
    url,
  };
}

/**
 * The letter's files as the back office lists them. The writer's file names are personal data
 * (a name, an ID number in a scan's name): listed as 附件1, 附件2…, each opened only by its
 * download, which needs case.personal and is audited.
 */
export async function officeAttachments(
  ctx: ServiceContext,
  letter: Letter,
): Promise<{ writer: LetterAttachmentView[]; reply: LetterAttachmentView[] }> {
  const db = ctx.store.db;
  const base = `/api/v1/letters/${letter.id}`;
  const writer = (await letterAttachments.attachmentsOf(db, letter.id, 'writer')).map((row, i) =>
    view(row, `附件${i + 1}`, `${base}/writer-attachments/${row.id}`),
  );
  const reply = (await letterAttachments.attachmentsOf(db, letter.id, 'reply')).map((row) =>
    view(row, row.fileName, `${base}/reply-attachments/${row.id}`),
  );
  return { writer, reply };
}

/** The reply's files as the writer sees them once answered (the API's address needs the password header). */
export async function followAttachments(ctx: ServiceContext, letter: Letter): Promise<LetterAttachmentView[]> {
  if (letter.answeredAt === null && letter.status !== 'published') return [];
  const rows = await letterAttachments.attachmentsOf(ctx.store.db, letter.id, 'reply');
  return rows.map((row) =>
    view(row, row.fileName, `/api/v1/public/letters/${encodeURIComponent(letter.queryCode)}/attachments/${row.id}`),
  );
}

async function fileOf(db: Kysely<Database>, letter: Letter, id: number, role: LetterAttachmentRole) {
  const row = await letterAttachments.findAttachment(db, letter.id, id, role);
  if (!row) throw new GazetteError('MEDIA_NOT_FOUND', { id });
  return row;
}

/** A writer's file for the back office: needs case.personal, and the reading is audited. */
export async function writerFileDownload(ctx: ServiceContext, actor: Actor, letter: Letter, id: number) {
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'case.personal', scope.tree);
  const keyring = requireDataKeyring(ctx.dataKeys);
  const row = await fileOf(ctx.store.db, letter, id, 'writer');
  const opened = openWriterFile(keyring, row);
  await recordAudit(ctx, actor, {
    action: 'letter.attachment-read',
    targetType: 'letter',
    targetId: letter.id,
    details: { attachmentId: row.id, size: row.size },
  });
  return { fileName: opened.fileName, mimeType: row.mimeType, data: opened.data };
}

/** A reply file for whoever may read the letter (or the writer, once answered). */
export async function replyFileDownload(db: Kysely<Database>, letter: Letter, id: number): Promise<FileDownload> {
  const row = await fileOf(db, letter, id, 'reply');
  return { fileName: row.fileName, mimeType: row.mimeType, data: Buffer.from(row.content, 'base64') };
}

/** A reply file the public may fetch: its letter is published on the request's site; otherwise 404. */
export async function publicReplyFile(ctx: ServiceContext, id: number): Promise<FileDownload & { sha256: string }> {
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  const row = await letterAttachments.findPublishedAttachment(ctx.store.db, scope.site.id, id);
  if (!row) throw new GazetteError('NOT_FOUND');
  const data = Buffer.from(row.content, 'base64');
  return { fileName: row.fileName, mimeType: row.mimeType, data, sha256: row.sha256 };
}

const EDIT_STEP = { zh: '修改答复附件', en: 'change the reply’s files' } as const;

/** The reply's files change only while the unit drafts it (办理中). */
export function requireReplyDraft(letter: Letter): void {
  if (letter.status !== 'assigned')
    throw new GazetteError('CASE_STEP_INVALID', { status: LETTER_STATUS_NAMES[letter.status], step: EDIT_STEP });
}

/** Adds a file to the reply being drafted: checked like the writer's (415 when it lies). */
export async function addReplyFile(
  ctx: ServiceContext,
  actor: Actor,
  letter: Letter,
  upload: IncomingFile,
): Promise<void> {
  requireReplyDraft(letter);
  const db = ctx.store.db;
  const present = await letterAttachments.attachmentsOf(db, letter.id, 'reply');
  if (present.length >= REPLY_ATTACHMENT_LIMITS.count)
    throw caseFieldInvalid(
      'file',
      `答复最多 ${REPLY_ATTACHMENT_LIMITS.count} 个附件`,
      `a reply carries at most ${REPLY_ATTACHMENT_LIMITS.count} files`,
      '答复附件',
    );
  const file = await checkFile(ctx, upload, REPLY_ATTACHMENT_LIMITS.mb, 'file');
  const now = ctx.clock.now();
  await db.transaction().execute(async (trx) => {
    const row = await letterAttachments.insertAttachment(trx, {
      siteId: letter.siteId,
      letterId: letter.id,
      role: 'reply',
      fileName: file.fileName,
      mimeType: file.mimeType,
      size: file.data.length,
      sha256: createHash('sha256').update(file.data).digest('hex'),
      content: file.data.toString('base64'),
      keyId: null,
      uploadedBy: actor.userName,
      uploadedAt: now.toISOString(),
      publishedAt: null,
    });
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: 'letter.reply-attachment-add',
      targetType: 'letter',
      targetId: letter.id,
      details: { attachmentId: row.id, fileName: row.fileName, size: row.size, sha256: row.sha256 },
    });
  });
}

/** Removes a file from the reply being drafted; one on the site stays until the letter is withdrawn. */
export async function removeReplyFile(ctx: ServiceContext, actor: Actor, letter: Letter, id: number): Promise<void> {
  requireReplyDraft(letter);
  const row = await fileOf(ctx.store.db, letter, id, 'reply');
  if (row.publishedAt !== null)
    throw new GazetteError('CASE_STEP_INVALID', { status: LETTER_STATUS_NAMES.published, step: EDIT_STEP });
  const now = ctx.clock.now();
  await ctx.store.db.transaction().execute(async (trx) => {
    await letterAttachments.deleteAttachment(trx, row.id);
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: 'letter.reply-attachment-remove',
      targetType: 'letter',
      targetId: letter.id,
      details: { attachmentId: row.id, fileName: row.fileName },
    });
  });
}

/** Whether the reader answers for the letter's unit (a handler who is its member). */
export function answersFor(actor: Actor, standing: Standing, letter: Letter): boolean {
  return holdsAnywhere(actor.grants, 'case.handle') && letter.unitId !== null && standing.units.has(letter.unitId);
}

/** GET a writer's file (case.personal, audited). */
export async function letterWriterFile(ctx: ServiceContext, actor: Actor, letterId: number, id: number) {
  const letter = await findVisible(ctx, await standingOf(ctx, actor), letterId);
  return writerFileDownload(ctx, actor, letter, id);
}

/** GET a reply file (whoever may read the letter). */
export async function letterReplyFile(ctx: ServiceContext, actor: Actor, letterId: number, id: number) {
  const letter = await findVisible(ctx, await standingOf(ctx, actor), letterId);
  return replyFileDownload(ctx.store.db, letter, id);
}

async function draftedBy(ctx: ServiceContext, actor: Actor, letterId: number): Promise<Letter> {
  const standing = await standingOf(ctx, actor);
  const letter = await findVisible(ctx, standing, letterId);
  if (!answersFor(actor, standing, letter)) throw new GazetteError('PERMISSION_DENIED', { action: 'case.handle' });
  return letter;
}

/** The unit's handler adds a file to the reply in draft; answers the letter. */
export async function addLetterReplyFile(ctx: ServiceContext, actor: Actor, letterId: number, upload: IncomingFile) {
  await addReplyFile(ctx, actor, await draftedBy(ctx, actor, letterId), upload);
  return letterDetail(ctx, actor, letterId);
}

/** The unit's handler removes a file from the reply in draft; answers the letter. */
export async function removeLetterReplyFile(ctx: ServiceContext, actor: Actor, letterId: number, id: number) {
  await removeReplyFile(ctx, actor, await draftedBy(ctx, actor, letterId), id);
  return letterDetail(ctx, actor, letterId);
}

/** A reply file for the writer, with the query code and password, once the letter is answered. */
export async function followReplyFile(
  ctx: ServiceContext,
  queryCode: string,
  password: string,
  id: number,
  ip: string | null,
): Promise<FileDownload> {
  const letter = await letterByCode(ctx, queryCode, password, ip);
  if (letter.answeredAt === null && letter.status !== 'published') throw new GazetteError('CASE_NOT_FOUND');
  return replyFileDownload(ctx.store.db, letter, id);
}

/**
 * Key rotation: a batch of the writers' files sealed with the previous key, sealed again with the
 * current one (each only if no one changed it meanwhile); answers how many.
 */
export async function resealWriterFiles(ctx: ServiceContext, batch: number): Promise<number> {
  const keyring = requireDataKeyring(ctx.dataKeys);
  if (!keyring.previous) return 0;
  const rows = await letterAttachments.sealedWithOtherKey(ctx.store.db, keyring.current.id, batch);
  let done = 0;
  for (const row of rows)
    if (await letterAttachments.resealAttachment(ctx.store.db, row, resealWriterFile(keyring, row))) done++;
  return done;
}
