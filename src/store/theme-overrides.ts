import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * Each site's own versions of the default theme's templates (模板编辑), and every change to them
 * as a revision: a save, a restore of an earlier revision, a reset to the default, an import.
 */

export const REVISION_ACTIONS = ['save', 'restore', 'reset', 'import'] as const;
export type RevisionAction = (typeof REVISION_ACTIONS)[number];

export interface OverrideRow {
  readonly name: string;
  readonly source: string;
  readonly updatedAt: string;
  /** Who saved it last: their display name; null when the account is gone or Gazette did it. */
  readonly updatedByName: string | null;
}

export interface RevisionRow {
  readonly id: number;
  readonly siteId: number;
  readonly name: string;
  /** The template's text from then on; null: back to the default theme's. */
  readonly source: string | null;
  readonly action: RevisionAction;
  readonly createdAt: string;
  readonly createdByName: string | null;
}

export interface NewRevision {
  readonly siteId: number;
  readonly name: string;
  readonly source: string | null;
  readonly action: RevisionAction;
  readonly createdAt: string;
  readonly createdBy: number | null;
}

function isAction(value: string): value is RevisionAction {
  return (REVISION_ACTIONS as readonly string[]).includes(value);
}

/** The site's overridden templates, by name. */
export async function listOverrides(db: Kysely<Database>, siteId: number): Promise<OverrideRow[]> {
  return db
    .selectFrom('themeOverride as o')
    .leftJoin('userAccount as u', 'u.id', 'o.updatedBy')
    .select(['o.name', 'o.source', 'o.updatedAt', 'u.displayName as updatedByName'])
    .where('o.siteId', '=', siteId)
    .orderBy('o.name')
    .execute();
}

/** The site's templates as the render needs them: name → source. */
export async function overrideSources(db: Kysely<Database>, siteId: number): Promise<Record<string, string>> {
  const rows = await db
    .selectFrom('themeOverride')
    .select(['name', 'source'])
    .where('siteId', '=', siteId)
    .orderBy('name')
    .execute();
  return Object.fromEntries(rows.map((row) => [row.name, row.source]));
}

/** Makes `source` the site's version of the template (a new override, or the existing one replaced). */
export async function putOverride(
  db: Kysely<Database>,
  override: { siteId: number; name: string; source: string; at: string; by: number | null },
): Promise<void> {
  const { siteId, name, source, at, by } = override;
  await db
    .insertInto('themeOverride')
    .values({ siteId, name, source, updatedAt: at, updatedBy: by })
    .onConflict((oc) => oc.columns(['siteId', 'name']).doUpdateSet({ source, updatedAt: at, updatedBy: by }))
    .execute();
}

/** The template goes back to the default theme's; false when the site had not overridden it. */
export async function removeOverride(db: Kysely<Database>, siteId: number, name: string): Promise<boolean> {
  const result = await db
    .deleteFrom('themeOverride')
    .where('siteId', '=', siteId)
    .where('name', '=', name)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function addRevision(db: Kysely<Database>, revision: NewRevision): Promise<number> {
  const row = await db.insertInto('themeRevision').values(revision).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

function revisions(db: Kysely<Database>, siteId: number) {
  return db
    .selectFrom('themeRevision as r')
    .leftJoin('userAccount as u', 'u.id', 'r.createdBy')
    .select(['r.id', 'r.siteId', 'r.name', 'r.source', 'r.action', 'r.createdAt', 'u.displayName as createdByName'])
    .where('r.siteId', '=', siteId);
}

function revisionOf(row: Omit<RevisionRow, 'action'> & { action: string }): RevisionRow {
  if (!isAction(row.action)) throw new TypeError(`theme revision ${row.id} has an unknown action ${row.action}`);
  return { ...row, action: row.action };
}

/** A template's revisions, newest first. */
export async function listRevisions(db: Kysely<Database>, siteId: number, name: string): Promise<RevisionRow[]> {
  const rows = await revisions(db, siteId).where('r.name', '=', name).orderBy('r.id', 'desc').execute();
  return rows.map(revisionOf);
}

export async function findRevision(db: Kysely<Database>, siteId: number, id: number): Promise<RevisionRow | null> {
  const row = await revisions(db, siteId).where('r.id', '=', id).executeTakeFirst();
  return row ? revisionOf(row) : null;
}

/** The revision of the same template just before this one; null for its first. */
export async function previousRevision(db: Kysely<Database>, revision: RevisionRow): Promise<RevisionRow | null> {
  const row = await revisions(db, revision.siteId)
    .where('r.name', '=', revision.name)
    .where('r.id', '<', revision.id)
    .orderBy('r.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? revisionOf(row) : null;
}

/**
 * The site's templates for its pages' render, with a key naming the set (the sha256 of its
 * sorted name and source pairs: the same set, the same key, on every instance); null when the
 * site has none and renders with the default theme alone.
 */
export async function siteOverrides(
  db: Kysely<Database>,
  siteId: number,
): Promise<{ key: string; sources: Record<string, string> } | null> {
  const sources = await overrideSources(db, siteId);
  const names = Object.keys(sources);
  if (names.length === 0) return null;
  const hash = createHash('sha256');
  for (const name of names.sort()) hash.update(`${name}\u0000${sources[name] ?? ''}\u0000`);
  return { key: hash.digest('hex'), sources };
}
