import type { Clock } from '../../clock.js';
import { loadSiteView, OutputStore, siteKeyPrefix, siteOutputDir } from '../../publish/index.js';
import type { Kysely } from 'kysely';
import { manifest, sites, type Database, type Store } from '../../store/index.js';
import type { Theme } from '../../theme/index.js';
import { isHtmlPage, LinkChecker, type LinkFinding } from './check.js';
import type { ExternalOptions } from './external.js';
import { replaceFindings } from './findings.js';

/** What a link check runs with: the store, the theme (to ask the renderer), the output store and media. */
export interface LinkCheckContext {
  readonly store: Store;
  readonly clock: Clock;
  readonly theme: Theme;
  /** The output store's root (each site's pages in its folder of it). */
  readonly outputDir: string;
  readonly mediaDir: string;
  /** The site checked; absent, the platform's only site. */
  readonly siteId?: number | undefined;
}

export interface LinkSweep {
  readonly pages: number;
  readonly findings: readonly LinkFinding[];
  readonly external: boolean;
}

const BATCH = 500;

/** The hosts of the platform's other active sites, host → site id: links to them are checked as internal. */
async function platformHostsOf(db: Kysely<Database>, ownSiteId: number): Promise<Map<string, number>> {
  const hosts = new Map<string, number>();
  for (const site of await sites.listSites(db)) {
    if (site.id === ownSiteId || site.status !== 'active') continue;
    for (const host of site.hosts) hosts.set(host, site.id);
  }
  return hosts;
}

/**
 * One page's check, then a turn of the event loop: on SQLite every query answers at once, and a
 * check of many pages would otherwise hold the server's thread until it ended, readers waiting.
 */
async function checkYielding(checker: LinkChecker, pagePath: string): Promise<LinkFinding[]> {
  const found = await checker.checkPage(pagePath);
  await new Promise((resolve) => setImmediate(resolve));
  return found;
}

/** Checks every published page of the site and replaces all stored findings with what it found. */
export async function sweepLinks(
  ctx: LinkCheckContext,
  options: { external?: boolean | ExternalOptions } = {},
): Promise<LinkSweep> {
  const db = ctx.store.db;
  const view = await loadSiteView(db, ctx.siteId);
  if (!view) return { pages: 0, findings: [], external: false };
  const output = new OutputStore(siteOutputDir(ctx.outputDir, view.site.id));
  const platformHosts = await platformHostsOf(db, view.site.id);
  const checker = new LinkChecker({
    db,
    theme: ctx.theme,
    output,
    mediaDir: ctx.mediaDir,
    view,
    external: options.external ?? false,
    platformHosts,
  });
  const findings: LinkFinding[] = [];
  let pages = 0;
  for (let after = ''; ;) {
    const batch = await manifest.sitePagesAfter(db, siteKeyPrefix(view.site.id), after, BATCH);
    const html = batch.filter((row) => isHtmlPage(row.path));
    pages += html.length;
    for (const row of html) findings.push(...(await checkYielding(checker, row.path)));
    const last = batch[batch.length - 1];
    if (!last || batch.length < BATCH) break;
    after = last.path;
  }
  await replaceFindings(db, view.site.id, 'all', findings, ctx.clock.now());
  return { pages, findings, external: Boolean(options.external) };
}

/** Checks exactly these pages (internal links and media) and replaces their findings. */
export async function checkPages(
  ctx: LinkCheckContext,
  output: OutputStore,
  paths: readonly string[],
): Promise<LinkFinding[]> {
  const view = await loadSiteView(ctx.store.db, ctx.siteId);
  const pages = paths.filter(isHtmlPage);
  if (!view || pages.length === 0) return [];
  const checker = new LinkChecker({
    db: ctx.store.db,
    theme: ctx.theme,
    output,
    mediaDir: ctx.mediaDir,
    view,
    platformHosts: await platformHostsOf(ctx.store.db, view.site.id),
  });
  const findings: LinkFinding[] = [];
  for (const page of pages) findings.push(...(await checkYielding(checker, page)));
  await replaceFindings(ctx.store.db, view.site.id, pages, findings, ctx.clock.now());
  return findings;
}

/** How long after a publish its pages are checked: readers fetching the new pages go first. */
const CHECK_DELAY_MS = 1_000;

/**
 * The check run after each publish: the pages that changed are checked in the background a
 * moment later, together with those of the publishes that came meanwhile (a page published
 * twice is checked once), so publishing and the readers of what it published never wait for it.
 * `idle()` checks what is pending at once and waits for it. A removed page (a withdrawn article)
 * loses its findings; the pages linking to it are found by the nightly sweep.
 */
export function linkCheckOnPublish(
  ctx: LinkCheckContext,
  output: OutputStore,
  onError: (error: unknown) => void,
): { pages(paths: readonly string[]): void; idle(): Promise<void> } {
  let queue: Promise<void> = Promise.resolve();
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (pending.size === 0) return;
    const paths = [...pending];
    pending = new Set();
    queue = queue.then(() => checkPages(ctx, output, paths)).then(() => undefined, onError);
  };
  return {
    pages(paths) {
      for (const path of paths) pending.add(path);
      if (!timer) {
        timer = setTimeout(flush, CHECK_DELAY_MS);
        timer.unref();
      }
    },
    idle() {
      flush();
      return queue;
    },
  };
}
