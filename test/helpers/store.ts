import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/index.js';
import { fixedClock, type Clock } from '../../src/clock.js';
import type { ServiceContext } from '../../src/services/index.js';

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

/** A new, empty PostgreSQL database for one test file, dropped afterwards. */
export async function postgresTestStore(): Promise<TestStore> {
  const name = `gazette_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  const store = await openStore({ databaseUrl: url.toString(), sqliteFile: '' });
  return {
    ...store,
    async dispose() {
      await store.close();
      const dropper = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

/** Both backends, for suites that must hold on each. */
export const BACKENDS: readonly { readonly name: 'sqlite' | 'postgres'; readonly open: () => Promise<TestStore> }[] = [
  { name: 'sqlite', open: sqliteTestStore },
  { name: 'postgres', open: postgresTestStore },
];

export function pinnedClock(iso: string = PINNED_NOW): Clock {
  return fixedClock(new Date(iso));
}

/** Media written by tests go to one folder per test process, under the system's temp folder. */
export const TEST_MEDIA_DIR = path.join(os.tmpdir(), `gazette-test-media-${process.pid}`);

export function contextFor(store: Store, clock: Clock = pinnedClock()): ServiceContext {
  return { store, clock, mediaDir: TEST_MEDIA_DIR };
}

/**
 * A store that outlives its connections (a SQLite file, a PostgreSQL database), for tests of what
 * survives a restart: `open()` may be called again after the last one was closed.
 */
export async function durableTestStore(backend: 'sqlite' | 'postgres'): Promise<{ open(): Promise<Store>; dispose(): Promise<void> }> {
  if (backend === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-durable-'));
    return {
      open: () => openStore({ databaseUrl: null, sqliteFile: path.join(dir, 'gazette.db') }),
      dispose: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `gazette_durable_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    open: () => openStore({ databaseUrl: url.toString(), sqliteFile: '' }),
    async dispose() {
      const dropper = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}
