import type { Kysely, Selectable } from 'kysely';
import type { Database, MigrationUrlsTable } from './schema.js';
import { chunks } from '../domain/index.js';

/**
 * A site migration's frontier and map of old URLs: each URL of the old site once per site, taken
 * in the order it was found (seq), and what became of it. Nothing here reads a clock or a page.
 */

export const MIGRATION_URL_STATES = ['queued', 'done', 'failed', 'skipped'] as const;
export type MigrationUrlState = (typeof MIGRATION_URL_STATES)[number];
/** What a URL leads to (a discovered link's role), or `proxy`: a POST to a list's data proxy. */
export type MigrationUrlRole = 'list' | 'article' | 'file' | 'page' | 'proxy';

/**
 * The longest URL kept, in UTF-8 bytes: PostgreSQL's index entries stop at about 2,700 bytes. A
 * longer one is not enqueued (enqueueUrls leaves it out; the caller may report it with urlFits).
 */
export const MAX_URL_BYTES = 2048;

export interface MigrationUrlRow {
  readonly siteId: number;
  readonly url: string;
  readonly state: MigrationUrlState;
  readonly role: MigrationUrlRole;
  readonly text: string;
  readonly depth: number;
  /** The POST form of a `proxy` row; null for the others. */
  readonly form: Readonly<Record<string, string>> | null;
  readonly articleId: number | null;
  readonly mediaUrl: string | null;
  readonly contentHash: string | null;
  /** A list page's column, names from the top (after the column map); null until known. */
  readonly columns: readonly string[] | null;
  readonly reason: string;
  readonly seq: number;
  readonly updatedAt: string;
}

export interface NewMigrationUrl {
  readonly url: string;
  readonly role: MigrationUrlRole;
  readonly text: string;
  readonly depth: number;
  readonly form?: Readonly<Record<string, string>> | null;
}

export interface UrlOutcome {
  readonly state: Exclude<MigrationUrlState, 'queued'>;
  /** Left as they were when not given: a failed re-fetch keeps the article an earlier run made. */
  readonly articleId?: number | null;
  readonly mediaUrl?: string | null;
  readonly contentHash?: string | null;
  readonly columns?: readonly string[] | null;
  /** Why it failed or was skipped; '' when not given. */
  readonly reason?: string;
}

/** Rows per INSERT: 8 values each stays under SQLite's 999 bound variables. */
const INSERT_CHUNK = 100;
/** Values per `in (…)` list. */
const LOOKUP_CHUNK = 500;

export function urlFits(url: string): boolean {
  return Buffer.byteLength(url) <= MAX_URL_BYTES;
}

function toRow(row: Selectable<MigrationUrlsTable>): MigrationUrlRow {
  return {
    siteId: row.siteId,
    url: row.url,
    state: row.state as MigrationUrlState,
    role: row.role as MigrationUrlRole,
    text: row.text,
    depth: row.depth,
    form: row.form === null ? null : (JSON.parse(row.form) as Record<string, string>),
    articleId: row.articleId,
    mediaUrl: row.mediaUrl,
    contentHash: row.contentHash,
    columns: row.columns === null ? null : (JSON.parse(row.columns) as string[]),
    reason: row.reason,
    seq: row.seq,
    updatedAt: row.updatedAt,
  };
}

/**
 * Adds the URLs the site does not hold yet, queued, in the order given (the first of repeats
 * wins); answers how many were new. URLs longer than MAX_URL_BYTES are left out.
 */
export async function enqueueUrls(
  db: Kysely<Database>,
  siteId: number,
  rows: readonly NewMigrationUrl[],
  now: Date,
): Promise<number> {
  const fresh = new Map<string, NewMigrationUrl>();
  for (const row of rows) if (urlFits(row.url) && !fresh.has(row.url)) fresh.set(row.url, row);
  const updatedAt = now.toISOString();
  let added = 0;
  for (const chunk of chunks([...fresh.values()], INSERT_CHUNK)) {
    const result = await db
      .insertInto('migrationUrls')
      .values(
        chunk.map((row) => ({
          siteId,
          url: row.url,
          state: 'queued',
          role: row.role,
          text: row.text,
          depth: row.depth,
          form: row.form ? JSON.stringify(row.form) : null,
          updatedAt,
        })),
      )
      .onConflict((oc) => oc.columns(['siteId', 'url']).doNothing())
      .executeTakeFirst();
    added += Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
  return added;
}

/** The next queued URLs after `afterSeq`, in the order they were found. */
export async function takeQueued(
  db: Kysely<Database>,
  siteId: number,
  limit: number,
  afterSeq: number,
): Promise<MigrationUrlRow[]> {
  const rows = await db
    .selectFrom('migrationUrls')
    .selectAll()
    .where('siteId', '=', siteId)
    .where('state', '=', 'queued')
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map(toRow);
}

/** Records what became of a URL. */
export async function finishUrl(
  db: Kysely<Database>,
  siteId: number,
  url: string,
  outcome: UrlOutcome,
  now: Date,
): Promise<void> {
  await db
    .updateTable('migrationUrls')
    .set({
      state: outcome.state,
      reason: outcome.reason ?? '',
      updatedAt: now.toISOString(),
      ...(outcome.articleId !== undefined && { articleId: outcome.articleId }),
      ...(outcome.mediaUrl !== undefined && { mediaUrl: outcome.mediaUrl }),
      ...(outcome.contentHash !== undefined && { contentHash: outcome.contentHash }),
      ...(outcome.columns !== undefined && {
        columns: outcome.columns === null ? null : JSON.stringify(outcome.columns),
      }),
    })
    .where('siteId', '=', siteId)
    .where('url', '=', url)
    .execute();
}

export async function findUrl(db: Kysely<Database>, siteId: number, url: string): Promise<MigrationUrlRow | undefined> {
  const row = await db
    .selectFrom('migrationUrls')
    .selectAll()
    .where('siteId', '=', siteId)
    .where('url', '=', url)
    .executeTakeFirst();
  return row && toRow(row);
}

/** The rows of these URLs the site holds, by URL (a page's links, to rewrite them). */
export async function findUrls(
  db: Kysely<Database>,
  siteId: number,
  urls: readonly string[],
): Promise<Map<string, MigrationUrlRow>> {
  const found = new Map<string, MigrationUrlRow>();
  for (const chunk of chunks([...new Set(urls)], LOOKUP_CHUNK)) {
    const rows = await db
      .selectFrom('migrationUrls')
      .selectAll()
      .where('siteId', '=', siteId)
      .where('url', 'in', chunk)
      .execute();
    for (const row of rows) found.set(row.url, toRow(row));
  }
  return found;
}

export async function countByState(db: Kysely<Database>, siteId: number): Promise<Record<MigrationUrlState, number>> {
  const rows = await db
    .selectFrom('migrationUrls')
    .select((eb) => ['state', eb.fn.countAll<number>().as('n')])
    .where('siteId', '=', siteId)
    .groupBy('state')
    .execute();
  const counts: Record<MigrationUrlState, number> = { queued: 0, done: 0, failed: 0, skipped: 0 };
  for (const row of rows) counts[row.state as MigrationUrlState] = Number(row.n);
  return counts;
}

/** A page of the site's URLs after `afterSeq`, in seq order, of one state and role when given (for the report). */
export async function listUrls(
  db: Kysely<Database>,
  siteId: number,
  filter: { readonly state?: MigrationUrlState; readonly role?: MigrationUrlRole },
  afterSeq: number,
  limit: number,
): Promise<MigrationUrlRow[]> {
  let query = db
    .selectFrom('migrationUrls')
    .selectAll()
    .where('siteId', '=', siteId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit);
  if (filter.state !== undefined) query = query.where('state', '=', filter.state);
  if (filter.role !== undefined) query = query.where('role', '=', filter.role);
  return (await query.execute()).map(toRow);
}

/** Pages done whose column is known (list pages), after `afterSeq`, in seq order: their old URLs lead to the columns. */
export async function listColumnPages(
  db: Kysely<Database>,
  siteId: number,
  afterSeq: number,
  limit: number,
): Promise<MigrationUrlRow[]> {
  const rows = await db
    .selectFrom('migrationUrls')
    .selectAll()
    .where('siteId', '=', siteId)
    .where('state', '=', 'done')
    .where('seq', '>', afterSeq)
    .where('columns', 'is not', null)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map(toRow);
}

/**
 * A fresh run over a crawl already made: every URL queued again, keeping the article, file and
 * hash each led to, so that the run updates what it made instead of making it twice.
 */
export async function requeueAll(db: Kysely<Database>, siteId: number, now: Date): Promise<void> {
  await db
    .updateTable('migrationUrls')
    .set({ state: 'queued', reason: '', updatedAt: now.toISOString() })
    .where('siteId', '=', siteId)
    .execute();
}

/** Forgets the site's crawl (its redirects stay: they are served). */
export async function clearMigration(db: Kysely<Database>, siteId: number): Promise<void> {
  await db.deleteFrom('migrationUrls').where('siteId', '=', siteId).execute();
}
