import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/index.js';
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
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => asAdmin(`drop database if exists ${name} with (force)`) };
}

/** A new, empty PostgreSQL database for one test file, dropped afterwards. */
export async function postgresTestStore(): Promise<TestStore> {
  const database = await newDatabase('gazette_test');
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
  const database = await newDatabase('gazette_durable');
  return {
    open: () => openStore({ databaseUrl: database.url, sqliteFile: '' }),
    dispose: () => database.drop(),
  };
}
