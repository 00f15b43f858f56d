import type { Article } from '../domain/index.js';
import type { ArticleListing } from '../store/index.js';
import type { TemplateName, Theme } from '../theme/index.js';
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
}

export function renderSource(theme: Theme, view: SiteView, source: PageSource): string {
  if ('document' in source) return source.document;
  if ('template' in source) return theme.render(source.template, source.model);
  if ('article' in source) {
    const model = articlePageModel(view, source.article, source.around, source.copyIn);
    if (!model) throw new RangeError(`article ${source.article.id} is not published in a channel of the site`);
    return theme.render('article', model);
  }
  const channel = view.tree.get(source.listOf);
  if (!channel) throw new RangeError(`channel ${source.listOf} is not in the site's tree`);
  return theme.render('channel', channelPageModel(view, channel, source.chunk, source.total, source.listings));
}

/** Renders a job and writes it unless the stored page has these bytes already. */
export async function storePage(theme: Theme, view: SiteView, output: PageStore, job: PageJob): Promise<StoredPage> {
  const body = Buffer.from(renderSource(theme, view, job.source));
  const hash = sha256(body);
  const unchanged = job.knownHash === hash && (await output.has(job.path));
  if (!unchanged) await output.write(job.path, body);
  return { path: job.path, outcome: unchanged ? 'unchanged' : 'written', hash, size: body.length };
}

/** The same on the calling thread, for a render worker. */
export function storePageSync(theme: Theme, view: SiteView, output: OutputStore, job: PageJob): StoredPage {
  const body = Buffer.from(renderSource(theme, view, job.source));
  const hash = sha256(body);
  const unchanged = job.knownHash === hash && output.hasSync(job.path);
  if (!unchanged) output.writeSync(job.path, body);
  return { path: job.path, outcome: unchanged ? 'unchanged' : 'written', hash, size: body.length };
}
