import type { Kysely, Selectable } from 'kysely';
import type { Database, PublishTaskTable } from './schema.js';

export type PublishTaskRow = Selectable<PublishTaskTable>;

/**
 * How long a task may go without a sign of life from its instance before another takes it over.
 * The instance working on a task renews its claim well within this.
 */
export const TASK_LEASE_MS = 60_000;

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

export async function finishTask(db: Kysely<Database>, id: number): Promise<void> {
  await db.deleteFrom('publishTask').where('id', '=', id).execute();
}

/** Tasks whose instance stopped renewing them, oldest first. */
export async function abandonedTasks(db: Kysely<Database>, now: Date, limit: number): Promise<PublishTaskRow[]> {
  const staleBefore = new Date(now.getTime() - TASK_LEASE_MS).toISOString();
  return db
    .selectFrom('publishTask')
    .selectAll()
    .where('claimedAt', '<', staleBefore)
    .orderBy('id')
    .limit(limit)
    .execute();
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
