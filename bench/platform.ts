import { execFile, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import pg from 'pg';
import { systemClock } from '../src/clock.js';
import { articlePath, type Site } from '../src/domain/index.js';
import {
  OutputStore,
  Publisher,
  buildSite,
  loadSiteView,
  siteKeyPrefix,
  siteOutputDir,
  type PublishRun,
} from '../src/publish/index.js';
import {
  addSite,
  createArticle,
  createUser,
  ensureSite,
  generateSyntheticArticles,
  placeArticle,
  platformConsole,
  setDefaultSite,
  stepArticle,
  stepPlacement,
  systemActor,
  type ServiceContext,
} from '../src/services/index.js';
import { openStore, sites, users, type Store } from '../src/store/index.js';
import { loadTheme } from '../src/theme/index.js';
import { timings } from './publish.js';
import { parseWrk, procStatusKiB, watchRss } from './serve.js';
import {
  GAZETTE_BIN,
  freePort,
  percentile,
  gazetteEnv,
  benchKeys,
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
 * `npm run bench platform [-- --sites 1000 --articles 1000000]` (issue 16): a 集约化 platform on
 * PostgreSQL — the portal and `sites - 1` sites under it, each with 10–20 list columns, the
 * articles spread evenly, and one article of every tenth site placed (引用) in the portal's
 * 部门动态 — served by one `gazette serve`.
 *
 * 1. pages: one article published on the portal re-renders exactly as many pages as the same
 *    publish on a single-site store made with the same generator (SQLite, in this process), and
 *    only the portal's pages (the manifest names each written page's site).
 * 2. publishToServed: `samples` articles on random loaded sites, each published through the API
 *    and its page asked for under that site's Host header from the moment the call is sent until
 *    it answers 200 (the reader's view); publishCall: until the call returns, every page the
 *    publish touched written. The server's memory after this editorial work.
 * 3. load: on a server started again that only serves (as a front server does), wrk on as many
 *    distinct pages of one site as the spread run asks for, then on the same kinds of pages of
 *    `loaded` sites with a random Host per request, `rounds` times in turn; median requests/s
 *    compared, and the memory at its peak.
 * 4. siteAdd: `gazette site add` at this size, three times on a quiet machine (process start
 *    included), each removed again.
 *
 * Options: --sites 1000, --articles 1000000, --loaded 100, --samples 100, --seconds 10,
 * --rounds 3, --gap-ms 1500 (between timed publishes), --connections 25, --body-chars 300, --database gazette_bench_platform (reused
 * with --reuse; dropped at the end unless --keep), --data DIR (a data folder kept between runs:
 * with --reuse its built pages are used again), --postgres URL. Needs Debian's wrk.
 */

interface PlatformOptions {
  readonly sites: number;
  readonly articles: number;
  readonly loaded: number;
  readonly samples: number;
  readonly seconds: number;
  readonly connections: number;
  readonly bodyChars: number;
  readonly postgres: string;
  readonly database: string;
  readonly reuse: boolean;
  readonly keep: boolean;
  /** A GAZETTE_DATA folder to keep between runs (its pages are not built again with --reuse). */
  readonly data: string | null;
  readonly rounds: number;
  /** Pause between timed publishes: each is measured on its own, as an editor's is, not behind the link checks of the one before. */
  readonly gapMs: number;
}

const PASSWORD = 'Bench-Platform-2025';
/**
 * Publishes made before the timed ones, not counted: the server's first publishes compile the
 * code paths of a publish (JIT) and load the wording and search dictionaries; a server that has
 * published for a while has done so.
 */
const WARM_UP = 5;
const PUBLISHER = 'platform-publisher';
const hostOf = (i: number) => `s${i}.bench.example.gov.cn`;
const execFileAsync = promisify(execFile);

function readOptions(args: readonly string[]): PlatformOptions {
  const option = optionReader(args);
  const sitesWanted = Math.max(2, option.number('sites', 1000));
  return {
    sites: sitesWanted,
    articles: option.number('articles', 1_000_000),
    loaded: Math.min(sitesWanted, Math.max(1, option.number('loaded', 100))),
    samples: Math.max(1, option.number('samples', 100)),
    seconds: option.number('seconds', 10),
    connections: option.number('connections', 25),
    bodyChars: option.number('body-chars', 300),
    postgres: option.raw('postgres') ?? process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    database: option.raw('database') ?? 'gazette_bench_platform',
    reuse: args.includes('--reuse'),
    keep: args.includes('--keep'),
    data: option.raw('data') === undefined ? null : path.resolve(option.raw('data') ?? ''),
    rounds: Math.max(1, option.number('rounds', 3)),
    gapMs: option.number('gap-ms', 1500),
  };
}

function databaseUrl(server: string, database: string): string {
  const url = new URL(server);
  url.pathname = `/${database}`;
  return url.toString();
}

async function adminQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(
  server: string,
  text: string,
  params: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    return (await client.query<R>(text, params)).rows;
  } finally {
    await client.end();
  }
}

/** The portal and its sites, generated once (a reused database keeps them). */
async function generatePlatform(
  ctx: ServiceContext,
  options: PlatformOptions,
): Promise<{ portal: Site; seconds: number; generated: boolean }> {
  const started = performance.now();
  const existing = await sites.listSites(ctx.store.db);
  if (existing.length >= options.sites) {
    const portal = existing[0];
    if (!portal) throw new Error('no portal');
    return { portal, seconds: 0, generated: false };
  }
  if (existing.length > 0)
    throw new Error(`the database holds ${existing.length} sites, not ${options.sites}: drop it or leave out --reuse`);
  const perSite = Math.floor(options.articles / options.sites);
  const { site: portal } = await ensureSite(ctx, 'Asia/Shanghai');
  await generateSyntheticArticles(
    { ...ctx, siteId: portal.id },
    { articles: perSite, seed: 1, bodyChars: options.bodyChars },
  );
  const platform = platformConsole('bench platform');
  for (let i = 1; i < options.sites; i++) {
    const site = await addSite(ctx, platform, { host: hostOf(i), name: `测试站点${i}`, parentHost: portal.domain });
    await generateSyntheticArticles(
      { ...ctx, siteId: site.id },
      { articles: perSite, channels: 10 + (i % 11), seed: i + 1, bodyChars: options.bodyChars },
    );
    if (i % 50 === 0)
      log(`platform: ${i + 1} of ${options.sites} sites, ${round((performance.now() - started) / 1000, 0)} s`);
  }
  await setDefaultSite(ctx, platform, portal.domain);
  // Every tenth site's newest article placed (引用) in the portal's 部门动态, live there.
  const portalChannels = await ctx.store.db
    .selectFrom('channel')
    .select(['id', 'slug'])
    .where('siteId', '=', portal.id)
    .execute();
  const bmdt = portalChannels.find((c) => c.slug === 'bmdt')?.id;
  if (bmdt === undefined) throw new Error('the portal has no 部门动态');
  const actor = systemActor('bench platform');
  const atPortal = { ...ctx, siteId: portal.id };
  for (let i = 10; i < options.sites; i += 10) {
    const site = await sites.findSiteIdByHost(ctx.store.db, hostOf(i));
    const newest = await ctx.store.db
      .selectFrom('article')
      .select('id')
      .where('siteId', '=', site ?? -1)
      .orderBy('publishedAt', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!newest) continue;
    const placed = await placeArticle(atPortal, actor, { articleId: newest.id, channelId: bmdt });
    await stepPlacement(atPortal, actor, placed.id, 'approve');
    await stepPlacement(atPortal, actor, placed.id, 'publish');
  }
  return { portal, seconds: round((performance.now() - started) / 1000, 1), generated: true };
}

/** Builds the loaded sites' pages into the output store, as `gazette build --site` would. */
async function buildLoaded(
  store: Store,
  dataDir: string,
  loaded: readonly Site[],
): Promise<{ pages: number; seconds: number }> {
  const started = performance.now();
  const theme = loadTheme();
  let pages = 0;
  for (const site of loaded) {
    const publisher = new Publisher(
      store,
      theme,
      new OutputStore(siteOutputDir(path.join(dataDir, 'public'), site.id)),
      systemClock,
      { siteId: site.id },
    );
    pages += (await buildSite(publisher, { workers: 1 })).pages;
  }
  return { pages, seconds: round((performance.now() - started) / 1000, 1) };
}

/** A new article in a column, approved and waiting to be published (through the services, no events). */
async function approvedArticle(ctx: ServiceContext, siteId: number, title: string): Promise<number> {
  const at = { ...ctx, siteId };
  const channel = await ctx.store.db
    .selectFrom('channel')
    .select('id')
    .where('siteId', '=', siteId)
    .where('type', '=', 'list')
    .orderBy('id')
    .limit(1)
    .executeTakeFirstOrThrow();
  const actor = systemActor('bench platform');
  const made = await createArticle(at, actor, { channelId: channel.id, title, bodyHtml: `<p>${title}的正文。</p>` });
  // A column with no review approves on submit; one with review levels is approved here.
  let view = await stepArticle(at, actor, made.id, 'submit');
  while (view.status === 'submitted') view = await stepArticle(at, actor, made.id, 'approve');
  return view.id;
}

/** The pages one publish re-renders on a single-site store made by the same generator (the reference). */
async function singleSitePages(options: PlatformOptions): Promise<{ pages: number; paths: string[] }> {
  const dir = tempDir('platform-single');
  const store = await openStore({ databaseUrl: null, sqliteFile: path.join(dir, 'gazette.db') });
  try {
    const ctx: ServiceContext = { store, clock: systemClock, mediaDir: path.join(dir, 'media') };
    const { site } = await ensureSite(ctx, 'Asia/Shanghai');
    await generateSyntheticArticles(
      { ...ctx, siteId: site.id },
      { articles: Math.floor(options.articles / options.sites), seed: 1, bodyChars: options.bodyChars },
    );
    const runs: PublishRun[] = [];
    const publisher = new Publisher(store, loadTheme(), new OutputStore(path.join(dir, 'public')), systemClock, {
      siteId: site.id,
      onRun: (run) => runs.push(run),
    });
    const id = await approvedArticle(ctx, site.id, '单站对照文章');
    await stepArticle(
      { ...ctx, siteId: site.id, events: { emit: (event) => publisher.handle(event) } },
      systemActor('bench'),
      id,
      'publish',
    );
    await publisher.idle();
    const paths = runs.flatMap((run) =>
      [...run.pages].filter(([, outcome]) => outcome === 'written' || outcome === 'removed').map(([p]) => p),
    );
    return { pages: paths.length, paths: paths.map(maskId).sort() };
  } finally {
    await store.close();
    removeTemp(dir);
  }
}

/** An article's id in a path, masked: the same page of two stores whose ids differ. */
const maskId = (p: string) => p.replace(/_\d+\.html$/, '_N.html');

async function signIn(base: string): Promise<{ cookie: string; csrf: string }> {
  const response = await fetch(`${base}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: PUBLISHER, password: PASSWORD }),
  });
  if (response.status !== 200) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { cookie, csrf: ((await response.json()) as { csrfToken: string }).csrfToken };
}

/** Publishes through the API; the written pages, by the manifest's order of changes. */
async function publishViaApi(
  base: string,
  session: { cookie: string; csrf: string },
  siteId: number,
  articleId: number,
): Promise<{ url: string }> {
  const response = await fetch(`${base}/api/v1/articles/${articleId}/publish`, {
    method: 'POST',
    headers: {
      cookie: session.cookie,
      'x-csrf-token': session.csrf,
      'x-gazette-site': String(siteId),
      'content-type': 'application/json',
    },
    body: '{}',
  });
  if (response.status !== 200)
    throw new Error(`publish of ${articleId} failed: ${response.status} ${await response.text()}`);
  return { url: String(((await response.json()) as { url: string }).url) };
}

async function servedUnder(base: string, host: string, urlPath: string, timeoutMs = 30_000): Promise<void> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    if ((await getWithHost(`${base}${urlPath}`, host)) === 200) return;
    if (performance.now() > until) throw new Error(`${host}${urlPath} was not served within ${timeoutMs} ms`);
    // Every 10 ms: fine enough to time a publish of tens of milliseconds (a 404 costs the server
    // three small queries), not a flood that would slow the publish it waits for.
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Timings with the 90th percentile and how many there were (a p99 of 20 samples is their maximum). */
function latencies(values: readonly number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  log(`  ${sorted.map((v) => Math.round(v)).join(' ')}`);
  return { samples: values.length, ...timings(values), p90: round(percentile(sorted, 90)) };
}

/** Where an article will be once published now: its column's path, today's date, its id. */
async function publicUrlOf(store: Store, articleId: number): Promise<string> {
  const article = await store.db
    .selectFrom('article')
    .select(['siteId', 'channelId'])
    .where('id', '=', articleId)
    .executeTakeFirstOrThrow();
  const view = await loadSiteView(store.db, article.siteId);
  if (!view) throw new Error(`no site ${article.siteId}`);
  return articlePath(
    view.tree.path(article.channelId),
    { id: articleId, publishedAt: new Date().toISOString(), createdAt: '' },
    view.site.timeZone,
  );
}

/** A GET under a Host header (fetch sends its own Host whatever it is given); its status. */
function getWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { host } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/** The written pages after a manifest position, with the site each belongs to. */
async function writtenSince(store: Store, seq: number): Promise<{ path: string }[]> {
  return store.db.selectFrom('pageManifest').select('path').where('seq', '>', seq).where('hash', '!=', '').execute();
}

async function manifestHead(store: Store): Promise<number> {
  const row = await store.db
    .selectFrom('pageManifest')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirst();
  return Number(row?.seq ?? 0);
}

type Load = ReturnType<typeof parseWrk>;

/** Each figure's median over the rounds. */
function medianOf(loads: readonly Load[]): Load {
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  };
  return {
    rps: round(median(loads.map((l) => l.rps)), 0),
    p50ms: round(median(loads.map((l) => l.p50ms))),
    p99ms: round(median(loads.map((l) => l.p99ms))),
    requests: loads.reduce((sum, l) => sum + l.requests, 0),
    errors: loads.reduce((sum, l) => sum + l.errors, 0),
  };
}

/** A wrk Lua script that sends each request to a random one of `targets` (host and path). */
function wrkScript(dir: string, name: string, targets: readonly { host: string; path: string }[]): string {
  const file = path.join(dir, `${name}.lua`);
  const lines = targets.map((t) => `{ ${JSON.stringify(t.host)}, ${JSON.stringify(t.path)} }`);
  fs.writeFileSync(
    file,
    [
      `local targets = { ${lines.join(',\n')} }`,
      'math.randomseed(os.time())',
      'request = function()',
      '  local t = targets[math.random(#targets)]',
      '  wrk.headers["Host"] = t[1]',
      '  return wrk.format("GET", t[2])',
      'end',
      '',
    ].join('\n'),
  );
  return file;
}

async function wrk(binary: string, base: string, script: string, options: PlatformOptions, seconds: number) {
  if (!base.startsWith('http://127.0.0.1:')) throw new Error(`load tests stay on 127.0.0.1, not ${base}`);
  const { stdout } = await execFileAsync(
    binary,
    ['-t1', `-c${options.connections}`, `-d${seconds}s`, '--latency', '-s', script, `${base}/`],
    { timeout: (seconds + 30) * 1000 },
  );
  return parseWrk(stdout);
}

/**
 * The same mix of pages as `sites` of the spread run, all from one site: for each of them its
 * home, a list page and three article pages, as many distinct ones as the site has. The page
 * cache and the processor's caches hold as many different pages in both runs: what differs is
 * only how many sites they belong to.
 */
async function oneSiteTargets(store: Store, site: Site, sites: number): Promise<{ host: string; path: string }[]> {
  const prefix = siteKeyPrefix(site.id);
  const rows = await store.db
    .selectFrom('pageManifest')
    .select('path')
    .where('path', 'like', `${prefix}/%.html`)
    .where('hash', '!=', '')
    .orderBy('path')
    .execute();
  const own = rows.map((r) => r.path.slice(prefix.length)).filter((p) => !p.startsWith('/site_'));
  const articles = own.filter((p) => /\/t\d{8}_\d+\.html$/.test(p)).slice(0, sites * 3);
  const lists = own.filter((p) => /\/index_\d+\.html$/.test(p)).slice(0, sites);
  return [...Array.from({ length: sites }, () => '/'), ...lists, ...articles].map((p) => ({
    host: site.domain,
    path: p,
  }));
}

/** Each loaded site's home, first list column, and three article pages, from the store. */
async function targetsOf(store: Store, site: Site): Promise<{ host: string; path: string }[]> {
  const prefix = siteKeyPrefix(site.id);
  const rows = await store.db
    .selectFrom('pageManifest')
    .select('path')
    .where('path', '>=', `${prefix}/`)
    .where('path', '<', `${prefix}/\uffff`)
    .where('path', 'like', `${prefix}/%.html`)
    .where('hash', '!=', '')
    .orderBy('path')
    .limit(400)
    .execute();
  const own = rows.map((r) => r.path.slice(prefix.length)).filter((p) => !p.includes('/site_'));
  const articles = own.filter((p) => /\/t\d{8}_\d+\.html$/.test(p));
  const lists = own.filter((p) => /\/index_\d+\.html$/.test(p));
  const picks = [
    articles[0],
    articles[Math.floor(articles.length / 2)],
    articles[articles.length - 1],
    lists[0],
  ].filter((p): p is string => p !== undefined);
  return ['/', ...picks].map((p) => ({ host: site.domain, path: p }));
}

export async function benchPlatform(args: readonly string[]): Promise<object> {
  const options = readOptions(args);
  const wrkBinary = requireBinary('wrk', 'wrk');
  const revision = revisionTracker();
  const dbUrl = databaseUrl(options.postgres, options.database);
  const exists =
    (await adminQuery(options.postgres, 'select 1 from pg_database where datname = $1', [options.database])).length > 0;
  if (exists && !options.reuse) await adminQuery(options.postgres, `drop database ${options.database} with (force)`);
  if (!exists || !options.reuse) await adminQuery(options.postgres, `create database ${options.database}`);
  const dataDir = options.data ?? tempDir('platform');
  fs.mkdirSync(dataDir, { recursive: true });
  const built = options.reuse && fs.existsSync(path.join(dataDir, 'public'));
  let server: ChildProcess | null = null;
  const store = await openStore({ databaseUrl: dbUrl, sqliteFile: '' });
  try {
    const ctx: ServiceContext = {
      store,
      clock: systemClock,
      mediaDir: path.join(dataDir, 'media'),
      keys: benchKeys(dataDir),
    };
    log(`platform: ${options.sites} sites, ${options.articles} articles on ${options.database}`);
    const generation = await generatePlatform(ctx, options);
    const all = await sites.listSites(store.db);
    const loaded = all.slice(0, options.loaded);
    log(
      built ? `platform: the pages of ${dataDir} are kept` : `platform: building the pages of ${loaded.length} sites`,
    );
    const build = built ? null : await buildLoaded(store, dataDir, loaded);
    await skipTonightsHealthCheck({ databaseUrl: dbUrl, sqliteFile: '' });

    // A publisher on every loaded site, for the API.
    const portal = all[0];
    if (!portal) throw new Error('no portal');
    const account = await users.findUserByName(store.db, PUBLISHER);
    const publisherId =
      account?.id ??
      (
        await createUser({ ...ctx, siteId: portal.id }, 'console', {
          username: PUBLISHER,
          displayName: PUBLISHER,
          password: PASSWORD,
          roles: [{ role: 'publisher', channelId: null }],
          mustChangePassword: false,
        })
      ).id;
    for (const site of loaded)
      await users.replaceGrants(store.db, publisherId, [{ role: 'publisher', channelId: null }], site.id);

    // 4 (first, on a quiet machine). gazette site add at this size, process start included; removed again.
    const env = { ...gazetteEnv(dataDir), DATABASE_URL: dbUrl };
    const adds: number[] = [];
    for (let i = 0; i < 3; i++) {
      adds.push(
        (await runGazette(['site', 'add', `bench-new${i}.example.gov.cn`, '--name', `新增站点${i}`], env, 60_000))
          .seconds,
      );
      await runGazette(['site', 'remove', `bench-new${i}.example.gov.cn`], env, 60_000);
    }

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const serverEnv = { ...gazetteEnv(dataDir, { PORT: String(port) }), DATABASE_URL: dbUrl };
    const started = performance.now();
    server = await startServer(process.execPath, [GAZETTE_BIN, 'serve'], serverEnv, /Gazette is serving/, 300_000);
    const startSeconds = round((performance.now() - started) / 1000, 2);
    let pid = server.pid ?? 0;
    const rssAtStartMiB = mib(procStatusKiB(pid, 'VmRSS') * 1024);
    const session = await signIn(base);

    // 1. The pages one publish re-renders, against a single-site store.
    log('platform: the pages of one publish, on the platform and on a single site');
    const reference = await singleSitePages(options);
    const head = await manifestHead(store);
    const portalArticle = await approvedArticle(ctx, portal.id, '单站对照文章');
    await publishViaApi(base, session, portal.id, portalArticle);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const written = await writtenSince(store, head);
    const otherSites = written.filter((row) => row.path.startsWith('/site_')).map((row) => row.path);
    const portalPaths = written
      .filter((row) => !row.path.startsWith('/site_'))
      .map((row) => maskId(row.path))
      .sort();

    // 2. Publish to served, on random loaded sites.
    log(`platform: ${options.samples} publishes on random sites`);
    const served: number[] = [];
    const calls: number[] = [];
    for (let i = 0; i < options.samples + WARM_UP; i++) {
      const site = loaded[1 + Math.floor(Math.random() * (loaded.length - 1))] ?? portal;
      const id = await approvedArticle(ctx, site.id, `平台发布测试${i}`);
      const url = await publicUrlOf(store, id);
      await new Promise((resolve) => setTimeout(resolve, options.gapMs));
      // The reader's view: asked for from the moment the publish is sent, until it answers 200;
      // the API call returns once every page the publish touched is written.
      const t0 = performance.now();
      const [calledAt, servedAt] = await Promise.all([
        publishViaApi(base, session, site.id, id).then(() => performance.now()),
        servedUnder(base, site.domain, url).then(() => performance.now()),
      ]);
      if (i >= WARM_UP) {
        served.push(servedAt - t0);
        calls.push(calledAt - t0);
      }
    }

    // What the editorial work loaded (the wording check, the search tokenizer, the link check).
    const rssAfterPublishesMiB = mib(procStatusKiB(pid, 'VmRSS') * 1024);
    // 3. Load on a server that only serves (started again: a front server does no editorial work),
    // one site and many at random in turn, `rounds` times; medians compared.
    await stopChild(server);
    server = await startServer(process.execPath, [GAZETTE_BIN, 'serve'], serverEnv, /Gazette is serving/, 300_000);
    pid = server.pid ?? 0;
    const servingStartMiB = mib(procStatusKiB(pid, 'VmRSS') * 1024);
    const scriptDir = tempDir('platform-wrk');
    const one = wrkScript(scriptDir, 'one-site', await oneSiteTargets(store, loaded[1] ?? portal, loaded.length));
    const many = wrkScript(
      scriptDir,
      'many-sites',
      (await Promise.all(loaded.map((site) => targetsOf(store, site)))).flat(),
    );
    await wrk(wrkBinary, base, many, options, 2);
    const singles: Load[] = [];
    const spreads: Load[] = [];
    let peakOneSite = 0;
    let peakSpread = 0;
    for (let round = 0; round < options.rounds; round++) {
      log(`platform: round ${round + 1}: wrk on one site, then on ${loaded.length} sites at random`);
      const watchOne = watchRss(pid);
      singles.push(await wrk(wrkBinary, base, one, options, options.seconds));
      peakOneSite = Math.max(peakOneSite, watchOne.stop());
      const watch = watchRss(pid);
      spreads.push(await wrk(wrkBinary, base, many, options, options.seconds));
      peakSpread = Math.max(peakSpread, watch.stop());
      log(`  ${singles[round]?.rps} and ${spreads[round]?.rps} requests/s`);
    }
    removeTemp(scriptDir);
    const single = medianOf(singles);
    const spread = medianOf(spreads);

    const [{ n: articleCount } = { n: 0 }] = await adminQuery<{ n: number }>(
      dbUrl,
      "select count(*)::int as n from article where status = 'published'",
    );
    const [{ n: placementCount } = { n: 0 }] = await adminQuery<{ n: number }>(
      dbUrl,
      'select count(*)::int as n from placement where live = 1',
    );

    return {
      bench: 'platform',
      revision: revision(),
      machine: { cpus: os.cpus().length, node: process.version },
      platform: {
        sites: all.length,
        articles: articleCount,
        livePlacements: placementCount,
        generationSeconds: generation.seconds,
        generated: generation.generated,
      },
      build: build ? { sites: loaded.length, ...build } : { sites: loaded.length, kept: dataDir },
      pages: {
        singleSite: reference.pages,
        platform: portalPaths.length,
        samePages: JSON.stringify(reference.paths) === JSON.stringify(portalPaths),
        onlyOnPlatform: portalPaths.filter((p) => !reference.paths.includes(p)),
        onlyOnSingleSite: reference.paths.filter((p) => !portalPaths.includes(p)),
        otherSitesWritten: otherSites.length,
      },
      publishToServedMs: latencies(served),
      publishCallMs: latencies(calls),
      server: {
        startSeconds,
        rssAtStartMiB,
        rssAfterPublishesMiB,
        serving: {
          rssAtStartMiB: servingStartMiB,
          peakOneSiteMiB: mib(peakOneSite * 1024),
          peakSpreadMiB: mib(peakSpread * 1024),
          vmHwmMiB: mib(procStatusKiB(pid, 'VmHWM') * 1024),
        },
      },
      load: {
        rounds: options.rounds,
        singleSite: single,
        spread: { ...spread, sites: loaded.length },
        ratio: round(spread.rps / single.rps, 3),
        rpsByRound: { singleSite: singles.map((l) => l.rps), spread: spreads.map((l) => l.rps) },
      },
      siteAdd: { seconds: adds.map((t) => round(t, 2)), median: round([...adds].sort((a, b) => a - b)[1] ?? 0, 2) },
    };
  } finally {
    await stopChild(server);
    await store.close();
    if (!options.data) removeTemp(dataDir);
    if (!options.keep)
      await adminQuery(options.postgres, `drop database if exists ${options.database} with (force)`).catch(
        () => undefined,
      );
  }
}
