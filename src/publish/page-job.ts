import type { Article } from '../domain/index.js';
import type { ArticleListing } from '../store/index.js';
import type { GazetteError } from '../domain/index.js';
import { isTemplateFailure, type TemplateName, type Theme } from '../theme/index.js';
import { sha256, type OutputStore, type PageStore } from './output.js';
import {
  articlePageModel,
  channelPageModel,
  type ArticleSurroundings,
  type PlacedCopy,
  type SiteView,
} from './pages.js';

/**
 * One page to put into the output store: what to render it from, and the hash the manifest
 * holds for it (a page whose bytes come out the same, and are still stored, is not written).
 * Plain data, so that a render worker on another thread can take it as it is.
 */
export interface PageJob {
  readonly path: string;
  readonly source: PageSource;
  readonly knownHash: string | null;
}

/**
 * What a page is made from: a template and its model; a document made without templates (feeds,
 * sitemaps, robots.txt); or, for the pages a build makes by the thousand, the rows themselves,
 * the model made where the page is rendered (a row is a quarter of the model's size to hand
 * to another thread, and making the model is work the render threads share).
 */
export type PageSource =
  | { readonly template: TemplateName; readonly model: object }
  | { readonly document: string }
  /** `copyIn`: this site's copy of an article placed in its column from another site. */
  | { readonly article: Article; readonly around: ArticleSurroundings; readonly copyIn?: PlacedCopy | undefined }
  /** A list page of a column: `listings` are the articles it shows, newest first. */
  | {
      readonly listOf: number;
      readonly chunk: number | null;
      readonly total: number;
      readonly listings: readonly ArticleListing[];
    };

/** What became of a job, and what the manifest records for it. */
export interface StoredPage {
  readonly path: string;
  readonly outcome: 'written' | 'unchanged';
  readonly hash: string;
  readonly size: number;
  /**
   * A template of the site's own failed on the page (THEME_TEMPLATE_ERROR's message): the page
   * stored before was kept ('unchanged', its hash; size 0, not recorded), or, with none stored,
   * the default theme's page was written. For the log: the site keeps serving either way.
   */
  readonly templateError?: string;
}

export function renderSource(theme: Theme, view: SiteView, source: PageSource): string {
  if ('document' in source) return source.document;
  const { template, model } = pageModelOf(view, source);
  return theme.render(template, model, view.overrides);
}

/** The template and model of a page made from one (its rows turned into its model where they are the source). */
export function pageModelOf(
  view: SiteView,
  source: Exclude<PageSource, { readonly document: string }>,
): { readonly template: TemplateName; readonly model: object } {
  if ('template' in source) return source;
  if ('article' in source) {
    const model = articlePageModel(view, source.article, source.around, source.copyIn);
    if (!model) throw new RangeError(`article ${source.article.id} is not published in a channel of the site`);
    return { template: 'article', model };
  }
  const channel = view.tree.get(source.listOf);
  if (!channel) throw new RangeError(`channel ${source.listOf} is not in the site's tree`);
  return { template: 'channel', model: channelPageModel(view, channel, source.chunk, source.total, source.listings) };
}

/** Renders a job and writes it unless the stored page has these bytes already. */
export async function storePage(theme: Theme, view: SiteView, output: PageStore, job: PageJob): Promise<StoredPage> {
  const made = renderBody(theme, view, job.source);
  if (!Buffer.isBuffer(made)) {
    if (job.knownHash !== null && (await output.has(job.path))) return keptPage(job.path, job.knownHash, made);
    return { ...(await storePage(theme, withoutOverrides(view), output, job)), templateError: made.message };
  }
  const hash = sha256(made);
  const unchanged = job.knownHash === hash && (await output.has(job.path));
  if (!unchanged) await output.write(job.path, made);
  return { path: job.path, outcome: unchanged ? 'unchanged' : 'written', hash, size: made.length };
}

/** The same on the calling thread, for a render worker. */
export function storePageSync(theme: Theme, view: SiteView, output: OutputStore, job: PageJob): StoredPage {
  const made = renderBody(theme, view, job.source);
  if (!Buffer.isBuffer(made)) {
    if (job.knownHash !== null && output.hasSync(job.path)) return keptPage(job.path, job.knownHash, made);
    return { ...storePageSync(theme, withoutOverrides(view), output, job), templateError: made.message };
  }
  const hash = sha256(made);
  const unchanged = job.knownHash === hash && output.hasSync(job.path);
  if (!unchanged) output.writeSync(job.path, made);
  return { path: job.path, outcome: unchanged ? 'unchanged' : 'written', hash, size: made.length };
}

/**
 * A page's bytes; or, when a template of the site's own fails on it (a loop past the time
 * limit, say), that failure: the page is then kept as it is stored, and never left broken.
 */
function renderBody(theme: Theme, view: SiteView, source: PageSource): Buffer | GazetteError {
  try {
    return Buffer.from(renderSource(theme, view, source));
  } catch (error) {
    if (view.overrides && isTemplateFailure(error)) return error;
    throw error;
  }
}

/** The stored page, kept: nothing written, nothing for the manifest to record. */
function keptPage(path: string, hash: string, failure: GazetteError): StoredPage {
  return { path, outcome: 'unchanged', hash, size: 0, templateError: failure.message };
}

/** The site with the default theme's templates: for a page that has no stored version to keep. */
function withoutOverrides(view: SiteView): SiteView {
  return { ...view, overrides: undefined };
}

/**
 * A page made on request (search, the public forms, error pages, a preview) with the site's
 * templates; should one of them fail, with the default theme's: the reader still gets the page.
 */
export function renderOnRequest(theme: Theme, view: SiteView, template: TemplateName, model: object): string {
  try {
    return theme.render(template, model, view.overrides);
  } catch (error) {
    if (view.overrides && isTemplateFailure(error)) return theme.render(template, model);
    throw error;
  }
}
