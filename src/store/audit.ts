import type { Kysely, Selectable } from 'kysely';
import type { AuditLogTable, Database } from './schema.js';

export type AuditRow = Selectable<AuditLogTable>;

export async function lastAuditEntry(db: Kysely<Database>): Promise<AuditRow | undefined> {
  return db.selectFrom('auditLog').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirst();
}

export async function insertAuditEntry(db: Kysely<Database>, entry: AuditRow): Promise<void> {
  await db.insertInto('auditLog').values(entry).execute();
}

export interface AuditFilter {
  readonly userId?: number | undefined;
  readonly action?: string | undefined;
  readonly targetType?: string | undefined;
  readonly targetId?: string | undefined;
  readonly from?: string | undefined;
  readonly before?: string | undefined;
}

function filtered(db: Kysely<Database>, filter: AuditFilter) {
  let query = db.selectFrom('auditLog');
  if (filter.userId !== undefined) query = query.where('userId', '=', filter.userId);
  if (filter.action !== undefined) query = query.where('action', '=', filter.action);
  if (filter.targetType !== undefined) query = query.where('targetType', '=', filter.targetType);
  if (filter.targetId !== undefined) query = query.where('targetId', '=', filter.targetId);
  if (filter.from !== undefined) query = query.where('at', '>=', filter.from);
  if (filter.before !== undefined) query = query.where('at', '<', filter.before);
  return query;
}

export async function listAudit(
  db: Kysely<Database>,
  filter: AuditFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: AuditRow[]; total: number }> {
  const [rows, count] = await Promise.all([
    filtered(db, filter).selectAll().orderBy('seq', 'desc').limit(page.limit).offset(page.offset).execute(),
    filtered(db, filter)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Entries in chain order, a batch at a time (verification reads the whole log). */
export async function auditBatch(db: Kysely<Database>, afterSeq: number, limit: number): Promise<AuditRow[]> {
  return db.selectFrom('auditLog').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
}

/** Entries of these actions on one account between two entries (by seq, both excluded), oldest first: its notices at sign-in. */
export async function entriesOnAccount(
  db: Kysely<Database>,
  userId: number,
  actions: readonly string[],
  afterSeq: number,
  beforeSeq: number,
): Promise<AuditRow[]> {
  return db
    .selectFrom('auditLog')
    .selectAll()
    .where('targetType', '=', 'user')
    .where('targetId', '=', String(userId))
    .where('action', 'in', actions)
    .where('seq', '>', afterSeq)
    .where('seq', '<', beforeSeq)
    .orderBy('seq')
    .limit(20)
    .execute();
}

/** The seqs of the account's last sign-ins at or before a moment, the latest first. */
export async function lastSignIns(
  db: Kysely<Database>,
  userId: number,
  until: string,
  count: number,
): Promise<number[]> {
  const rows = await db
    .selectFrom('auditLog')
    .select('seq')
    .where('targetType', '=', 'user')
    .where('targetId', '=', String(userId))
    .where('action', '=', 'auth.login')
    .where('at', '<=', until)
    .orderBy('seq', 'desc')
    .limit(count)
    .execute();
  return rows.map((row) => row.seq);
}
