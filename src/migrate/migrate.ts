// A whole migration: check the source is a site, crawl it, then what can only be done once every
// page is in: old list pages redirected to their columns, and links to pages that came over later
// pointed at their new places.
import { ChannelTree, GazetteError, sanitizeBodyHtml, type Channel } from '../domain/index.js';
import { currentSite, relinkMigratedArticle, type ServiceContext } from '../services/index.js';
import { articles, channels, redirects } from '../store/index.js';
import { analyzePage } from './analyze.js';
import { crawl, type CrawlOptions, type CrawlTally } from './crawl.js';
import { memoryFrontier, storeFrontier, type Frontier } from './frontier.js';
import { oldPathOf, ownLinksIn, rewriteLinks } from './links.js';
import type { ExternalLink, MigrationColumn, MigrationReport } from './report.js';
import { decodePage, type Source } from './source/index.js';
import type { CmsFamily } from './types.js';

export interface MigrateOptions extends CrawlOptions {
  /** Carry on an interrupted run; without it a finished run is crawled again (and updates). */
  readonly resume: boolean;
  /** The source as given on the command line, for the report. */
  readonly sourceLabel: string;
}

type SiteContext = ServiceContext & { readonly siteId: number };

const BATCH = 200;

/** The home page must be a page of a site: answered, readable, and linking to more of it. */
async function requireSite(source: Source): Promise<void> {
  const url = `${source.origin}/`;
  const home = await source.get(url);
  const fail = (reason: string) => new GazetteError('MIGRATE_NOT_A_SITE', { url, reason });
  if (home.status >= 400) throw fail(`its home page answers HTTP ${home.status}`);
  if (home.status >= 300) throw fail(`its home page redirects off the site, to ${home.finalUrl}`);
  const decoded = decodePage(home.bytes, home.contentType);
  if (!decoded.ok) throw fail(`its home page cannot be read: ${decoded.reason}`);
  const page = analyzePage(home.finalUrl, home.status, decoded.text, source.origin);
  if (page.problem) throw fail(`its home page is a ${page.problem.kind} page: ${page.problem.reason}`);
  if (page.links.length === 0) throw fail('its home page links to no other page of the site');
}

export async function migrateSite(
  ctx: SiteContext,
  source: Source,
  options: MigrateOptions,
  progress: (done: number, known: number) => void,
): Promise<MigrationReport> {
  const startedAt = ctx.clock.now();
  const { site, tree: before } = await currentSite(ctx.store.db, ctx.siteId);
  await requireSite(source);
  const now = () => ctx.clock.now();
  const frontier = options.dryRun ? memoryFrontier(site.id, now) : storeFrontier(ctx.store.db, site.id, now);
  const counts = await frontier.counts();
  const finished = counts.queued === 0 && counts.done + counts.failed + counts.skipped > 0;
  if (finished && !options.resume) await frontier.restart();
  const tally = await crawl(ctx, source, frontier, options, progress);
  const externalLinks = options.dryRun ? [] : await afterCrawl(ctx, source, frontier);
  const after = new ChannelTree(await channels.listChannels(ctx.store.db, site.id));
  return {
    source: options.sourceLabel,
    site: site.domain,
    dryRun: options.dryRun,
    family: mostSeen(tally.families),
    startedAt: startedAt.toISOString(),
    finishedAt: ctx.clock.now().toISOString(),
    counts: {
      pagesSeen: tally.pagesSeen,
      articlesImported: tally.imported,
      articlesUpdated: tally.updated,
      articlesSkipped: [...tally.skipped.values()].reduce((a, b) => a + b, 0),
      articlesFailed: tally.articlesFailed,
    },
    skipped: Object.fromEntries(tally.skipped),
    failures: tally.failures,
    columns: columnsOf(tally, before, options.dryRun ? before : after),
    files: { fetched: tally.filesFetched, bytes: tally.fileBytes, failures: tally.fileFailures },
    notFound: tally.notFound,
    redirects: options.dryRun ? 0 : await redirects.countRedirects(ctx.store.db, site.id),
    externalLinks,
  };
}

async function afterCrawl(ctx: SiteContext, source: Source, frontier: Frontier): Promise<ExternalLink[]> {
  await redirectLists(ctx, frontier);
  return relinkArticles(ctx, source.origin);
}

/** The column a list of names leads to in the tree, if it exists. */
function findColumn(tree: ChannelTree, names: readonly string[]): Channel | undefined {
  let parentId: number | null = null;
  let channel: Channel | undefined;
  for (const name of names) {
    channel = tree.findChild(parentId, name);
    if (!channel) return undefined;
    parentId = channel.id;
  }
  return channel;
}

/**
 * Each old list page answers 301 to its column, once the column exists: a list whose articles
 * all failed or were skipped leads nowhere new, and no empty column is made for it.
 */
async function redirectLists(ctx: SiteContext, frontier: Frontier): Promise<void> {
  const tree = new ChannelTree(await channels.listChannels(ctx.store.db, ctx.siteId));
  for (let after = 0; ;) {
    const rows = await frontier.lists(after, BATCH);
    const last = rows[rows.length - 1];
    if (!last) return;
    after = last.seq;
    const found = rows.flatMap((row) => {
      const column = row.columns ? findColumn(tree, row.columns) : undefined;
      return column ? [{ oldPath: oldPathOf(row.url), target: tree.path(column.id), kind: 'list' as const }] : [];
    });
    if (found.length > 0) await redirects.putRedirects(ctx.store.db, ctx.siteId, found, ctx.clock.now());
  }
}

/** Links to old pages stored before those pages came over now point at them; the rest are reported. */
async function relinkArticles(ctx: SiteContext, origin: string): Promise<ExternalLink[]> {
  const external: ExternalLink[] = [];
  for (let after = 0; ;) {
    const batch = await articles.articlesWithBodyText(ctx.store.db, ctx.siteId, origin, after, BATCH);
    const last = batch[batch.length - 1];
    if (!last) return external;
    after = last.id;
    for (const article of batch) {
      const targets = new Map<string, string>();
      for (const url of ownLinksIn(article.bodyHtml, origin)) {
        const found = await redirects.findRedirect(ctx.store.db, ctx.siteId, oldPathOf(url));
        if (found) targets.set(url, found.target);
      }
      const rewritten = rewriteLinks(article.bodyHtml, origin, (url) => targets.get(url));
      for (const url of rewritten.unresolved) external.push({ articleId: article.id, title: article.title, url });
      if (targets.size > 0) await relinkMigratedArticle(ctx, article.id, sanitizeBodyHtml(rewritten.html));
    }
  }
}

function mostSeen(families: ReadonlyMap<CmsFamily, number>): CmsFamily {
  let best: CmsFamily = 'generic';
  let count = 0;
  for (const [family, seen] of families)
    if (seen > count) {
      best = family;
      count = seen;
    }
  return best;
}

/** The columns the run's articles went into, with whether the run made them. */
function columnsOf(tally: CrawlTally, before: ChannelTree, after: ChannelTree): MigrationColumn[] {
  return [...tally.columns]
    .map(([path, count]) => {
      const names = path.split(' > ');
      return {
        path,
        created: !findColumn(before, names) && (after === before || !!findColumn(after, names)),
        articles: count,
      };
    })
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
