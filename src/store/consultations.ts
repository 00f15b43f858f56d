import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import {
  CONSULTATION_KINDS,
  CONSULTATION_STATUSES,
  COMMENT_DECISIONS,
  type CommentDecision,
  type ConsultationKind,
  type ConsultationStatus,
} from '../domain/index.js';
import type { ConsultationAttachmentTable, ConsultationCommentTable, ConsultationTable, Database } from './schema.js';

/** 意见征集 in the store: the consultations of a site, their attachments and comments. */
export interface Consultation extends Omit<Selectable<ConsultationTable>, 'kind' | 'status'> {
  readonly kind: ConsultationKind;
  readonly status: ConsultationStatus;
}

export interface ConsultationComment extends Omit<Selectable<ConsultationCommentTable>, 'decision'> {
  readonly decision: CommentDecision | null;
}

export type ConsultationAttachmentRow = Selectable<ConsultationAttachmentTable>;
/** An attachment without its bytes. */
export type ConsultationAttachmentInfo = Omit<ConsultationAttachmentRow, 'content'>;

function toConsultation(row: Selectable<ConsultationTable>): Consultation {
  const kind = CONSULTATION_KINDS.find((k) => k === row.kind);
  const status = CONSULTATION_STATUSES.find((s) => s === row.status);
  if (!kind || !status) throw new TypeError(`consultation ${row.id} holds kind "${row.kind}", status "${row.status}"`);
  return { ...row, kind, status };
}

function toComment(row: Selectable<ConsultationCommentTable>): ConsultationComment {
  const decision = row.decision === null ? null : COMMENT_DECISIONS.find((d) => d === row.decision);
  if (decision === undefined) throw new TypeError(`comment ${row.id} holds decision "${row.decision}"`);
  return { ...row, decision };
}

export async function insertConsultation(
  db: Kysely<Database>,
  row: Insertable<ConsultationTable>,
): Promise<Consultation> {
  return toConsultation(await db.insertInto('consultation').values(row).returningAll().executeTakeFirstOrThrow());
}

export async function findConsultation(db: Kysely<Database>, id: number): Promise<Consultation | undefined> {
  const row = await db.selectFrom('consultation').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toConsultation(row);
}

/** Changes a consultation last updated at `expected` (changed meanwhile: undefined). */
export async function updateConsultation(
  db: Kysely<Database>,
  id: number,
  expected: string,
  patch: Updateable<ConsultationTable>,
): Promise<Consultation | undefined> {
  const row = await db
    .updateTable('consultation')
    .set(patch)
    .where('id', '=', id)
    .where('updatedAt', '=', expected)
    .returningAll()
    .executeTakeFirst();
  return row && toConsultation(row);
}

/** A site's consultations, the newest period first; `published` keeps only those out for comment. */
export async function listConsultations(
  db: Kysely<Database>,
  siteId: number,
  options: { published?: boolean } = {},
): Promise<Consultation[]> {
  let query = db.selectFrom('consultation').selectAll().where('siteId', '=', siteId);
  if (options.published) query = query.where('status', '=', 'published');
  const rows = await query.orderBy('endDay', 'desc').orderBy('id', 'desc').execute();
  return rows.map(toConsultation);
}

/** Comments per consultation: all of them, and those not yet decided. */
export async function commentCounts(
  db: Kysely<Database>,
  ids: readonly number[],
): Promise<Map<number, { total: number; undecided: number }>> {
  const counts = new Map<number, { total: number; undecided: number }>();
  if (ids.length === 0) return counts;
  const rows = await db
    .selectFrom('consultationComment')
    .select(['consultationId', 'decision'])
    .where('consultationId', 'in', ids)
    .execute();
  for (const row of rows) {
    const count = counts.get(row.consultationId) ?? { total: 0, undecided: 0 };
    count.total += 1;
    if (row.decision === null) count.undecided += 1;
    counts.set(row.consultationId, count);
  }
  return counts;
}

export async function attachmentsOf(
  db: Kysely<Database>,
  consultationId: number,
): Promise<ConsultationAttachmentInfo[]> {
  return db
    .selectFrom('consultationAttachment')
    .select(['id', 'consultationId', 'fileName', 'mimeType', 'size', 'sha256', 'uploadedBy', 'uploadedAt'])
    .where('consultationId', '=', consultationId)
    .orderBy('id')
    .execute();
}

export async function findAttachment(
  db: Kysely<Database>,
  consultationId: number,
  id: number,
): Promise<ConsultationAttachmentRow | undefined> {
  return db
    .selectFrom('consultationAttachment')
    .selectAll()
    .where('consultationId', '=', consultationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function insertAttachment(
  db: Kysely<Database>,
  row: Insertable<ConsultationAttachmentTable>,
): Promise<number> {
  const { id } = await db.insertInto('consultationAttachment').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function deleteAttachment(db: Kysely<Database>, consultationId: number, id: number): Promise<boolean> {
  const result = await db
    .deleteFrom('consultationAttachment')
    .where('consultationId', '=', consultationId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function insertComment(
  db: Kysely<Database>,
  row: Insertable<ConsultationCommentTable>,
): Promise<ConsultationComment> {
  return toComment(await db.insertInto('consultationComment').values(row).returningAll().executeTakeFirstOrThrow());
}

export async function commentsOf(db: Kysely<Database>, consultationId: number): Promise<ConsultationComment[]> {
  const rows = await db
    .selectFrom('consultationComment')
    .selectAll()
    .where('consultationId', '=', consultationId)
    .orderBy('id')
    .execute();
  return rows.map(toComment);
}

export async function findComment(
  db: Kysely<Database>,
  consultationId: number,
  id: number,
): Promise<ConsultationComment | undefined> {
  const row = await db
    .selectFrom('consultationComment')
    .selectAll()
    .where('consultationId', '=', consultationId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toComment(row);
}

export async function updateComment(
  db: Kysely<Database>,
  id: number,
  patch: Updateable<ConsultationCommentTable>,
): Promise<ConsultationComment> {
  return toComment(
    await db
      .updateTable('consultationComment')
      .set(patch)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow(),
  );
}

/** Comments still sealed with another key than `keyId` (key rotation), a batch at a time. */
export async function staleSealedComments(
  db: Kysely<Database>,
  keyId: string,
  limit: number,
): Promise<ConsultationComment[]> {
  const rows = await db
    .selectFrom('consultationComment')
    .selectAll()
    .where('personalKeyId', '!=', keyId)
    .where('anonymisedAt', 'is', null)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(toComment);
}

/** A site's comments not yet anonymised on consultations that ended before `beforeDay`. */
export async function expiredComments(
  db: Kysely<Database>,
  siteId: number,
  beforeDay: string,
  limit: number,
): Promise<ConsultationComment[]> {
  const rows = await db
    .selectFrom('consultationComment')
    .innerJoin('consultation', 'consultation.id', 'consultationComment.consultationId')
    .selectAll('consultationComment')
    .where('consultation.siteId', '=', siteId)
    .where('consultation.endDay', '<', beforeDay)
    .where('consultationComment.anonymisedAt', 'is', null)
    .orderBy('consultationComment.id')
    .limit(limit)
    .execute();
  return rows.map(toComment);
}
