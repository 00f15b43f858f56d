import { createHash } from 'node:crypto';
import {
  GazetteError,
  articlePath,
  htmlToText,
  shippedType,
  summarize,
  type Article,
  type Channel,
  type ContentEvent,
} from '../../domain/index.js';
import { articles, sites } from '../../store/index.js';
import type { ImportedPage } from '../../importers/page.js';
import type { ServiceContext } from '../context.js';
import { ensureChannelChain } from './channels.js';
import { syncArticleIndex } from './search.js';
import { systemActor } from '../actor.js';
import { appendAudit } from '../audit.js';
import { recordRevision } from './revisions.js';
import { recordEvents, sendEvents } from '../events.js';

export interface ImportResult {
  readonly article: Article;
  readonly created: boolean;
  /** Public URL path of the article. */
  readonly path: string;
}

/**
 * A page's identity across imports: the same title published at the same minute is the same
 * article, so importing a corrected page updates it in place and its URL stays.
 */
export function importKeyOf(page: Pick<ImportedPage, 'title' | 'publishedAt'>): string {
  const minute = Math.floor(page.publishedAt.getTime() / 60_000);
  return createHash('sha256').update(`${page.title}\n${minute}`).digest('hex').slice(0, 32);
}

/**
 * Stores an imported page as a published article, creating its columns if missing; all in one
 * transaction, so a failure leaves the store as it was.
 */
export async function importPage(ctx: ServiceContext, page: ImportedPage): Promise<ImportResult> {
  const now = ctx.clock.now();
  const result = await ctx.store.db.transaction().execute(async (trx) => {
    const site = await sites.findSiteOrOnly(trx, ctx.siteId);
    if (!site) throw new GazetteError('SITE_MISSING');
    const { channel, tree, columnsBefore } = await ensureChannelChain(trx, site.id, page.columns, now);
    if (channel.type !== 'list') {
      throw new GazetteError(
        'IMPORT_COLUMN_NOT_LIST',
        { name: channel.name, type: channel.type },
        { line: page.columnsLine ?? undefined },
      );
    }
    // A page is an article: a column of 政策文件 or 办事指南 takes typed items (gazette import --type).
    if ((channel.contentType ?? 'article') !== 'article')
      throw new GazetteError(
        'CONTENT_TYPE_MISMATCH',
        { name: channel.name, expected: shippedType(channel.contentType ?? 'article').label, actual: '文章' },
        { line: page.columnsLine ?? undefined },
      );
    const importKey = importKeyOf(page);
    const fields = {
      siteId: site.id,
      channelId: channel.id,
      title: page.title,
      subtitle: page.subtitle,
      source: page.source,
      author: page.author,
      responsibleEditor: page.responsibleEditor,
      publishedAt: page.publishedAt.toISOString(),
      bodyHtml: page.bodyHtml,
      summary: summarize(htmlToText(page.bodyHtml)),
      keywords: page.keywords,
      coverImage: null,
      attachments: [],
      status: 'published' as const,
      importKey,
      createdBy: null,
    };
    const existing = await articles.findArticleByImportKey(trx, site.id, importKey);
    const article = existing
      ? await articles.updateArticle(trx, existing.id, fields, now)
      : await articles.insertArticle(trx, fields, now);
    if (!article) throw new GazetteError('NOT_FOUND');
    const importer = systemActor('import');
    await recordRevision(trx, article, importer, existing ? 'reimport' : 'import', now);
    await appendAudit(trx, ctx.store.dialect, now, importer, {
      action: existing ? 'article.reimport' : 'article.import',
      targetType: 'article',
      targetId: article.id,
      details: { title: article.title, channelId: article.channelId },
    });
    await syncArticleIndex(trx, ctx.store.dialect, article, tree);
    return {
      article,
      created: !existing,
      path: articlePath(tree.path(channel.id), article, site.timeZone),
      recorded: await recordEvents(trx, ctx, importEvents(article, existing, columnsBefore)),
    };
  });
  const { recorded, ...imported } = result;
  sendEvents(ctx, recorded);
  return imported;
}

/** Columns the page named that did not exist yet: their pages (and the navigation) first; then the article's. */
export function importEvents(
  article: Article,
  previous: Article | undefined,
  columnsBefore: Channel[] | null,
): ContentEvent[] {
  const { siteId, channelId } = article;
  const columns: ContentEvent[] = columnsBefore
    ? [{ type: 'channel.changed', siteId, channelId, before: columnsBefore }]
    : [];
  const own: ContentEvent = previous
    ? {
        type: 'article.updated',
        siteId,
        articleId: article.id,
        channelId,
        previousChannelId: previous.channelId,
        previousPublishedAt: previous.publishedAt,
      }
    : { type: 'article.published', siteId, articleId: article.id, channelId };
  return [...columns, own];
}
