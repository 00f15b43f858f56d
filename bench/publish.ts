import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { openStore, users } from '../src/store/index.js';
import { systemClock } from '../src/clock.js';
import { escapeHtml, isGazetteError } from '../src/domain/index.js';
import { SITEMAP_LIMIT, loadSiteView, type PublishRun } from '../src/publish/index.js';
import {
  SYNTHETIC_DEFAULTS,
  createArticle,
  createUser,
  stepArticle,
  type Actor,
  type ServiceContext,
} from '../src/services/index.js';
import { makeCorpusGenerator } from '../src/services/content/corpus.js';
import { loadTheme } from '../src/theme/index.js';
import { buildApp } from '../src/web/index.js';
import { bundle } from '../bin/bundle.js';
import { compareWithHugo, type BuildComparison, type GazetteBuild } from './hugo/compare.js';
import { runMeasured } from './hugo/measured.js';
import {
  GAZETTE_BIN,
  LARGE_SITE,
  bodyCharsFor,
  diskBytes,
  gazetteEnv,
  log,
  makeSyntheticSite,
  benchKeys,
  mib,
  optionReader,
  percentile,
  removeTemp,
  requireBinary,
  round,
  revisionTracker,
  tempDir,
} from './support.js';

/**
 * `npm run bench publish [-- --sizes 10000,100000,1000000 --body-chars 500 --samples 30]`: for
 * each size, a fresh synthetic site (built in full up to --build-max articles), then `samples`
 * articles published one at a time through the services, as the back office does, measuring the
 * pages each publish re-renders and the time from the publish call until the new page is served.
 * At each size of --hugo-articles (default 10,000 and 100,000; 0 skips it) the full
 * `gazette build` is also timed against Debian's hugo, in --build-rounds rounds (default 3,
 * Gazette and Hugo in turn, medians compared), with each program's peak resident memory. Other
 * options: --warmup 3, --gap-ms 1500 (between publishes), --build-max 100000, --step-minutes 30.
 */

interface PublishOptions {
  readonly sizes: readonly number[];
  /** Body length for every size; by default the generator's (1,200), and 500 from 1,000,000 up. */
  readonly bodyChars: number | undefined;
  readonly samples: number;
  /** Publishes before the measured ones: JIT warm-up, and at unbuilt sizes they write the pages publishes touch. */
  readonly warmup: number;
  /**
   * Pause between publishes (ms): each is measured as an editor's publish is, on its own, not
   * in a burst sharing the server's thread with the link checks of the publishes just before it.
   */
  readonly gapMs: number;
  /** Sizes up to this get a full `gazette build` first (a million pages would take hours). */
  readonly buildMax: number;
  /** The sizes at which the full build is compared with Hugo; 0 (or none) skips the comparison. */
  readonly hugoArticles: readonly number[];
  /** A step (build, Hugo) that runs longer than this is stopped and reported. */
  readonly stepMinutes: number;
  /** Gazette and Hugo builds, in turn, at --hugo-articles; the medians are compared. */
  readonly buildRounds: number;
}

interface Sample {
  readonly articleId: number;
  readonly pages: number;
  readonly written: number;
  readonly touched: readonly string[];
  /** stepArticle(publish) returns: the transaction is committed and the event queued. */
  readonly serviceMs: number;
  /** …and the publisher has written every page the event touched (what the API waits for). */
  readonly publishedMs: number;
  /** …and a GET of the new page answered 200 with its title: the reader's view. */
  readonly servedMs: number;
  readonly runMs: number;
}

const TARGET_P99_MS = 100;
/** Generated articles the wording check may refuse in one size's publishes before the bench gives up. */
const MAX_REFUSED = 5;

export function readOptions(args: readonly string[]): PublishOptions {
  const option = optionReader(args);
  const bodyChars = option.raw('body-chars');
  return {
    sizes: option.numbers('sizes', [10_000, 100_000]),
    bodyChars: bodyChars === undefined ? undefined : option.number('body-chars', 0),
    samples: option.number('samples', 30),
    warmup: option.number('warmup', 3),
    gapMs: option.number('gap-ms', 1_500),
    buildMax: option.number('build-max', 100_000),
    hugoArticles: option.numbers('hugo-articles', [10_000, 100_000]).filter((n) => n > 0),
    stepMinutes: option.number('step-minutes', 30),
    buildRounds: Math.max(1, option.number('build-rounds', 3)),
  };
}

/**
 * `gazette build` as people run it (a child process); wall-clock seconds, startup included, and
 * the process's peak resident memory.
 */
async function gazetteBuild(dataDir: string, options: PublishOptions): Promise<GazetteBuild & { ownSeconds: number }> {
  // The bundle of the current sources is made now, untimed: a timed build must not make it.
  await bundle();
  const run = await runMeasured(process.execPath, [GAZETTE_BIN, 'build'], {
    env: gazetteEnv(dataDir),
    timeoutMs: options.stepMinutes * 60_000,
    label: 'gazette build',
  });
  const summary = /built (\d+) pages in ([\d.]+) s/.exec(run.stdout);
  if (!summary) throw new Error(`gazette build printed no summary: ${run.stdout}`);
  const pages = Number(summary[1]);
  log(`  ${run.stdout.trim().split('\n').pop() ?? ''}; peak RSS ${run.peakRssMiB} MiB`);
  return {
    pages,
    seconds: round(run.seconds, 1),
    ownSeconds: Number(summary[2]),
    pagesPerSecond: round(pages / run.seconds, 0),
    peakRssMiB: run.peakRssMiB,
  };
}

/**
 * An editor and a chief editor who reviews and signs off (approval needs a second account);
 * a site kept from an earlier run (BENCH_KEEP=1) has them already.
 */
export async function benchActors(ctx: ServiceContext): Promise<{ editor: Actor; chief: Actor }> {
  const password = 'Bench-Pass-2025';
  const account = async (username: string, displayName: string, roles: Actor['grants']): Promise<Actor> => {
    const known = await users.findUserByName(ctx.store.db, username);
    const id =
      known?.id ??
      (await createUser(ctx, 'console', { username, displayName, password, roles, mustChangePassword: false })).id;
    return { userId: id, userName: username, grants: roles, ip: '127.0.0.1' };
  };
  return {
    editor: await account('bench-editor', '基准撰稿', [{ role: 'editor', channelId: null }]),
    chief: await account('bench-chief', '基准审核签发', [
      { role: 'reviewer', channelId: null },
      { role: 'publisher', channelId: null },
    ]),
  };
}

/** The site's first top-level list column (本区动态): every sample goes to the same place. */
export async function benchChannel(ctx: ServiceContext): Promise<number> {
  const view = await loadSiteView(ctx.store.db);
  const channel = view?.tree.roots().find((c) => c.type === 'list');
  if (!channel) throw new Error('the synthetic site has no top-level list column');
  return channel.id;
}

/** An article written by `actors.editor`, submitted and approved by `actors.chief`: its id, ready to publish. */
export async function approvedArticle(
  ctx: ServiceContext,
  actors: { editor: Actor; chief: Actor },
  channelId: number,
  text: { title: string; body: string },
): Promise<number> {
  const bodyHtml = text.body
    .split('\n')
    .map((p) => `<p class="indent">${escapeHtml(p)}</p>`)
    .join('\n');
  const draft = await createArticle(ctx, actors.editor, {
    channelId,
    title: text.title,
    bodyHtml,
    source: '区融媒体中心',
  });
  await stepArticle(ctx, actors.editor, draft.id, 'submit');
  await stepArticle(ctx, actors.chief, draft.id, 'approve');
  return draft.id;
}

/**
 * One article written, submitted and approved (not timed), then published and fetched (timed).
 * The clock starts at the publish call: the reader's wait begins when the chief signs it off.
 */
async function publishOne(
  app: FastifyInstance,
  runs: readonly PublishRun[],
  actors: { editor: Actor; chief: Actor },
  channelId: number,
  text: { title: string; body: string },
): Promise<Sample> {
  const ctx = app.gazette.context;
  const articleId = await approvedArticle(ctx, actors, channelId, text);

  const started = performance.now();
  const published = await stepArticle(ctx, actors.chief, articleId, 'publish');
  const serviceMs = performance.now() - started;
  await app.gazette.publisher.idle();
  const publishedMs = performance.now() - started;
  if (!published.url) throw new Error(`article ${articleId} has no public address after publishing`);
  const page = await app.inject({ method: 'GET', url: published.url });
  const servedMs = performance.now() - started;
  if (page.statusCode !== 200 || !page.body.includes(escapeHtml(text.title)))
    throw new Error(`${published.url} answered ${page.statusCode} without its title after publishing`);

  const run = runs.find((r) => r.event?.type === 'article.published' && r.event.articleId === articleId);
  if (!run) throw new Error(`no publish run reported for article ${articleId}`);
  const written = [...run.pages.values()].filter((outcome) => outcome === 'written').length;
  return {
    articleId,
    pages: run.pages.size,
    written,
    touched: [...run.pages.keys()],
    serviceMs,
    publishedMs,
    servedMs,
    runMs: run.ms,
  };
}

export function timings(values: readonly number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1] ?? 0),
  };
}

const range = (values: readonly number[]) => ({ min: Math.min(...values), max: Math.max(...values) });

function summarize(samples: readonly Sample[]) {
  const pages = samples.map((s) => s.pages);
  const written = samples.map((s) => s.written);
  return {
    samples: samples.length,
    pagesRerendered: range(pages),
    pagesWritten: range(written),
    publishToServedMs: timings(samples.map((s) => s.servedMs)),
    publishToWrittenMs: timings(samples.map((s) => s.publishedMs)),
    serviceCallMs: timings(samples.map((s) => s.serviceMs)),
    publishRunMs: timings(samples.map((s) => s.runMs)),
    /**
     * The sitemap part a publish re-renders holds the ids of its block up to the new one: its
     * cost rises through each block of SITEMAP_LIMIT ids, so say where in the block these fell.
     */
    sitemapPartIds: range(samples.map((s) => ((s.articleId - 1) % SITEMAP_LIMIT) + 1)),
    /** The three slowest publishes, for reading the tail: publish-to-served and the run inside it (ms). */
    slowest: [...samples]
      .sort((a, b) => b.servedMs - a.servedMs)
      .slice(0, 3)
      .map((s) => ({ servedMs: round(s.servedMs), runMs: round(s.runMs), serviceMs: round(s.serviceMs) })),
    /** What one publish touched (the last sample), for reading the page count. */
    touched: samples[samples.length - 1]?.touched ?? [],
  };
}

/** Publishes `warmup + samples` articles into the site in `dataDir` through an in-process app. */
export async function measurePublishes(dataDir: string, size: number, options: PublishOptions) {
  const store = await openStore({ databaseUrl: null, sqliteFile: path.join(dataDir, 'gazette.db') });
  const runs: PublishRun[] = [];
  const context = {
    store,
    clock: systemClock,
    mediaDir: path.join(dataDir, 'media'),
    keys: benchKeys(dataDir),
    theme: loadTheme(),
    outputDir: path.join(dataDir, 'public'),
  };
  const app = await buildApp(context, { logLevel: 'silent', onPublished: (run) => runs.push(run) });
  try {
    const actors = await benchActors(app.gazette.context);
    const channelId = await benchChannel(app.gazette.context);
    const article = makeCorpusGenerator(size);
    const samples: Sample[] = [];
    let refused = 0;
    for (let i = 0; i < options.warmup + options.samples; i++) {
      const text = article(bodyCharsFor(size, options.bodyChars) ?? SYNTHETIC_DEFAULTS.bodyChars, Date.now());
      const sample = await publishOne(app, runs, actors, channelId, text).catch((error: unknown) => {
        // The generator's text now and then holds what the wording check refuses to publish
        // (seen: “交通运输吴”): that article stays unpublished and another is drawn, a few times at most.
        if (!isGazetteError(error) || error.code !== 'WORDING_SERIOUS' || ++refused > MAX_REFUSED) throw error;
        log(`  a generated article was refused by the wording check, drawing another: ${error.message}`);
        return null;
      });
      if (!sample) i--;
      else if (i >= options.warmup) samples.push(sample);
      await new Promise((resolve) => setTimeout(resolve, options.gapMs));
    }
    const failures = app.gazette.publisher.failures;
    if (failures.length > 0) throw new Error(`the publisher failed ${failures.length} times: ${String(failures[0])}`);
    return summarize(samples);
  } finally {
    await app.close();
    await store.close();
  }
}

/**
 * `gazette build` of the site in `dataDir` into an empty output store, for build round `round`:
 * the previous round's output is moved aside, not deleted (see compareWithHugo).
 */
async function freshBuild(dataDir: string, round: number, options: PublishOptions) {
  const output = path.join(dataDir, 'public');
  if (round > 1 && fs.existsSync(output)) fs.renameSync(output, path.join(dataDir, `public-round-${round - 1}`));
  execFileSync('sync');
  return gazetteBuild(dataDir, options);
}

/**
 * One size: a fresh site, its build (when small enough) or, at --hugo-articles, the build rounds
 * against Hugo, then the publishes. The site's folder is returned for removal when the whole
 * bench is done: deleting hundreds of thousands of files slows the next size's file creation.
 */
async function benchSize(size: number, options: PublishOptions, hugo: string | null) {
  const dir = tempDir(`publish-${size}`);
  const dataDir = path.join(dir, 'data');
  const bodyChars = bodyCharsFor(size, options.bodyChars);
  log(`publish: ${size} articles (body ${bodyChars ?? 'default'} chars)`);
  const generated = await makeSyntheticSite(dataDir, size, bodyChars);
  const storeMiB = mib(diskBytes(dataDir));
  log(`  generated in ${round(generated.seconds, 1)} s, store ${storeMiB} MiB`);
  let build: GazetteBuild | null = null;
  let comparison: BuildComparison | null = null;
  if (hugo && options.hugoArticles.includes(size)) {
    comparison = await compareWithHugo(hugo, dir, dataDir, (r) => freshBuild(dataDir, r, options), {
      rounds: options.buildRounds,
      stepMinutes: options.stepMinutes,
    });
    build = comparison.gazette;
  } else if (size <= options.buildMax) {
    log('  gazette build');
    build = await freshBuild(dataDir, 1, options);
  }
  log(`  publishing ${options.warmup} + ${options.samples} articles, ${options.gapMs} ms apart`);
  // The build's gigabytes of dirty pages are written out first, not under the publishes.
  execFileSync('sync');
  const publishes = await measurePublishes(dataDir, size, options);
  log(
    `  pages ${publishes.pagesRerendered.min}-${publishes.pagesRerendered.max}, publish to served p50 ${publishes.publishToServedMs.p50} ms, p99 ${publishes.publishToServedMs.p99} ms`,
  );
  return {
    dir,
    result: {
      articles: size,
      bodyChars: bodyChars ?? 'generator default',
      generateSeconds: round(generated.seconds, 1),
      build: build ?? 'skipped: publishes write the pages they touch',
      ...publishes,
      diskMiB: { store: storeMiB, total: mib(diskBytes(dir)) },
    },
    comparison,
  };
}

/** The build comparison on a site of its own, for a size no measured size matches. */
async function separateComparison(
  hugo: string,
  articles: number,
  options: PublishOptions,
): Promise<{ dir: string; comparison: BuildComparison }> {
  const dir = tempDir('build');
  const dataDir = path.join(dir, 'data');
  log(`build: ${articles} articles`);
  await makeSyntheticSite(dataDir, articles, options.bodyChars);
  const comparison = await compareWithHugo(hugo, dir, dataDir, (r) => freshBuild(dataDir, r, options), {
    rounds: options.buildRounds,
    stepMinutes: options.stepMinutes,
  });
  return { dir, comparison };
}

/** One size's comparison, its figures first: both rates and both peak memories, then the rounds. */
function buildSummary(comparison: BuildComparison) {
  const { articles, gazette, hugo, ratio, target, peakRss, ...rest } = comparison;
  return {
    articles,
    pagesPerSecond: { gazette: gazette.pagesPerSecond, hugo: hugo.pagesPerSecond, ratio, target },
    peakRss,
    gazette,
    hugo,
    ...rest,
  };
}

export async function benchPublish(args: readonly string[]): Promise<object> {
  const options = readOptions(args);
  const revision = revisionTracker();
  const hugo = options.hugoArticles.length > 0 ? requireBinary('hugo', 'hugo') : null;
  const sizes = [];
  const dirs: string[] = [];
  const comparisons: BuildComparison[] = [];
  try {
    for (const size of options.sizes) {
      const measured = await benchSize(size, options, hugo);
      dirs.push(measured.dir);
      sizes.push(measured.result);
      if (measured.comparison) comparisons.push(measured.comparison);
    }
    for (const articles of options.hugoArticles) {
      if (!hugo || options.sizes.includes(articles)) continue;
      const separate = await separateComparison(hugo, articles, options);
      dirs.push(separate.dir);
      comparisons.push(separate.comparison);
    }
  } finally {
    for (const dir of dirs) removeTemp(dir);
  }

  // Within a size the count moves by one when a publish starts a new list chunk; across sizes it must not move.
  const first = sizes[0]?.pagesRerendered;
  const largest = sizes.find((s) => s.articles >= LARGE_SITE);
  return {
    bench: 'publish',
    machine: { cpus: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30) },
    source: revision(),
    options,
    sizes,
    samePageCountAtEverySize: sizes.every(
      (s) => s.pagesRerendered.min === first?.min && s.pagesRerendered.max === first.max,
    ),
    ...(largest && {
      p99UnderTargetAtMillion: {
        targetMs: TARGET_P99_MS,
        p99Ms: largest.publishToServedMs.p99,
        met: largest.publishToServedMs.p99 < TARGET_P99_MS,
      },
    }),
    builds: comparisons.length > 0 ? comparisons.map(buildSummary) : 'skipped (--hugo-articles 0)',
  };
}
