import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { sql, type Kysely } from 'kysely';
import { openStore, type Database, type Store } from '../../src/store/index.js';
import { fixedClock, type Clock } from '../../src/clock.js';
import { loadDataKeyring, serverKeys, type ServiceContext } from '../../src/services/index.js';

/** The machine's PostgreSQL, as an administrator that may create databases. */
export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export const PINNED_NOW = '2025-12-01T09:00:00+08:00';

export interface TestStore extends Store {
  /** Closes the store and removes what it made (the PostgreSQL database). */
  dispose(): Promise<void>;
}

export async function sqliteTestStore(): Promise<TestStore> {
  const store = await openStore({ databaseUrl: null, sqliteFile: ':memory:' });
  return { ...store, dispose: () => store.close() };
}

async function asAdmin(statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

/** A new, empty PostgreSQL database: its URL, and how to drop it. */
export async function newDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await asAdmin(`create database ${name}`);
  return { url: databaseUrl(name), drop: () => asAdmin(`drop database if exists ${name} with (force)`) };
}

function databaseUrl(name: string): string {
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The files whose content decides the schema a migrated store has (and the versions of Kysely and pg). */
const SCHEMA_SOURCES = ['src/store/migrations.ts', 'src/store/connect.ts', 'package-lock.json'].map((file) =>
  fileURLToPath(new URL(`../../${file}`, import.meta.url)),
);

let template: Promise<string> | null = null;

/**
 * A PostgreSQL database migrated to the latest schema, named by the content of SCHEMA_SOURCES,
 * made the first time it is needed (by any test process: an advisory lock makes the others wait)
 * and kept for the next runs. Copying it (CREATE DATABASE … TEMPLATE) takes a fraction of the
 * time the migrations take on an empty database. Migrating an empty database is still tested by
 * every suite that starts from one (newDatabase: the command-line suites, the fault and upgrade
 * suites), and by making the template whenever the schema changes.
 */
function migratedTemplate(): Promise<string> {
  template ??= (async () => {
    const hash = createHash('sha256');
    for (const file of SCHEMA_SOURCES) hash.update(fs.readFileSync(file));
    const name = `gazette_template_${hash.digest('hex').slice(0, 16)}`;
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    try {
      await admin.query(`select pg_advisory_lock(hashtext('gazette test template'))`);
      const found = await admin.query('select 1 from pg_database where datname = $1', [name]);
      if (found.rowCount === 0) {
        const building = `${name}_building`;
        await admin.query(`drop database if exists ${building} with (force)`);
        await admin.query(`create database ${building}`);
        const store = await openStore({ databaseUrl: databaseUrl(building), sqliteFile: '' });
        await store.close();
        // Renamed once whole, so no process copies a half-migrated one; no connections after, so copies never wait.
        await admin.query(`alter database ${building} rename to ${name}`);
        await admin.query(`alter database ${name} with allow_connections false`);
      }
    } finally {
      await admin.end();
    }
    return name;
  })().catch((error: unknown) => {
    template = null;
    throw error;
  });
  return template;
}

/**
 * A new PostgreSQL database already migrated to the latest schema, and how to drop it: for a
 * suite whose subject is not the first start on an empty database (that one migrates it itself).
 */
export async function newMigratedDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const source = await migratedTemplate();
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await asAdmin(`create database ${name} template ${source}`);
  return { url: databaseUrl(name), drop: () => asAdmin(`drop database if exists ${name} with (force)`) };
}

/** A new PostgreSQL database for one test file, migrated, dropped afterwards. */
export async function postgresTestStore(): Promise<TestStore> {
  const database = await newMigratedDatabase('gazette_test');
  const store = await openStore({ databaseUrl: database.url, sqliteFile: '' });
  return {
    ...store,
    async dispose() {
      await store.close();
      await database.drop();
    },
  };
}

export type BackendName = 'sqlite' | 'postgres';
export interface Backend {
  readonly name: BackendName;
  readonly open: () => Promise<TestStore>;
}

const ALL_BACKENDS: readonly Backend[] = [
  { name: 'sqlite', open: sqliteTestStore },
  { name: 'postgres', open: postgresTestStore },
];

/**
 * `npm test` runs the suite once per backend with GAZETTE_TEST_BACKEND set, so that every
 * integration and end-to-end test holds on SQLite and on PostgreSQL. Run by hand without it, a
 * suite uses SQLite and the suites written over BACKENDS use both.
 */
export const TEST_BACKEND: BackendName | null = selectedBackend(process.env.GAZETTE_TEST_BACKEND);

function selectedBackend(value: string | undefined): BackendName | null {
  if (value === undefined || value === '') return null;
  if (value === 'sqlite' || value === 'postgres') return value;
  throw new TypeError(`GAZETTE_TEST_BACKEND must be sqlite or postgres, not "${value}"`);
}

/** The backends this run covers: the selected one, or both. */
export const BACKENDS: readonly Backend[] = TEST_BACKEND
  ? ALL_BACKENDS.filter((b) => b.name === TEST_BACKEND)
  : ALL_BACKENDS;

/** A fresh, empty store on this run's backend (SQLite when none is selected). */
export function testStore(): Promise<TestStore> {
  return TEST_BACKEND === 'postgres' ? postgresTestStore() : sqliteTestStore();
}

export function pinnedClock(iso: string = PINNED_NOW): Clock {
  return fixedClock(new Date(iso));
}

/** Media written by tests go to one folder per test process, under the system's temp folder, removed when the process ends. */
export const TEST_MEDIA_DIR = path.join(os.tmpdir(), `gazette-test-media-${process.pid}`);
process.once('exit', () => fs.rmSync(TEST_MEDIA_DIR, { recursive: true, force: true }));

/** The secret key of every test: the CLI's children get it too (GAZETTE_SECRET_KEY), so both make and read the same hashes. */
export const TEST_SECRET_KEY = Buffer.alloc(32, 7).toString('base64');
export const TEST_KEYS = serverKeys(Buffer.from(TEST_SECRET_KEY, 'base64'));
/** The personal-data key of every test (GAZETTE_DATA_KEY for the CLI's children). */
export const TEST_DATA_KEY = '5a'.repeat(32);
export const TEST_DATA_KEYS = loadDataKeyring({ GAZETTE_DATA_KEY: TEST_DATA_KEY });

/**
 * A context on a test store. Administrative accounts may sign in without a second factor here
 * (GAZETTE_ADMIN_MFA=optional): the suites sign them in many times within one pinned 30-second
 * step, which a one-time code refuses. test/web/security.test.ts checks the default, required.
 */
export function contextFor(store: Store, clock: Clock = pinnedClock()): ServiceContext {
  return { store, clock, mediaDir: TEST_MEDIA_DIR, keys: TEST_KEYS, adminMfa: 'optional', dataKeys: TEST_DATA_KEYS };
}

/**
 * A store that outlives its connections (a SQLite file, a PostgreSQL database), for tests of what
 * survives a restart: `open()` may be called again after the last one was closed.
 */
export async function durableTestStore(
  backend: BackendName = TEST_BACKEND ?? 'sqlite',
): Promise<{ open(): Promise<Store>; dispose(): Promise<void> }> {
  if (backend === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-durable-'));
    return {
      open: () => openStore({ databaseUrl: null, sqliteFile: path.join(dir, 'gazette.db') }),
      dispose: () => {
        fs.rmSync(dir, { recursive: true, force: true });
        return Promise.resolve();
      },
    };
  }
  const database = await newMigratedDatabase('gazette_durable');
  return {
    open: () => openStore({ databaseUrl: database.url, sqliteFile: '' }),
    dispose: () => database.drop(),
  };
}

/**
 * Which comes first on PostgreSQL: a backend of this database waiting for a lock ('waits'), or
 * `operation` settling ('ended'). Polled with no bound of time: on a loaded machine an operation
 * may take seconds to reach a lock (5 s were once too few), and the runner's timeout ends a
 * wait that never comes.
 */
export async function lockWaitOrEnd(db: Kysely<Database>, operation: Promise<unknown>): Promise<'waits' | 'ended'> {
  let settled = false;
  const settle = () => (settled = true);
  void operation.then(settle, settle);
  for (;;) {
    const { rows } = await sql<{ n: string }>`select count(*)::text as n from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock'`.execute(db);
    if (Number(rows[0]?.n) > 0) return 'waits';
    if (settled) return 'ended';
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
