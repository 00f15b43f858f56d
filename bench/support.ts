import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { openStore, sites } from '../src/store/index.js';
import { ensureSite, generateSyntheticArticles, nightlySlot } from '../src/services/index.js';
import { systemClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { loadServerKeys } from '../src/cli/runtime.js';
import type { ServerKeys } from '../src/services/index.js';

/**
 * What the publish and serve benches share: options, the external tools they drive, the
 * synthetic site, and the `gazette` child processes (the benches measure the command people
 * run, not a copy of it).
 */

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const GAZETTE_BIN = path.resolve(BENCH_DIR, '..', 'bin', 'gazette.js');

/**
 * The commit the figures were measured on, and a digest of src/'s uncommitted changes (null when
 * there are none): the code moves while benches run, and a figure without its revision cannot be
 * compared with another.
 */
export function sourceRevision(): { commit: string; srcDiff: string | null } | null {
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: path.resolve(BENCH_DIR, '..'), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const diff = git('diff', 'HEAD', '--', 'src');
    return {
      commit: git('rev-parse', '--short', 'HEAD').trim(),
      srcDiff: diff === '' ? null : createHash('sha1').update(diff).digest('hex').slice(0, 12),
    };
  } catch {
    return null;
  }
}

/** The revision at the start of a run, and whether the source changed before it ended. */
export function revisionTracker(): () => { commit: string; srcDiff: string | null; changedDuringRun: boolean } | null {
  const atStart = sourceRevision();
  return () => {
    if (!atStart) return null;
    const atEnd = sourceRevision();
    return { ...atStart, changedDuringRun: atEnd?.commit !== atStart.commit || atEnd.srcDiff !== atStart.srcDiff };
  };
}

/** Progress goes to stderr: stdout carries only the JSON figures. */
export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

export const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** A count as people write it: `100000`, `100_000` or `1e6`. */
function parseCount(name: string, text: string): number {
  const parsed = Number(text.replace(/_/g, ''));
  if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`--${name} must be a number, not "${text}"`);
  return parsed;
}

/** `--name value` from the bench's arguments. */
export function optionReader(args: readonly string[]) {
  const raw = (name: string): string | undefined => {
    const at = args.indexOf(`--${name}`);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const number = (name: string, fallback: number): number => {
    const value = raw(name);
    return value === undefined ? fallback : parseCount(name, value);
  };
  const numbers = (name: string, fallback: readonly number[]): number[] => {
    const value = raw(name);
    return value === undefined ? [...fallback] : value.split(',').map((part) => parseCount(name, part));
  };
  return { raw, number, numbers };
}

/** The path of an installed program, or an error naming the package that provides it. */
export function requireBinary(name: string, debianPackage: string): string {
  // Debian puts nginx in /usr/sbin, which is not on every user's PATH.
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error(
    `${name} is not installed: install it with \`apt-get install -y ${debianPackage}\` (the benches install nothing themselves)`,
  );
}

/** What a bench has made and not yet cleaned up, for an interrupted run to clean up on its way out. */
const live = { dirs: new Set<string>(), children: new Set<ChildProcess>() };

export function track<T extends ChildProcess>(child: T): T {
  live.children.add(child);
  child.once('exit', () => live.children.delete(child));
  return child;
}

/** Ctrl-C or a kill stops the servers and builds we started and removes our temp folders. */
export function cleanUpOnSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`bench: ${signal}, cleaning up`);
      for (const child of live.children) child.kill('SIGKILL');
      for (const dir of live.dirs) removeTemp(dir);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

export function tempDir(label: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `gazette-bench-${label}-`));
  live.dirs.add(dir);
  return dir;
}

/** Removes a bench's temp folder, unless BENCH_KEEP=1 asks to keep it for a look afterwards. */
export function removeTemp(dir: string): void {
  live.dirs.delete(dir);
  if (process.env.BENCH_KEEP === '1') log(`kept ${dir}`);
  else fs.rmSync(dir, { recursive: true, force: true });
}

/** Bytes a folder takes on disk (du: allocated blocks, which is what fills a disk). */
export function diskBytes(dir: string): number {
  const out = execFileSync('du', ['-sk', dir], { encoding: 'utf8' });
  return Number(out.split('\t')[0]) * 1024;
}

export const mib = (bytes: number): number => round(bytes / 1048576, 1);

/** A port nobody listens on now (the OS picks it; the tiny race to reuse it is harmless here). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** From this many articles up, bodies default to ~500 characters to mind the disk (the issue allows it). */
export const LARGE_SITE = 1_000_000;

/** The body length to generate: as asked, else the generator's default (1,200), else 500 for large sites. */
export function bodyCharsFor(articles: number, asked: number | undefined): number | undefined {
  return asked ?? (articles >= LARGE_SITE ? 500 : undefined);
}

/**
 * Fills a SQLite store in `dataDir` (the GAZETTE_DATA layout) with the demo site and `articles`
 * generated, published articles, as `gazette demo --articles N` does.
 */
export async function makeSyntheticSite(
  dataDir: string,
  articles: number,
  bodyChars: number | undefined,
): Promise<{ seconds: number; channels: number }> {
  const store = await openStore({ databaseUrl: null, sqliteFile: path.join(dataDir, 'gazette.db') });
  try {
    const ctx = { store, clock: systemClock, mediaDir: path.join(dataDir, 'media') };
    await ensureSite(ctx, 'Asia/Shanghai');
    let lastTenth = -1;
    const result = await generateSyntheticArticles(ctx, {
      articles,
      bodyChars,
      onProgress(done, total) {
        const tenth = Math.floor((done / total) * 10);
        if (tenth !== lastTenth) log(`  generate: ${done}/${total}`);
        lastTenth = tenth;
      },
    });
    return { seconds: result.seconds, channels: result.channels };
  } finally {
    await store.close();
  }
}

/**
 * Claims tonight's health check for every site, as if it had run: a server started after 02:00
 * site time runs the nightly check (every link of every page, every article's wording) on its
 * first tick when tonight's is not done, and the serving figures are of a server serving pages,
 * not of one running its nightly check beside them.
 */
export async function skipTonightsHealthCheck(location: {
  databaseUrl: string | null;
  sqliteFile: string;
}): Promise<void> {
  const store = await openStore(location);
  try {
    // Every site's: a platform's server checks each site it serves.
    const now = new Date();
    for (const site of await sites.listSites(store.db)) {
      const slot = nightlySlot(now, site.timeZone);
      if (slot === null) continue;
      await store.db
        .insertInto('healthRun')
        .values({ siteId: site.id, at: now.toISOString(), score: 0, vetoes: 0, report: '', slot })
        .onConflict((oc) => oc.columns(['siteId', 'slot']).doNothing())
        .execute();
    }
  } finally {
    await store.close();
  }
}

/** The installation keys of a data folder, as its `gazette` children read them (its secret.key, made if missing). */
export function benchKeys(dataDir: string): ServerKeys {
  return loadServerKeys(loadConfig({ GAZETTE_DATA: dataDir }));
}

/** The environment of a `gazette` child: its data folder, quiet logs, the system clock. */
export function gazetteEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GAZETTE_DATA: dataDir,
    LOG_LEVEL: 'warn',
    GAZETTE_LANG: 'en',
    // The benches sign their accounts in over and over without one-time codes.
    GAZETTE_ADMIN_MFA: 'optional',
    ...extra,
  };
  delete env.GAZETTE_NOW;
  delete env.DATABASE_URL;
  return env;
}

/** Waits for a child to exit; its exit code (or 1 when a signal ended it). */
export function exited(child: ChildProcess): Promise<number> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}

/**
 * Runs `gazette ARGS…` to completion: its stdout is returned, its stderr (progress bars) passes
 * through to ours. Throws when it fails; `timeoutMs` bounds a step that has gone wrong.
 */
export async function runGazette(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<{ stdout: string; seconds: number }> {
  const started = performance.now();
  const child = track(spawn(process.execPath, [GAZETTE_BIN, ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] }));
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const timer = setTimeout(() => {
    log(`  gazette ${args.join(' ')} took longer than ${Math.round(timeoutMs / 60_000)} min: stopping it`);
    child.kill('SIGTERM');
  }, timeoutMs);
  const code = await exited(child);
  clearTimeout(timer);
  if (code !== 0) throw new Error(`gazette ${args.join(' ')} exited with ${code}: ${stdout.trim()}`);
  return { stdout, seconds: (performance.now() - started) / 1000 };
}

/** Starts a long-running child and resolves once a line of its stdout matches `ready`. */
export function startServer(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
  timeoutMs = 60_000,
): Promise<ChildProcess> {
  const child = track(spawn(command, args, { env, stdio: ['ignore', 'pipe', 'inherit'] }));
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => fail(new Error(`${path.basename(command)} did not start within ${timeoutMs / 1000} s: ${seen}`)),
      timeoutMs,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.once('exit', (code) =>
      fail(new Error(`${path.basename(command)} exited with ${code} before it was ready: ${seen}`)),
    );
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      seen += chunk;
      if (!ready.test(seen)) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      // Later output is not ours to read; drain it so the child never blocks on a full pipe.
      child.stdout.removeAllListeners('data').resume();
      resolve(child);
    });
  });
}

/** Stops a child we started: SIGTERM (a graceful stop), then SIGKILL if it lingers. */
export async function stopChild(child: ChildProcess | null | undefined, graceMs = 10_000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited(child);
  clearTimeout(timer);
}

/** One plain GET: no Accept-Encoding, so the server sends the identity bytes. */
export function getIdentity(
  url: string,
  headers: http.OutgoingHttpHeaders = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/** Polls a URL until it answers 200 (a server that prints nothing when ready, like nginx). */
export async function waitForOk(
  url: string,
  timeoutMs = 10_000,
  headers: http.OutgoingHttpHeaders = {},
): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await getIdentity(url, headers)).status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
