// 站点外观: each site's look as one JSON document with a version, for optimistic concurrency (two
// administrators editing at once: the second save is refused, not silently lost).
import type { Kysely } from 'kysely';
import { GazetteError, type SiteLook } from '../domain/index.js';
import type { Database } from './schema.js';

export interface StoredLook {
  readonly look: SiteLook;
  /** 1 after the first save, one more with each save. */
  readonly version: number;
  readonly updatedAt: string;
  readonly updatedBy: number | null;
}

/**
 * The site's stored look, or null when it never saved one (the theme's default look for its
 * columns then applies). The JSON was checked on its way in (validateLook) and is read as it is.
 */
export async function findLook(db: Kysely<Database>, siteId: number): Promise<StoredLook | null> {
  const row = await db
    .selectFrom('siteLook')
    .select(['look', 'version', 'updatedAt', 'updatedBy'])
    .where('siteId', '=', siteId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    look: JSON.parse(row.look) as SiteLook,
    version: row.version,
    updatedAt: row.updatedAt,
    updatedBy: row.updatedBy,
  };
}

/**
 * Saves the look over the version the editor started from (0: none stored yet) and returns the
 * new version. Another save in between (the version moved on, or a first look was stored
 * meanwhile) is refused with LOOK_VERSION_CONFLICT (409), naming both versions.
 */
export async function saveLook(
  trx: Kysely<Database>,
  siteId: number,
  look: SiteLook,
  expectedVersion: number,
  now: Date,
  userId: number | null,
): Promise<number> {
  const values = { look: JSON.stringify(look), updatedAt: now.toISOString(), updatedBy: userId };
  const done =
    expectedVersion === 0
      ? await trx
          .insertInto('siteLook')
          .values({ siteId, ...values, version: 1 })
          .onConflict((oc) => oc.column('siteId').doNothing())
          .executeTakeFirst()
          .then((result) => (result.numInsertedOrUpdatedRows ?? 0n) > 0n)
      : await trx
          .updateTable('siteLook')
          .set({ ...values, version: expectedVersion + 1 })
          .where('siteId', '=', siteId)
          .where('version', '=', expectedVersion)
          .executeTakeFirst()
          .then((result) => result.numUpdatedRows > 0n);
  if (done) return expectedVersion + 1;
  const current = (await findLook(trx, siteId))?.version ?? 0;
  throw new GazetteError('LOOK_VERSION_CONFLICT', { yours: expectedVersion, current });
}
