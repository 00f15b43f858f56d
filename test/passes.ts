// `npm test`'s two passes, the SQLite one and the PostgreSQL one, run by a few workers that take
// the next (backend, file) from one queue. Test files share nothing (each makes its own store,
// temp folders and loopback ports; PostgreSQL databases are named by process id and a random
// suffix), and a test process spends nearly half its time waiting (on Chromium, on a child
// `gazette` process, on PostgreSQL), so on a machine of two cores four workers finish well before
// two. A file's output is printed whole when it ends, each line marked with its backend. The
// slowest files go first so that no long one starts last. The one suite that restarts the
// machine's PostgreSQL runs alone once the queue is empty: the SQLite pass uses PostgreSQL too
// (the store copy between backends), and a restart would break its connections. Each file runs
// from a bundle made at the start (bin/bundle.js, bundleTests): the same sources, without a
// TypeScript loader in every test process. Given test files as arguments, it runs those only.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleTests } from '../bin/bundle.js';
import { processIsAlive } from '../src/process-alive.js';
import { ROOT } from './helpers/factories.js';

type Backend = 'sqlite' | 'postgres';

/** Restarts the machine's PostgreSQL: after both passes, on PostgreSQL (it does nothing on SQLite). */
const ALONE_ON_POSTGRES = ['test/faults/postgres-restart.test.ts'];
/**
 * Sets a source file's time to make the command's bundle again: a file of the other pass, running
 * at the same moment, would see the source change under it. Backend-independent: run once, alone.
 */
const ALONE_ONCE = ['test/cli/bundle.test.ts'];
/**
 * The browser suites: each runs on one backend, the two taking turns in path order, so that each
 * backend has half of them. A browser suite drives pages; what differs by backend beneath them
 * is the store, which the store, service and HTTP suites check on both. Run on both, the browser
 * suites were 29 % of the time the test files took (4,336 of 14,905 s, 2026-12).
 */
const ONE_BACKEND = 'test/e2e/';
/** Folders whose files take longest (Chromium, child processes, killed servers): started first. */
const SLOW_FIRST = ['test/cli/', 'test/faults/', 'test/e2e/'];

/**
 * Whether a test file never asks which backend it runs on: neither it nor a test file it imports
 * (helpers, transitively) reads GAZETTE_TEST_BACKEND, which test/helpers/store.ts alone turns into
 * a store. Such a file (the domain's rules, parsers, the front agent) does the same on both
 * passes, so it runs once.
 */
function backendFree(file: string, seen = new Set<string>()): boolean {
  if (seen.has(file)) return true;
  seen.add(file);
  if (file === 'test/helpers/store.ts') return false;
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  if (text.includes('GAZETTE_TEST_BACKEND')) return false;
  for (const match of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
    const imported = path.posix
      .normalize(path.posix.join(path.posix.dirname(file), match[1] ?? ''))
      .replace(/\.js$/, '.ts');
    if (imported.startsWith('test/') && !backendFree(imported, seen)) return false;
  }
  return true;
}

/** Every test file under test/, in bytewise order of their paths. */
function testFiles(dir = 'test'): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const name = `${dir}/${entry.name}`;
    if (entry.isDirectory()) found.push(...testFiles(name));
    else if (entry.name.endsWith('.test.ts')) found.push(name);
  }
  return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The files named on the command line (all when none is), each of which must be a test file. */
function chosen(all: readonly string[], named: readonly string[]): string[] {
  if (named.length === 0) return [...all];
  const unknown = named.filter((file) => !all.includes(file));
  if (unknown.length > 0)
    throw new TypeError(`not a test file under test/: ${unknown.join(', ')} (name them as test/…/x.test.ts)`);
  return all.filter((file) => named.includes(file));
}

function workerCount(): number {
  const set = process.env.GAZETTE_TEST_WORKERS;
  if (set === undefined || set === '') return Math.max(2, Math.min(4, os.availableParallelism() * 2));
  const n = Number(set);
  if (!Number.isInteger(n) || n < 1 || n > 16)
    throw new TypeError(`GAZETTE_TEST_WORKERS must be a whole number from 1 to 16, not "${set}"`);
  return n;
}

interface Tally {
  files: number;
  failedFiles: string[];
  /** Each failed file's failing tests with their errors, printed again at the very end. */
  failures: string[];
  tests: number;
  pass: number;
  fail: number;
  skipped: number;
  todo: number;
  cancelled: number;
}

const tallies: Record<Backend, Tally> = {
  sqlite: { files: 0, failedFiles: [], failures: [], tests: 0, pass: 0, fail: 0, skipped: 0, todo: 0, cancelled: 0 },
  postgres: { files: 0, failedFiles: [], failures: [], tests: 0, pass: 0, fail: 0, skipped: 0, todo: 0, cancelled: 0 },
};
const COUNTED = ['tests', 'pass', 'fail', 'skipped', 'todo', 'cancelled'] as const;

const running = new Set<ReturnType<typeof spawn>>();

/** Where this run's bundles of the test files go (bin/bundle.js, bundleTests), removed when it ends. */
const BUNDLES = path.join(ROOT, 'dist', `test-${process.pid}`);
process.once('exit', () => fs.rmSync(BUNDLES, { recursive: true, force: true }));

/** Removes the bundles of earlier runs that ended without removing them (killed): their process is gone. */
function sweepBundles(): void {
  const dist = path.join(ROOT, 'dist');
  for (const name of fs.existsSync(dist) ? fs.readdirSync(dist) : []) {
    const pid = /^test-(\d+)$/.exec(name)?.[1];
    if (pid !== undefined && !processIsAlive(Number(pid)))
      fs.rmSync(path.join(dist, name), { recursive: true, force: true });
  }
}

/** Runs one file (its bundle) on one backend; prints its output whole, marked; counts its tests. */
function runFile(backend: Backend, file: string, label: string): Promise<void> {
  const started = Date.now();
  const bundle = bundled[file];
  if (bundle === undefined) throw new TypeError(`${file} has no bundle`);
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--enable-source-maps',
        '--test',
        '--test-concurrency=1',
        '--test-timeout=600000',
        '--test-force-exit',
        '--test-reporter=spec',
        bundle,
      ],
      { cwd: ROOT, env: { ...process.env, GAZETTE_TEST_BACKEND: backend }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    running.add(child);
    let output = '';
    for (const stream of [child.stdout, child.stderr]) {
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => (output += chunk));
    }
    child.on('error', reject);
    child.on('close', (code, signal) => {
      running.delete(child);
      const tally = tallies[backend];
      tally.files++;
      for (const line of output.split('\n')) {
        const counted = /^ℹ (\w+) (\d+)$/.exec(line.trim());
        const key = COUNTED.find((k) => k === counted?.[1]);
        if (key && counted) tally[key] += Number(counted[2]);
      }
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const ended = signal ?? `exit ${code}`;
      const lines = output.replace(/\n$/, '').split('\n');
      if (code !== 0) {
        tally.failedFiles.push(`${file} (${ended})`);
        tally.failures.push(failingTests(file, lines));
      }
      lines.push(`file ended: ${file} ${ended} after ${seconds} s`);
      process.stdout.write(lines.map((line) => `[${label}] ${line}\n`).join(''));
      resolve();
    });
  });
}

/** Lines a failure report repeats per file: enough for the error and where it was thrown. */
const FAILURE_LINES = 40;
/** Stack frames inside Node's own test runner: the same in every failure, so left out. */
const RUNNER_FRAME = /\((node:internal\/|node:async_hooks)/;

/**
 * A failed file's spec-reporter section "✖ failing tests:" (each failing test, its error and
 * stack), or its last lines when it has none (it crashed or timed out before reporting). CI keeps
 * only the end of a run's output, where the summary is: the reason must be there too.
 */
function failingTests(file: string, lines: readonly string[]): string {
  const at = lines.findIndex((line) => line.includes('✖ failing tests:'));
  const own = (at === -1 ? lines : lines.slice(at + 1)).filter((line) => !RUNNER_FRAME.test(line));
  const section = at === -1 ? own.slice(-FAILURE_LINES) : own.slice(0, FAILURE_LINES);
  return [`── ${file} ──`, ...section].join('\n');
}

/** Runs the jobs with `workers` at a time, each worker taking the next job when its own ends. */
async function drain(jobs: (() => Promise<void>)[], workers: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) await jobs[next++]?.();
  };
  await Promise.all(Array.from({ length: Math.min(workers, jobs.length) }, worker));
}

function summary(backend: Backend, startedMs: number): boolean {
  const t = tallies[backend];
  const minutes = ((Date.now() - startedMs) / 60_000).toFixed(1);
  const ok = t.failedFiles.length === 0 && t.fail === 0 && t.cancelled === 0;
  process.stdout.write(
    `[${backend}] files ${t.files}, tests ${t.tests}, pass ${t.pass}, fail ${t.fail}, skipped ${t.skipped}, todo ${t.todo}, cancelled ${t.cancelled}\n`,
  );
  for (const failure of t.failures)
    process.stdout.write(
      failure
        .split('\n')
        .map((line) => `[${backend}] ${line}\n`)
        .join(''),
    );
  for (const failed of t.failedFiles) process.stdout.write(`[${backend}] failed: ${failed}\n`);
  process.stdout.write(`[${backend}] pass ended: exit ${ok ? 0 : 1} after ${minutes} min\n`);
  return ok;
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
  process.once(signal, () => {
    for (const child of running) child.kill(signal);
    process.exit(1);
  });

const started = Date.now();
const all = testFiles();
const files = chosen(all, process.argv.slice(2));
sweepBundles();
/** Each file's bundle; read by runFile, which runs only after this is made. */
const bundled = await bundleTests(files, BUNDLES);
const apart = new Set([...ALONE_ON_POSTGRES, ...ALONE_ONCE]);
const queued = files.filter((file) => !apart.has(file));
const slowness = (file: string) => {
  const at = SLOW_FIRST.findIndex((dir) => file.startsWith(dir));
  return at === -1 ? SLOW_FIRST.length : at;
};
const ordered = [...queued].sort((a, b) => slowness(a) - slowness(b));
const once = new Set(ordered.filter((file) => backendFree(file)));
// Taken from every test file, not the ones named: a browser suite run alone gets its usual backend.
const alternating = all.filter((file) => file.startsWith(ONE_BACKEND) && !apart.has(file) && !backendFree(file));
const backendsOf = (file: string): readonly Backend[] => {
  const turn = alternating.indexOf(file);
  if (turn === -1) return ['postgres', 'sqlite'];
  return [turn % 2 === 0 ? 'sqlite' : 'postgres'];
};
const jobs = ordered.flatMap((file) =>
  once.has(file)
    ? [() => runFile('sqlite', file, 'once')]
    : backendsOf(file).map((backend) => () => runFile(backend, file, backend)),
);
const workers = workerCount();
process.stdout.write(
  `${jobs.length} runs of ${queued.length} files: ${once.size} that never ask for a backend run once (counted with sqlite), ${queued.filter((file) => alternating.includes(file)).length} browser suites on one backend each (taking turns), the others on two backends; ${workers} at a time\n`,
);
await drain(jobs, workers);
for (const file of files.filter((f) => ALONE_ON_POSTGRES.includes(f))) await runFile('postgres', file, 'postgres');
for (const file of files.filter((f) => ALONE_ONCE.includes(f))) await runFile('sqlite', file, 'sqlite');
const sqliteOk = summary('sqlite', started);
const postgresOk = summary('postgres', started);
process.exitCode = sqliteOk && postgresOk ? 0 : 1;
