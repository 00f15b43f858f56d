import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import { channelPagePath, chunkCount, feedPath, sitemapPath } from '../domain/index.js';
import { articlePath } from '../domain/index.js';
import { articles, manifest, type Database } from '../store/index.js';
import { SITEMAP_LIMIT, sitemapLayout } from './feeds.js';
import type { SiteView } from './pages.js';
import type { PageOutcome, Publisher } from './publisher.js';
import { loadSiteView } from './render.js';

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

const BATCH = 200;
const PARALLEL = 16;

type Phase = 'fixed' | 'channels' | 'articles';

/** Every page of the site that is not an article: home, feeds, sitemap, channel pages. */
async function sitePages(db: Kysely<Database>, view: SiteView): Promise<string[]> {
  const { tree } = view;
  const paths = ['/', '/robots.txt', feedPath('/', 'rss'), feedPath('/', 'atom')];
  const fixed = 1 + tree.all().filter((c) => c.type !== 'link').length;
  const layout = sitemapLayout(await articles.maxArticleId(db), fixed, SITEMAP_LIMIT);
  paths.push(sitemapPath(null));
  for (let part = 1; part <= layout.parts; part++) paths.push(sitemapPath(part));
  for (const channel of tree.all()) {
    if (channel.type === 'link') continue;
    const path = tree.path(channel.id);
    paths.push(channelPagePath(path, null));
    if (channel.type !== 'list') continue;
    const chunks = chunkCount(await articles.countPublished(db, tree.subtreeIds(channel.id)));
    for (let k = 1; k <= chunks; k++) paths.push(channelPagePath(path, k));
    paths.push(feedPath(path, 'rss'), feedPath(path, 'atom'));
  }
  return paths;
}

/**
 * `gazette build`: renders every page of the site into the output store. Progress is saved
 * after each batch, so a build that was killed carries on from its last batch; pages whose bytes
 * did not change are not written again.
 */
export async function buildSite(
  db: Kysely<Database>,
  publisher: Publisher,
  clock: Clock,
  onProgress?: (progress: BuildProgress) => void,
): Promise<BuildSummary> {
  const started = performance.now();
  const view = await loadSiteView(db);
  if (!view) return { pages: 0, written: 0, unchanged: 0, seconds: 0, resumed: false };
  const previous = await manifest.unfinishedBuild(db);
  const run = previous ?? (await manifest.startBuild(db, clock.now()));
  const [phase = 'fixed', mark = '0'] = run.cursor.split(':') as [Phase?, string?];
  const counts = { done: run.done, written: run.written, unchanged: 0 };
  const total = (await articles.countPublished(db, { siteId: view.site.id })) + (await sitePages(db, view)).length;

  const publish = async (paths: readonly string[], cursor: string) => {
    for (let i = 0; i < paths.length; i += PARALLEL) {
      const outcomes: PageOutcome[] = await Promise.all(paths.slice(i, i + PARALLEL).map((p) => publisher.publishPath(p, view)));
      for (const outcome of outcomes) {
        if (outcome === 'written') counts.written++;
        else counts.unchanged++;
      }
    }
    counts.done += paths.length;
    await manifest.saveBuildProgress(db, run.id, { cursor, done: counts.done, written: counts.written });
    onProgress?.({ done: counts.done, total });
  };

  if (phase !== 'articles') {
    const pages = await sitePages(db, view);
    const from = phase === 'channels' ? Number(mark) : 0;
    for (let i = from; i < pages.length; i += BATCH) await publish(pages.slice(i, i + BATCH), `channels:${Math.min(pages.length, i + BATCH)}`);
  }
  let afterId = phase === 'articles' ? Number(mark) : 0;
  for (;;) {
    const batch = await articles.publishedBatch(db, view.site.id, afterId, BATCH);
    if (batch.length === 0) break;
    afterId = batch[batch.length - 1]?.id ?? afterId;
    await publish(batch.map((a) => articlePath(view.tree.path(a.channelId), a, view.site.timeZone)), `articles:${afterId}`);
  }
  await manifest.finishBuild(db, run.id, clock.now());
  return { pages: counts.done, written: counts.written, unchanged: counts.unchanged, seconds: (performance.now() - started) / 1000, resumed: previous !== undefined };
}
