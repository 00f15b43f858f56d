import fs from 'node:fs';
import os from 'node:os';
import { after, before } from 'node:test';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './factories.js';
import { newDatabase, TEST_BACKEND, TEST_DATA_KEY, TEST_SECRET_KEY, type BackendName } from './store.js';
import type { StoreLocation } from '../../src/store/index.js';

export const BIN = path.join(ROOT, 'bin', 'gazette.js');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `gazette ARGS…` to completion with this environment on top of a minimal one. */
export function runCli(args: readonly string[], env: Record<string, string>, input?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (input !== undefined) child.stdin?.end(input);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts `gazette serve` and resolves with its address once it prints it. */
export function startServer(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve'], {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`gazette serve did not start within 30 s:\n${output}`));
    }, 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /serving .* at (http:\/\/\S+?)\/?\n/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: m[1], output: () => output });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`gazette serve exited with ${code}:\n${output}`));
    });
  });
}

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

export async function newTestSite(prefix: string, backend: BackendName = TEST_BACKEND ?? 'sqlite'): Promise<TestSite> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const database = backend === 'postgres' ? await newDatabase('gazette_cli') : null;
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
