import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * Counts one request against `key` in a fixed window and returns the count and the window's
 * start. One statement, atomic on both dialects, so every instance on the store shares the count.
 */
export async function hit(
  db: Kysely<Database>,
  key: string,
  nowMs: number,
  windowMs: number,
): Promise<{ hits: number; windowStart: number }> {
  const expired = sql<boolean>`rate_limit.window_start + ${windowMs} <= ${nowMs}`;
  return db
    .insertInto('rateLimit')
    .values({ key, windowStart: nowMs, hits: 1 })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        // Both expressions read the row as it was before this update.
        hits: sql<number>`case when ${expired} then 1 else rate_limit.hits + 1 end`,
        windowStart: sql<number>`case when ${expired} then ${nowMs} else rate_limit.window_start end`,
      }),
    )
    .returning(['hits', 'windowStart'])
    .executeTakeFirstOrThrow();
}

/** Drops windows that ended before `beforeMs` (they would be restarted anyway). */
export async function sweep(db: Kysely<Database>, beforeMs: number): Promise<void> {
  await db.deleteFrom('rateLimit').where('windowStart', '<', beforeMs).execute();
}
