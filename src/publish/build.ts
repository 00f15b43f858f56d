import type { Kysely } from 'kysely';
import {
  FEED_FORMATS,
  LIBRARY_PATH,
  LOOK_STYLESHEET,
  SITE_MAP_PATH,
  libraryChannelIds,
  articlePath,
  channelPagePath,
  chunkCount,
  chunkPositions,
  feedPath,
  listLayout,
  sitemapPath,
  type Channel,
} from '../domain/index.js';
import { articles, manifest, placements, sites, type ArticleListing, type Database } from '../store/index.js';
import { siteSitemapLayout, type SitemapLayout } from './feeds.js';
import { OutputStore } from './output.js';
import type { PageJob, PageSource } from './page-job.js';
import { shownPositions, type SiteView } from './pages.js';
import type { Publisher } from './publisher.js';
import { inlineRenderer, workerRenderer, type PageRenderer } from './render-pool.js';
import { startRenderThreads, type RenderThreads } from './render-threads.js';
import { articlePageSource, resolvePublicPath } from './render.js';
import { siteKeyPrefix } from './site-output.js';
import { linkPlaced, type SiteViews } from './placed-links.js';
import { articlesInOrder, listingsInOrder } from './site-walk.js';
import { letterPaths } from './letter-pages.js';

export interface BuildProgress {
  readonly done: number;
  readonly total: number;
}

export interface BuildSummary {
  readonly pages: number;
  readonly written: number;
  readonly unchanged: number;
  readonly seconds: number;
  /** The build carried on from one that was stopped before it finished. */
  readonly resumed: boolean;
}

export interface BuildOptions {
  readonly onProgress?: (progress: BuildProgress) => void;
  /**
   * Worker threads that render, compress and write (0: all on this thread). Workers need the
   * output store to be a folder; any other store is written from this thread.
   */
  readonly workers?: number;
  /**
   * Render threads started already (startRenderThreads: `gazette build` starts them before it
   * loads anything else), used instead of starting `workers` new ones. The build ends them.
   */
  readonly threads?: RenderThreads;
}

/** Pages per batch: one manifest read, one manifest write and one progress save each. */
const BATCH = 240;
/**
 * The first batch's pages; each next batch is twice the last, up to BATCH. The render threads
 * get their first pages while this thread still reads the lists (the site's first batch of 240
 * took a second to read), not after.
 */
const FIRST_BATCH = 15;
/** Batches rendering while the next is read from the store. */
const IN_FLIGHT = 3;

/**
 * Where a page stands in the build's order: the phase, the unit in it (a channel) and the page's
 * place in the unit. A killed build carries on from the first page after the last saved place.
 */
interface Place {
  readonly phase: number;
  readonly unit: number;
  readonly index: number;
}

const PHASES = ['fixed', 'lists', 'articles'] as const;

function placeText(place: Place): string {
  return `${PHASES[place.phase]}:${place.unit}:${place.index}`;
}

function parsePlace(cursor: string): Place {
  const [phase, unit, index] = cursor.split(':');
  const at = PHASES.findIndex((p) => p === phase);
  // Cursors of earlier builds (or none) start from the beginning.
  if (at < 0 || unit === undefined || index === undefined) return { phase: 0, unit: 0, index: 0 };
  return { phase: at, unit: Number(unit), index: Number(index) };
}

const comesBefore = (a: Place, b: Place) => a.phase - b.phase || a.unit - b.unit || a.index - b.index;

/** A page of the build, made only when it is not skipped by a resumed build. */
interface PlannedPage {
  readonly place: Place;
  readonly path: string;
  source(): PageSource | null | Promise<PageSource | null>;
}

/**
 * Home, robots.txt, the site's colours (/look.css), the site's feeds, the sitemap, 网站地图,
 * single-page columns and the published letters (信箱): each resolved as on request.
 */
function* fixedPages(
  db: Kysely<Database>,
  view: SiteView,
  layout: SitemapLayout,
  letterPages: readonly string[],
  libraryPages: readonly string[],
): Generator<PlannedPage> {
  const { tree } = view;
  const paths = [
    '/',
    '/robots.txt',
    LOOK_STYLESHEET,
    feedPath('/', 'rss'),
    feedPath('/', 'atom'),
    sitemapPath(null),
    SITE_MAP_PATH,
    ...letterPages,
    ...libraryPages,
  ];
  for (let part = 1; part <= layout.parts; part++) paths.push(sitemapPath(part));
  for (const channel of tree.all())
    if (channel.type === 'page') paths.push(channelPagePath(tree.path(channel.id), null));
  for (const [index, path] of paths.entries()) {
    yield {
      place: { phase: 0, unit: 0, index },
      path,
      source: async () => {
        const resolved = await resolvePublicPath(db, view, path);
        return resolved.kind === 'page' ? resolved.source : null;
      },
    };
  }
}

/**
 * A list column's pages: every chunk, oldest first, cut from one walk of its articles in order;
 * then the front page from the newest chunks, and its feeds.
 */
async function* listPages(
  db: Kysely<Database>,
  view: SiteView,
  channel: Channel,
  unit: number,
  views: SiteViews,
): AsyncGenerator<PlannedPage> {
  const ids = view.tree.subtreeIds(channel.id);
  const path = view.tree.path(channel.id);
  const total = await articles.countPublished(db, ids);
  const chunks = chunkCount(total);
  const front = shownPositions(total, null) ?? { first: 1, last: 0 };
  const onFront: ArticleListing[] = [];
  let chunk: ArticleListing[] = [];
  let position = 0;
  for await (const listing of listingsInOrder(db, ids)) {
    position++;
    if (position > total) break;
    chunk.push(listing);
    if (position >= front.first) onFront.push(listing);
    const k = Math.ceil(position / 20);
    if (position === chunkPositions(k, total).last) {
      const listings = chunk.reverse();
      yield {
        place: { phase: 1, unit, index: k - 1 },
        path: channelPagePath(path, k),
        source: async () => ({
          listOf: channel.id,
          chunk: k,
          total,
          listings: await linkPlaced(db, view, listings, views),
        }),
      };
      chunk = [];
    }
  }
  const listings = onFront.reverse();
  // Leaders' and units' front pages show every item in its set order: resolved as on request.
  const cards = channel.contentType === 'leader' || channel.contentType === 'organ';
  yield {
    place: { phase: 1, unit, index: chunks },
    path,
    source: async () => {
      if (cards) {
        const resolved = await resolvePublicPath(db, view, path);
        return resolved.kind === 'page' ? resolved.source : null;
      }
      return { listOf: channel.id, chunk: null, total, listings: await linkPlaced(db, view, listings, views) };
    },
  };
  for (const [i, format] of FEED_FORMATS.entries()) {
    const feed = feedPath(path, format);
    yield {
      place: { phase: 1, unit, index: chunks + 1 + i },
      path: feed,
      source: async () => {
        const resolved = await resolvePublicPath(db, view, feed);
        return resolved.kind === 'page' ? resolved.source : null;
      },
    };
  }
}

/** A channel's article pages, oldest first, each with its neighbours from the same walk. */
async function* articlePages(
  db: Kysely<Database>,
  view: SiteView,
  channel: Channel,
  unit: number,
): AsyncGenerator<PlannedPage> {
  const channelPath = view.tree.path(channel.id);
  let index = 0;
  for await (const { article, ...around } of articlesInOrder(db, channel.id)) {
    yield {
      place: { phase: 2, unit, index: index++ },
      path: articlePath(channelPath, article, view.site.timeZone),
      // A typed item's page shows the items related to it, read with its model.
      source: () => (article.contentType === 'article' ? { article, around } : articlePageSource(db, view, article)),
    };
  }
}

async function* allPages(db: Kysely<Database>, view: SiteView, from: Place): AsyncGenerator<PlannedPage> {
  const channels = view.tree.all();
  if (from.phase <= 0)
    yield* fixedPages(
      db,
      view,
      await siteSitemapLayout(db, view),
      await letterPaths(db, view),
      await libraryPaths(db, view),
    );
  const lists = channels.filter((c) => c.type === 'list');
  // The home sites of placed entries (引用), read once for the whole build.
  const views: SiteViews = new Map();
  for (const [unit, channel] of lists.entries())
    if (from.phase < 1 || (from.phase === 1 && unit >= from.unit)) yield* listPages(db, view, channel, unit, views);
  for (const [unit, channel] of channels.entries()) {
    if (channel.type === 'link' || (from.phase === 2 && unit < from.unit)) continue;
    yield* articlePages(db, view, channel, unit);
  }
  yield* copyPages(db, view, channels.length);
}

/** The copies a site keeps of other sites' articles placed in its columns, when it keeps copies. */
async function* copyPages(db: Kysely<Database>, view: SiteView, unit: number): AsyncGenerator<PlannedPage> {
  if ((await sites.findPlacedPages(db, view.site.id)) !== 'copy') return;
  let index = 0;
  for (const placed of await placements.livePlacedFromElsewhere(db, view.site.id)) {
    if (!view.tree.get(placed.channelId)) continue;
    const path = articlePath(
      view.tree.path(placed.channelId),
      { id: placed.articleId, publishedAt: placed.publishedAt, createdAt: placed.createdAt },
      view.site.timeZone,
    );
    yield {
      place: { phase: 2, unit, index: index++ },
      path,
      source: async () => {
        const resolved = await resolvePublicPath(db, view, path);
        return resolved.kind === 'page' ? resolved.source : null;
      },
    };
  }
}

/** The 政策文件库's pages: its front page and every chunk (none without policy columns). */
async function libraryPaths(db: Kysely<Database>, view: SiteView): Promise<string[]> {
  const ids = libraryChannelIds(view.tree);
  if (ids.length === 0) return [];
  const chunks = chunkCount(await articles.countPublished(db, ids));
  return [LIBRARY_PATH, ...Array.from({ length: chunks }, (_, i) => channelPagePath(LIBRARY_PATH, i + 1))];
}

/** How many pages the whole site has: the progress bar's end. */
async function countPages(db: Kysely<Database>, view: SiteView): Promise<number> {
  const { tree } = view;
  // Home, robots.txt, /look.css, two feeds, /sitemap.xml and /sitemap.html.
  let pages = 7 + (await siteSitemapLayout(db, view)).parts;
  for (const channel of tree.all()) {
    if (channel.type === 'page') pages++;
    if (channel.type === 'list')
      pages += listLayout(await articles.countPublished(db, tree.subtreeIds(channel.id))).chunks + 3;
  }
  return pages + (await articles.countPublished(db, { siteId: view.site.id }));
}

function rendererFor(publisher: Publisher, view: SiteView, options: BuildOptions): PageRenderer {
  const { output, theme } = publisher;
  const workers = options.workers ?? 0;
  if ((options.threads || workers > 0) && output instanceof OutputStore) {
    return workerRenderer(options.threads ?? startRenderThreads(workers), {
      themeDir: theme.dir,
      outputDir: output.dir,
      site: view.site,
      channels: view.tree.all(),
      addedFields: view.addedFields,
      look: view.look,
      overrides: view.overrides,
    });
  }
  // Threads started for a store they cannot write (ended by buildSite): rendered here instead.
  return inlineRenderer(theme, view, output);
}

/**
 * `gazette build`: renders every page of the site into the output store. The site is read in
 * order, channel by channel, and rendered in batches (on worker threads when asked) while the
 * next batch is read. Progress is saved after each batch, so a build that was killed carries on
 * from its last batch; pages whose bytes did not change are not written again.
 */
export async function buildSite(publisher: Publisher, options: BuildOptions = {}): Promise<BuildSummary> {
  const started = performance.now();
  try {
    const view = await publisher.site();
    if (!view) return { pages: 0, written: 0, unchanged: 0, seconds: 0, resumed: false };
    // Given the site first: the threads take it in while this one reads where to begin.
    const renderer = rendererFor(publisher, view, options);
    try {
      return await renderSite(publisher, view, renderer, options, started);
    } finally {
      await renderer.close();
    }
  } finally {
    // Threads handed in end with the build, whatever became of it (ending them twice is harmless).
    await options.threads?.terminate();
  }
}

/** The build itself, with its renderer (closed by the caller). */
async function renderSite(
  publisher: Publisher,
  view: SiteView,
  renderer: PageRenderer,
  options: BuildOptions,
  started: number,
): Promise<BuildSummary> {
  const { store, clock } = publisher;
  const db = store.db;
  const prefix = siteKeyPrefix(view.site.id);
  await publisher.output.removeLeftovers();
  const previous = await manifest.unfinishedBuild(db, view.site.id);
  const run = previous ?? (await manifest.startBuild(db, view.site.id, clock.now()));
  const from = parsePlace(run.cursor);
  const counts = { done: run.done, written: run.written, unchanged: 0 };
  const total = await countPages(db, view);

  let saved: Promise<void> = Promise.resolve();
  const inFlight: Promise<void>[] = [];
  const send = async (batch: { page: PlannedPage; source: PageSource }[]) => {
    const known = await manifest.knownHashes(
      db,
      batch.map((b) => prefix + b.page.path),
    );
    const jobs: PageJob[] = batch.map(({ page, source }) => ({
      path: page.path,
      source,
      knownHash: known.get(prefix + page.path) ?? null,
    }));
    const storing = renderer.store(jobs);
    // Awaited in its turn below; until then a failure must not count as unhandled.
    storing.catch(() => {});
    const last = batch[batch.length - 1]?.page.place;
    // Batches are recorded in order, whichever finishes rendering first.
    saved = saved.then(async () => {
      const pages = await storing;
      const at = clock.now().toISOString();
      const written = pages.filter((p) => p.outcome === 'written');
      await manifest.recordPages(
        store,
        written.map((p) => ({ path: prefix + p.path, hash: p.hash, size: p.size, updatedAt: at })),
      );
      counts.done += pages.length;
      counts.written += written.length;
      counts.unchanged += pages.length - written.length;
      const cursor = last ? placeText({ ...last, index: last.index + 1 }) : run.cursor;
      await manifest.saveBuildProgress(db, run.id, { cursor, done: counts.done, written: counts.written });
      options.onProgress?.({ done: counts.done, total });
    });
    // Awaited in its turn (or by the next batch's, which it fails): until then, while this thread
    // reads the next batch from the store, a failure must not count as unhandled.
    saved.catch(() => {});
    inFlight.push(saved);
    if (inFlight.length >= IN_FLIGHT) await inFlight.shift();
  };

  try {
    let batch: { page: PlannedPage; source: PageSource }[] = [];
    let size = FIRST_BATCH;
    for await (const page of allPages(db, view, from)) {
      if (comesBefore(page.place, from) < 0) continue;
      const source = await page.source();
      if (!source) continue;
      batch.push({ page, source });
      if (batch.length >= size) {
        await send(batch);
        batch = [];
        size = Math.min(BATCH, size * 2);
      }
    }
    if (batch.length > 0) await send(batch);
    await saved;
  } finally {
    // A failed batch must not leave the others unawaited (the caller then stops the workers).
    await Promise.allSettled(inFlight);
  }
  await manifest.finishBuild(db, run.id, clock.now());
  return {
    pages: counts.done - run.done,
    written: counts.written - run.written,
    unchanged: counts.unchanged,
    seconds: (performance.now() - started) / 1000,
    resumed: previous !== undefined,
  };
}
