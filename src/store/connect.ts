import fs from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { CamelCasePlugin, Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type SqliteDatabase } from 'kysely';
import { GazetteError } from '../domain/index.js';
import { migrationProvider, type Dialect } from './migrations.js';
import type { Database } from './schema.js';

export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** True when the store answers a trivial query (for /healthz). */
  ping(): Promise<boolean>;
  /**
   * Calls `onSignal` when another connection notifies `channel` (PostgreSQL's LISTEN/NOTIFY), and
   * once after every (re)connection, since notifications sent while disconnected are lost: the
   * listener catches up then. Null on SQLite, which has no notifications (callers poll).
   */
  listen(channel: string, onSignal: () => void): Listener | null;
  close(): Promise<void>;
}

export interface Listener {
  close(): Promise<void>;
}

export interface StoreLocation {
  /** `postgres://…`, or null for SQLite. */
  readonly databaseUrl: string | null;
  /** SQLite file path (`:memory:` for tests); ignored for PostgreSQL. */
  readonly sqliteFile: string;
  /**
   * A read replica: no migrations (the primary's reach it by replication) and every transaction
   * read-only, so a write sent here by mistake fails instead of diverging.
   */
  readonly readOnly?: boolean;
}

// PostgreSQL hands back bigint counts as strings and timestamps as Date objects; the rest of
// Gazette sees numbers and ISO 8601 text on both dialects.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, isoTimestamp);

/**
 * A timestamptz as PostgreSQL writes it, as ISO 8601 in UTC with milliseconds, the form
 * `Date#toISOString` gives. Sessions run in UTC (see postgresPool), so the text is
 * `YYYY-MM-DD HH:MM:SS[.ffffff]+00` and is rearranged without a Date: a publish reads thousands
 * of timestamps (a column's sitemap and feeds), and a Date per value was a tenth of its CPU.
 * Anything else (a year past 9999, an offset) goes through Date.
 */
export function isoTimestamp(value: string): string {
  if (value.length >= 22 && value.endsWith('+00') && value[10] === ' ' && value[4] === '-') {
    const fraction = value.length > 22 ? value.slice(20, -3) : '';
    if (value.length === 22 || (value[19] === '.' && /^\d{1,6}$/.test(fraction)))
      return `${value.slice(0, 10)}T${value.slice(11, 19)}.${fraction.padEnd(3, '0').slice(0, 3)}Z`;
  }
  return new Date(value).toISOString();
}

/** Prepared statements kept, by their SQL: the queries Gazette runs are a few hundred shapes. */
const STATEMENT_CACHE = 500;

/**
 * The database as Kysely's dialect sees it, with its prepared statements kept: Kysely prepares
 * each query again, and compiling SQL took a tenth of an import's time. A statement still being
 * read (an open iterator) is busy; the query then gets a fresh one. SQLite prepares a kept
 * statement again by itself after the schema changes.
 */
function keepingStatements(database: SQLite.Database): SqliteDatabase {
  const kept = new Map<string, SQLite.Statement>();
  return {
    close: () => database.close(),
    prepare(sql: string) {
      const statement = kept.get(sql);
      if (statement && !statement.busy) {
        kept.delete(sql);
        kept.set(sql, statement);
        return statement;
      }
      const prepared = database.prepare(sql);
      kept.set(sql, prepared);
      if (kept.size > STATEMENT_CACHE) kept.delete(kept.keys().next().value ?? sql);
      return prepared;
    },
  };
}

function sqliteDatabase(file: string): SqliteDatabase {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const database = new SQLite(file);
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  database.pragma('synchronous = NORMAL');
  return keepingStatements(database);
}

function postgresPool(connectionString: string, readOnly: boolean): pg.Pool {
  // UTC sessions: timestamps come back in the one form isoTimestamp rearranges without a Date.
  const options = readOnly
    ? '-c jit=off -c TimeZone=UTC -c default_transaction_read_only=on'
    : '-c jit=off -c TimeZone=UTC';
  const pool = new pg.Pool({ connectionString, max: 10, statement_timeout: 30_000, options });
  // An idle connection the server closes (a restart, a failover) is dropped from the pool and the
  // next query opens a new one; without a listener, node-postgres would end the whole process.
  pool.on('error', () => {});
  // The same for a connection that is checked out (a transaction between two statements, a held
  // lock): its next statement fails (the request answers 503) and the pool drops it when released.
  pool.on('connect', (client) => void client.on('error', () => {}));
  return pool;
}

const RECONNECT_MS = 1_000;

/** A dedicated connection that LISTENs, reconnecting after any loss. */
function postgresListener(connectionString: string, channel: string, onSignal: () => void): Listener {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new RangeError(`not a channel name: ${channel}`);
  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;
  const again = () => {
    client = null;
    if (!closed && !retry) retry = setTimeout(() => void connect(), RECONNECT_MS);
  };
  const connect = async () => {
    retry = null;
    const candidate = new pg.Client({ connectionString });
    candidate.on('error', () => void candidate.end().catch(() => {}));
    candidate.on('end', again);
    candidate.on('notification', () => onSignal());
    try {
      await candidate.connect();
      await candidate.query(`listen ${channel}`);
      if (closed) return void (await candidate.end());
      client = candidate;
      onSignal();
    } catch {
      await candidate.end().catch(() => {});
      again();
    }
  };
  void connect();
  return {
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => {});
    },
  };
}

export async function openStore(location: StoreLocation): Promise<Store> {
  const dialect: Dialect = location.databaseUrl ? 'postgres' : 'sqlite';
  const db = new Kysely<Database>({
    dialect:
      dialect === 'postgres'
        ? new PostgresDialect({
            // JIT compiling pays off for long analytical queries; for a portal's short queries it
            // only adds tens of milliseconds whenever a plan's estimated cost crosses jit_above_cost.
            pool: postgresPool(location.databaseUrl ?? '', location.readOnly === true),
          })
        : new SqliteDialect({ database: sqliteDatabase(location.sqliteFile) }),
    plugins: [new CamelCasePlugin()],
  });
  try {
    if (!location.readOnly) await migrateToLatest(db, dialect);
  } catch (cause) {
    await db.destroy();
    throw cause;
  }
  return {
    db,
    dialect,
    async ping() {
      try {
        await sql`select 1`.execute(db);
        return true;
      } catch {
        return false;
      }
    },
    listen: (channel, onSignal) =>
      location.databaseUrl ? postgresListener(location.databaseUrl, channel, onSignal) : null,
    close: () => db.destroy(),
  };
}

export async function migrateToLatest(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider(dialect) });
  const { error } = await migrator.migrateToLatest();
  if (error) {
    const reason = error instanceof Error ? error.message : inspect(error);
    throw new GazetteError('STORE_MIGRATION_FAILED', { reason }, undefined, error);
  }
}
