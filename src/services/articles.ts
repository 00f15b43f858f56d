import { ChannelTree, GazetteError, type Article } from '../domain/index.js';
import { articles, channels } from '../store/index.js';
import type { ServiceContext } from './context.js';
import { syncArticleIndex } from './search.js';

/**
 * Takes a published article off the public site (撤稿): its page stops being served and it
 * leaves the search index in the same transaction. The article and its history stay in the store.
 */
export async function withdrawArticle(ctx: ServiceContext, id: number): Promise<Article> {
  const now = ctx.clock.now();
  return ctx.store.db.transaction().execute(async (trx) => {
    const current = await articles.findArticle(trx, id);
    if (!current) throw new GazetteError('ARTICLE_NOT_FOUND', { id });
    if (current.status !== 'published') throw new GazetteError('ARTICLE_NOT_PUBLISHED', { id, status: current.status });
    const withdrawn = await articles.updateArticle(trx, id, { status: 'withdrawn' }, now);
    if (!withdrawn) throw new GazetteError('ARTICLE_NOT_FOUND', { id });
    const tree = new ChannelTree(await channels.listChannels(trx, withdrawn.siteId));
    await syncArticleIndex(trx, ctx.store.dialect, withdrawn, tree);
    return withdrawn;
  });
}
