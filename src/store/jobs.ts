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
  return db
    .selectFrom('job')
    .selectAll()
    .where('articleId', '=', articleId)
    .where('status', '=', 'pending')
    .orderBy('runAt')
    .execute();
}

export async function cancelPendingJobs(
  db: Kysely<Database>,
  articleId: number,
  kind: JobKind,
  now: Date,
): Promise<void> {
  await db
    .updateTable('job')
    .set({ status: 'cancelled', finishedAt: now.toISOString() })
    .where('articleId', '=', articleId)
    .where('kind', '=', kind)
    .where('status', '=', 'pending')
    .execute();
}

/**
 * How long an instance may hold a running job. One that is killed mid-job never finishes it; after
 * the lease another instance takes the job again (the step itself is idempotent: a job whose
 * article already moved on fails with a clear reason instead of acting twice).
 */
export const JOB_LEASE_MS = 2 * 60_000;

/** Due jobs: pending ones whose time has come, and running ones whose lease ran out. */
export async function dueJobs(db: Kysely<Database>, now: Date, limit: number): Promise<JobRow[]> {
  const staleBefore = new Date(now.getTime() - JOB_LEASE_MS).toISOString();
  return db
    .selectFrom('job')
    .selectAll()
    .where((eb) =>
      eb.or([eb('status', '=', 'pending'), eb.and([eb('status', '=', 'running'), eb('claimedAt', '<', staleBefore)])]),
    )
    .where('runAt', '<=', now.toISOString())
    .orderBy('runAt')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/**
 * Takes a job for this runner: a pending one, or a running one whose lease ran out (`seen` is
 * the row as it was read, so the lease taken over is exactly the stale one). The conditional
 * update is atomic on both dialects, so when several instances race exactly one gets the job.
 */
export async function claimJob(
  db: Kysely<Database>,
  seen: Pick<JobRow, 'id' | 'status' | 'claimedAt'>,
  now: Date,
): Promise<boolean> {
  let update = db
    .updateTable('job')
    .set((eb) => ({ status: 'running', attempts: eb('attempts', '+', 1), claimedAt: now.toISOString() }))
    .where('id', '=', seen.id)
    .where('status', '=', seen.status);
  update =
    seen.claimedAt === null ? update.where('claimedAt', 'is', null) : update.where('claimedAt', '=', seen.claimedAt);
  const result = await update.executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export async function finishJob(
  db: Kysely<Database>,
  id: number,
  status: 'done' | 'failed' | 'pending',
  error: string | null,
  now: Date,
): Promise<void> {
  await db
    .updateTable('job')
    .set({ status, lastError: error, finishedAt: status === 'pending' ? null : now.toISOString() })
    .where('id', '=', id)
    .execute();
}
