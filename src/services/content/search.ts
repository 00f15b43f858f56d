import type { Kysely } from 'kysely';
import { ChannelTree, type Article, type Channel } from '../../domain/index.js';
import { articles, channels, type Database, type Dialect } from '../../store/index.js';
import {
  articleKey,
  backendFor,
  articleSource,
  channelKey,
  channelPageSource,
  indexDocument,
  indexRebuildBatch,
  tokenizeGradually,
  unindexDocument,
  unindexDocuments,
} from '../../search/index.js';
import type { ServiceContext } from '../context.js';

/**
 * Keeps the search index in step with what readers can see, inside the caller's transaction:
 * an article is findable the moment it is published and gone the moment it is not.
 */
export async function syncArticleIndex(
  db: Kysely<Database>,
  dialect: Dialect,
  article: Article,
  tree: ChannelTree,
): Promise<void> {
  const source = articleSource(article, tree);
  if (source) await indexDocument(db, dialect, source);
  else await unindexDocument(db, dialect, articleKey(article.id));
}

export async function syncChannelPageIndex(
  db: Kysely<Database>,
  dialect: Dialect,
  channel: Channel,
  tree: ChannelTree,
  now: Date,
): Promise<void> {
  const source = channelPageSource(channel, tree, now.toISOString());
  if (source) await indexDocument(db, dialect, source);
  else await unindexDocument(db, dialect, channelKey(channel.id));
}

export interface ReindexProgress {
  readonly done: number;
  readonly total: number;
}

const BATCH = 500;

/**
 * Rebuilds the site's index from the store in batches of small transactions, so publishing
 * goes on meanwhile and the old index answers until each page is replaced; pages no longer
 * public are removed at the end.
 */
export async function reindexSearch(
  ctx: ServiceContext,
  siteId: number,
  onProgress: (progress: ReindexProgress) => void = () => {},
): Promise<{ indexed: number; removed: number }> {
  const { db, dialect } = ctx.store;
  // Pages indexed from here on (by a publish while this runs, or by the batches) have higher ids:
  // only those at or below it can be left over from before.
  const before = await db
    .selectFrom('searchDoc')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  const watermark = Number(before?.id ?? 0);
  const tree = new ChannelTree(await channels.listChannels(db, siteId));
  const published = await articles.countPublished(db, { siteId });
  const pages = tree.all().filter((c) => c.type === 'page' && c.bodyHtml);
  const total = published + pages.length;
  const live = new Set<string>();
  let done = 0;
  onProgress({ done, total });
  const nextBatch = async (afterId: number) => {
    const batch = await articles.publishedBatch(db, siteId, afterId, BATCH);
    const sources = batch.flatMap((article) => articleSource(article, tree) ?? []);
    return { size: batch.length, lastId: batch.at(-1)?.id ?? afterId, documents: await tokenizeGradually(sources) };
  };
  const writing = new Set<Promise<void>>();
  const failures: unknown[] = [];
  const write = (batch: Awaited<ReturnType<typeof nextBatch>>) => {
    const written = indexRebuildBatch(db, dialect, batch.documents)
      .then(() => {
        for (const { source } of batch.documents) live.add(source.key);
        done += batch.size;
        onProgress({ done, total });
      })
      // Every failure lands here, the progress callback's too: none is left unhandled.
      .catch((error: unknown) => void failures.push(error))
      .finally(() => writing.delete(written));
    writing.add(written);
  };
  // Batches are read and tokenized while earlier ones are written, as many at once as the
  // search backend takes.
  const writers = backendFor(dialect).bulkWriters;
  try {
    for (let afterId = 0; failures.length === 0;) {
      const batch = await nextBatch(afterId);
      if (batch.size === 0) break;
      afterId = batch.lastId;
      while (writing.size >= writers) await Promise.race(writing);
      if (failures.length === 0) write(batch);
    }
  } finally {
    // Whatever stops the loop, a failed batch or a failed read, the rebuild ends only when
    // the batches being written have: none outlives it, or writes to a store being closed.
    await Promise.allSettled(writing);
  }
  if (failures.length > 0) throw failures[0];
  const now = ctx.clock.now();
  // The columns as they are now: one may have been removed, moved or made a page meanwhile.
  const current = await db.transaction().execute(async (trx) => {
    const tree = new ChannelTree(await channels.listChannels(trx, siteId));
    for (const channel of tree.all().filter((c) => c.type === 'page' && c.bodyHtml)) {
      await syncChannelPageIndex(trx, dialect, channel, tree, now);
      live.add(channelKey(channel.id));
    }
    return tree;
  });
  done += pages.length;
  onProgress({ done, total });
  const leftOver = (
    await db
      .selectFrom('searchDoc')
      .select(['docKey', 'articleId'])
      .where('siteId', '=', siteId)
      .where('id', '<=', watermark)
      .execute()
  ).filter((r) => !live.has(r.docKey));
  const removed = await db.transaction().execute((trx) => settleLeftOver(trx, dialect, current, leftOver));
  await settleSearchIndex(ctx);
  return { indexed: done, removed };
}

/**
 * The pages indexed before a rebuild that no batch wrote again: an article withdrawn or deleted
 * since, or one a batch left to an edit that did not index it. Each is indexed as its article
 * is now (locked on PostgreSQL, so an edit in flight is waited for), or removed; returns how
 * many were removed.
 */
async function settleLeftOver(
  trx: Kysely<Database>,
  dialect: Dialect,
  tree: ChannelTree,
  leftOver: readonly { docKey: string; articleId: number | null }[],
): Promise<number> {
  const ids = leftOver.flatMap((r) => (r.articleId === null ? [] : [r.articleId]));
  await articles.holdArticles(trx, dialect, ids);
  const gone: string[] = [];
  for (const row of leftOver) {
    const article = row.articleId === null ? undefined : await articles.findArticle(trx, row.articleId);
    if (article && articleSource(article, tree)) await syncArticleIndex(trx, dialect, article, tree);
    else gone.push(row.docKey);
  }
  return unindexDocuments(trx, dialect, gone);
}

/**
 * Folds what publishes left pending into the index proper. On PostgreSQL a publish appends its
 * words to the GIN indexes' pending lists; the publish that finds a list over its limit (4 MB,
 * about 130 articles) merges it there and then, and took 0.7 to 2.3 s at 10,000 articles. The
 * scheduler calls this every tick, so no publish pays for the merge; with nothing pending it
 * costs a look at each index's first page.
 */
export async function settleSearchIndex(ctx: Pick<ServiceContext, 'store'>): Promise<void> {
  await backendFor(ctx.store.dialect).settle(ctx.store.db);
}
