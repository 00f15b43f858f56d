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
  indexDocuments,
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
  const tree = new ChannelTree(await channels.listChannels(db, siteId));
  const published = await articles.countPublished(db, { siteId });
  const pages = tree.all().filter((c) => c.type === 'page' && c.bodyHtml);
  const total = published + pages.length;
  const live = new Set<string>();
  let done = 0;
  let lastId = 0;
  onProgress({ done, total });
  for (;;) {
    const batch = await articles.publishedBatch(db, siteId, lastId, BATCH);
    if (batch.length === 0) break;
    const sources = batch.flatMap((article) => articleSource(article, tree) ?? []);
    await db.transaction().execute((trx) => indexDocuments(trx, dialect, sources));
    for (const source of sources) live.add(source.key);
    lastId = batch[batch.length - 1]!.id;
    done += batch.length;
    onProgress({ done, total });
  }
  const now = ctx.clock.now();
  await db.transaction().execute(async (trx) => {
    for (const channel of pages) {
      await syncChannelPageIndex(trx, dialect, channel, tree, now);
      live.add(channelKey(channel.id));
    }
  });
  done += pages.length;
  onProgress({ done, total });
  const stale = (await db.selectFrom('searchDoc').select('docKey').where('siteId', '=', siteId).execute()).filter(
    (r) => !live.has(r.docKey),
  );
  await db.transaction().execute((trx) =>
    unindexDocuments(
      trx,
      dialect,
      stale.map((s) => s.docKey),
    ),
  );
  await settleSearchIndex(ctx);
  return { indexed: done, removed: stale.length };
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
