import type { Generated, Insertable, Kysely, Selectable } from 'kysely';
import type { Database } from './schema.js';

/** Who added a letter's file: its writer (personal data, sealed) or the answering unit (public once published). */
export type LetterAttachmentRole = 'writer' | 'reply';

/** A file of a letter (0018_letter_attachments). */
export interface LetterAttachmentTable {
  id: Generated<number>;
  siteId: number;
  letterId: number;
  role: LetterAttachmentRole;
  /** The writer's: sealed; the reply's: the safe download name. */
  fileName: string;
  mimeType: string;
  size: number;
  /** Of the bytes; empty for the writer's (a fingerprint of personal data is not kept). */
  sha256: string;
  /** The writer's: the bytes sealed (base64 inside); the reply's: base64. */
  content: string;
  /** The data key the writer's file is sealed with; null for the reply's. */
  keyId: string | null;
  uploadedBy: string;
  uploadedAt: string;
  /** When the reply's file went public with its letter; null while it is not on the site. */
  publishedAt: string | null;
}

export type LetterAttachment = Selectable<LetterAttachmentTable>;
/** A file described without its bytes (lists). */
export type LetterAttachmentInfo = Omit<LetterAttachment, 'content'>;

const INFO = [
  'id',
  'siteId',
  'letterId',
  'role',
  'fileName',
  'mimeType',
  'size',
  'sha256',
  'keyId',
  'uploadedBy',
  'uploadedAt',
  'publishedAt',
] as const;

export async function insertAttachment(
  db: Kysely<Database>,
  row: Insertable<LetterAttachmentTable>,
): Promise<LetterAttachmentInfo> {
  return db.insertInto('letterAttachment').values(row).returning(INFO).executeTakeFirstOrThrow();
}

/** A letter's files of one role, in the order they came (without their bytes). */
export async function attachmentsOf(
  db: Kysely<Database>,
  letterId: number,
  role: LetterAttachmentRole,
): Promise<LetterAttachmentInfo[]> {
  return db
    .selectFrom('letterAttachment')
    .select(INFO)
    .where('letterId', '=', letterId)
    .where('role', '=', role)
    .orderBy('id')
    .execute();
}

/** One file of a letter, with its bytes. */
export async function findAttachment(
  db: Kysely<Database>,
  letterId: number,
  id: number,
  role: LetterAttachmentRole,
): Promise<LetterAttachment | undefined> {
  return db
    .selectFrom('letterAttachment')
    .selectAll()
    .where('id', '=', id)
    .where('letterId', '=', letterId)
    .where('role', '=', role)
    .executeTakeFirst();
}

/** A reply file the public may fetch: its letter's publication took it on the site. */
export async function findPublishedAttachment(
  db: Kysely<Database>,
  siteId: number,
  id: number,
): Promise<LetterAttachment | undefined> {
  return db
    .selectFrom('letterAttachment as a')
    .innerJoin('letter as l', 'l.id', 'a.letterId')
    .selectAll('a')
    .where('a.id', '=', id)
    .where('a.siteId', '=', siteId)
    .where('a.role', '=', 'reply')
    .where('a.publishedAt', 'is not', null)
    .where('l.publishedAt', 'is not', null)
    .executeTakeFirst();
}

export async function deleteAttachment(db: Kysely<Database>, id: number): Promise<boolean> {
  const result = await db.deleteFrom('letterAttachment').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Deletes the writer's files of a letter (retention); answers how many went. */
export async function deleteWriterAttachments(db: Kysely<Database>, letterId: number): Promise<number> {
  const result = await db
    .deleteFrom('letterAttachment')
    .where('letterId', '=', letterId)
    .where('role', '=', 'writer')
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Puts the reply's files on the site with their letter (a date), or takes them off (null). */
export async function publishReplyAttachments(
  db: Kysely<Database>,
  letterId: number,
  at: string | null,
): Promise<void> {
  await db
    .updateTable('letterAttachment')
    .set({ publishedAt: at })
    .where('letterId', '=', letterId)
    .where('role', '=', 'reply')
    .execute();
}

/** Writer files sealed with another key than `keyId` (the rotation's next batch). */
export async function sealedWithOtherKey(
  db: Kysely<Database>,
  keyId: string,
  limit: number,
): Promise<LetterAttachment[]> {
  return db
    .selectFrom('letterAttachment')
    .selectAll()
    .where('role', '=', 'writer')
    .where('keyId', '!=', keyId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Re-seals a writer file, unless it changed meanwhile; answers whether it did. */
export async function resealAttachment(
  db: Kysely<Database>,
  row: LetterAttachment,
  sealed: { fileName: string; content: string; keyId: string },
): Promise<boolean> {
  const result = await db
    .updateTable('letterAttachment')
    .set(sealed)
    .where('id', '=', row.id)
    .where('keyId', '=', row.keyId ?? '')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
