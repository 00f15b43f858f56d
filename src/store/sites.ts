import type { Kysely } from 'kysely';
import type { NewSite, Site } from '../domain/index.js';
import type { Database, SiteRow } from './schema.js';

function toSite(row: SiteRow): Site {
  const { createdAt: _c, updatedAt: _u, ...site } = row;
  return site;
}

/** The portal this instance serves (the first site; several sites come with the platform work). */
export async function findFirstSite(db: Kysely<Database>): Promise<Site | undefined> {
  const row = await db.selectFrom('site').selectAll().orderBy('id').limit(1).executeTakeFirst();
  return row && toSite(row);
}

export async function findSite(db: Kysely<Database>, id: number): Promise<Site | undefined> {
  const row = await db.selectFrom('site').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toSite(row);
}

export async function insertSite(db: Kysely<Database>, site: NewSite, now: Date): Promise<Site> {
  const stamp = now.toISOString();
  const row = await db
    .insertInto('site')
    .values({ ...site, createdAt: stamp, updatedAt: stamp })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toSite(row);
}

export async function updateSite(db: Kysely<Database>, id: number, patch: Partial<NewSite>, now: Date): Promise<Site | undefined> {
  const row = await db
    .updateTable('site')
    .set({ ...patch, updatedAt: now.toISOString() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row && toSite(row);
}

/** Whether the site shows in grey (哀悼日置灰); false when there is no site yet. */
export async function findMourning(db: Kysely<Database>): Promise<boolean> {
  const row = await db.selectFrom('site').select('mourning').orderBy('id').limit(1).executeTakeFirst();
  return row?.mourning === 1;
}

export async function setMourning(db: Kysely<Database>, id: number, mourning: boolean, now: Date): Promise<void> {
  await db.updateTable('site').set({ mourning: mourning ? 1 : 0, updatedAt: now.toISOString() }).where('id', '=', id).execute();
}
