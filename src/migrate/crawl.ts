// The crawl: a few workers take the frontier's next URL in the order it was found, read the page,
// add its links, and store what it holds. Each article is one transaction; a page that fails is
// reported and the run goes on.
import { GazetteError, sanitizeBodyHtml, htmlToText } from '../domain/index.js';
import { currentSite, storeMigratedArticle, type ServiceContext } from '../services/index.js';
import { redirects, type MigrationUrlRow } from '../store/index.js';
import { analyzePage, proxyKey, type AnalyzedPage } from './analyze.js';
import { contentHashOf, joinPages, readPublishedAt } from './article.js';
import { columnsFor, type ColumnMap } from './columns.js';
import { datastoreLinks, sitemapLinks } from './discover/index.js';
import { imageName, keepFile, type FileLimits, type FileOutcome, type WantedFile } from './files.js';
import { fileFromLink } from './extract/index.js';
import type { Frontier, FrontierEntry } from './frontier.js';
import { oldPathOf, ownLinksIn, rewriteLinks } from './links.js';
import type { MigrationFailure } from './report.js';
import { decodePage, type Source } from './source/index.js';
import type { CmsFamily, ExtractedArticle } from './types.js';

export interface CrawlOptions {
  readonly dryRun: boolean;
  /** Articles published before this are skipped. */
  readonly since: Date | null;
  readonly columnMap: ColumnMap;
  readonly concurrency: number;
  readonly fileLimits: FileLimits;
}

/** What the crawl counts as it goes; the report is made of it. */
export interface CrawlTally {
  pagesSeen: number;
  imported: number;
  updated: number;
  skipped: Map<string, number>;
  failures: MigrationFailure[];
  /** Of the failures, those of article pages (the exit status is 1 when there is any). */
  articlesFailed: number;
  filesFetched: number;
  fileBytes: number;
  fileFailures: MigrationFailure[];
  /** Pages the old site links to and does not have. */
  notFound: MigrationFailure[];
  families: Map<CmsFamily, number>;
  /** Column paths (names joined by ' > ') and the articles that went into each. */
  columns: Map<string, number>;
}

export function newTally(): CrawlTally {
  return {
    pagesSeen: 0,
    imported: 0,
    updated: 0,
    skipped: new Map(),
    failures: [],
    articlesFailed: 0,
    filesFetched: 0,
    fileBytes: 0,
    fileFailures: [],
    notFound: [],
    families: new Map(),
    columns: new Map(),
  };
}

type SiteContext = ServiceContext & { readonly siteId: number };

/** A TRS article's further page (`t20210520_123_1.html`): the article is its first page's. */
const PROGRESS_COUNT_MS = 2000;
const IMAGE_FILE = /\.(?:jpe?g|png|gif|webp)$/i;
const TRS_CONTINUATION = /^(.*\/t\d{8}_\d+)_\d+\.(s?html?)$/i;

/** Why an article page could not be stored: the run reports it and goes on. */
class ArticleFailure extends Error {}

function bump(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/**
 * Crawls from the source's home page (and its site maps) until the frontier is empty, calling
 * `progress` with pages done and pages known after each page.
 */
export async function crawl(
  ctx: SiteContext,
  source: Source,
  frontier: Frontier,
  options: CrawlOptions,
  progress: (done: number, known: number) => void,
): Promise<CrawlTally> {
  const { site } = await currentSite(ctx.store.db, ctx.siteId);
  const tally = newTally();
  const run = new CrawlRun(ctx, source, frontier, options, site.timeZone, tally);
  await run.seed();
  await run.drain(progress);
  return tally;
}

class CrawlRun {
  private cursor = 0;
  private buffer: MigrationUrlRow[] = [];
  private readonly inFlight = new Set<string>();
  /** Every URL this run has taken (those in flight among them): each is taken at most once a run. */
  private readonly taken = new Set<string>();
  /** Pages in flight that turned out to be articles, whatever their link's role said. */
  private readonly articlePages = new Set<string>();
  private readonly keeping = new Map<string, Promise<FileOutcome>>();
  private refilling: Promise<void> | null = null;
  /** Workers waiting for a page in flight to add more to the frontier, or to finish. */
  private waiting: (() => void)[] = [];
  private done = 0;

  constructor(
    private readonly ctx: SiteContext,
    private readonly source: Source,
    private readonly frontier: Frontier,
    private readonly options: CrawlOptions,
    private readonly timeZone: string,
    private readonly tally: CrawlTally,
  ) {}

  /** The home page, the site maps robots.txt names, and /sitemap.xml. */
  async seed(): Promise<void> {
    const origin = this.source.origin;
    const entries: FrontierEntry[] = [{ url: `${origin}/`, role: 'page', text: '', depth: 0 }];
    for (const url of new Set([...this.source.sitemaps, `${origin}/sitemap.xml`]))
      entries.push({ url, role: 'page', text: '', depth: 0 });
    await this.frontier.add(entries);
  }

  async drain(progress: (done: number, known: number) => void): Promise<void> {
    // How many are queued is counted in the store every few seconds, not after every page: the
    // count reads the whole frontier, and a page takes a few milliseconds.
    let queued = (await this.frontier.counts()).queued;
    let countedAt = Date.now();
    let doneAtCount = 0;
    const worker = async () => {
      for (let row = await this.next(); row; row = await this.next()) {
        try {
          await this.visit(row);
        } finally {
          this.inFlight.delete(row.url);
          this.done++;
          if (Date.now() - countedAt > PROGRESS_COUNT_MS) {
            countedAt = Date.now();
            queued = (await this.frontier.counts()).queued;
            doneAtCount = this.done;
          }
          const left = Math.max(queued - (this.done - doneAtCount), this.inFlight.size + this.buffer.length);
          progress(this.done, this.done + left);
          this.wakeAll();
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, this.options.concurrency) }, worker));
  }

  private wakeAll(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const wake of waiting) wake();
  }

  /** The next queued row, or null once nothing is queued and nothing in flight could add more. */
  private async next(): Promise<MigrationUrlRow | null> {
    for (;;) {
      const row = this.buffer.shift();
      if (row) {
        this.inFlight.add(row.url);
        this.taken.add(row.url);
        return row;
      }
      if (this.refilling) {
        await this.refilling;
        continue;
      }
      this.refilling = this.refill();
      await this.refilling;
      this.refilling = null;
      if (this.buffer.length > 0) continue;
      if (this.inFlight.size === 0) {
        this.wakeAll();
        return null;
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private async refill(): Promise<void> {
    const rows = await this.frontier.take(this.cursor, 256);
    const last = rows[rows.length - 1];
    if (last) this.cursor = last.seq;
    this.buffer.push(...rows.filter((row) => !this.taken.has(row.url)));
    if (this.buffer.length === 0 && this.inFlight.size === 0) await this.sweep();
  }

  /**
   * Before the crawl ends: the queued rows behind the cursor that this run never took. On
   * PostgreSQL a row's seq is drawn when a worker inserts it and the row is seen when that
   * statement commits, so a row may appear after a later one was taken and the cursor moved
   * past it; the crawl would end without it (an article neither imported nor counted).
   */
  private async sweep(): Promise<void> {
    for (let after = 0; ;) {
      const rows = await this.frontier.take(after, 256);
      const last = rows[rows.length - 1];
      if (!last) return;
      after = last.seq;
      this.buffer.push(...rows.filter((row) => !this.taken.has(row.url)));
    }
  }

  private async visit(row: MigrationUrlRow): Promise<void> {
    try {
      if (row.role === 'file') await this.visitFile(row);
      else if (row.role === 'proxy') await this.visitProxy(row);
      else await this.visitPage(row);
    } catch (error) {
      const reason = error instanceof ArticleFailure ? error.message : describe(error);
      this.tally.failures.push({ url: row.url, reason });
      if (row.role === 'article' || this.articlePages.has(row.url)) this.tally.articlesFailed++;
      this.articlePages.delete(row.url);
      await this.frontier.finish(row.url, { state: 'failed', reason });
    }
  }

  /** A file linked from a page that is not an article (a download list): kept like an attachment. */
  private async visitFile(row: MigrationUrlRow): Promise<void> {
    if (this.options.dryRun) return this.frontier.finish(row.url, { state: 'done' });
    const { name } = fileFromLink(row.url, row.text);
    const kind = IMAGE_FILE.test(name) ? 'image' : 'attachment';
    await this.keep({ url: row.url, name, kind, alt: row.text || name });
  }

  /**
   * Keeps a file once however many pages (and workers) want it at the same moment: the frontier
   * row of a file being fetched is still queued, and another worker may take it.
   */
  private keep(file: WantedFile): Promise<FileOutcome> {
    const pending = this.keeping.get(file.url);
    if (pending) return pending;
    const kept = keepFile(this.ctx, this.source, this.frontier, file, this.options.fileLimits).then((outcome) => {
      this.countFile(file.url, outcome);
      return outcome;
    });
    this.keeping.set(file.url, kept);
    return kept.finally(() => this.keeping.delete(file.url));
  }

  private countFile(url: string, outcome: FileOutcome): void {
    if (outcome.ok) {
      if (outcome.fetchedBytes > 0) this.tally.filesFetched++;
      this.tally.fileBytes += outcome.fetchedBytes;
    } else if (!this.tally.fileFailures.some((failure) => failure.url === url))
      this.tally.fileFailures.push({ url, reason: outcome.reason });
  }

  private async visitProxy(row: MigrationUrlRow): Promise<void> {
    const url = row.url.replace(/#.*$/, '');
    const answer = await this.source.postForm(url, row.form ?? {});
    if (answer.status !== 200)
      return this.frontier.finish(row.url, { state: 'skipped', reason: `HTTP ${answer.status}` });
    const decoded = decodePage(answer.bytes, answer.contentType);
    if (!decoded.ok) return this.frontier.finish(row.url, { state: 'skipped', reason: decoded.reason });
    await this.addLinks(datastoreLinks(decoded.text, url, this.source.origin), row.depth + 1);
    await this.frontier.finish(row.url, { state: 'done' });
  }

  private async addLinks(links: readonly { url: string; role: FrontierEntry['role']; text: string }[], depth: number) {
    const allowed = links.filter((link) => this.source.isOwn(link.url));
    if (allowed.length > 0)
      await this.frontier.add(allowed.map((link) => ({ url: link.url, role: link.role, text: link.text, depth })));
  }

  private async visitPage(row: MigrationUrlRow): Promise<void> {
    if (!this.source.allowed(row.url)) return this.skip(row, 'robots.txt disallows it');
    const continuation = TRS_CONTINUATION.exec(new URL(row.url).pathname);
    if (continuation) {
      // Joined to its first page, which is visited in its stead.
      const first = new URL(`${continuation[1]}.${continuation[2]}`, row.url).href;
      await this.frontier.add([{ url: first, role: 'article', text: '', depth: row.depth }]);
      return this.frontier.finish(row.url, { state: 'skipped', reason: `a further page of ${first}` });
    }
    const page = await this.read(row.url);
    if ('missing' in page) {
      // The seeds (the home page, the site maps) are guesses, not links of the old site.
      if (row.depth > 0) this.tally.notFound.push({ url: row.url, reason: page.missing });
      return this.frontier.finish(row.url, { state: 'skipped', reason: page.missing });
    }
    this.tally.pagesSeen++;
    await this.addLinks(page.analysis.links, row.depth + 1);
    if (page.analysis.proxies.length > 0)
      await this.frontier.add(
        page.analysis.proxies.map((p) => ({
          url: proxyKey(p),
          role: 'proxy' as const,
          text: '',
          depth: row.depth + 1,
          form: p.form,
        })),
      );
    const { analysis } = page;
    if (analysis.kind === 'article') this.articlePages.add(row.url);
    if (analysis.problem) {
      const reason = `${analysis.problem.kind}: ${analysis.problem.reason}`;
      if (row.role === 'article' || analysis.kind === 'article') throw new ArticleFailure(reason);
      return this.skip(row, reason);
    }
    if (analysis.kind === 'article' && analysis.article) return this.visitArticle(row, analysis, analysis.article);
    if (analysis.kind === 'list' && analysis.listColumn) {
      // Its old URL answers 301 to the column at the end of the run, once the column exists.
      const columns = columnsFor(analysis.listColumn, this.options.columnMap);
      if (columns) return this.frontier.finish(row.url, { state: 'done', columns });
    }
    await this.frontier.finish(row.url, { state: 'done' });
  }

  private async skip(row: MigrationUrlRow, reason: string): Promise<void> {
    if (row.role === 'article') bump(this.tally.skipped, reason);
    await this.frontier.finish(row.url, { state: 'skipped', reason });
  }

  /**
   * A page's text and analysis; null for what is not a page (another host's answer). A page that
   * cannot be read is a failure when it should be an article, else skipped by the caller.
   */
  /**
   * A page's text and analysis, or why there is none: an answer of another host, or a page the
   * old site does not have (404, 410: a broken link of the old site, reported, not a failure). A
   * page that answers anything else it should not, or cannot be decoded, fails.
   */
  private async read(url: string): Promise<{ analysis: AnalyzedPage } | { missing: string }> {
    const fetched = await this.source.get(url);
    if (fetched.status >= 300 && fetched.status < 400)
      return { missing: `redirects off the site, to ${fetched.finalUrl}` };
    if (fetched.status === 404 || fetched.status === 410) return { missing: `HTTP ${fetched.status}` };
    if (fetched.status >= 400 && fetched.status !== 521) throw new ArticleFailure(`HTTP ${fetched.status}`);
    const decoded = decodePage(fetched.bytes, fetched.contentType);
    if (!decoded.ok) throw new ArticleFailure(`undecodable: ${decoded.reason}`);
    if (isSitemap(decoded.text)) return { analysis: sitemapAnalysis(decoded.text, this.source.origin) };
    return { analysis: analyzePage(fetched.finalUrl, fetched.status, decoded.text, this.source.origin) };
  }

  private async visitArticle(row: MigrationUrlRow, analysis: AnalyzedPage, first: ExtractedArticle): Promise<void> {
    this.articlePages.add(row.url);
    bump(this.tally.families, analysis.family);
    const further: ExtractedArticle[] = [];
    for (const url of first.continuations) {
      const page = await this.read(url);
      if ('missing' in page) throw new ArticleFailure(`its page ${url}: ${page.missing}`);
      if (!page.analysis.article)
        throw new ArticleFailure(
          `its page ${url} holds no article${page.analysis.problem ? ` (${page.analysis.problem.reason})` : ''}`,
        );
      further.push(page.analysis.article);
    }
    const article = joinPages(first, further);
    const publishedAt = readPublishedAt(article.publishedAtText, this.timeZone);
    if (!publishedAt)
      throw new ArticleFailure(`no 发布时间 found${article.publishedAtText ? ` ("${article.publishedAtText}")` : ''}`);
    if (!article.title) throw new ArticleFailure('no title found');
    if (this.options.since && publishedAt < this.options.since) return this.skip(row, 'published before --since');
    const columns = columnsFor(article.breadcrumb, this.options.columnMap);
    if (!columns)
      throw new ArticleFailure('no breadcrumb (当前位置) names its column; map one with a "*" line in --map');
    bump(this.tally.columns, columns.join(' > '));
    if (this.options.dryRun) {
      this.tally.imported++;
      return this.frontier.finish(row.url, { state: 'done' });
    }
    const { bodyHtml, attachments, coverImage } = await this.bodyWithFiles(article);
    const result = await storeMigratedArticle(this.ctx, {
      url: row.url,
      oldPaths: [row.url, ...first.continuations].map(oldPathOf),
      columns,
      title: article.title,
      subtitle: article.subtitle,
      source: article.source,
      author: article.author,
      publishedAt,
      bodyHtml,
      attachments,
      coverImage,
      disclosure: article.disclosure,
      contentHash: contentHashOf(article, columns, publishedAt),
    });
    for (const url of first.continuations) {
      await this.frontier.add([{ url, role: 'article', text: '', depth: row.depth }]);
      await this.frontier.finish(url, { state: 'done', articleId: result.article.id });
    }
    if (result.outcome === 'imported') this.tally.imported++;
    else if (result.outcome === 'updated') this.tally.updated++;
    else bump(this.tally.skipped, 'unchanged since the last run');
    this.articlePages.delete(row.url);
  }

  /**
   * The body with its images and attachments in the media library and its links to pages
   * already migrated pointing at their new places (the rest are done at the end of the run).
   * Attachments linked from the body stay where they are in it; the others are listed.
   */
  private async bodyWithFiles(article: ExtractedArticle) {
    const kept = new Map<string, string>();
    for (const image of article.images) {
      const outcome = await this.keep({
        url: image.url,
        name: imageName(image.url),
        kind: 'image',
        alt: image.alt || article.title,
      });
      if (outcome.ok) kept.set(image.url, outcome.mediaUrl);
    }
    const attachments = [];
    const linked = new Set(ownLinksIn(article.bodyHtml, this.source.origin));
    for (const file of article.attachments) {
      const outcome = await this.keep({ url: file.url, name: file.name, kind: 'attachment', alt: '' });
      if (!outcome.ok) continue;
      kept.set(file.url, outcome.mediaUrl);
      if (!linked.has(file.url)) attachments.push({ name: file.name, url: outcome.mediaUrl, size: null });
    }
    const known = await this.knownTargets([...linked].filter((url) => !kept.has(url)));
    const rewritten = rewriteLinks(article.bodyHtml, this.source.origin, (url) => kept.get(url) ?? known.get(url));
    const bodyHtml = sanitizeBodyHtml(rewritten.html);
    if (htmlToText(bodyHtml) === '') throw new ArticleFailure('no-body: the body holds no text once cleaned');
    const firstImage = article.images.find((image) => kept.has(image.url));
    return { bodyHtml, attachments, coverImage: firstImage ? (kept.get(firstImage.url) ?? null) : null };
  }

  /** Where old pages already migrated now are, by their old URL. */
  private async knownTargets(urls: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const url of urls) {
      const target = await findTarget(this.ctx, url);
      if (target) found.set(url, target);
    }
    return found;
  }
}

async function findTarget(ctx: SiteContext, url: string): Promise<string | undefined> {
  return (await redirects.findRedirect(ctx.store.db, ctx.siteId, oldPathOf(url)))?.target;
}

/** An XML site map (a urlset or a sitemap index), not a page. */
function isSitemap(text: string): boolean {
  return /^\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:urlset|sitemapindex)[\s>]/.test(text);
}

function sitemapAnalysis(text: string, origin: string): AnalyzedPage {
  const links = sitemapLinks(text, origin);
  return { family: 'generic', kind: 'other', links, article: null, problem: null, listColumn: null, proxies: [] };
}

function describe(error: unknown): string {
  if (error instanceof GazetteError) return error.messageIn('en');
  if (error instanceof Error) return error.message;
  return String(error);
}
