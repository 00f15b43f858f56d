import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import { ChannelTree, articlePath, type ContentEvent } from '../domain/index.js';
import {
  articles,
  letters,
  exclusively,
  manifest,
  publishTasks,
  type Database,
  type PublishTaskRow,
  type Store,
} from '../store/index.js';
import type { Theme } from '../theme/index.js';
import { pagesForChannelChange } from './channel-deps.js';
import { mergeChanges, pagesForArticle, pagesForPlacement, pagesShowingItem, type PageChanges } from './deps.js';
import { pagesForLetter } from './letter-pages.js';
import { homeShowsMarked } from './home-deps.js';
import { pagesForLook } from './look-deps.js';
import { pagesForTemplates } from './theme-deps.js';
import type { SiteView } from './pages.js';
import { articlePageSource, resolvePublicPath, loadSiteView, type Resolved } from './render.js';
import type { PageStore } from './output.js';
import { storePage, type StoredPage } from './page-job.js';
import { siteKeyPrefix } from './site-output.js';
import { Limiter } from '../limiter.js';

export type PageOutcome = 'written' | 'unchanged' | 'removed' | 'absent';

/** What a reader's request for a page the store does not hold came to: the page stored, or what the path is instead. */
export type MissingPage =
  | { readonly view: SiteView; readonly stored: StoredPage; readonly instead: null }
  | { readonly view: SiteView | null; readonly stored: null; readonly instead: Exclude<Resolved, { kind: 'page' }> };

/** An article's own page, stored ahead of the rest of its run. */
interface LeadPage {
  readonly path: string;
  readonly stored: StoredPage;
}

export interface PublishRun {
  readonly event: ContentEvent | null;
  /** Every page the change touched, and what became of each. */
  readonly pages: ReadonlyMap<string, PageOutcome>;
  readonly ms: number;
}

export interface PublisherOptions {
  /** Told the paths whose bytes changed or went, after they are on disk (cache eviction, CDN purge). */
  readonly onChange?: (paths: readonly string[]) => void | Promise<void>;
  /**
   * Told each time pages of a run are recorded in the manifest, before the run goes on: the
   * article's own page is recorded on its own first, so front servers can take it at once.
   */
  readonly onRecorded?: () => void;
  /** Told of every run, for measuring and tests. */
  readonly onRun?: (run: PublishRun) => void;
  /** Told of a run that failed (its task is tried again shortly), for the log. */
  readonly onError?: (error: unknown, event: ContentEvent) => void;
  /** The site whose pages this publisher keeps; absent, the platform's only site. */
  readonly siteId?: number;
  /**
   * Told of a page on which a template of the site's own failed (its name and line in the
   * message): the page stored before was kept, or the default theme's written, and the run went on.
   */
  readonly onTemplateError?: (path: string, message: string) => void;
}

/** Pages of a run recorded in the manifest together. */
export const RUN_GROUP = 32;
/**
 * Pages of a run rendered at once. Each render asks the store a few questions in turn; more at
 * once would take every connection of the pool for tens of milliseconds, and readers asking for
 * a page nobody has stored yet (the article just published, say) would queue behind the run.
 */
const RUN_PARALLEL = 4;
/** Runs of more pages than this record their progress on their publish task. */
export const PROGRESS_FROM = 50;

/**
 * Every process that publishes takes this lock for a run, so runs on one store never interleave
 * (verify-output's repairs take it too, so a repair never writes over a run's newer page).
 */
export const PUBLISH_LOCK = 'gazette.publish';

/**
 * Turns content events into files: asks the dependency map which pages an event touches,
 * renders exactly those (the article's own page first, so it is served soonest), and writes
 * the ones whose bytes changed. Runs one event at a time, in order, and one run at a time across
 * every instance on the store: a run that starts after another's commit renders what both did.
 * Each event is a publish task in the store until its pages are written, so one whose instance
 * dies half way is finished by another (`recoverAbandoned`). A publisher keeps one site's pages
 * (its own folder of the output store, its own keys in the manifest); the paths it takes and
 * reports are that site's public paths.
 */
export class Publisher {
  private queue: Promise<void> = Promise.resolve();
  readonly failures: unknown[] = [];
  private readonly db: Kysely<Database>;
  private readonly rendering = new Limiter(RUN_PARALLEL);
  /** Lead pages being stored now, by path (see written). */
  private readonly leading = new Map<string, Promise<StoredPage | null>>();

  constructor(
    readonly store: Store,
    readonly theme: Theme,
    readonly output: PageStore,
    readonly clock: Clock,
    private readonly options: PublisherOptions = {},
  ) {
    this.db = store.db;
  }

  /**
   * Queues the work for an event; returns at once (the writer's transaction is already done).
   * `taskId`: the publish task the writer recorded with its change (the outbox); without one,
   * the task is written here, before the work starts.
   */
  handle(event: ContentEvent, taskId?: number): void {
    this.enqueue(async () => {
      const task =
        taskId ??
        (await publishTasks.addTask(this.db, JSON.stringify(event), this.clock.now(), publishTasks.THIS_INSTANCE));
      await this.runTask(task, event);
    });
  }

  /** The site whose pages this publisher keeps (the only site when none was named). */
  async site(): Promise<SiteView | null> {
    return loadSiteView(this.db, this.options.siteId);
  }

  /** The manifest key prefix of this publisher's site. */
  private async prefix(view?: SiteView | null): Promise<string> {
    const site = view ?? (await this.site());
    return site ? siteKeyPrefix(site.site.id) : '';
  }

  /** Finishes the tasks of instances that stopped renewing them (killed, cut off). */
  async recoverAbandoned(): Promise<number> {
    let taken = 0;
    for (const task of await publishTasks.abandonedTasks(this.db, this.clock.now(), 100))
      if (await this.resume(task)) taken++;
    await this.idle();
    return taken;
  }

  /** Takes over another instance's abandoned task and queues it; false when someone else took it first. */
  async resume(task: PublishTaskRow): Promise<boolean> {
    if (!(await publishTasks.takeOver(this.db, task, this.clock.now(), publishTasks.THIS_INSTANCE))) return false;
    this.enqueue(() => this.runTask(task.id, JSON.parse(task.event) as ContentEvent));
    return true;
  }

  /** Resolves when every queued event has been published. */
  idle(): Promise<void> {
    return this.queue;
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch((error: unknown) => void this.failures.push(error));
  }

  /** Runs a task under the store-wide lock, renewing its claim while it lasts, then closes it. */
  private async runTask(taskId: number, event: ContentEvent): Promise<void> {
    const renewal = setInterval(
      () => void publishTasks.renewTask(this.db, taskId, this.clock.now()).catch(() => {}),
      publishTasks.TASK_LEASE_MS / 3,
    );
    renewal.unref();
    try {
      await exclusively(this.store, PUBLISH_LOCK, () => this.run(event, taskId));
    } catch (error) {
      await publishTasks.retryLater(this.db, taskId, this.clock.now()).catch(() => {});
      this.options.onError?.(error, event);
      throw error;
    } finally {
      clearInterval(renewal);
    }
    await publishTasks.finishTask(this.db, taskId);
  }

  private async run(event: ContentEvent, taskId: number): Promise<void> {
    const started = performance.now();
    const view = await this.site();
    // The page a reader waits for is made first, before the rest of the run is worked out: side
    // by side, the dependency map's queries slowed it by as much as they saved.
    const lead = view ? await this.leadPage(event, view) : null;
    const changes = await this.changesFor(event, view);
    const progress = (done: number, total: number) =>
      publishTasks.recordProgress(this.db, taskId, done, total).catch(() => undefined);
    const pages = changes === 'site' ? await this.rebuildKnown() : await this.apply(changes, view, lead, progress);
    this.options.onRun?.({ event, pages, ms: performance.now() - started });
  }

  /**
   * A published or edited article's own page, stored at once: the dependency map's queries for
   * the lists and feeds it touches need not come before it. Null for other events, and for an
   * article that is not published on this site (the run then decides what becomes of its page).
   */
  private async leadPage(event: ContentEvent, view: SiteView): Promise<LeadPage | null> {
    if (event.type !== 'article.published' && event.type !== 'article.updated') return null;
    const article = await articles.findArticle(this.db, event.articleId);
    if (
      !article ||
      article.status !== 'published' ||
      article.siteId !== view.site.id ||
      !view.tree.get(article.channelId)
    )
      return null;
    const path = articlePath(view.tree.path(article.channelId), article, view.site.timeZone);
    const storing = (async () => {
      const [known, source] = await Promise.all([
        manifest.findPage(this.db, siteKeyPrefix(view.site.id) + path),
        articlePageSource(this.db, view, article),
      ]);
      return source
        ? this.noted(await storePage(this.theme, view, this.output, { path, source, knownHash: known?.hash ?? null }))
        : null;
    })();
    this.leading.set(path, storing);
    try {
      const stored = await storing;
      return stored && { path, stored };
    } finally {
      this.leading.delete(path);
    }
  }

  /**
   * Waits until the page at a path is stored, when a run is storing it now as its lead page, and
   * says whether it waited (false at once otherwise). A reader who asks for an article's page
   * while its publish writes it waits for that write instead of rendering the page beside it.
   */
  async written(urlPath: string): Promise<boolean> {
    const storing = this.leading.get(urlPath);
    if (!storing) return false;
    await storing.catch(() => undefined);
    return true;
  }

  /** The pages an event touches, or 'site' for every page the store holds (a task of an earlier version). */
  async changesFor(event: ContentEvent, siteView?: SiteView | null): Promise<PageChanges | 'site'> {
    const view = siteView === undefined ? await this.site() : siteView;
    if (event.type === 'channel.changed' || event.type === 'channel.deleted') {
      // A task saved by an earlier version carries no tree to compare with: every known page.
      if (!Array.isArray(event.before)) return 'site';
      if (!view) return { render: new Set(), remove: new Set() };
      return pagesForChannelChange(
        this.db,
        view.site,
        new ChannelTree(event.before),
        view.tree,
        () => this.knownPaths(),
        view.look,
      );
    }
    if (event.type === 'letter.changed') {
      const letter = await letters.findLetter(this.db, event.letterId);
      if (!view || !letter || letter.siteId !== view.site.id) return { render: new Set(), remove: new Set() };
      return pagesForLetter(this.db, view, letter, event.change);
    }
    if (event.type === 'placement.changed') {
      if (!view) return { render: new Set(), remove: new Set() };
      const entry = {
        id: event.articleId,
        channelId: event.channelId,
        publishedAt: event.publishedAt,
        createdAt: event.publishedAt,
      };
      return pagesForPlacement(this.db, view, entry, event.change);
    }
    if (event.type === 'look.changed') {
      if (!view) return { render: new Set(), remove: new Set() };
      return pagesForLook(event.parts, () => this.knownPaths());
    }
    if (event.type === 'theme.changed') {
      if (!view) return { render: new Set(), remove: new Set() };
      return pagesForTemplates(event.templates, () => this.knownPaths(), view, this.theme.dir);
    }
    const article = await articles.findArticle(this.db, event.articleId);
    if (!view || !article || article.siteId !== view.site.id) return { render: new Set(), remove: new Set() };
    switch (event.type) {
      case 'article.marked':
        // Only the home page shows the marks, and only of articles published on the site.
        return { render: new Set((await homeShowsMarked(this.db, view, article)) ? ['/'] : []), remove: new Set() };
      case 'item.shown':
        return pagesShowingItem(view, article);
      case 'article.published':
        return pagesForArticle(this.db, view, article, 'added');
      case 'article.withdrawn':
      case 'article.deleted':
        return pagesForArticle(this.db, view, article, 'removed');
      case 'article.updated': {
        const moved =
          event.previousChannelId !== article.channelId ||
          (event.previousPublishedAt ?? article.publishedAt) !== article.publishedAt;
        if (!moved) return pagesForArticle(this.db, view, article, event.valuesOnly ? 'marked' : 'edited');
        const before = {
          ...article,
          channelId: event.previousChannelId,
          publishedAt: event.previousPublishedAt ?? article.publishedAt,
        };
        const gone = await pagesForArticle(this.db, view, before, 'removed');
        const now = await pagesForArticle(this.db, view, article, 'added');
        // The old address redirects now (served dynamically), unless it is the same address.
        const oldPath = articlePath(view.tree.path(before.channelId), before, view.site.timeZone);
        const merged = mergeChanges(gone, now);
        return merged.render.has(oldPath)
          ? merged
          : { render: merged.render, remove: new Set([...merged.remove, oldPath]) };
      }
    }
  }

  /**
   * Renders and stores each page; the article's own page goes first. The pages of a run are
   * made side by side, a few at a time (one renders while another compresses and writes on libuv's threads), and
   * the manifest is read and written once per group of pages, not once per page.
   */
  async apply(
    changes: PageChanges,
    siteView?: SiteView | null,
    lead: LeadPage | null = null,
    progress?: (done: number, total: number) => Promise<void>,
  ): Promise<Map<string, PageOutcome>> {
    const outcomes = new Map<string, PageOutcome>();
    // The site and its channel tree are read once for the whole run, not once per page.
    const view = siteView === undefined ? await this.site() : siteView;
    const prefix = await this.prefix(view);
    const order = [...new Set([...(lead ? [lead.path] : []), ...changes.render])].sort((a, b) => rank(a) - rank(b));
    if (lead?.stored.outcome === 'written') {
      // The page the reader waits for is in the manifest before the lists are rendered.
      const page = lead.stored;
      const at = this.clock.now().toISOString();
      await manifest.recordPages(this.store, [
        { path: prefix + page.path, hash: page.hash, size: page.size, updatedAt: at },
      ]);
      this.options.onRecorded?.();
    }
    if (lead) outcomes.set(lead.path, lead.stored.outcome);
    // A large run (a new look, a template) tells its task how far it got, for the back office.
    const report = order.length > PROGRESS_FROM ? progress : undefined;
    await report?.(0, order.length);
    let done = 0;
    for (const paths of groupsOf(order)) {
      const rest = paths.filter((path) => path !== lead?.path);
      const known = await manifest.knownHashes(
        this.db,
        rest.map((path) => prefix + path),
      );
      const stored = await Promise.all(
        paths.map(async (path) =>
          path === lead?.path
            ? lead.stored
            : view
              ? this.rendering.run(() => this.storePath(path, view, known.get(prefix + path) ?? null))
              : null,
        ),
      );
      const at = this.clock.now().toISOString();
      const written = stored.filter((page): page is StoredPage => page?.outcome === 'written' && page !== lead?.stored);
      await manifest.recordPages(
        this.store,
        written.map((page) => ({ path: prefix + page.path, hash: page.hash, size: page.size, updatedAt: at })),
      );
      if (written.length > 0) this.options.onRecorded?.();
      for (const [j, path] of paths.entries()) {
        const page = stored[j];
        outcomes.set(path, page ? page.outcome : await this.removePath(path, prefix));
      }
      done += paths.length;
      await report?.(done, order.length);
    }
    for (const path of changes.remove) outcomes.set(path, await this.removePath(path, prefix));
    const changed = [...outcomes].filter(([, o]) => o === 'written' || o === 'removed').map(([p]) => p);
    if (changed.length > 0) await this.options.onChange?.(changed);
    return outcomes;
  }

  /** Renders one page into the store; a page that no longer exists is removed from it. */
  async publishPath(urlPath: string, siteView?: SiteView): Promise<PageOutcome> {
    const view = siteView ?? (await this.site());
    if (!view) return 'absent';
    const prefix = await this.prefix(view);
    const stored = await this.storePath(
      urlPath,
      view,
      (await manifest.findPage(this.db, prefix + urlPath))?.hash ?? null,
    );
    if (!stored) return this.removePath(urlPath, prefix);
    await this.record(stored, prefix);
    return stored.outcome;
  }

  /**
   * A page a reader asks for that the store does not hold, rendered into it; else what the path
   * is instead (a redirect, a withdrawn article, nothing), with the site it was resolved in, so
   * that the answer needs no second look. Unlike publishPath it never removes anything: a
   * reader's request is not under the publish lock, and a page found missing here may be
   * written by a run meanwhile.
   */
  async renderMissing(urlPath: string): Promise<MissingPage> {
    const view = await this.site();
    if (!view) return { view: null, stored: null, instead: { kind: 'not-found' } };
    const resolved = await resolvePublicPath(this.db, view, urlPath);
    if (resolved.kind !== 'page') return { view, stored: null, instead: resolved };
    const prefix = await this.prefix(view);
    const known = await manifest.findPage(this.db, prefix + urlPath);
    const stored = this.noted(
      await storePage(this.theme, view, this.output, {
        path: urlPath,
        source: resolved.source,
        knownHash: known?.hash ?? null,
      }),
    );
    await this.record(stored, prefix);
    return { view, stored, instead: null };
  }

  /** A page whose bytes changed goes into the manifest as its newest change. */
  private async record(stored: StoredPage, prefix: string): Promise<void> {
    if (stored.outcome !== 'written') return;
    await manifest.recordPage(this.store, {
      path: prefix + stored.path,
      hash: stored.hash,
      size: stored.size,
      updatedAt: this.clock.now().toISOString(),
    });
  }

  /** The page at a path rendered into the output store, or null when the path is not a page (any more). */
  private async storePath(urlPath: string, view: SiteView, knownHash: string | null): Promise<StoredPage | null> {
    const resolved = await resolvePublicPath(this.db, view, urlPath);
    if (resolved.kind !== 'page') return null;
    return this.noted(
      await storePage(this.theme, view, this.output, { path: urlPath, source: resolved.source, knownHash }),
    );
  }

  /** A page a template of the site's own failed on is reported (it was kept, see StoredPage). */
  private noted(stored: StoredPage): StoredPage {
    if (stored.templateError) this.options.onTemplateError?.(stored.path, stored.templateError);
    return stored;
  }

  async removePath(urlPath: string, sitePrefix?: string): Promise<PageOutcome> {
    const prefix = sitePrefix ?? (await this.prefix());
    const known = await manifest.findPage(this.db, prefix + urlPath);
    await this.output.remove(urlPath);
    if (!known) return 'absent';
    await manifest.forgetPage(this.store, prefix + urlPath, this.clock.now());
    return 'removed';
  }

  /** Every page the store holds, rendered again (a change to the navigation reaches them all). */
  async rebuildKnown(): Promise<Map<string, PageOutcome>> {
    return this.apply({ render: new Set(await this.knownPaths()), remove: new Set() });
  }

  /** Every page of the site the output store holds, by the manifest. */
  private async knownPaths(): Promise<string[]> {
    const prefix = await this.prefix();
    const paths: string[] = [];
    for (let after = ''; ;) {
      const batch = await manifest.sitePagesAfter(this.db, prefix, after, 1000);
      if (batch.length === 0) break;
      paths.push(...batch.map((row) => row.path));
      after = batch[batch.length - 1]?.path ?? after;
    }
    return paths;
  }
}

/**
 * The run's pages in groups made side by side, one rank after another (see rank), so that the
 * pages a reader waits for are written and served without waiting for the ones made after them:
 * the article pages as one group, each other rank RUN_GROUP at a time.
 */
function groupsOf(order: readonly string[]): string[][] {
  const groups: string[][] = [];
  for (const path of order) {
    const last = groups[groups.length - 1];
    const first = last?.[0];
    const joins =
      last &&
      first !== undefined &&
      rank(first) === rank(path) &&
      (rank(path) === ARTICLE_PAGES || last.length < RUN_GROUP);
    if (joins) last.push(path);
    else groups.push([path]);
  }
  return groups;
}

/**
 * The order a run stores its pages in, each rank recorded in the manifest before the next is
 * rendered. A published article's own page is stored before all of them (leadPage); then come
 * the column front pages and the home page, where readers look for it; then the other article
 * pages (its neighbours, whose 上一篇/下一篇 links changed, or every one after a new look); then
 * the other list pages; then feeds and site maps.
 */
function rank(path: string): number {
  if (path.endsWith('/')) return 0;
  if (/_\d+\.html$/.test(path) && !/\/index_\d+\.html$/.test(path)) return ARTICLE_PAGES;
  if (path.endsWith('.html')) return 2;
  return 3;
}

/** The rank of article pages: the one rank whose pages go as one group, however many. */
const ARTICLE_PAGES = 1;
