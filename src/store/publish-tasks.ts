import os from 'node:os';
import type { Kysely, Selectable } from 'kysely';
import type { Database, PublishTaskTable } from './schema.js';

export type PublishTaskRow = Selectable<PublishTaskTable>;

/**
 * How long a task may go without a sign of life from its instance before another takes it over.
 * The instance working on a task renews its claim well within this.
 */
export const TASK_LEASE_MS = 60_000;

/** This process, as named in the publish tasks it claims: `host:pid`. */
export const THIS_INSTANCE = `${os.hostname()}:${process.pid}`;

/**
 * Writes events as publish tasks claimed by this instance, in the caller's transaction: the
 * outbox. A content change and the tasks that publish it commit together, so a process killed
 * (or a database lost) right after the commit leaves the tasks for the next instance to finish.
 */
export async function addTasks(db: Kysely<Database>, events: readonly string[], now: Date): Promise<number[]> {
  if (events.length === 0) return [];
  const at = now.toISOString();
  const rows = await db
    .insertInto('publishTask')
    .values(events.map((event) => ({ event, createdAt: at, claimedAt: at, claimedBy: THIS_INSTANCE })))
    .returning('id')
    .execute();
  return rows.map((row) => row.id).sort((a, b) => a - b);
}

export async function addTask(db: Kysely<Database>, event: string, now: Date, by: string): Promise<number> {
  const row = await db
    .insertInto('publishTask')
    .values({ event, createdAt: now.toISOString(), claimedAt: now.toISOString(), claimedBy: by })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function renewTask(db: Kysely<Database>, id: number, now: Date): Promise<void> {
  await db.updateTable('publishTask').set({ claimedAt: now.toISOString() }).where('id', '=', id).execute();
}

/** How soon a failed task is tried again, by whichever instance checks first. */
export const TASK_RETRY_MS = 5_000;

/**
 * Gives a failed task back rather than dropping it: its lease is set to end in TASK_RETRY_MS,
 * so the next check after that runs it again (a full disk, a lost connection, a bug fixed by a
 * deploy: the change it publishes is committed and must reach the pages).
 */
export async function retryLater(db: Kysely<Database>, id: number, now: Date): Promise<void> {
  const claimedAt = new Date(now.getTime() - TASK_LEASE_MS + TASK_RETRY_MS).toISOString();
  await db.updateTable('publishTask').set({ claimedAt }).where('id', '=', id).execute();
}

export async function finishTask(db: Kysely<Database>, id: number): Promise<void> {
  await db.deleteFrom('publishTask').where('id', '=', id).execute();
}

/**
 * Tasks whose instance stopped renewing them, oldest first; and, without waiting out the lease,
 * those of a process on this host that no longer runs (a server killed and started again
 * finishes what it left at its first check, not a minute later).
 */
export async function abandonedTasks(db: Kysely<Database>, now: Date, limit: number): Promise<PublishTaskRow[]> {
  const staleBefore = new Date(now.getTime() - TASK_LEASE_MS).toISOString();
  const host = `${os.hostname()}:`;
  // The table holds only tasks in flight: a few rows, read whole and sorted out here.
  const rows = await db.selectFrom('publishTask').selectAll().orderBy('id').execute();
  const deadHere = (by: string | null) =>
    by !== null && by !== THIS_INSTANCE && by.startsWith(host) && !isRunningHere(by, host);
  return rows.filter((row) => (row.claimedAt ?? '') < staleBefore || deadHere(row.claimedBy)).slice(0, limit);
}

/**
 * Whether the process named `host:pid` runs on this host. A pid taken again by another process
 * reads as running, and its tasks wait for the lease: a late finish, never a second runner.
 */
function isRunningHere(claimedBy: string, host: string): boolean {
  const pid = Number(claimedBy.slice(host.length));
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** Takes over an abandoned task; false when another instance was quicker. */
export async function takeOver(
  db: Kysely<Database>,
  seen: Pick<PublishTaskRow, 'id' | 'claimedAt'>,
  now: Date,
  by: string,
): Promise<boolean> {
  const result = await db
    .updateTable('publishTask')
    .set({ claimedAt: now.toISOString(), claimedBy: by })
    .where('id', '=', seen.id)
    .where('claimedAt', '=', seen.claimedAt)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/**
 * Records how far a task's run got: `done` of its `total` pages. Only large runs report (a change
 * of look or template re-renders every page), for the back office to show while they last.
 */
export async function recordProgress(db: Kysely<Database>, id: number, done: number, total: number): Promise<void> {
  await db.updateTable('publishTask').set({ progressDone: done, progressTotal: total }).where('id', '=', id).execute();
}

/**
 * One site's tasks in flight whose event is of one of the types given, oldest first. The table
 * holds only tasks in flight (a few rows): read whole, its events parsed here.
 */
export async function openTasksOf(
  db: Kysely<Database>,
  siteId: number,
  types: readonly string[],
): Promise<(PublishTaskRow & { readonly type: string })[]> {
  const rows = await db.selectFrom('publishTask').selectAll().orderBy('id').execute();
  return rows.flatMap((row) => {
    const event = JSON.parse(row.event) as { siteId?: unknown; type?: unknown };
    return event.siteId === siteId && typeof event.type === 'string' && types.includes(event.type)
      ? [{ ...row, type: event.type }]
      : [];
  });
}
