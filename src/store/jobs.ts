import type { Kysely, Selectable } from 'kysely';
import type { Database, JobTable } from './schema.js';

export type JobRow = Selectable<JobTable>;
export type JobKind = 'publish' | 'withdraw';

export async function insertJob(
  db: Kysely<Database>,
  job: { kind: JobKind; articleId: number; runAt: string; payload: string; createdBy: number | null },
  now: Date,
): Promise<JobRow> {
  return db
    .insertInto('job')
    .values({ ...job, status: 'pending', attempts: 0, createdAt: now.toISOString() })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function pendingJobsOf(db: Kysely<Database>, articleId: number): Promise<JobRow[]> {
  return db.selectFrom('job').selectAll().where('articleId', '=', articleId).where('status', '=', 'pending').orderBy('runAt').execute();
}

export async function cancelPendingJobs(db: Kysely<Database>, articleId: number, kind: JobKind, now: Date): Promise<void> {
  await db
    .updateTable('job')
    .set({ status: 'cancelled', finishedAt: now.toISOString() })
    .where('articleId', '=', articleId)
    .where('kind', '=', kind)
    .where('status', '=', 'pending')
    .execute();
}

export async function dueJobs(db: Kysely<Database>, now: Date, limit: number): Promise<JobRow[]> {
  return db
    .selectFrom('job')
    .selectAll()
    .where('status', '=', 'pending')
    .where('runAt', '<=', now.toISOString())
    .orderBy('runAt')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/**
 * Takes a pending job for this runner. The conditional update is atomic on both dialects, so
 * when several instances race for one job exactly one of them gets it.
 */
export async function claimJob(db: Kysely<Database>, id: number): Promise<boolean> {
  const result = await db
    .updateTable('job')
    .set((eb) => ({ status: 'running', attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export async function finishJob(db: Kysely<Database>, id: number, status: 'done' | 'failed' | 'pending', error: string | null, now: Date): Promise<void> {
  await db
    .updateTable('job')
    .set({ status, lastError: error, finishedAt: status === 'pending' ? null : now.toISOString() })
    .where('id', '=', id)
    .execute();
}
