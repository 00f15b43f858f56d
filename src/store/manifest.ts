import type { Kysely, Selectable } from 'kysely';
import type { BuildRunTable, Database, PageManifestTable } from './schema.js';

export type ManifestRow = Selectable<PageManifestTable>;
export type BuildRunRow = Selectable<BuildRunTable>;

export async function findPage(db: Kysely<Database>, path: string): Promise<ManifestRow | undefined> {
  return db.selectFrom('pageManifest').selectAll().where('path', '=', path).executeTakeFirst();
}

export async function recordPage(db: Kysely<Database>, row: ManifestRow): Promise<void> {
  await db
    .insertInto('pageManifest')
    .values(row)
    .onConflict((oc) => oc.column('path').doUpdateSet({ hash: row.hash, size: row.size, updatedAt: row.updatedAt }))
    .execute();
}

export async function forgetPage(db: Kysely<Database>, path: string): Promise<void> {
  await db.deleteFrom('pageManifest').where('path', '=', path).execute();
}

export async function pagesAfter(db: Kysely<Database>, afterPath: string, limit: number): Promise<ManifestRow[]> {
  return db.selectFrom('pageManifest').selectAll().where('path', '>', afterPath).orderBy('path').limit(limit).execute();
}

export async function unfinishedBuild(db: Kysely<Database>): Promise<BuildRunRow | undefined> {
  return db.selectFrom('buildRun').selectAll().where('finishedAt', 'is', null).orderBy('id', 'desc').executeTakeFirst();
}

export async function startBuild(db: Kysely<Database>, at: Date): Promise<BuildRunRow> {
  return db.insertInto('buildRun').values({ startedAt: at.toISOString(), cursor: '', done: 0, written: 0 }).returningAll().executeTakeFirstOrThrow();
}

export async function saveBuildProgress(db: Kysely<Database>, id: number, progress: { cursor: string; done: number; written: number }): Promise<void> {
  await db.updateTable('buildRun').set(progress).where('id', '=', id).execute();
}

export async function finishBuild(db: Kysely<Database>, id: number, at: Date): Promise<void> {
  await db.updateTable('buildRun').set({ finishedAt: at.toISOString() }).where('id', '=', id).execute();
}
