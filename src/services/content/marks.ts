import { Type, type Static } from 'typebox';
import { articleMarks, type ArticleMark } from '../../store/index.js';
import { requirePermission, type Actor } from '../actor.js';
import { appendAudit } from '../audit.js';
import type { ServiceContext } from '../context.js';
import { NO_EVENTS, recordEvents, sendEvents } from '../events.js';
import { currentSite } from '../site.js';
import { loadArticle } from './editorial.js';

/**
 * 头条 and 图片新闻: an article's marks for the home page's headline and picture-news blocks. The
 * home page is the site's front door, so marking an article takes what publishing it in its
 * column takes (article.publish there). A picture-news article shows only once it has a cover
 * image; it may be marked before.
 */

export const ArticleMarksSchema = Type.Object({
  articleId: Type.Integer(),
  headline: Type.Boolean({
    description: "头条: the home page's headline block shows the newest published article marked so",
  }),
  picture: Type.Boolean({
    description:
      "图片新闻: the home page's picture news shows the newest published articles marked so that have a cover image",
  }),
});
export type ArticleMarksView = Static<typeof ArticleMarksSchema>;

export const ArticleMarksInputSchema = Type.Object(
  { headline: Type.Boolean(), picture: Type.Boolean() },
  { additionalProperties: false },
);
export type ArticleMarksInput = Static<typeof ArticleMarksInputSchema>;

function viewOf(articleId: number, marks: readonly ArticleMark[]): ArticleMarksView {
  return { articleId, headline: marks.includes('headline'), picture: marks.includes('picture') };
}

/** The article's marks, for whoever may read it. */
export async function getArticleMarks(ctx: ServiceContext, actor: Actor, articleId: number): Promise<ArticleMarksView> {
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  const article = await loadArticle(ctx.store.db, scope, articleId);
  requirePermission(actor, 'article.read', article.channelId, scope.tree);
  return viewOf(article.id, await articleMarks.marksOf(ctx.store.db, article.id));
}

/**
 * Sets both marks at once. Audited on every save (a deliberate choice on the article screen);
 * the home page hears of it (article.marked) only when a mark came or went.
 */
export async function setArticleMarks(
  ctx: ServiceContext,
  actor: Actor,
  articleId: number,
  input: ArticleMarksInput,
): Promise<ArticleMarksView> {
  const now = ctx.clock.now();
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  const wanted: ArticleMark[] = [
    ...(input.headline ? ['headline' as const] : []),
    ...(input.picture ? ['picture' as const] : []),
  ];
  let recorded = NO_EVENTS;
  const view = await ctx.store.db.transaction().execute(async (trx) => {
    const article = await loadArticle(trx, scope, articleId);
    requirePermission(actor, 'article.publish', article.channelId, scope.tree);
    const was = await articleMarks.marksOf(trx, article.id);
    const changed = wanted.length !== was.length || wanted.some((mark) => !was.includes(mark));
    if (changed) {
      await articleMarks.setMarks(trx, article, wanted, now);
      recorded = await recordEvents(trx, ctx, [
        { type: 'article.marked', siteId: article.siteId, articleId: article.id, channelId: article.channelId },
      ]);
    }
    // Last: on PostgreSQL the audit entry holds the chain's lock until the commit.
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: 'article.mark',
      targetType: 'article',
      targetId: article.id,
      details: {
        headline: input.headline,
        picture: input.picture,
        was: { headline: was.includes('headline'), picture: was.includes('picture') },
      },
    });
    return viewOf(article.id, wanted);
  });
  sendEvents(ctx, recorded);
  return view;
}
