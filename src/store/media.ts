import type { Kysely, Selectable } from 'kysely';
import type { Database, MediaTable } from './schema.js';

export type MediaRow = Selectable<MediaTable>;

export async function insertMedia(db: Kysely<Database>, media: Omit<MediaRow, 'id'>): Promise<MediaRow> {
  return db.insertInto('media').values(media).returningAll().executeTakeFirstOrThrow();
}

/** Bytes one user has uploaded to a site (as sent: the web sizes made of images are not counted). */
export async function uploadedBytes(db: Kysely<Database>, siteId: number, userId: number): Promise<number> {
  const row = await db
    .selectFrom('media')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('size'), eb.lit(0)).as('bytes'))
    .where('siteId', '=', siteId)
    .where('uploadedBy', '=', userId)
    .executeTakeFirstOrThrow();
  // PostgreSQL sums integers as bigint, which pg hands over as a string.
  return Number(row.bytes);
}

export async function findMedia(db: Kysely<Database>, id: number): Promise<MediaRow | undefined> {
  return db.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listMedia(
  db: Kysely<Database>,
  siteId: number,
  kind: string | undefined,
  page: { limit: number; offset: number },
): Promise<{ rows: MediaRow[]; total: number }> {
  let query = db.selectFrom('media').where('siteId', '=', siteId);
  if (kind !== undefined) query = query.where('kind', '=', kind);
  const [rows, count] = await Promise.all([
    query
      .selectAll()
      .orderBy('createdAt', 'desc')
      .orderBy('id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}
