import fs from 'node:fs';
import SQLite from 'better-sqlite3';
import type { FrontSite, TamperEvent, TamperKind } from '../protocol.js';
import type { FrontLayout } from '../layout.js';

/**
 * The agent's state, in a SQLite file of its own under `state/`: its copy of the manifest
 * (`page`), the files it serves with their hashes (`served`, what the tamper guard checks), the
 * journal of a batch being applied, tamper events and view counts. Synchronous (better-sqlite3):
 * every call is a few microseconds and the agent does one thing at a time.
 */
export interface ServedRow {
  readonly file: string;
  readonly key: string;
  readonly hash: string;
  readonly size: number;
}

export interface PageRow {
  readonly key: string;
  readonly hash: string;
  readonly size: number;
  readonly seq: number;
}

/** One step of a batch: a staged file renamed over a served one, or a served file removed. */
export interface JournalStep {
  readonly file: string;
  /** The staged file's path (absolute), or null to remove `file`. */
  readonly staged: string | null;
}

const SCHEMA = `
create table if not exists meta (key text primary key, value text not null);
create table if not exists page (key text primary key, hash text not null, size integer not null, seq integer not null);
create index if not exists page_hash on page (hash);
create table if not exists served (file text primary key, key text not null, hash text not null, size integer not null);
create index if not exists served_key on served (key);
create table if not exists journal (id integer primary key, to_seq integer not null, steps text not null);
create table if not exists event (
  id integer primary key autoincrement, at text not null, file text not null, site_id integer not null,
  path text not null, kind text not null, detail text not null, quarantine text, restored integer not null
);
create table if not exists views (site_id integer not null, path text not null, count integer not null, primary key (site_id, path));
create table if not exists views_batch (id integer primary key autoincrement, counts text not null);
create table if not exists views_shown (site_id integer not null, article_id integer not null, base integer not null, local integer not null, primary key (site_id, article_id));
`;

export class FrontState {
  readonly db: SQLite.Database;

  constructor(readonly layout: FrontLayout) {
    fs.mkdirSync(layout.state, { recursive: true });
    this.db = new SQLite(layout.db);
    this.db.pragma('journal_mode = WAL');
    // FULL: a batch's journal and its new expected hashes must be on disk before any rename.
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
  }

  close(): void {
    this.db.close();
  }

  meta(key: string): string | null {
    const row = this.db.prepare('select value from meta where key = ?').get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  setMeta(key: string, value: string | null): void {
    if (value === null) this.db.prepare('delete from meta where key = ?').run(key);
    else
      this.db
        .prepare('insert into meta (key, value) values (?, ?) on conflict (key) do update set value = excluded.value')
        .run(key, value);
  }

  /** The last CMS manifest sequence applied (0: an empty front). */
  seq(): number {
    return Number(this.meta('seq') ?? '0');
  }

  sites(): FrontSite[] {
    return JSON.parse(this.meta('sites') ?? '[]') as FrontSite[];
  }

  page(key: string): PageRow | undefined {
    return this.db.prepare('select key, hash, size, seq from page where key = ?').get(key) as PageRow | undefined;
  }

  pageCount(): number {
    return (this.db.prepare('select count(*) as n from page').get() as { n: number }).n;
  }

  served(file: string): ServedRow | undefined {
    return this.db.prepare('select file, key, hash, size from served where file = ?').get(file) as
      ServedRow | undefined;
  }

  /** Served files whose names start with `prefix` (a folder: `1/bqdt/`), in name order. */
  servedUnder(prefix: string): ServedRow[] {
    return this.db
      .prepare('select file, key, hash, size from served where file >= ? and file < ? order by file')
      .all(prefix, `${prefix}\uffff`) as ServedRow[];
  }

  /** Every served file in name order, read lazily (a sweep of a million files holds one at a time). */
  *allServed(): Generator<ServedRow> {
    yield* this.db.prepare('select file, key, hash, size from served order by file').iterate() as Iterable<ServedRow>;
  }

  /** The open journal: a batch whose renames may not all have happened (the agent was killed). */
  journal(): { id: number; toSeq: number; steps: JournalStep[] } | undefined {
    const row = this.db.prepare('select id, to_seq as toSeq, steps from journal order by id limit 1').get() as
      { id: number; toSeq: number; steps: string } | undefined;
    return row && { id: row.id, toSeq: row.toSeq, steps: JSON.parse(row.steps) as JournalStep[] };
  }

  closeJournal(id: number): void {
    this.db.prepare('delete from journal where id = ?').run(id);
  }

  recordEvent(event: Omit<TamperEvent, 'id'>): TamperEvent {
    const result = this.db
      .prepare(
        'insert into event (at, file, site_id, path, kind, detail, quarantine, restored) values (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        event.at,
        event.file,
        event.siteId,
        event.path,
        event.kind,
        event.detail,
        event.quarantine,
        event.restored ? 1 : 0,
      );
    return { ...event, id: Number(result.lastInsertRowid) };
  }

  eventsAfter(after: number, limit: number): TamperEvent[] {
    const rows = this.db
      .prepare(
        'select id, at, file, site_id as siteId, path, kind, detail, quarantine, restored from event where id > ? order by id limit ?',
      )
      .all(after, limit) as (Omit<TamperEvent, 'restored' | 'kind'> & { restored: number; kind: TamperKind })[];
    return rows.map((row) => ({ ...row, restored: row.restored === 1 }));
  }

  lastEventId(): number {
    return (this.db.prepare('select coalesce(max(id), 0) as id from event').get() as { id: number }).id;
  }
}
