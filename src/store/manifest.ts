import { sql, type Kysely, type Selectable } from 'kysely';
import type { BuildRunTable, Database, PageManifestTable } from './schema.js';
import type { Store } from './connect.js';
import { exclusively } from './locks.js';

export type ManifestRow = Selectable<PageManifestTable>;
export type BuildRunRow = Selectable<BuildRunTable>;

/** The stored page at a path; a removed page (kept as a marker with an empty hash) is none. */
export async function findPage(db: Kysely<Database>, path: string): Promise<ManifestRow | undefined> {
  const row = await db.selectFrom('pageManifest').selectAll().where('path', '=', path).executeTakeFirst();
  return row && row.hash !== '' ? row : undefined;
}

/**
 * Records a written page (or, with an empty hash, a removed one) as the newest change. Readers
 * follow changes by seq, so changes must commit in seq order: on PostgreSQL concurrent writers
 * (a build's parallel pages, several instances) take a lock for the moment of the write, and the
 * statement after it sees the last holder's row. SQLite runs one writer at a time anyway.
 */
export async function recordPage(store: Store, row: Omit<ManifestRow, 'seq'>): Promise<void> {
  await recordPages(store, [row]);
}

/**
 * Records many written pages as the newest changes, in the order given, in one statement: a
 * build's batch costs one round trip, not one per page.
 */
export async function recordPages(store: Store, rows: readonly Omit<ManifestRow, 'seq'>[]): Promise<void> {
  if (rows.length === 0) return;
  // The rows as a VALUES list numbered 1…n, each inserted as the newest seq plus its number, in
  // one statement (atomic on SQLite without a transaction). A subquery in each row of the VALUES
  // made SQLite prepare and run a build's batch four times slower. The values
  // are typed: PostgreSQL takes the parameters of a VALUES list for text.
  const at = (value: string) => (store.dialect === 'postgres' ? sql`cast(${value} as timestamptz)` : sql`${value}`);
  const numbered = sql.join(
    rows.map(
      (row, i) =>
        sql`(${row.path}, ${row.hash}, cast(${row.size} as integer), ${at(row.updatedAt)}, cast(${i + 1} as integer))`,
    ),
  );
  // Both dialects name a VALUES list's columns column1, column2, …
  const batch = sql<{
    column1: string;
    column2: string;
    column3: number;
    column4: string;
    column5: number;
  }>`(values ${numbered})`.as('batch');
  await exclusively(store, 'gazette.manifest', async (db) => {
    await db
      .insertInto('pageManifest')
      .columns(['path', 'hash', 'size', 'updatedAt', 'seq'])
      .expression(
        db
          .selectFrom(batch)
          .select([
            'batch.column1',
            'batch.column2',
            'batch.column3',
            'batch.column4',
            sql<number>`(select coalesce(max(seq), 0) from page_manifest) + batch.column5`.as('seq'),
          ])
          // SQLite reads ON CONFLICT after a SELECT without WHERE as part of a join.
          .where(sql<boolean>`true`),
      )
      .onConflict((oc) =>
        oc.column('path').doUpdateSet((eb) => ({
          hash: eb.ref('excluded.hash'),
          size: eb.ref('excluded.size'),
          updatedAt: eb.ref('excluded.updatedAt'),
          seq: eb.ref('excluded.seq'),
        })),
      )
      .execute();
  });
}

/** The stored hash of each of these paths that is a page now (a build's check for unchanged pages). */
export async function knownHashes(db: Kysely<Database>, paths: readonly string[]): Promise<Map<string, string>> {
  if (paths.length === 0) return new Map();
  const rows = await db
    .selectFrom('pageManifest')
    .select(['path', 'hash'])
    .where('path', 'in', paths)
    .where('hash', '!=', '')
    .execute();
  return new Map(rows.map((row) => [row.path, row.hash]));
}

export async function forgetPage(store: Store, path: string, at: Date): Promise<void> {
  await recordPage(store, { path, hash: '', size: 0, updatedAt: at.toISOString() });
}

/** Stored pages in path order (a rebuild of every page). */
export async function pagesAfter(db: Kysely<Database>, afterPath: string, limit: number): Promise<ManifestRow[]> {
  return db
    .selectFrom('pageManifest')
    .selectAll()
    .where('path', '>', afterPath)
    .where('hash', '!=', '')
    .orderBy('path')
    .limit(limit)
    .execute();
}

/**
 * One site's stored pages in path order, by their public paths: the pages under its key prefix
 * (`/site_2/…`), or, for the root site (prefix ''), every page outside the other sites' folders.
 */
export async function sitePagesAfter(
  db: Kysely<Database>,
  prefix: string,
  afterPath: string,
  limit: number,
): Promise<ManifestRow[]> {
  let query = db
    .selectFrom('pageManifest')
    .selectAll()
    .where('path', '>', prefix + afterPath)
    .where('hash', '!=', '');
  // '!' escapes LIKE's '_' (a wildcard) in the folder name.
  query =
    prefix === ''
      ? query.where(sql<boolean>`path not like '/site!_%' escape '!'`)
      : query.where(sql<boolean>`path like ${`${prefix.replace(/_/g, '!_')}/%`} escape '!'`);
  const rows = await query.orderBy('path').limit(limit).execute();
  return rows.map((row) => ({ ...row, path: row.path.slice(prefix.length) }));
}

/** Pages written or removed after change `seq`, oldest change first. */
export async function changesSince(
  db: Kysely<Database>,
  seq: number,
  limit: number,
): Promise<Pick<ManifestRow, 'path' | 'seq' | 'hash'>[]> {
  return db
    .selectFrom('pageManifest')
    .select(['path', 'seq', 'hash'])
    .where('seq', '>', seq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

export async function latestChange(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('pageManifest')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirst();
  return Number(row?.seq ?? 0);
}

/** The site's build that was stopped before it finished, if any (`gazette build` carries it on). */
export async function unfinishedBuild(db: Kysely<Database>, siteId: number): Promise<BuildRunRow | undefined> {
  return db
    .selectFrom('buildRun')
    .selectAll()
    .where('finishedAt', 'is', null)
    .where('siteId', '=', siteId)
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

export async function startBuild(db: Kysely<Database>, siteId: number, at: Date): Promise<BuildRunRow> {
  return db
    .insertInto('buildRun')
    .values({ siteId, startedAt: at.toISOString(), cursor: '', done: 0, written: 0 })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function saveBuildProgress(
  db: Kysely<Database>,
  id: number,
  progress: { cursor: string; done: number; written: number },
): Promise<void> {
  await db.updateTable('buildRun').set(progress).where('id', '=', id).execute();
}

export async function finishBuild(db: Kysely<Database>, id: number, at: Date): Promise<void> {
  await db.updateTable('buildRun').set({ finishedAt: at.toISOString() }).where('id', '=', id).execute();
}
