import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import { benchMirror, type BenchMirror } from './migrate-mirror.js';
import { procStatusKiB, type Server } from './serve.js';
import {
  GAZETTE_BIN,
  exited,
  freePort,
  gazetteEnv,
  log,
  mib,
  optionReader,
  removeTemp,
  requireBinary,
  revisionTracker,
  round,
  runGazette,
  stopChild,
  tempDir,
  track,
  waitForOk,
} from './support.js';

/**
 * `npm run bench migrate [-- --articles N --concurrency C --kill-at F --no-resume]` (issue 19):
 * a generated old site of N article pages (default 100,000), half TRS-shaped and half
 * Hanweb-shaped columns of one site (bench/migrate-mirror.ts), served by Debian's nginx on
 * 127.0.0.1, migrated by the real command into a fresh store:
 *   gazette migrate-site http://127.0.0.1:PORT/ --site HOST --rate 0 --concurrency C --report FILE
 * Figures: article pages imported per second of wall time (target ≥ 300) and the command's peak
 * resident memory (target < 400 MiB). Then the same run into a second fresh store, killed with
 * SIGKILL once about F (default 0.5) of the articles are in, and run again with --resume: its
 * articles (title, time, body, column) and redirects must equal the uninterrupted run's.
 * Needs Debian's nginx.
 */

interface MigrateBenchOptions {
  readonly articles: number;
  readonly concurrency: number;
  /** The share of the articles in the store at which the second run is killed. */
  readonly killAt: number;
  readonly resume: boolean;
}

const TARGET_PAGES_PER_SECOND = 300;
const TARGET_PEAK_RSS_MIB = 400;
const SITE_HOST = 'migrate.bench.test';
const RUN_TIMEOUT_MS = 3 * 3600_000;
const MEMORY_POLL_MS = 200;
const COUNT_POLL_MS = 500;

function readOptions(args: readonly string[]): MigrateBenchOptions {
  const option = optionReader(args);
  const killAt = option.number('kill-at', 0.5);
  if (!(killAt > 0 && killAt < 1))
    throw new Error(`--kill-at is a share of the articles, above 0 and below 1, not ${killAt}`);
  return {
    articles: Math.max(2, Math.round(option.number('articles', 100_000))),
    concurrency: option.number('concurrency', 16),
    killAt,
    resume: !args.includes('--no-resume'),
  };
}

/** nginx serving the mirror's folder: the bench's reference configuration, with every file type. */
async function startMirrorNginx(binary: string, dir: string, root: string, probe: string): Promise<Server> {
  const prefix = path.join(dir, 'nginx');
  fs.mkdirSync(prefix, { recursive: true });
  const port = await freePort();
  const conf = path.join(prefix, 'nginx.conf');
  fs.writeFileSync(
    conf,
    [
      'worker_processes 1;',
      'daemon off;',
      'master_process on;',
      `pid ${prefix}/nginx.pid;`,
      `error_log ${prefix}/error.log warn;`,
      'events { worker_connections 1024; }',
      'http {',
      '  access_log off;',
      '  sendfile on;',
      '  tcp_nopush on;',
      '  tcp_nodelay on;',
      '  keepalive_timeout 65;',
      '  keepalive_requests 1000000;',
      // Attachments and images need their own types, which the page-only reference config lacks.
      '  include /etc/nginx/mime.types;',
      '  default_type application/octet-stream;',
      '  charset utf-8;',
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${prefix}/${t};`),
      `  server { listen 127.0.0.1:${port}; root ${root}; }`,
      '}',
    ].join('\n'),
  );
  const child = track(
    spawn(binary, ['-p', prefix, '-c', conf, '-e', path.join(prefix, 'error.log')], {
      stdio: ['ignore', 'ignore', 'inherit'],
    }),
  );
  const base = `http://127.0.0.1:${port}`;
  await waitForOk(`${base}${probe}`);
  return { child, base };
}

/** Peak resident memory of a child, polled: VmRSS now and VmHWM (the kernel's peak so far). */
function watchMemory(pid: number): { stop(): number } {
  let peakKiB = 0;
  const poll = () => (peakKiB = Math.max(peakKiB, procStatusKiB(pid, 'VmRSS'), procStatusKiB(pid, 'VmHWM')));
  poll();
  const timer = setInterval(poll, MEMORY_POLL_MS);
  return {
    stop() {
      clearInterval(timer);
      poll();
      return peakKiB;
    },
  };
}

/** Articles in a store, read without disturbing the writer (null while it cannot be read). */
function storeArticleCount(dataDir: string): number | null {
  try {
    const db = new SQLite(path.join(dataDir, 'gazette.db'), { readonly: true, fileMustExist: true, timeout: 100 });
    try {
      return (db.prepare('select count(*) as n from article').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

interface Run {
  readonly exitCode: number;
  readonly seconds: number;
  readonly peakRssMiB: number;
  readonly killed: boolean;
  readonly articlesInStore: number;
  /** Seconds from the start until the store held its final article count (polled; null when not seen). */
  readonly lastArticleSeconds: number | null;
  readonly stdout: string;
}

/**
 * One `gazette migrate-site` child to its end (or, with `killAtArticles`, until the store holds
 * that many articles: then SIGKILL). Its stderr (the progress) passes through to ours.
 */
async function migrate(
  dataDir: string,
  origin: string,
  options: MigrateBenchOptions,
  extra: { readonly report: string; readonly resume?: boolean; readonly killAtArticles?: number },
): Promise<Run> {
  const args = [
    GAZETTE_BIN,
    'migrate-site',
    `${origin}/`,
    '--site',
    SITE_HOST,
    '--rate',
    '0',
    '--concurrency',
    String(options.concurrency),
    '--report',
    extra.report,
    ...(extra.resume ? ['--resume'] : []),
  ];
  log(`  gazette ${args.slice(1).join(' ')}`);
  const started = performance.now();
  const child: ChildProcess = track(
    spawn(process.execPath, args, { env: gazetteEnv(dataDir), stdio: ['ignore', 'pipe', 'inherit'] }),
  );
  let stdout = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const memory = watchMemory(child.pid ?? 0);
  let killed = false;
  // When the last article came in: what follows it (old list pages, links) is the run's tail.
  let counted = { articles: 0, at: 0 };
  const counter = setInterval(() => {
    const count = storeArticleCount(dataDir);
    if (count === null || killed) return;
    if (count !== counted.articles) counted = { articles: count, at: performance.now() };
    if (extra.killAtArticles === undefined || count < extra.killAtArticles) return;
    log(`  ${count} articles in the store: SIGKILL`);
    killed = true;
    child.kill('SIGKILL');
  }, COUNT_POLL_MS);
  const timer = setTimeout(() => {
    log(`  migrate-site took longer than ${RUN_TIMEOUT_MS / 60_000} min: stopping it`);
    child.kill('SIGTERM');
  }, RUN_TIMEOUT_MS);
  const exitCode = await exited(child);
  const seconds = (performance.now() - started) / 1000;
  clearTimeout(timer);
  clearInterval(counter);
  const peakRssMiB = round(memory.stop() / 1024, 1);
  if (!killed && exitCode !== 0 && exitCode !== 1)
    throw new Error(`gazette migrate-site exited with ${exitCode}: ${stdout.trim().split('\n').slice(-5).join(' | ')}`);
  const articlesInStore = storeArticleCount(dataDir) ?? 0;
  const lastArticleSeconds =
    articlesInStore === counted.articles && counted.at > 0 ? round((counted.at - started) / 1000, 1) : null;
  return { exitCode, seconds, peakRssMiB, killed, articlesInStore, lastArticleSeconds, stdout };
}

/** A fresh store with the site the migration goes into. */
async function freshStore(dir: string, name: string): Promise<string> {
  const dataDir = path.join(dir, name);
  fs.mkdirSync(dataDir, { recursive: true });
  await runGazette(['site', 'add', SITE_HOST, '--name', '迁移基准站'], gazetteEnv(dataDir), 120_000);
  return dataDir;
}

/** The first few of a report's list, and how many it holds. */
function firstOf(list: unknown): { total: number; first: unknown[] } | null {
  return Array.isArray(list) ? { total: list.length, first: list.slice(0, 5) as unknown[] } : null;
}

/** The report's counts and its first failures, when the run wrote one. */
function reportOf(file: string): Record<string, unknown> | null {
  try {
    const report = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    const files = (report.files ?? {}) as Record<string, unknown>;
    return {
      family: report.family,
      counts: report.counts,
      failures: firstOf(report.failures),
      files: { fetched: files.fetched, bytes: files.bytes, failures: firstOf(files.failures) },
      redirects: report.redirects,
    };
  } catch {
    return null;
  }
}

interface StoreContent {
  readonly articles: string[];
  readonly redirects: string[];
}

/**
 * What a migration put in a store, comparable with another store's: each article as (title, time,
 * body, column path) and each redirect as old path → target, sorted. New article URLs hold the
 * article's id, which depends on the order pages were imported in: in bodies and redirect
 * targets each is replaced by the article's title and time.
 */
function storeContent(dataDir: string): StoreContent {
  const db = new SQLite(path.join(dataDir, 'gazette.db'), { readonly: true, fileMustExist: true });
  try {
    const channels = db.prepare('select id, parent_id as parentId, name from channel').all() as {
      id: number;
      parentId: number | null;
      name: string;
    }[];
    const byId = new Map(channels.map((c) => [c.id, c]));
    const columnPath = (id: number): string => {
      const names: string[] = [];
      for (let c = byId.get(id); c; c = c.parentId === null ? undefined : byId.get(c.parentId)) names.unshift(c.name);
      return names.join(' > ');
    };
    const rows = db
      .prepare(
        'select id, title, published_at as publishedAt, body_html as bodyHtml, channel_id as channelId from article',
      )
      .all() as { id: number; title: string; publishedAt: string | null; bodyHtml: string; channelId: number }[];
    const identity = new Map(rows.map((r) => [String(r.id), `${r.title}@${r.publishedAt ?? ''}`]));
    const withoutIds = (text: string) =>
      text.replace(/(\/t\d{8}_)(\d+)(\.html)/g, (whole, head: string, id: string, tail: string) =>
        identity.has(id) ? `${head}{${identity.get(id)}}${tail}` : whole,
      );
    const articles = rows
      .map((r) => JSON.stringify([r.title, r.publishedAt, withoutIds(r.bodyHtml), columnPath(r.channelId)]))
      .sort();
    const redirects = (
      db.prepare('select old_path as oldPath, target from redirects').all() as { oldPath: string; target: string }[]
    )
      .map((r) => `${r.oldPath} → ${withoutIds(r.target)}`)
      .sort();
    return { articles, redirects };
  } finally {
    db.close();
  }
}

/** The first few entries each sorted list has and the other lacks. */
function differences(what: string, a: readonly string[], b: readonly string[], limit = 5): string[] {
  const inB = new Set(b);
  const inA = new Set(a);
  return [
    ...a
      .filter((x) => !inB.has(x))
      .slice(0, limit)
      .map((x) => `${what} only in the uninterrupted run: ${x.slice(0, 300)}`),
    ...b
      .filter((x) => !inA.has(x))
      .slice(0, limit)
      .map((x) => `${what} only in the resumed run: ${x.slice(0, 300)}`),
  ];
}

function compareStores(clean: StoreContent, resumed: StoreContent) {
  const found = [
    ...differences('article', clean.articles, resumed.articles),
    ...differences('redirect', clean.redirects, resumed.redirects),
  ];
  // Sets equal but counts not: an article stored twice.
  if (found.length === 0 && clean.articles.length !== resumed.articles.length)
    found.push(`articles: ${clean.articles.length} uninterrupted, ${resumed.articles.length} resumed`);
  return { equal: found.length === 0, differences: found };
}

const mark = (met: boolean): string => (met ? '✔' : '✘');

/** The second store: killed at about `killAt` of the articles, then resumed; compared with the first. */
async function killAndResume(dir: string, origin: string, options: MigrateBenchOptions, clean: StoreContent) {
  log(`migrate: killed at ${options.killAt * 100}% and resumed`);
  const dataDir = await freshStore(dir, 'resumed');
  const report = path.join(dir, 'resumed-report.json');
  const killAtArticles = Math.max(1, Math.floor(options.articles * options.killAt));
  const first = await migrate(dataDir, origin, options, { report, killAtArticles });
  if (!first.killed) log('  the run ended before it could be killed: resuming a finished run');
  const second = await migrate(dataDir, origin, options, { report, resume: true });
  const compared = compareStores(clean, storeContent(dataDir));
  log(`migrate: resumed run equals the uninterrupted one ${mark(compared.equal)}`);
  for (const line of compared.differences) log(`  ${line}`);
  return {
    killedAtArticles: first.killed ? first.articlesInStore : null,
    killedAfterSeconds: round(first.seconds, 1),
    resumedSeconds: round(second.seconds, 1),
    resumedExitCode: second.exitCode,
    articlesInStore: second.articlesInStore,
    report: reportOf(report),
    ...compared,
  };
}

export async function benchMigrate(args: readonly string[]): Promise<object> {
  const options = readOptions(args);
  const revision = revisionTracker();
  const nginxBinary = requireBinary('nginx', 'nginx');
  const mirror: BenchMirror = benchMirror(options.articles);
  const dir = tempDir('migrate');
  let nginx: Server | null = null;
  try {
    nginx = await startMirrorNginx(nginxBinary, dir, mirror.root, '/index.html');
    log(`migrate: ${mirror.articles} articles served by nginx at ${nginx.base}`);
    const dataDir = await freshStore(dir, 'clean');
    const report = path.join(dir, 'clean-report.json');
    const run = await migrate(dataDir, nginx.base, options, { report });
    const pagesPerSecond = round(run.articlesInStore / run.seconds, 1);
    for (const line of run.stdout.trim().split('\n').slice(0, 3)) log(`  ${line}`);
    if (run.lastArticleSeconds !== null) log(`  the last article was in after ${run.lastArticleSeconds} s`);
    log(
      `migrate: ${run.articlesInStore} articles in ${round(run.seconds, 1)} s: ${pagesPerSecond} pages/s ${mark(pagesPerSecond >= TARGET_PAGES_PER_SECOND)} (target ≥ ${TARGET_PAGES_PER_SECOND})`,
    );
    log(
      `migrate: peak RSS ${run.peakRssMiB} MiB ${mark(run.peakRssMiB < TARGET_PEAK_RSS_MIB)} (target < ${TARGET_PEAK_RSS_MIB} MiB)`,
    );
    const resume = options.resume ? await killAndResume(dir, nginx.base, options, storeContent(dataDir)) : null;
    return {
      bench: 'migrate',
      machine: { cpus: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30) },
      source: revision(),
      options,
      mirror: {
        articles: mirror.articles,
        trsColumns: mirror.trsColumns,
        hanwebColumns: mirror.hanwebColumns,
        files: mirror.files,
        MiB: mib(mirror.bytes),
        generateSeconds: mirror.generateSeconds,
        root: mirror.root,
      },
      run: {
        seconds: round(run.seconds, 1),
        exitCode: run.exitCode,
        articlesInStore: run.articlesInStore,
        lastArticleSeconds: run.lastArticleSeconds,
        pagesPerSecond,
        peakRssMiB: run.peakRssMiB,
        report: reportOf(report),
      },
      targets: {
        pagesPerSecond: {
          target: TARGET_PAGES_PER_SECOND,
          value: pagesPerSecond,
          met: pagesPerSecond >= TARGET_PAGES_PER_SECOND,
        },
        peakRssMiB: { target: TARGET_PEAK_RSS_MIB, value: run.peakRssMiB, met: run.peakRssMiB < TARGET_PEAK_RSS_MIB },
        resumeEqual: resume === null ? null : { met: resume.equal },
      },
      resume,
    };
  } finally {
    await stopChild(nginx?.child);
    removeTemp(dir);
  }
}
