import type { Kysely } from 'kysely';
import {
  GazetteError,
  allows,
  articlePath,
  channelsAllowing,
  type Article,
  type ArticleStatus,
  type Site,
} from '../../domain/index.js';
import type { ChannelTree, ContentTypeKey } from '../../domain/index.js';
import { articles, contentTypes, jobs, revisions, users, type Database } from '../../store/index.js';
import { requireAnywhere, requirePermission, type Actor } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { currentSite, type SiteScope } from '../site.js';
import type { ArticleSummary, ArticleView, Page } from '../views.js';

async function userNames(db: Kysely<Database>, ids: readonly (number | null)[]): Promise<Map<number, string>> {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
  const names = new Map<number, string>();
  for (const id of wanted) {
    const user = await users.findUser(db, id);
    if (user) names.set(id, user.displayName);
  }
  return names;
}

function summaryOf(article: Article, scope: SiteScope, names: Map<number, string>): ArticleSummary {
  const channel = scope.tree.get(article.channelId);
  return {
    id: article.id,
    title: article.title,
    channelId: article.channelId,
    channelName: channel?.name ?? '',
    status: article.status,
    createdBy: article.createdBy,
    createdByName: article.createdBy === null ? '导入' : (names.get(article.createdBy) ?? '（已删除的用户）'),
    updatedAt: article.updatedAt,
    publishedAt: article.publishedAt,
    version: article.version,
    reviewLevel: article.reviewLevel,
    reviewLevels: channel?.reviewLevels ?? 1,
    url: article.status === 'published' ? publicPathOf(article, scope.tree, scope.site) : null,
    contentType: article.contentType,
  };
}

export function publicPathOf(article: Article, tree: ChannelTree, site: Site): string {
  return articlePath(tree.path(article.channelId), article, site.timeZone);
}

/** The article as the back office shows it to `actor`: related items of columns they may not read are left out. */
export async function articleViewOf(
  db: Kysely<Database>,
  article: Article,
  scope: SiteScope,
  actor: Actor,
): Promise<ArticleView> {
  // Side by side: an answer read right after a publish shares the process with the publish run.
  const [names, comments, pending, relations] = await Promise.all([
    userNames(db, [article.createdBy]),
    revisions.listComments(db, article.id),
    jobs.pendingJobsOf(db, article.id),
    contentTypes.relationsOf(db, article.id),
  ]);
  const linked = (
    await contentTypes.itemsByIds(db, [
      ...new Set(relations.map((r) => (r.articleId === article.id ? r.targetId : r.articleId))),
    ])
  ).filter((item) => item.siteId === scope.site.id && allows(actor.grants, 'article.read', item.channelId, scope.tree));
  return {
    ...summaryOf(article, scope, names),
    subtitle: article.subtitle,
    source: article.source,
    author: article.author,
    responsibleEditor: article.responsibleEditor,
    bodyHtml: article.bodyHtml,
    summary: article.summary,
    keywords: article.keywords,
    coverImage: article.coverImage,
    attachments: [...article.attachments],
    comments: comments.map((c) => ({ id: c.id, userName: c.userName, action: c.action, body: c.body, at: c.at })),
    scheduledPublishAt: pending.find((j) => j.kind === 'publish')?.runAt ?? null,
    scheduledWithdrawAt: pending.find((j) => j.kind === 'withdraw')?.runAt ?? null,
    withdrawReason: article.withdrawReason,
    contentType: article.contentType,
    fields: article.fields,
    relations: relations.flatMap((r) => {
      const outgoing = r.articleId === article.id;
      const item = linked.find((l) => l.id === (outgoing ? r.targetId : r.articleId));
      return item
        ? [
            {
              field: r.field,
              direction: outgoing ? ('to' as const) : ('from' as const),
              id: item.id,
              title: item.title,
              contentType: item.contentType,
              status: item.status,
            },
          ]
        : [];
    }),
  };
}

/** One article as the back office shows it, if the actor may read its channel. */
export async function getArticle(ctx: ServiceContext, actor: Actor, id: number): Promise<ArticleView> {
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  const article = await articles.findArticle(ctx.store.db, id);
  if (!article || article.siteId !== scope.site.id) throw new GazetteError('ARTICLE_NOT_FOUND', { id });
  requirePermission(actor, 'article.read', article.channelId, scope.tree);
  return articleViewOf(ctx.store.db, article, scope, actor);
}

export interface ArticleQuery {
  readonly status?: ArticleStatus | undefined;
  readonly channelId?: number | undefined;
  readonly q?: string | undefined;
  readonly mine?: boolean | undefined;
  /** review: waiting for the actor's approval; publish: approved, waiting for a publisher. */
  readonly queue?: 'review' | 'publish' | undefined;
  readonly type?: ContentTypeKey | undefined;
  readonly page?: number | undefined;
  readonly pageSize?: number | undefined;
}

/** Articles the actor may read, filtered; the two queues show only what the actor may act on. */
export async function listArticles(
  ctx: ServiceContext,
  actor: Actor,
  query: ArticleQuery,
): Promise<Page<ArticleSummary>> {
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'article.read', scope.tree);
  const action =
    query.queue === 'review' ? 'article.approve' : query.queue === 'publish' ? 'article.publish' : 'article.read';
  let channelIds: number[] | null = (() => {
    const allowed = channelsAllowing(actor.grants, action, scope.tree);
    return allowed === null ? null : [...allowed];
  })();
  if (query.channelId !== undefined) {
    const wanted = scope.tree.subtreeIds(query.channelId);
    channelIds = channelIds === null ? wanted : wanted.filter((id) => channelIds?.includes(id));
  }
  const statuses: ArticleStatus[] | undefined =
    query.queue === 'review'
      ? ['submitted']
      : query.queue === 'publish'
        ? ['approved']
        : query.status
          ? [query.status]
          : undefined;
  const page = Math.max(1, query.page ?? 1);
  const pageSize = Math.min(100, Math.max(1, query.pageSize ?? 20));
  const { articles: rows, total } = await articles.listForBackOffice(
    ctx.store.db,
    {
      siteId: scope.site.id,
      statuses,
      channelIds,
      titleContains: query.q?.trim() || undefined,
      createdBy: query.mine ? (actor.userId ?? -1) : undefined,
      excludeCreatedBy: query.queue === 'review' ? (actor.userId ?? undefined) : undefined,
      contentType: query.type,
    },
    { limit: pageSize, offset: (page - 1) * pageSize },
  );
  const names = await userNames(
    ctx.store.db,
    rows.map((r) => r.createdBy),
  );
  return { items: rows.map((a) => summaryOf(a, scope, names)), total, page, pageSize };
}

export interface Dashboard {
  readonly myDrafts: ArticleSummary[];
  readonly awaitingMyReview: ArticleSummary[];
  readonly awaitingPublish: ArticleSummary[];
  readonly recentlyPublished: ArticleSummary[];
}

export async function dashboard(ctx: ServiceContext, actor: Actor): Promise<Dashboard> {
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  const may = (action: 'article.approve' | 'article.publish') =>
    channelsAllowing(actor.grants, action, scope.tree)?.size !== 0;
  const take = (query: ArticleQuery) => listArticles(ctx, actor, { ...query, pageSize: 10 }).then((p) => p.items);
  return {
    myDrafts: await take({ status: 'draft', mine: true }),
    awaitingMyReview: may('article.approve') ? await take({ queue: 'review' }) : [],
    awaitingPublish: may('article.publish') ? await take({ queue: 'publish' }) : [],
    recentlyPublished: await take({ status: 'published' }),
  };
}
