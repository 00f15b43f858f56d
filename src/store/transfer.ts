import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable, pipeline as pipelineCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip, createGzip } from 'node:zlib';
import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import { GazetteError } from '../domain/index.js';
import { lastAuditEntry } from './audit.js';
import { openStore, type Store, type StoreLocation } from './connect.js';
import { migrationProvider, type Dialect } from './migrations.js';
import type { Database } from './schema.js';

/**
 * One copy engine for `gazette migrate-store`, `backup` and `restore`: the site's tables, read
 * from a consistent snapshot in primary-key batches and written into an empty store in one
 * transaction, or streamed through a gzipped JSON Lines file.
 *
 * Values travel as Kysely reads them on either dialect: integers (flags are 0/1 integers in the
 * schema, never booleans), text, and timestamps as ISO 8601 text (SQLite stores that text;
 * PostgreSQL's timestamptz comes back through the type parser in connect.ts). So a row read from
 * one dialect is written unchanged into the other and reads back equal.
 */

export type Value = string | number | null;
export type Row = Readonly<Record<string, Value>>;
/** The store seen table by table, for code that walks every table by name. */
type Loose = Kysely<Record<string, Record<string, Value>>>;

function loose(db: Kysely<Database>): Loose {
  return db as unknown as Loose;
}

export interface TableSpec {
  /** The table's name in the database. */
  readonly name: string;
  /** Primary key columns, as Kysely names them: the copy's order and batch boundary. */
  readonly key: readonly string[];
  /** The key (`id`, or `seq`) comes from a sequence on PostgreSQL, which must be moved past the copied ones. */
  readonly serial?: boolean;
  /** A column naming a row of the same table: parents are written before their children. */
  readonly parent?: string;
}

/** The site's data, parents before children (the order foreign keys need). */
export const TABLES: readonly TableSpec[] = [
  // A sub-site sits under a site made before it.
  { name: 'site', key: ['id'], serial: true, parent: 'parentId' },
  { name: 'site_host', key: ['host'] },
  { name: 'platform_setting', key: ['key'] },
  { name: 'user_account', key: ['id'], serial: true },
  // A column moved under a newer one has a parent with a larger id.
  { name: 'channel', key: ['id'], serial: true, parent: 'parentId' },
  { name: 'role_grant', key: ['id'], serial: true },
  { name: 'article', key: ['id'], serial: true },
  // Content types: the fields a site added, the rows of relation values, the values of removed fields.
  { name: 'content_field', key: ['id'], serial: true },
  { name: 'article_relation', key: ['articleId', 'field', 'targetId'] },
  { name: 'content_field_archive', key: ['id'], serial: true },
  // After the articles: the live placements are counted by a trigger as they arrive.
  { name: 'placement', key: ['id'], serial: true },
  { name: 'submission_column', key: ['channelId'] },
  { name: 'submission', key: ['id'], serial: true },
  { name: 'session', key: ['id'] },
  { name: 'article_revision', key: ['id'], serial: true },
  { name: 'article_comment', key: ['id'], serial: true },
  { name: 'audit_log', key: ['seq'] },
  { name: 'media', key: ['id'], serial: true },
  { name: 'job', key: ['id'], serial: true },
  { name: 'search_synonym', key: ['siteId', 'term', 'synonym'] },
  { name: 'search_stopword', key: ['siteId', 'word'] },
  { name: 'page_manifest', key: ['path'] },
  { name: 'build_run', key: ['id'], serial: true },
  // Publishes whose pages are not all written yet: the new store's publisher finishes them.
  { name: 'publish_task', key: ['id'], serial: true },
  { name: 'wording_entry', key: ['id'], serial: true },
  { name: 'wording_override', key: ['id'], serial: true },
  { name: 'disclosure', key: ['articleId'] },
  { name: 'disclosure_serial', key: ['organizationCode', 'year'] },
  { name: 'health_run', key: ['id'], serial: true },
  { name: 'letter_desk', key: ['siteId'] },
  { name: 'case_unit', key: ['id'], serial: true },
  { name: 'case_unit_member', key: ['unitId', 'userId'] },
  // A duplicate is merged into an earlier letter, so its parent has a smaller id.
  { name: 'letter', key: ['id'], serial: true, parent: 'duplicateOf' },
  { name: 'letter_step', key: ['id'], serial: true },
  { name: 'letter_alert', key: ['id'], serial: true },
  { name: 'letter_attachment', key: ['id'], serial: true },
  { name: 'calendar_day', key: ['day'] },
  { name: 'calendar_year', key: ['year'] },
  { name: 'info_request', key: ['id'], serial: true },
  { name: 'info_request_step', key: ['id'], serial: true },
  { name: 'info_request_document', key: ['id'], serial: true },
  // The 12345 link: its secret (sealed), the webhooks still to send, the callbacks taken (replays stay refused).
  { name: 'hotline_link', key: ['siteId'] },
  { name: 'hotline_event', key: ['id'], serial: true },
  { name: 'hotline_callback', key: ['id'], serial: true },
  { name: 'consultation', key: ['id'], serial: true },
  { name: 'consultation_attachment', key: ['id'], serial: true },
  { name: 'consultation_comment', key: ['id'], serial: true },
  // 网上调查: the answers keep their respondent keys, so a phone that answered stays refused.
  { name: 'survey', key: ['id'], serial: true },
  { name: 'survey_question', key: ['id'], serial: true },
  { name: 'survey_response', key: ['id'], serial: true },
  { name: 'survey_answer', key: ['id'], serial: true },
  // Front servers (分发) and the tamper events they reported: the evidence stays with the store.
  { name: 'front_server', key: ['id'], serial: true },
  { name: 'front_event', key: ['id'], serial: true },
  // A site migration's frontier (numbered by seq) and the old paths that answer 301.
  { name: 'migration_urls', key: ['seq'], serial: true },
  { name: 'redirects', key: ['siteId', 'oldPath'] },
  // 站点外观 and template overrides (0023_site_look).
  { name: 'site_look', key: ['siteId'] },
  { name: 'article_mark', key: ['articleId', 'mark'] },
  { name: 'theme_override', key: ['siteId', 'name'] },
  { name: 'theme_revision', key: ['id'], serial: true },
];

/**
 * Tables made from the others, never copied: the published counts (store triggers fill them as
 * articles are inserted), the search index (rebuilt on the target), rate-limit counters and
 * link-check findings (the next sweep finds them again).
 * A table in neither list fails a test, so that a new table is not silently left behind.
 */
export const DERIVED: readonly string[] = [
  'channel_count',
  'search_doc',
  'search_term',
  'search_vector',
  'search_fts',
  'search_title_fts',
  'rate_limit',
  'link_finding',
  // Challenges expire within minutes; a copied store needs none of them.
  'used_challenge',
];

const BATCH = 500;

/** Told how far the copy of each table has got; the copy waits for a promise it returns. */
export type Progress = (table: string, done: number, total: number) => void | Promise<void>;

export type AuditHead = { readonly seq: number; readonly hash: string } | null;

/** Opens a store for one piece of work and closes it afterwards, whatever happens. */
export async function withStore<T>(location: StoreLocation, use: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(location);
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

export async function auditHead(db: Kysely<Database>): Promise<AuditHead> {
  const last = await lastAuditEntry(db);
  return last ? { seq: last.seq, hash: last.hash } : null;
}

/** The name of the newest migration this code knows (a backup is restored only at the same one). */
export async function latestMigration(dialect: Dialect): Promise<string> {
  return (
    Object.keys(await migrationProvider(dialect).getMigrations())
      .sort()
      .at(-1) ?? ''
  );
}

/**
 * Runs `read` on one snapshot of the store while the site goes on changing: PostgreSQL in a
 * repeatable-read transaction; SQLite in a transaction too, whose first read fixes what it sees
 * (WAL mode lets writers go on meanwhile).
 */
export function readSnapshot<T>(store: Store, read: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  const builder = store.db.transaction();
  const snapshot =
    store.dialect === 'postgres' ? builder.setIsolationLevel('repeatable read').setAccessMode('read only') : builder;
  return snapshot.execute(read);
}

export async function countRows(db: Kysely<Database>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const { name } of TABLES) {
    const row = await loose(db)
      .selectFrom(name)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    counts[name] = Number(row.n);
  }
  return counts;
}

/** Refuses a store that holds any of the site's data: a copy never merges into another site. */
export async function assertEmpty(db: Kysely<Database>, target: string): Promise<void> {
  for (const { name } of TABLES) {
    const row = await loose(db)
      .selectFrom(name)
      .select(sql<number>`1`.as('one'))
      .limit(1)
      .executeTakeFirst();
    if (row) throw new GazetteError('TRANSFER_TARGET_NOT_EMPTY', { target, table: name });
  }
}

/** `(k1, k2…) > (v1, v2…)` for a key of any length, spelled out (a one-column key is a plain `>`). */
function keyAfter(
  eb: ExpressionBuilder<Record<string, Record<string, Value>>, string>,
  key: readonly string[],
  row: Row,
) {
  return eb.or(
    key.map((column, i) =>
      eb.and([
        ...key.slice(0, i).map((k) => eb(eb.ref(k), '=', row[k] ?? null)),
        eb(eb.ref(column), '>', row[column] ?? null),
      ]),
    ),
  );
}

/** Rows whose parent is written before them; a row whose parent is not in the table counts as a root. */
function parentsFirst(rows: readonly Row[], column: string, key: string): Row[] {
  const ids = new Set(rows.map((row) => row[key]));
  const children = new Map<Value, Row[]>();
  const ordered: Row[] = [];
  for (const row of rows) {
    const parent = row[column] ?? null;
    if (parent === null || !ids.has(parent)) ordered.push(row);
    else if (children.has(parent)) children.get(parent)?.push(row);
    else children.set(parent, [row]);
  }
  for (let i = 0; i < ordered.length; i++) ordered.push(...(children.get(ordered[i]?.[key] ?? null) ?? []));
  return ordered;
}

function byKey(db: Kysely<Database>, spec: TableSpec) {
  let query = loose(db).selectFrom(spec.name).selectAll();
  for (const column of spec.key) query = query.orderBy(column);
  return query;
}

/** A table's rows in batches, in the order they can be inserted. */
export async function* readTable(db: Kysely<Database>, spec: TableSpec, batch = BATCH): AsyncGenerator<Row[]> {
  if (spec.parent) {
    // Trees (the channel table) are small: read whole, then ordered parents first.
    const rows = parentsFirst(await byKey(db, spec).execute(), spec.parent, spec.key[0] ?? 'id');
    for (let at = 0; at < rows.length; at += batch) yield rows.slice(at, at + batch);
    return;
  }
  let last: Row | undefined;
  for (;;) {
    const after = last;
    const query = after ? byKey(db, spec).where((eb) => keyAfter(eb, spec.key, after)) : byKey(db, spec);
    const rows = await query.limit(batch).execute();
    if (rows.length > 0) yield rows;
    if (rows.length < batch) return;
    last = rows[rows.length - 1];
  }
}

async function insertRows(db: Kysely<Database>, spec: TableSpec, rows: readonly Row[]): Promise<void> {
  if (rows.length > 0)
    await loose(db)
      .insertInto(spec.name)
      .values([...rows])
      .execute();
}

/** Moves each PostgreSQL id sequence past the copied ids, so the next insert does not collide. */
async function resetSequences(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  // SQLite's AUTOINCREMENT counter already follows the largest id inserted.
  if (dialect !== 'postgres') return;
  for (const { name, key } of TABLES.filter((spec) => spec.serial)) {
    // `id` or `seq`: the same name in Kysely and in the database.
    const column = key[0] ?? 'id';
    await sql`select setval(pg_get_serial_sequence(${name}, ${column}), coalesce(max(${sql.ref(column)}), 1), max(${sql.ref(column)}) is not null) from ${sql.table(name)}`.execute(
      db,
    );
  }
}

const noProgress: Progress = () => {};

/** Every table's rows in copy order, a batch at a time, telling `progress` against the totals. */
async function* everyRow(
  db: Kysely<Database>,
  totals: Readonly<Record<string, number>>,
  progress: Progress,
  batch = BATCH,
): AsyncGenerator<{ spec: TableSpec; rows: Row[] }> {
  for (const spec of TABLES) {
    let done = 0;
    const total = totals[spec.name] ?? 0;
    await progress(spec.name, done, total);
    for await (const rows of readTable(db, spec, batch)) {
      yield { spec, rows };
      done += rows.length;
      await progress(spec.name, done, total);
    }
  }
}

export interface CopyResult {
  /** Rows per table in the source snapshot. */
  readonly counts: Readonly<Record<string, number>>;
  readonly auditHead: AuditHead;
}

export interface CopyOptions {
  /** How the target is named in messages. */
  readonly targetName: string;
  readonly onProgress?: Progress | undefined;
  readonly batch?: number | undefined;
}

/** Copies every table of the source's snapshot into the empty target, in one transaction. */
export function copyStore(source: Store, target: Store, options: CopyOptions): Promise<CopyResult> {
  const progress = options.onProgress ?? noProgress;
  return readSnapshot(source, async (from) => {
    const counts = await countRows(from);
    const head = await auditHead(from);
    await target.db.transaction().execute(async (trx) => {
      await assertEmpty(trx, options.targetName);
      for await (const { spec, rows } of everyRow(from, counts, progress, options.batch))
        await insertRows(trx, spec, rows);
      await resetSequences(trx, target.dialect);
    });
    return { counts, auditHead: head };
  });
}

/** The files a media row names, relative to the media folder: the upload and its web sizes. */
function mediaRowFiles(row: Row): string[] {
  const key = String(row.storageKey);
  const variants = JSON.parse(String(row.variants)) as { file: string }[];
  return [key, ...variants.map((v) => `${path.posix.dirname(key)}/${v.file}`)];
}

export interface MediaCheck {
  /** Every file in the folders of the media rows (each upload has a folder per content hash). */
  readonly files: readonly string[];
  /** Files a media row names that are not there. */
  readonly missing: readonly string[];
}

async function filesIn(mediaDir: string, folder: string): Promise<string[]> {
  const entries = await fsp.readdir(path.join(mediaDir, folder), { withFileTypes: true }).catch(() => []);
  // A `.tmp` file is a write that never finished (media are written to a temp name, then renamed).
  return entries.filter((e) => e.isFile() && !e.name.endsWith('.tmp')).map((e) => `${folder}/${e.name}`);
}

/** Which media files the store's media rows need, and which of them are missing. */
export async function checkMedia(db: Kysely<Database>, mediaDir: string): Promise<MediaCheck> {
  const folders = new Set<string>();
  const missing: string[] = [];
  const media = TABLES.find((spec) => spec.name === 'media');
  for await (const rows of media ? readTable(db, media) : []) {
    for (const row of rows) {
      folders.add(path.posix.dirname(String(row.storageKey)));
      for (const file of mediaRowFiles(row)) if (!fs.existsSync(path.join(mediaDir, file))) missing.push(file);
    }
  }
  const files = (await Promise.all([...folders].map((folder) => filesIn(mediaDir, folder)))).flat();
  return { files: files.sort(), missing };
}

export interface BackupHeader {
  readonly format: 'gazette-backup';
  readonly version: 1;
  /** The newest migration of the code that wrote it: a restore needs the same. */
  readonly migration: string;
  readonly dialect: Dialect;
  readonly createdAt: string;
  /** Rows per table, in copy order. */
  readonly tables: Readonly<Record<string, number>>;
  /** Media files, relative to the media folder, in the order they follow the rows. */
  readonly media: readonly string[];
  readonly auditHead: AuditHead;
}

export interface BackupOptions {
  readonly mediaDir: string;
  readonly createdAt: string;
  readonly onProgress?: Progress | undefined;
  readonly batch?: number | undefined;
}

/** The progress label of media files (after the tables in a backup). */
const MEDIA_FILES = 'media files';

const jsonLine = (value: unknown) => `${JSON.stringify(value)}\n`;

/** The backup's lines: the header, every row (`{t, r}`), then every media file (`{m, b}`). */
async function* backupLines(
  db: Kysely<Database>,
  header: BackupHeader,
  options: BackupOptions,
): AsyncGenerator<string> {
  const progress = options.onProgress ?? noProgress;
  yield jsonLine(header);
  for await (const { spec, rows } of everyRow(db, header.tables, progress, options.batch))
    yield rows.map((r) => jsonLine({ t: spec.name, r })).join('');
  for (const [index, file] of header.media.entries()) {
    yield jsonLine({ m: file, b: (await fsp.readFile(path.join(options.mediaDir, file))).toString('base64') });
    await progress(MEDIA_FILES, index + 1, header.media.length);
  }
}

/** Forces the written file to disk before it replaces anything. */
async function syncFile(file: string): Promise<void> {
  const handle = await fsp.open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes one snapshot of the store and the media files it names to FILE (gzipped JSON Lines),
 * streamed, through FILE.tmp and a rename so that FILE is never half written.
 */
export async function writeBackup(
  store: Store,
  file: string,
  options: BackupOptions,
): Promise<{ header: BackupHeader; missing: readonly string[] }> {
  const temp = `${file}.tmp`;
  try {
    const result = await readSnapshot(store, async (db) => {
      const { files, missing } = await checkMedia(db, options.mediaDir);
      const header: BackupHeader = {
        format: 'gazette-backup',
        version: 1,
        migration: await latestMigration(store.dialect),
        dialect: store.dialect,
        createdAt: options.createdAt,
        tables: await countRows(db),
        media: files,
        auditHead: await auditHead(db),
      };
      await pipeline(Readable.from(backupLines(db, header, options)), createGzip(), fs.createWriteStream(temp));
      return { header, missing };
    });
    await syncFile(temp);
    await fsp.rename(temp, file);
    return result;
  } catch (error) {
    await fsp.rm(temp, { force: true });
    throw error;
  }
}

function corrupt(file: string, line: number, reason: string): GazetteError {
  return new GazetteError('BACKUP_CORRUPT', { reason }, { file, line });
}

interface Line {
  readonly number: number;
  readonly value: unknown;
}

/** The file's lines, parsed, numbered from 1; a gzip or JSON error names the line it stopped at. */
async function* readLines(file: string): AsyncGenerator<Line> {
  const stream = pipelineCallback(fs.createReadStream(file), createGunzip(), () => {});
  const decoder = new StringDecoder('utf8');
  let pending: string[] = [];
  let number = 0;
  const parse = (text: string): Line => {
    number += 1;
    try {
      return { number, value: JSON.parse(text) as unknown };
    } catch {
      throw corrupt(file, number, 'not a JSON line');
    }
  };
  try {
    for await (const chunk of stream) {
      // Only the new chunk is searched: a media line may be tens of megabytes long.
      let text = decoder.write(chunk as Buffer);
      for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n')) {
        yield parse(pending.join('') + text.slice(0, end));
        pending = [];
        text = text.slice(end + 1);
      }
      if (text) pending.push(text);
    }
  } catch (error) {
    if (error instanceof GazetteError) throw error;
    throw corrupt(file, number + 1, error instanceof Error ? error.message : String(error));
  }
  if (pending.join('') + decoder.end()) throw corrupt(file, number + 1, 'the last line is cut off');
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A path inside the media folder: relative, with no `..`, as the upload service makes them. */
function isMediaPath(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value !== '' &&
    !value.startsWith('/') &&
    !value.includes('\\') &&
    value.split('/').every((part) => part !== '' && part !== '.' && part !== '..')
  );
}

function isHeader(value: unknown): value is BackupHeader {
  return (
    isObject(value) &&
    value.format === 'gazette-backup' &&
    typeof value.migration === 'string' &&
    isObject(value.tables) &&
    Object.entries(value.tables).every(
      ([name, count]) => TABLES.some((spec) => spec.name === name) && typeof count === 'number',
    ) &&
    Array.isArray(value.media) &&
    value.media.every(isMediaPath) &&
    (value.auditHead === null ||
      (isObject(value.auditHead) &&
        typeof value.auditHead.seq === 'number' &&
        typeof value.auditHead.hash === 'string'))
  );
}

/** Reads and checks the first line: a Gazette backup, of this format version and migration. */
async function readHeader(lines: AsyncGenerator<Line>, file: string, dialect: Dialect): Promise<BackupHeader> {
  const first = await lines.next();
  if (first.done) throw corrupt(file, 1, 'the file is empty');
  const header = first.value.value;
  if (!isHeader(header)) throw corrupt(file, 1, 'not a Gazette backup header');
  if (header.version !== 1) throw corrupt(file, 1, `backup format version ${String(header.version)} is not known`);
  const current = await latestMigration(dialect);
  if (header.migration !== current)
    throw new GazetteError('BACKUP_MIGRATION_MISMATCH', { backup: header.migration, current }, { file });
  return header;
}

const isRow = (value: unknown): value is Row =>
  isObject(value) && Object.values(value).every((v) => v === null || typeof v === 'string' || typeof v === 'number');

/** Puts a backup's lines into a store and a staging folder: rows in batches, table by table. */
class Restorer {
  private table = 0;
  private batch: Row[] = [];
  private batchLine = 0;
  private readonly counts: Record<string, number> = {};
  private readonly media = new Set<string>();
  private readonly wanted: Set<string>;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly header: BackupHeader,
    private readonly file: string,
    private readonly staging: string,
    private readonly progress: Progress,
  ) {
    this.wanted = new Set(header.media);
  }

  async take({ number, value }: Line): Promise<void> {
    if (isObject(value) && typeof value.t === 'string' && isRow(value.r)) return this.row(number, value.t, value.r);
    if (isObject(value) && typeof value.m === 'string' && typeof value.b === 'string')
      return this.mediaFile(number, value.m, value.b);
    throw corrupt(this.file, number, 'neither a row nor a media file');
  }

  private async row(number: number, table: string, row: Row): Promise<void> {
    const index = TABLES.findIndex((spec) => spec.name === table);
    if (index < 0) throw corrupt(this.file, number, `${table} is not a table a backup holds`);
    if (index < this.table || this.media.size > 0) throw corrupt(this.file, number, `a row of ${table} out of order`);
    if (index !== this.table || this.batch.length >= BATCH) await this.flush();
    this.table = index;
    if (this.batch.length === 0) this.batchLine = number;
    this.batch.push(row);
  }

  private async mediaFile(number: number, name: string, base64: string): Promise<void> {
    await this.flush();
    if (!this.wanted.has(name) || this.media.has(name))
      throw corrupt(this.file, number, `media file ${name} is not listed in the header, or comes twice`);
    const target = path.join(this.staging, name);
    await fsp.mkdir(path.dirname(target), { recursive: true });
    await fsp.writeFile(target, Buffer.from(base64, 'base64'));
    this.media.add(name);
    await this.progress(MEDIA_FILES, this.media.size, this.wanted.size);
  }

  private async flush(): Promise<void> {
    const spec = TABLES[this.table];
    if (!spec || this.batch.length === 0) return;
    try {
      await insertRows(this.db, spec, this.batch);
    } catch (error) {
      throw corrupt(
        this.file,
        this.batchLine,
        `rows of ${spec.name} not accepted: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    this.counts[spec.name] = (this.counts[spec.name] ?? 0) + this.batch.length;
    await this.progress(spec.name, this.counts[spec.name] ?? 0, this.header.tables[spec.name] ?? 0);
    this.batch = [];
  }

  /** After the last line: everything the header promised must have come. */
  async finish(lastLine: number): Promise<void> {
    await this.flush();
    for (const { name } of TABLES) {
      const expected = this.header.tables[name] ?? 0;
      const got = this.counts[name] ?? 0;
      if (got !== expected)
        throw corrupt(this.file, lastLine + 1, `the file ends with ${got} of ${expected} rows of ${name}`);
    }
    if (this.media.size !== this.wanted.size)
      throw corrupt(
        this.file,
        lastLine + 1,
        `the file ends with ${this.media.size} of ${this.wanted.size} media files`,
      );
  }
}

/** Moves restored media files from the staging folder into the media folder; notes in `added` those that were not there. */
async function moveMedia(staging: string, mediaDir: string, files: readonly string[], added: string[]): Promise<void> {
  for (const file of files) {
    const target = path.join(mediaDir, file);
    await fsp.mkdir(path.dirname(target), { recursive: true });
    if (!fs.existsSync(target)) added.push(file);
    await fsp.rename(path.join(staging, file), target);
  }
}

export interface RestoreOptions {
  readonly mediaDir: string;
  /** How the target is named in messages. */
  readonly targetName: string;
  readonly onProgress?: Progress | undefined;
}

/**
 * Restores a backup into an empty store in one transaction: a corrupt or cut-off file leaves the
 * store as it was. Media files are staged beside the media folder and moved in after the commit.
 */
export async function restoreBackup(store: Store, file: string, options: RestoreOptions): Promise<BackupHeader> {
  await fsp.access(file, fs.constants.R_OK).catch((error: unknown) => {
    throw new GazetteError(
      'BACKUP_UNREADABLE',
      { reason: error instanceof Error ? error.message : String(error) },
      { file },
    );
  });
  const lines = readLines(file);
  try {
    const header = await readHeader(lines, file, store.dialect);
    await restoreLines(store, lines, header, file, options);
    return header;
  } finally {
    await lines.return(undefined);
  }
}

async function restoreLines(
  store: Store,
  lines: AsyncGenerator<Line>,
  header: BackupHeader,
  file: string,
  options: RestoreOptions,
): Promise<void> {
  const parent = path.dirname(options.mediaDir);
  await fsp.mkdir(parent, { recursive: true });
  await removeStaleStaging(parent);
  const staging = await fsp.mkdtemp(path.join(parent, STAGING_PREFIX));
  const added: string[] = [];
  try {
    await store.db.transaction().execute(async (trx) => {
      await assertEmpty(trx, options.targetName);
      const restorer = new Restorer(trx, header, file, staging, options.onProgress ?? noProgress);
      let last = 1;
      for await (const line of lines) {
        await restorer.take(line);
        last = line.number;
      }
      await restorer.finish(last);
      await resetSequences(trx, store.dialect);
      // The media go in before the commit: a restore killed after it has every file its rows
      // name; one killed before it leaves files no row names, which the next restore of the
      // same backup puts there again.
      await moveMedia(staging, options.mediaDir, header.media, added);
    });
  } catch (error) {
    // Cleanly absent: the files this restore added go with its rows.
    await Promise.all(added.map((name) => fsp.rm(path.join(options.mediaDir, name), { force: true })));
    throw error;
  } finally {
    await fsp.rm(staging, { recursive: true, force: true });
  }
}

const STAGING_PREFIX = '.media-restore-';

/** Staging folders of restores killed part way: a restore needs its store empty, so none is running. */
async function removeStaleStaging(parent: string): Promise<void> {
  for (const name of await fsp.readdir(parent))
    if (name.startsWith(STAGING_PREFIX)) await fsp.rm(path.join(parent, name), { recursive: true, force: true });
}
