import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { escapeHtml, isGazetteError } from '../src/domain/index.js';
import { startDistributor, type Distributor } from '../src/front/distribute.js';
import { nginxConfigOf } from '../src/cli/front-nginx.js';
import { addFront, stepArticle } from '../src/services/index.js';
import { platformConsole } from '../src/services/platform/index.js';
import { makeCorpusGenerator } from '../src/services/content/corpus.js';
import { manifest, openStore, type Store } from '../src/store/index.js';
import { systemClock } from '../src/clock.js';
import { loadTheme } from '../src/theme/index.js';
import { buildApp } from '../src/web/index.js';
import SQLite from 'better-sqlite3';
import { frontLayout } from '../src/front/layout.js';
import { approvedArticle, benchActors, benchChannel, timings as publishTimings } from './publish.js';
import { median, procStatusKiB, startNginx, wrk } from './serve.js';
import {
  BENCH_DIR,
  GAZETTE_BIN,
  benchKeys,
  freePort,
  gazetteEnv,
  getIdentity,
  log,
  makeSyntheticSite,
  optionReader,
  removeTemp,
  requireBinary,
  round,
  runGazette,
  startServer,
  stopChild,
  tempDir,
  track,
  waitForOk,
} from './support.js';

const execFileAsync = promisify(execFile);

/**
 * `npm run bench front [-- options]` (issue 20): a CMS and two front servers on this machine,
 * each front the agent (`gazette front`, a child process) and Debian's nginx with the
 * configuration `gazette front nginx-config` prints.
 *
 * 1. publishToFronts: `--samples` articles published one by one on the CMS (written, submitted
 *    and approved untimed; the clock starts at the publish call) until both fronts' nginx answer
 *    the new page with its title. Target p99 < 300 ms.
 * 2. nginx: wrk on an article page from front A's nginx and, in the same run, from a plain nginx
 *    (bench/nginx/nginx.conf, the same worker count) serving the same file, `--rounds` times in
 *    turn; the medians' ratio. Target ≥ 0.95.
 * 3. restore: a served page on front A overwritten `--restores` times; the time until the file
 *    holds its verified bytes again. Target p99 < 1 s.
 * 4. sweep: a front of `--sweep-files` files (default 1,000,000) made on disk, then one full hash
 *    sweep by the guard in a process of its own (bench/front-sweep.ts): its time and peak RSS.
 *    Target RSS < 200 MiB.
 * Other options: --articles 2000 (the site), --seconds 10, --connections 25, --threads 2,
 * --sweep-bytes 2048 (each file of the sweep's front), --keep. Needs Debian's nginx and wrk.
 */

interface FrontOptions {
  readonly articles: number;
  readonly samples: number;
  readonly warmup: number;
  readonly rounds: number;
  readonly seconds: number;
  readonly connections: number;
  readonly threads: number;
  readonly restores: number;
  readonly sweepFiles: number;
  readonly sweepBytes: number;
  readonly keep: boolean;
}

function readOptions(args: readonly string[]): FrontOptions {
  const option = optionReader(args);
  return {
    articles: option.number('articles', 2000),
    samples: option.number('samples', 100),
    warmup: option.number('warmup', 3),
    rounds: option.number('rounds', 3),
    seconds: option.number('seconds', 10),
    connections: option.number('connections', 25),
    threads: option.number('threads', 2),
    restores: option.number('restores', 100),
    sweepFiles: option.number('sweep-files', 1_000_000),
    sweepBytes: option.number('sweep-bytes', 2048),
    keep: args.includes('--keep'),
  };
}

const timings = (values: readonly number[]) => ({ samples: values.length, ...publishTimings(values) });

interface Front {
  readonly name: string;
  readonly root: string;
  readonly agent: ChildProcess;
  readonly agentUrl: string;
  nginx: ChildProcess | null;
  base: string;
}

/** The Host every request to a front names: its nginx finds the site by it. */
let siteHost = '';

/** `gazette front` on `root`, as a child process on a free port of 127.0.0.1. */
async function startAgentProcess(dir: string, root: string, tokenFile: string, timeoutMs?: number) {
  const port = await freePort();
  const agent = await startServer(
    process.execPath,
    [GAZETTE_BIN, 'front', '--root', root, '--listen', `127.0.0.1:${port}`, '--token-file', tokenFile],
    gazetteEnv(path.join(dir, 'unused')),
    /is listening at/,
    timeoutMs,
  );
  return { agent, agentUrl: `http://127.0.0.1:${port}` };
}

/** A front's agent, as a child process on a free port, with its own token file. */
async function startFront(dir: string, name: string, tokenFile: string): Promise<Front> {
  const root = path.join(dir, `front-${name}`);
  fs.mkdirSync(root, { recursive: true });
  return { name, root, ...(await startAgentProcess(dir, root, tokenFile)), nginx: null, base: '' };
}

/** nginx of a front, with the configuration `gazette front nginx-config` prints. */
async function startFrontNginx(binary: string, front: Front, probe: string): Promise<void> {
  const prefix = path.join(front.root, 'nginx');
  fs.mkdirSync(prefix, { recursive: true });
  const port = await freePort();
  const { config } = nginxConfigOf(['--root', front.root, '--listen', `127.0.0.1:${port}`]);
  const conf = path.join(prefix, 'nginx.conf');
  fs.writeFileSync(conf, config);
  front.nginx = track(
    spawn(binary, ['-p', prefix, '-c', conf, '-e', path.join(prefix, 'error.log')], { stdio: 'ignore' }),
  );
  front.base = `http://127.0.0.1:${port}`;
  await waitForOk(`${front.base}${probe}`, 10_000, { host: siteHost });
}

async function answersWith(url: string, title: string): Promise<boolean> {
  try {
    const page = await getIdentity(url, { host: siteHost });
    return page.status === 200 && page.body.includes(Buffer.from(title));
  } catch {
    return false;
  }
}

/** Polls every millisecond or so until every URL answers with the title; ms since `started`. */
async function untilServed(urls: readonly string[], title: string, started: number, limitMs = 30_000) {
  const pending = new Set(urls);
  while (pending.size > 0) {
    for (const url of [...pending]) if (await answersWith(url, title)) pending.delete(url);
    if (performance.now() - started > limitMs) throw new Error(`${[...pending].join(', ')} never served "${title}"`);
  }
  return performance.now() - started;
}

async function publishToFronts(app: FastifyInstance, fronts: readonly Front[], options: FrontOptions) {
  const ctx = app.gazette.context;
  const actors = await benchActors(ctx);
  const channelId = await benchChannel(ctx);
  const corpus = makeCorpusGenerator(options.articles);
  const samples: number[] = [];
  const written: number[] = [];
  let refused = 0;
  for (let i = 0; i < options.warmup + options.samples; i++) {
    const text = corpus(400, Date.now());
    const title = `${text.title}（前端${i}）`;
    const articleId = await approvedArticle(ctx, actors, channelId, { title, body: text.body }).catch(
      (error: unknown) => {
        // Generated text may hold a serious wording error (its check refuses it): take other text.
        if (isGazetteError(error) && error.code === 'WORDING_SERIOUS' && ++refused < 100) return null;
        throw error;
      },
    );
    if (articleId === null) {
      i--;
      continue;
    }
    const started = performance.now();
    const published = await stepArticle(ctx, actors.chief, articleId, 'publish');
    if (!published.url) throw new Error(`article ${articleId} has no address`);
    await app.gazette.publisher.idle();
    const writtenMs = performance.now() - started;
    const ms = await untilServed(
      fronts.map((front) => front.base + published.url),
      escapeHtml(title),
      started,
    );
    if (i >= options.warmup) {
      samples.push(ms);
      written.push(writtenMs);
    }
    if ((i + 1) % 20 === 0) log(`  published ${i + 1}: last reached both fronts in ${round(ms)} ms`);
  }
  return { ...timings(samples), publishToWrittenOnCms: timings(written) };
}

const wrkRun = (binary: string, url: string, options: FrontOptions, seconds: number) =>
  wrk(binary, url, options, seconds, siteHost);

/** Front A's nginx against a plain nginx serving the same file, in turn, `rounds` times. */
async function nginxRatio(
  wrk: string,
  nginx: string,
  dir: string,
  front: Front,
  urlPath: string,
  options: FrontOptions,
) {
  const served = path.join(front.root, 'www', '1', urlPath.replace(/^\//, ''));
  const bytes = fs.readFileSync(served);
  const workers =
    /worker_processes (\S+);/.exec(nginxConfigOf(['--root', front.root, '--listen', '1']).config)?.[1] ?? '1';
  const plain = await startNginx(nginx, dir, urlPath, bytes, workers);
  try {
    const rounds: { front: number; plain: number; ratio: number }[] = [];
    for (let r = 0; r < options.rounds; r++) {
      if (r === 0) {
        await wrkRun(wrk, front.base + urlPath, options, 2);
        await wrkRun(wrk, plain.base + urlPath, options, 2);
      }
      const frontLoad = await wrkRun(wrk, front.base + urlPath, options, options.seconds);
      const plainLoad = await wrkRun(wrk, plain.base + urlPath, options, options.seconds);
      if (frontLoad.errors > 0 || plainLoad.errors > 0)
        throw new Error(`wrk saw errors: ${frontLoad.errors}, ${plainLoad.errors}`);
      rounds.push({ front: frontLoad.rps, plain: plainLoad.rps, ratio: round(frontLoad.rps / plainLoad.rps, 3) });
      log(
        `  round ${r + 1}: front ${frontLoad.rps} requests/s, plain nginx ${plainLoad.rps} (${rounds.at(-1)?.ratio}×)`,
      );
    }
    return {
      page: urlPath,
      workers,
      frontRps: round(median(rounds.map((r) => r.front)), 0),
      plainRps: round(median(rounds.map((r) => r.plain)), 0),
      ratio: round(median(rounds.map((r) => r.ratio)), 3),
      rounds,
    };
  } finally {
    await stopChild(plain.child);
  }
}

function readOrNull(file: string): Buffer | null {
  try {
    return fs.readFileSync(file);
  } catch {
    return null;
  }
}

/** Overwrites served pages of a front and times each restore (the file holds its verified bytes again). */
async function restoreTimes(files: readonly string[], count: number) {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const file = files[i % files.length] ?? '';
    const expected = fs.readFileSync(file);
    fs.writeFileSync(file, `<html><body>篡改 ${i}</body></html>`);
    const started = performance.now();
    for (;;) {
      if (readOrNull(file)?.equals(expected)) break;
      if (performance.now() - started > 10_000) throw new Error(`${file} was not restored within 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    samples.push(performance.now() - started);
    // Each restore on its own: the guard's debounce is not shared between samples.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return timings(samples);
}

/** The served HTML pages of site 1 on a front (article pages first). */
function servedPages(front: Front, limit: number): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (found.length >= limit) return;
      const at = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(at);
      else if (/^t\d+_\d+\.html$/.test(entry.name)) found.push(at);
    }
  };
  walk(path.join(front.root, 'www', '1'));
  return found;
}

/**
 * One full sweep of a front of `files` files by the agent itself (`gazette front`, as it runs on
 * a front server): the front is laid out by bench/front-sweep.ts, then an agent started on it
 * sweeps at start; its time is the agent's own figure, its peak RSS the agent's VmHWM.
 */
async function sweepFigures(dir: string, tokenFile: string, options: FrontOptions) {
  const root = path.join(dir, 'sweep-front');
  const script = path.join(BENCH_DIR, 'front-sweep.ts');
  log(`sweep: making a front of ${options.sweepFiles} files`);
  const { stdout } = await execFileAsync(
    process.execPath,
    ['--import', 'tsx', script, 'make', root, String(options.sweepFiles), String(options.sweepBytes)],
    { timeout: 3 * 3600_000 },
  );
  const made = JSON.parse(stdout.trim()) as { files: number; seconds: number };
  log(`  made in ${made.seconds} s; an agent sweeps it`);
  execFileSync('sync');
  const { agent } = await startAgentProcess(dir, root, tokenFile, 3 * 3600_000);
  try {
    const pid = agent.pid ?? 0;
    const db = new SQLite(frontLayout(root).db, { readonly: true });
    try {
      const meta = (key: string) =>
        (db.prepare('select value from meta where key = ?').get(key) as { value: string } | undefined)?.value;
      while (meta('lastSweepAt') === undefined) await new Promise((resolve) => setTimeout(resolve, 500));
      const ms = Number(meta('lastSweepMs'));
      const events = (db.prepare('select count(*) as n from event').get() as { n: number }).n;
      return {
        files: made.files,
        fileBytes: options.sweepBytes,
        makeSeconds: made.seconds,
        sweepSeconds: round(ms / 1000, 1),
        filesPerSecond: Math.round(made.files / (ms / 1000)),
        events,
        agentPeakRssMiB: round(procStatusKiB(pid, 'VmHWM') / 1024, 1),
      };
    } finally {
      db.close();
    }
  } finally {
    await stopChild(agent);
    removeTemp(root);
  }
}

export async function benchFront(args: readonly string[]): Promise<object> {
  const options = readOptions(args);
  const tools = { nginx: requireBinary('nginx', 'nginx'), wrk: requireBinary('wrk', 'wrk') };
  const dir = tempDir('front');
  // nginx's workers run as nobody (nginx is started by root here): they must reach the fronts' files.
  fs.chmodSync(dir, 0o755);
  const data = path.join(dir, 'data');
  let store: Store | null = null;
  let app: FastifyInstance | null = null;
  let distributor: Distributor | null = null;
  const fronts: Front[] = [];
  try {
    log(`front: a site of ${options.articles} articles`);
    await makeSyntheticSite(data, options.articles, undefined);
    await runGazette(['build'], gazetteEnv(data), 30 * 60_000);
    const tokenFile = path.join(dir, 'front.token');
    fs.writeFileSync(tokenFile, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
    for (const name of ['a', 'b']) fronts.push(await startFront(dir, name, tokenFile));

    store = await openStore({ databaseUrl: null, sqliteFile: path.join(data, 'gazette.db') });
    const publicDir = path.join(data, 'public');
    const context = {
      store,
      clock: systemClock,
      mediaDir: path.join(data, 'media'),
      keys: benchKeys(data),
      theme: loadTheme(),
      outputDir: publicDir,
    };
    const started = store;
    distributor = startDistributor({ store: started, publicDir, now: () => new Date() });
    const pushing = distributor;
    app = await buildApp(context, {
      logLevel: 'silent',
      onPagesChanged: () => pushing.runSoon(),
      onPagesRecorded: () => pushing.runSoon(),
    });
    const platform = platformConsole('bench');
    for (const front of fronts)
      await addFront(app.gazette.context, platform, {
        name: `front-${front.name}`,
        url: front.agentUrl,
        tokenFile,
      });
    const initialStarted = performance.now();
    distributor.runSoon();
    const latest = await manifest.latestChange(store.db);
    for (;;) {
      await distributor.settled();
      const rows = await store.db.selectFrom('frontServer').select(['name', 'ackedSeq']).execute();
      if (rows.length === fronts.length && rows.every((row) => row.ackedSeq >= latest)) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const pages = await store.db.selectFrom('pageManifest').select('path').where('hash', '!=', '').execute();
    const initialPush = { pages: pages.length, seconds: round((performance.now() - initialStarted) / 1000, 1) };
    log(`  first push of ${pages.length} pages to both fronts: ${initialPush.seconds} s`);

    siteHost = (await store.db.selectFrom('site').select('domain').where('id', '=', 1).executeTakeFirstOrThrow())
      .domain;
    const article = servedPages(fronts[0] as Front, 1)[0];
    if (!article) throw new Error('front a holds no article page');
    const articlePath = `/${path.relative(path.join((fronts[0] as Front).root, 'www', '1'), article)}`;
    for (const front of fronts) await startFrontNginx(tools.nginx, front, articlePath);

    log(`publishToFronts: ${options.samples} publishes`);
    const publishing = await publishToFronts(app, fronts, options);
    log(`nginx: front against plain nginx, ${options.rounds} rounds of ${options.seconds} s`);
    const nginx = await nginxRatio(tools.wrk, tools.nginx, dir, fronts[0] as Front, articlePath, options);
    log(`restore: ${options.restores} overwritten pages`);
    const restore = await restoreTimes(servedPages(fronts[0] as Front, 50), options.restores);
    const sweep = await sweepFigures(dir, tokenFile, options);
    return {
      articles: options.articles,
      initialPush,
      publishToFrontsMs: { ...publishing, target: '< 300 ms p99', pass: publishing.p99 < 300 },
      nginx: { ...nginx, target: '≥ 0.95×', pass: nginx.ratio >= 0.95 },
      restoreMs: { ...restore, target: '< 1000 ms p99', pass: restore.p99 < 1000 },
      sweep: { ...sweep, target: 'agent peak RSS < 200 MiB', pass: sweep.agentPeakRssMiB < 200 },
    };
  } finally {
    await distributor?.stop();
    await app?.close();
    await store?.close();
    for (const front of fronts) {
      await stopChild(front.nginx);
      await stopChild(front.agent);
    }
    if (!options.keep) removeTemp(dir);
    else log(`kept ${dir}`);
  }
}
