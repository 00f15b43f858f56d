import fs from 'node:fs';
import os from 'node:os';
import { after, before } from 'node:test';
import path from 'node:path';
import {
  newDatabase,
  newMigratedDatabase,
  TEST_BACKEND,
  TEST_DATA_KEY,
  TEST_SECRET_KEY,
  type BackendName,
} from './store.js';
import type { StoreLocation } from '../../src/store/index.js';

export { BIN, runCli, startServer, type CliResult } from './gazette-process.js';

/**
 * A site for commands to work on: a data folder, and on a PostgreSQL run a fresh database named
 * by DATABASE_URL, so the command-line suites hold on the run's backend.
 */
export interface TestSite {
  readonly dataDir: string;
  /** GAZETTE_DATA, the tests' GAZETTE_SECRET_KEY and, on PostgreSQL, DATABASE_URL. */
  readonly env: Readonly<Record<string, string>>;
  /** Where the store is, for opening it in the test itself. */
  readonly location: StoreLocation;
  dispose(): Promise<void>;
}

/**
 * A new test site. Its PostgreSQL database is empty, so that the first command migrates it, unless
 * `migrated`: then it is a copy of the migrated template, a fraction of the time the migrations
 * take, for a test whose subject is not that first migration (a SQLite site is an empty folder
 * either way: its migrations take a moment).
 */
export async function newTestSite(
  prefix: string,
  backend: BackendName = TEST_BACKEND ?? 'sqlite',
  options: { migrated?: boolean } = {},
): Promise<TestSite> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const database =
    backend !== 'postgres'
      ? null
      : options.migrated
        ? await newMigratedDatabase('gazette_cli')
        : await newDatabase('gazette_cli');
  return {
    dataDir,
    env: {
      GAZETTE_DATA: dataDir,
      GAZETTE_SECRET_KEY: TEST_SECRET_KEY,
      GAZETTE_DATA_KEY: TEST_DATA_KEY,
      // As contextFor: the suites sign administrators in without one-time codes.
      GAZETTE_ADMIN_MFA: 'optional',
      ...(database && { DATABASE_URL: database.url }),
    },
    location: { databaseUrl: database?.url ?? null, sqliteFile: path.join(dataDir, 'gazette.db') },
    async dispose() {
      await database?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A test site made before the suite's tests and removed after them. */
export function useTestSite(prefix: string): () => TestSite {
  let site: TestSite | null = null;
  before(async () => {
    site = await newTestSite(prefix);
  });
  after(() => site?.dispose());
  return () => {
    if (!site) throw new TypeError('useTestSite: the suite has not started');
    return site;
  };
}
