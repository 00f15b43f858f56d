import { sql, type Kysely } from 'kysely';
import type { Store } from './connect.js';
import type { Database } from './schema.js';

/**
 * Runs `work` while holding a lock named `name` across every process on the store. On PostgreSQL
 * it is a transaction-scoped advisory lock (released by the server if the holder dies); SQLite
 * serialises writers itself and is served by one process, so there the work simply runs.
 * `work` gets the lock's transaction (the store itself on SQLite): what it writes there commits
 * before the lock is let go; what it writes through the store commits on its own.
 */
export async function exclusively<T>(
  store: Store,
  name: string,
  work: (db: Kysely<Database>) => Promise<T>,
): Promise<T> {
  if (store.dialect === 'sqlite') return work(store.db);
  return store.db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${name}))`.execute(trx);
    return work(trx);
  });
}
