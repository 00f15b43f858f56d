import { execFile, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import pg from 'pg';
import { articlePath } from '../src/domain/index.js';
import { timings } from './publish.js';
import { parseWrk, procStatusKiB, watchRss } from './serve.js';
import {
  GAZETTE_BIN,
  LARGE_SITE,
  bodyCharsFor,
  diskBytes,
  freePort,
  gazetteEnv,
  getIdentity,
  log,
  mib,
  optionReader,
  removeTemp,
  requireBinary,
  revisionTracker,
  round,
  runGazette,
  skipTonightsHealthCheck,
  startServer,
  stopChild,
  tempDir,
} from './support.js';

/**
 * `npm run bench scale [-- --articles N]` (issue 6): a site of N generated articles (default
 * 1,000,000, bodies of 500 characters) on PostgreSQL, served by two `gazette serve` instances on
 * one database and one shared GAZETTE_DATA folder, as one site behind a balancer would be.
 *
 * 1. publishToServed: `samples` articles published one by one through instance A's API (create,
 *    submit, approve by a second publisher, publish), each timed from sending the publish request
 *    until instance B answers the new article page 200 and B's column front page lists its title
 *    (both polled on B from the moment the publish is sent).
 * 2. load: wrk on A and B at once, the article page on one and the column page on the other, then
 *    swapped, while editors save drafts (PATCH) through A and B alternately at a fixed pace.
 * 3. memory: each instance's resident memory before and under the load, and its peak (VmHWM).
 *
 * The site: by default a fresh database `gazette_bench_scale` and a temp data folder, dropped and
 * removed at the end. `--database NAME --data DIR` reuse a site between runs (articles are
 * generated only up to N) and are kept; `--keep` keeps the fresh ones too.
 * Other options: --samples 20, --warmup 2 (untimed publishes first), --seconds 10,
 * --connections 25, --threads 1 (per wrk), --warmup-seconds 2, --idle-seconds 5, --editors 4,
 * --saves-per-second 4, --poll-ms 5, --body-chars C, --postgres URL (the server to use),
 * --step-minutes 120 (generation). Needs Debian's wrk and a PostgreSQL.
 */

interface ScaleOptions {
  readonly articles: number;
  readonly bodyChars: number | undefined;
  /** The server; the bench's database is made on it. */
  readonly postgres: string;
  readonly database: string;
  /** A GAZETTE_DATA folder to reuse; null makes a temp one. */
  readonly data: string | null;
  /** Named database or data folder: a site to reuse and keep. */
  readonly reuse: boolean;
  readonly keep: boolean;
  readonly samples: number;
  readonly warmup: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
  /** Editors save this long before the load: their latency on idle servers, to compare. */
  readonly idleSeconds: number;
  readonly connections: number;
  readonly threads: number;
  readonly editors: number;
  readonly savesPerSecond: number;
  readonly pollMs: number;
  readonly stepMinutes: number;
}

type Load = ReturnType<typeof parseWrk>;
type PageName = 'article' | 'column';

/** One `gazette serve` process: A or B. */
interface Instance {
  readonly name: 'A' | 'B';
  readonly child: ChildProcess;
  readonly pid: number;
  readonly base: string;
}

/** A signed-in back-office session: valid on either instance (sessions live in the store). */
interface Session {
  readonly user: string;
  readonly cookie: string;
  readonly csrf: string;
}

interface ArticleView {
  readonly id: number;
  readonly title: string;
  readonly version: number;
  readonly status: string;
  readonly url: string | null;
}

interface ChannelView {
  readonly id: number;
  readonly parentId: number | null;
  readonly name: string;
  readonly type: string;
  readonly path: string;
}

const PASSWORD = 'Bench-Scale-2025';
const AUTHOR = 'scale-author';
const SIGNER = 'scale-signer';
/**
 * The back office allows an account 120 writes a minute, and a sample takes two of each of its
 * publishers' (write and submit; approve and publish) in well under a second: the samples go
 * round enough pairs of publishers that none is refused (40 samples a pair).
 */
const SAMPLES_PER_PAIR = 40;
const publisherPair = (k: number): { author: string; signer: string } =>
  k === 0 ? { author: AUTHOR, signer: SIGNER } : { author: `${AUTHOR}-${k + 1}`, signer: `${SIGNER}-${k + 1}` };
const pairsFor = (options: Pick<ScaleOptions, 'samples' | 'warmup'>) =>
  Math.ceil((options.samples + options.warmup) / SAMPLES_PER_PAIR);
const editorName = (i: number) => `scale-editor-${i + 1}`;
/** The time zone of the site `gazette demo` makes: the day in an article's address is local. */
const ZONE = 'Asia/Shanghai';
/** How long B may take to show a publish before the bench calls it a failure. */
const SERVED_TIMEOUT_MS = 30_000;
const execFileAsync = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function readOptions(args: readonly string[]): ScaleOptions {
  const option = optionReader(args);
  const database = option.raw('database');
  const data = option.raw('data');
  const articles = option.number('articles', LARGE_SITE);
  return {
    articles,
    bodyChars: bodyCharsFor(
      articles,
      option.raw('body-chars') === undefined ? undefined : option.number('body-chars', 0),
    ),
    postgres: option.raw('postgres') ?? process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    database: database ?? 'gazette_bench_scale',
    data: data === undefined ? null : path.resolve(data),
    reuse: database !== undefined || data !== undefined,
    keep: args.includes('--keep'),
    samples: Math.max(1, option.number('samples', 20)),
    warmup: option.number('warmup', 2),
    seconds: option.number('seconds', 10),
    warmupSeconds: option.number('warmup-seconds', 2),
    idleSeconds: option.number('idle-seconds', 5),
    connections: option.number('connections', 25),
    threads: option.number('threads', 1),
    editors: Math.max(1, option.number('editors', 4)),
    savesPerSecond: option.number('saves-per-second', 4),
    pollMs: option.number('poll-ms', 5),
    stepMinutes: option.number('step-minutes', 120),
  };
}

// ---------------------------------------------------------------------------------------------
// The database and the site

/** The server's URL with another database in it. */
function databaseUrl(server: string, database: string): string {
  const url = new URL(server);
  url.pathname = `/${database}`;
  return url.toString();
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** A server URL fit to print. */
function withoutPassword(server: string): string {
  const url = new URL(server);
  if (url.password) url.password = '***';
  return url.toString();
}

/** Makes the bench's database: anew (dropping a leftover one), or, to reuse a site, when missing. */
async function prepareDatabase(options: ScaleOptions): Promise<{ created: boolean }> {
  if (!/^[a-z_][a-z0-9_]*$/.test(options.database))
    throw new Error(`--database must be a plain lower-case name, not "${options.database}"`);
  const exists =
    (await query(options.postgres, 'select 1 from pg_database where datname = $1', [options.database])).length > 0;
  if (exists && options.reuse) return { created: false };
  if (exists) {
    log(`scale: dropping the leftover database ${options.database}`);
    await query(options.postgres, `drop database ${options.database} with (force)`);
  }
  await query(options.postgres, `create database ${options.database}`);
  return { created: true };
}

async function publishedArticles(url: string): Promise<number> {
  const rows = await query<{ n: string }>(url, "select count(*) as n from article where status = 'published'").catch(
    () => [{ n: '0' }],
  );
  return Number(rows[0]?.n ?? 0);
}

/** The environment of a gazette process on the bench's site (gazetteEnv drops DATABASE_URL: set it after). */
function siteEnv(dataDir: string, dbUrl: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...gazetteEnv(dataDir, extra), DATABASE_URL: dbUrl };
}

/** Fills the site up to `articles` published articles with `gazette demo` (nothing when it has them). */
async function generate(dataDir: string, dbUrl: string, options: ScaleOptions) {
  const before = await publishedArticles(dbUrl);
  const missing = options.articles - before;
  let generation: { seconds: number; demoSeconds: number; articlesPerSecond: number } | null = null;
  if (missing > 0) {
    log(
      `scale: gazette demo --articles ${missing}${options.bodyChars ? ` --body-chars ${options.bodyChars}` : ''} (the site has ${before})`,
    );
    const args = [
      'demo',
      '--articles',
      String(missing),
      ...(options.bodyChars ? ['--body-chars', String(options.bodyChars)] : []),
    ];
    const run = await runGazette(args, siteEnv(dataDir, dbUrl), options.stepMinutes * 60_000);
    log(`  ${run.stdout.trim().split('\n')[0] ?? ''}`);
    const own = /in ([\d.]+) s \((\d+) articles\/s\)/.exec(run.stdout);
    generation = {
      seconds: round(run.seconds, 1),
      demoSeconds: Number(own?.[1] ?? NaN),
      articlesPerSecond: Number(own?.[2] ?? NaN),
    };
  } else {
    log(`scale: the site already has ${before} published articles: nothing to generate`);
  }
  // As autovacuum would leave it. Some machines run PostgreSQL without autovacuum (this one's CI
  // configuration does): a million inserts then leave the per-column counter rows, six of them, in
  // 43 MB of dead versions, and each run's publishes add to the manifest's, so that runs would
  // measure a database no production server keeps.
  const vacuumStarted = performance.now();
  await query(dbUrl, 'vacuum analyze');
  log(`scale: vacuum analyze in ${round((performance.now() - vacuumStarted) / 1000, 1)} s`);
  const [size] = await query<{ bytes: string }>(dbUrl, 'select pg_database_size(current_database()) as bytes');
  return {
    articles: missing > 0 ? await publishedArticles(dbUrl) : before,
    generated: Math.max(0, missing),
    /** Wall-clock seconds of `gazette demo` (process start included), its own figure and rate; null when reused. */
    generation,
    bodyChars: options.bodyChars ?? 'generator default',
    databaseMiB: mib(Number(size?.bytes ?? 0)),
  };
}

/** Pairs of publishers (one writes, the other signs off: nobody approves their own article) and the editors. */
function ensureAccounts(dataDir: string, dbUrl: string, editors: number, pairs: number): void {
  const env = siteEnv(dataDir, dbUrl);
  const gazette = (args: string[], input?: string) =>
    execFileSync(process.execPath, [GAZETTE_BIN, ...args], {
      env,
      input,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'inherit'],
    });
  const existing = new Set(
    gazette(['user', 'list'])
      .split('\n')
      .map((line) => line.split('\t')[0]),
  );
  const wanted: [string, string][] = [
    ...Array.from({ length: pairs }, (_, k): [string, string][] => [
      [publisherPair(k).author, 'publisher'],
      [publisherPair(k).signer, 'publisher'],
    ]).flat(),
    ...Array.from({ length: editors }, (_, i): [string, string] => [editorName(i), 'editor']),
  ];
  for (const [name, role] of wanted) {
    if (!existing.has(name)) gazette(['user', 'add', name, '--role', role, '--keep-password'], `${PASSWORD}\n`);
  }
}

async function startInstance(name: Instance['name'], dataDir: string, dbUrl: string): Promise<Instance> {
  await skipTonightsHealthCheck({ databaseUrl: dbUrl, sqliteFile: '' });
  const port = await freePort();
  const child = await startServer(
    process.execPath,
    [GAZETTE_BIN, 'serve'],
    siteEnv(dataDir, dbUrl, { PORT: String(port), HOST: '127.0.0.1' }),
    /Gazette is serving/,
    120_000,
  );
  // bin/gazette.js imports its bundle in process and serves from there: the pid we started is the server.
  if (!child.pid) throw new Error(`instance ${name} has no pid`);
  log(`scale: instance ${name} serving at http://127.0.0.1:${port} (pid ${child.pid})`);
  return { name, child, pid: child.pid, base: `http://127.0.0.1:${port}` };
}

// ---------------------------------------------------------------------------------------------
// The back-office API

interface Answer<T> {
  readonly status: number;
  readonly body: T;
}

async function call<T>(
  instance: Instance,
  session: Session | null,
  method: string,
  urlPath: string,
  body?: object,
): Promise<Answer<T>> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (session) {
    headers.cookie = session.cookie;
    headers['x-csrf-token'] = session.csrf;
  }
  const response = await fetch(`${instance.base}${urlPath}`, {
    method,
    headers,
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text === '' ? null : JSON.parse(text)) as T };
}

/** A call that must succeed: anything but 2xx stops the bench with the API's own error. */
async function must<T>(
  instance: Instance,
  session: Session | null,
  method: string,
  urlPath: string,
  body?: object,
): Promise<T> {
  const answer = await call<T>(instance, session, method, urlPath, body);
  if (answer.status >= 300)
    throw new Error(
      `${method} ${urlPath} on ${instance.name} (${session?.user ?? 'anonymous'}) answered ${answer.status}: ${JSON.stringify(answer.body)}`,
    );
  return answer.body;
}

/** Signs in; sign-ins are limited to 10 a minute per address, so a quick rerun waits its turn. */
async function signIn(instance: Instance, user: string): Promise<Session> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(`${instance.base}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: user, password: PASSWORD }),
    });
    const text = await response.text();
    if (response.status === 429 && attempt < 8) {
      log(`  sign-in of ${user} rate limited: waiting 10 s`);
      await sleep(10_000);
      continue;
    }
    if (response.status !== 200) throw new Error(`sign-in of ${user} answered ${response.status}: ${text}`);
    const cookie = response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    return { user, cookie, csrf: (JSON.parse(text) as { csrfToken: string }).csrfToken };
  }
}

/** The site's first top-level list column (本区动态): every publish goes there. */
async function benchChannel(instance: Instance, session: Session): Promise<ChannelView> {
  const { items } = await must<{ items: ChannelView[] }>(instance, session, 'GET', '/api/v1/channels');
  const channel = items.find((c) => c.type === 'list' && c.parentId === null);
  if (!channel) throw new Error('the site has no top-level list column');
  return channel;
}

const bodyHtml = (text: string) => `<p class="indent">${text}</p>`;
/** ~500 characters of plain Chinese text, nothing that HTML escaping would change. */
const FILLER = '本区坚持以人民为中心的发展思想，持续优化营商环境，推进政务服务标准化、规范化、便利化，'.repeat(12);

// ---------------------------------------------------------------------------------------------
// 1. Publish on A, served by B

interface PublishSample {
  readonly publishRequestMs: number;
  readonly articleServedMs: number;
  readonly columnListsItMs: number;
  readonly servedMs: number;
  readonly url: string;
}

/** Polls until `check` holds; the time it first held, from `started`. */
async function pollUntil(
  what: string,
  started: number,
  everyMs: number,
  check: () => Promise<boolean>,
): Promise<number> {
  for (;;) {
    if (await check()) return performance.now() - started;
    if (performance.now() - started > SERVED_TIMEOUT_MS)
      throw new Error(`${what} within ${SERVED_TIMEOUT_MS / 1000} s of the publish request`);
    await sleep(everyMs);
  }
}

async function answersWith(url: string, text: string): Promise<boolean> {
  const page = await getIdentity(url);
  return page.status === 200 && page.body.includes(text);
}

/**
 * One article written, submitted and approved through A (not timed), then published through A:
 * the clock runs from sending the publish request until B serves the article page (200, with its
 * title) and B's column front page lists the title, both polled every `pollMs` from that moment.
 */
async function publishOne(
  a: Instance,
  b: Instance,
  people: { author: Session; signer: Session },
  channel: ChannelView,
  title: string,
  pollMs: number,
): Promise<PublishSample> {
  const draft = await must<ArticleView>(a, people.author, 'POST', '/api/v1/articles', {
    channelId: channel.id,
    title,
    bodyHtml: bodyHtml(FILLER),
    source: '区融媒体中心',
  });
  await must<ArticleView>(a, people.author, 'POST', `/api/v1/articles/${draft.id}/submit`, {});
  const approved = await must<ArticleView>(a, people.signer, 'POST', `/api/v1/articles/${draft.id}/approve`, {});
  if (approved.status !== 'approved')
    throw new Error(
      `article ${draft.id} is ${approved.status} after one approval: the column asks for more review levels`,
    );

  // B is asked for the article's page from the moment the publish is sent, not from when A
  // answers: A answers its editor once the whole run is written (app.ts), while B serves the page
  // as soon as it is committed. Its address is known ahead: column, today's date, id. Should the
  // day turn while A works, the address A answers with is polled from then on.
  let url = articlePath(channel.path, { id: draft.id, publishedAt: new Date().toISOString(), createdAt: '' }, ZONE);
  const started = performance.now();
  const column = pollUntil(`B's ${channel.path} did not list "${title}"`, started, pollMs, () =>
    answersWith(`${b.base}${channel.path}`, title),
  );
  const article = pollUntil(`B did not serve article ${draft.id}`, started, pollMs, () =>
    answersWith(`${b.base}${url}`, title),
  );
  const published = await must<ArticleView>(a, people.signer, 'POST', `/api/v1/articles/${draft.id}/publish`, {});
  const publishRequestMs = performance.now() - started;
  if (!published.url) throw new Error(`article ${draft.id} has no public address after publishing`);
  url = published.url;
  const [articleServedMs, columnListsItMs] = await Promise.all([article, column]);
  return {
    publishRequestMs,
    articleServedMs,
    columnListsItMs,
    servedMs: Math.max(articleServedMs, columnListsItMs),
    url,
  };
}

async function measurePublishes(
  a: Instance,
  b: Instance,
  people: readonly { author: Session; signer: Session }[],
  channel: ChannelView,
  options: ScaleOptions,
) {
  const run = Date.now().toString(36);
  const samples: PublishSample[] = [];
  log(`scale: publishing ${options.warmup} + ${options.samples} articles through A into ${channel.path}, watching B`);
  for (let i = 0; i < options.warmup + options.samples; i++) {
    const pair = people[i % people.length];
    if (!pair) throw new Error('bench scale: no publishers signed in');
    const sample = await publishOne(a, b, pair, channel, `规模基准稿件${run}第${i + 1}号`, options.pollMs);
    if (i >= options.warmup) samples.push(sample);
  }
  const last = samples[samples.length - 1];
  if (!last) throw new Error('no publish measured');
  const summary = {
    samples: samples.length,
    publishToServedMs: timings(samples.map((s) => s.servedMs)),
    articlePageOnBMs: timings(samples.map((s) => s.articleServedMs)),
    columnListsItOnBMs: timings(samples.map((s) => s.columnListsItMs)),
    publishRequestMs: timings(samples.map((s) => s.publishRequestMs)),
    pollMs: options.pollMs,
  };
  log(
    `  publish to served on B: p50 ${summary.publishToServedMs.p50} ms, p99 ${summary.publishToServedMs.p99} ms; publish request p50 ${summary.publishRequestMs.p50} ms`,
  );
  return { summary, articlePath: last.url };
}

// ---------------------------------------------------------------------------------------------
// 2. Load on both instances while editors save

/** The two pages under load, checked to be in the output store and served from it by both instances. */
async function checkTargets(dbUrl: string, instances: readonly Instance[], pages: Record<PageName, string>) {
  const bytes: Partial<Record<PageName, number>> = {};
  for (const [name, urlPath] of Object.entries(pages) as [PageName, string][]) {
    const stored = await query(dbUrl, 'select 1 from page_manifest where path = $1', [urlPath]);
    if (stored.length === 0) throw new Error(`${urlPath} is not in the output store's manifest`);
    for (const instance of instances) {
      const page = await getIdentity(`${instance.base}${urlPath}`);
      if (page.status !== 200 || !page.headers.etag)
        throw new Error(`${urlPath} on ${instance.name}: status ${page.status}, ETag ${page.headers.etag ?? 'none'}`);
      bytes[name] = page.body.length;
    }
  }
  return bytes;
}

/** The saves of one window of time: each answer's status and latency, by instance. */
class SaveWindow {
  readonly started = performance.now();
  readonly byStatus: Record<string, number> = {};
  readonly ms: Record<string, number[]> = {};
  readonly errors: string[] = [];

  record(instance: Instance, status: number | 'failed', ms: number, error?: string): void {
    this.byStatus[status] = (this.byStatus[status] ?? 0) + 1;
    (this.ms[instance.name] ??= []).push(ms);
    if (error !== undefined && this.errors.length < 5) this.errors.push(error);
  }

  summary(targetPerSecond: number) {
    const all = Object.values(this.ms).flat();
    const ok = this.byStatus['200'] ?? 0;
    return {
      seconds: round((performance.now() - this.started) / 1000, 1),
      targetPerSecond,
      done: all.length,
      perSecond: round(all.length / ((performance.now() - this.started) / 1000)),
      byStatus: { ...this.byStatus },
      rateLimited429: this.byStatus['429'] ?? 0,
      non2xx: all.length - ok,
      latencyMs: timings(all),
      byInstance: Object.fromEntries(
        Object.entries(this.ms).map(([name, ms]) => [name, { done: ms.length, latencyMs: timings(ms) }]),
      ),
      ...(this.errors.length > 0 && { firstErrors: this.errors }),
    };
  }
}

/**
 * Editors saving their own drafts through A and B alternately, together `perSecond` saves a
 * second, each editor at an even pace (well under the 120 writes a minute each session may make).
 * Each editor waits for a save's answer before the next (it needs the new version); a late save
 * is not made up for, so the pace is a ceiling and the saves done say what was reached.
 * `window()` ends the current window of figures and starts the next; a save counts in the
 * window its answer arrives in.
 */
async function startEditors(instances: readonly Instance[], channel: ChannelView, options: ScaleOptions) {
  const editors = [];
  for (let i = 0; i < options.editors; i++) {
    const session = await signIn(instances[0] as Instance, editorName(i));
    const draft = await must<ArticleView>(instances[0] as Instance, session, 'POST', '/api/v1/articles', {
      channelId: channel.id,
      title: `规模基准草稿${i + 1}`,
      bodyHtml: bodyHtml(FILLER),
    });
    editors.push({ session, id: draft.id, version: draft.version });
  }
  let current = new SaveWindow();
  const intervalMs = (1000 * options.editors) / Math.max(options.savesPerSecond, 0.001);
  let stopped = false;
  const loops = editors.map(async (editor, i) => {
    let next = current.started + (i * intervalMs) / options.editors;
    for (let n = 0; !stopped; n++) {
      await sleep(Math.max(0, next - performance.now()));
      if (stopped) break;
      const instance = instances[(n + i) % instances.length] as Instance;
      const t0 = performance.now();
      try {
        const answer = await call<ArticleView & { current?: ArticleView }>(
          instance,
          editor.session,
          'PATCH',
          `/api/v1/articles/${editor.id}`,
          {
            version: editor.version,
            bodyHtml: bodyHtml(`第${n + 1}次保存。${FILLER}`),
          },
        );
        const ms = performance.now() - t0;
        if (answer.status === 200) editor.version = answer.body.version;
        else if (answer.status === 409 && answer.body.current) editor.version = answer.body.current.version;
        current.record(
          instance,
          answer.status,
          ms,
          answer.status === 200 ? undefined : `${answer.status} ${JSON.stringify(answer.body)}`,
        );
      } catch (error) {
        current.record(instance, 'failed', performance.now() - t0, String(error));
      }
      next = Math.max(next + intervalMs, performance.now());
    }
  });
  return {
    window() {
      const ended = current;
      current = new SaveWindow();
      return { editors: options.editors, ...ended.summary(options.savesPerSecond) };
    },
    async stop() {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

async function wrk(binary: string, url: string, options: ScaleOptions, seconds: number): Promise<Load> {
  if (!url.startsWith('http://127.0.0.1:')) throw new Error(`load tests stay on 127.0.0.1, not ${url}`);
  const args = [`-t${options.threads}`, `-c${options.connections}`, `-d${seconds}s`, '--latency', url];
  const { stdout } = await execFileAsync(binary, args, { timeout: (seconds + 30) * 1000 });
  return parseWrk(stdout);
}

/** One phase: each instance loaded with one page, both at once. */
async function phase(
  binary: string,
  [a, b]: readonly Instance[],
  pages: Record<PageName, string>,
  onA: PageName,
  options: ScaleOptions,
  seconds: number,
) {
  const onB: PageName = onA === 'article' ? 'column' : 'article';
  const [loadA, loadB] = await Promise.all([
    wrk(binary, `${a?.base}${pages[onA]}`, options, seconds),
    wrk(binary, `${b?.base}${pages[onB]}`, options, seconds),
  ]);
  return { A: { page: onA, ...loadA }, B: { page: onB, ...loadB } };
}

const kib = (pid: number, field: 'VmRSS' | 'VmHWM') => round(procStatusKiB(pid, field) / 1024, 1);

async function measureLoad(
  instances: readonly Instance[],
  pages: Record<PageName, string>,
  channel: ChannelView,
  options: ScaleOptions,
) {
  const binary = requireBinary('wrk', 'wrk');
  const before = Object.fromEntries(instances.map((i) => [i.name, kib(i.pid, 'VmRSS')]));
  const editors = await startEditors(instances, channel, options);
  log(`scale: editors saving ${options.savesPerSecond}/s for ${options.idleSeconds} s without load`);
  await sleep(options.idleSeconds * 1000);
  const savesWithoutLoad = editors.window();
  log(
    `  saves: ${savesWithoutLoad.done}, p50 ${savesWithoutLoad.latencyMs.p50} ms, p99 ${savesWithoutLoad.latencyMs.p99} ms`,
  );
  if (options.warmupSeconds > 0) {
    log(`scale: warming up (${options.warmupSeconds} s a phase)`);
    for (const onA of ['article', 'column'] as const)
      await phase(binary, instances, pages, onA, options, options.warmupSeconds);
    editors.window();
  }
  const watches = instances.map((i) => watchRss(i.pid));
  const phases: Awaited<ReturnType<typeof phase>>[] = [];
  const byInstance: Record<string, Partial<Record<PageName, Load>>> = { A: {}, B: {} };
  for (const onA of ['article', 'column'] as const) {
    log(
      `scale: load, ${onA} page on A and the other on B: ${options.connections} connections each, ${options.seconds} s, editors saving`,
    );
    const result = await phase(binary, instances, pages, onA, options, options.seconds);
    log(
      `  A ${result.A.page}: ${result.A.rps}/s p99 ${result.A.p99ms} ms; B ${result.B.page}: ${result.B.rps}/s p99 ${result.B.p99ms} ms`,
    );
    phases.push(result);
    for (const name of ['A', 'B'] as const) {
      const { page, ...load } = result[name];
      (byInstance[name] ??= {})[page] = load;
    }
  }
  // The saves in flight when the load ends count with it.
  await editors.stop();
  const saves = editors.window();
  const peaks = watches.map((w) => w.stop());
  log(
    `  saves: ${saves.done} (${saves.perSecond}/s), p50 ${saves.latencyMs.p50} ms, p99 ${saves.latencyMs.p99} ms, non-2xx ${saves.non2xx}`,
  );
  const memory = Object.fromEntries(
    instances.map((instance, i) => [
      instance.name,
      {
        pid: instance.pid,
        rssBeforeLoadMiB: before[instance.name],
        peakRssUnderLoadMiB: round((peaks[i] ?? 0) / 1024, 1),
        vmHwmMiB: kib(instance.pid, 'VmHWM'),
      },
    ]),
  );
  return {
    load: {
      seconds: options.seconds,
      connectionsPerWrk: options.connections,
      threadsPerWrk: options.threads,
      byInstance,
      phases,
      saves,
      savesWithoutLoad,
    },
    memory,
  };
}

// ---------------------------------------------------------------------------------------------

export async function benchScale(args: readonly string[]): Promise<object> {
  const options = readOptions(args);
  const revision = revisionTracker();
  // The machine may be shared: what else ran shows in its load average.
  const loadAtStart = os.loadavg().map((n) => round(n));
  requireBinary('wrk', 'wrk');
  const keepData = options.keep || options.data !== null;
  const dataDir =
    options.data ?? (options.keep ? fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-bench-scale-')) : tempDir('scale'));
  fs.mkdirSync(dataDir, { recursive: true });
  const dbUrl = databaseUrl(options.postgres, options.database);
  let dropDatabase = false;
  const instances: Instance[] = [];
  try {
    const { created } = await prepareDatabase(options);
    dropDatabase = created && !options.keep && !options.reuse;
    log(`scale: site in ${options.database} (${created ? 'new' : 'reused'}), data folder ${dataDir}`);
    const setup = await generate(dataDir, dbUrl, options);
    ensureAccounts(dataDir, dbUrl, options.editors, pairsFor(options));
    for (const name of ['A', 'B'] as const) instances.push(await startInstance(name, dataDir, dbUrl));
    const [a, b] = instances as [Instance, Instance];
    const people: { author: Session; signer: Session }[] = [];
    for (let k = 0; k < pairsFor(options); k++) {
      const names = publisherPair(k);
      people.push({ author: await signIn(a, names.author), signer: await signIn(a, names.signer) });
    }
    const channel = await benchChannel(a, people[0]!.author);

    const published = await measurePublishes(a, b, people, channel, options);
    const pages: Record<PageName, string> = { article: published.articlePath, column: channel.path };
    const bytes = await checkTargets(dbUrl, instances, pages);
    const { load, memory } = await measureLoad(instances, pages, channel, options);
    const [size] = await query<{ bytes: string }>(dbUrl, 'select pg_database_size(current_database()) as bytes');
    return {
      bench: 'scale',
      machine: {
        cpus: os.cpus().length,
        memoryGiB: Math.round(os.totalmem() / 2 ** 30),
        loadAverage: { atStart: loadAtStart, atEnd: os.loadavg().map((n) => round(n)) },
      },
      source: revision(),
      options: { ...options, postgres: withoutPassword(options.postgres) },
      setup: {
        ...setup,
        databaseMiBAfter: mib(Number(size?.bytes ?? 0)),
        dataDirMiB: mib(diskBytes(dataDir)),
        instances: 2,
      },
      pages: { article: pages.article, column: pages.column, bytes },
      publishToServed: published.summary,
      load,
      memory,
      notes: [
        `${os.cpus().length} cores: both gazette instances, PostgreSQL, the two wrk processes and the editors' client share them, so requests/s are a floor for this machine, not what two instances on their own hosts would do.`,
        "publishToServedMs runs from sending the publish request to A until B answers the article page 200 with its title and B's column front page lists it (both polled on B from that moment, no Accept-Encoding). publishRequestMs is A's answer to its editor, which waits for the whole run (lists, feeds, site maps).",
        'load: wrk on A and on B at the same time, the article page on one and the column page on the other, then swapped; the editors save their own drafts through A and B alternately throughout both phases.',
        'memory: peakRssUnderLoadMiB is VmRSS polled every 100 ms during the load; vmHwmMiB is the process peak over its whole life (startup and publishes included).',
        'machine.loadAverage: other work on the machine during the run shows here; figures taken with a load average well above the core count are not comparable with a quiet run.',
      ],
      kept:
        keepData || !dropDatabase
          ? {
              database: options.database,
              data: dataDir,
              rerun: `npm run bench scale -- --articles ${options.articles} --database ${options.database} --data ${dataDir}`,
            }
          : null,
    };
  } finally {
    for (const instance of instances.reverse()) await stopChild(instance.child);
    if (dropDatabase)
      await query(options.postgres, `drop database if exists ${options.database} with (force)`).catch(
        (error: unknown) => log(`could not drop ${options.database}: ${String(error)}`),
      );
    if (!keepData) removeTemp(dataDir);
  }
}
