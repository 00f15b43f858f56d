import type { Kysely } from 'kysely';
import {
  GazetteError,
  STEP_PERMISSION,
  articlePath,
  canStart,
  nextState,
  siteUrl,
  type ArticleStatus,
  type WorkflowStep,
} from '../../domain/index.js';
import { articles, placements, type Database, type Placement } from '../../store/index.js';
import { allows } from '../../domain/index.js';
import { requireAnywhere, requirePermission, type Actor } from '../actor.js';
import { appendAudit } from '../audit.js';
import { NO_EVENTS, placementChanged, recordEvents, sendEvents, type RecordedEvents } from '../events.js';
import { requireStepText } from '../content/index.js';
import type { ServiceContext } from '../context.js';
import { currentSite, type SiteScope } from '../site.js';
import { actorOn, columnWithScope, requireListColumn } from './scope.js';
import type { NewPlacement, PlacementView } from './views.js';

/** A placement with what the back office shows of it. */
export async function placementViewOf(db: Kysely<Database>, placement: Placement): Promise<PlacementView> {
  const article = await articles.findArticle(db, placement.articleId);
  if (!article) throw new GazetteError('ARTICLE_NOT_FOUND', { id: placement.articleId });
  const [home, site] = await Promise.all([currentSite(db, article.siteId), currentSite(db, placement.siteId)]);
  const channel = site.tree.get(placement.channelId);
  const homePath = home.tree.get(article.channelId)
    ? articlePath(home.tree.path(article.channelId), article, home.site.timeZone)
    : null;
  return {
    id: placement.id,
    articleId: article.id,
    title: article.title,
    homeSite: { id: home.site.id, name: home.site.name },
    homeChannelName: home.tree.get(article.channelId)?.name ?? '',
    articleStatus: article.status,
    site: { id: site.site.id, name: site.site.name },
    channelId: placement.channelId,
    channelName: channel?.name ?? '',
    status: placement.status,
    reviewLevel: placement.reviewLevel,
    reviewLevels: channel?.reviewLevels ?? 1,
    live: placement.live,
    publishedAt: placement.publishedAt,
    url: article.status === 'published' && homePath ? siteUrl(home.site, homePath) : null,
    updatedAt: placement.updatedAt,
  };
}

/**
 * Shows an article in one more list column (引用), of its own site or another: pushed by the
 * article's own editors, or pulled by the receiving column's editors when the article is public.
 * The placement starts on the receiving column's review (submitted, or approved when the column
 * asks for none) and is published there by its publisher.
 */
export async function placeArticle(ctx: ServiceContext, actor: Actor, input: NewPlacement): Promise<PlacementView> {
  const db = ctx.store.db;
  const now = ctx.clock.now();
  const placement = await db.transaction().execute(async (trx) => {
    const placed = await createPlacement(trx, actor, input.articleId, input.channelId, now);
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: 'placement.create',
      targetType: 'placement',
      targetId: placed.id,
      details: {
        articleId: placed.articleId,
        siteId: placed.siteId,
        channelId: placed.channelId,
        status: placed.status,
      },
    });
    return placed;
  });
  return placementViewOf(db, placement);
}

/** The checks and the insert of a new placement, inside the caller's transaction (adoption uses it too). */
export async function createPlacement(
  trx: Kysely<Database>,
  actor: Actor,
  articleId: number,
  channelId: number,
  now: Date,
  fromSubmission = false,
): Promise<Placement> {
  const article = await articles.findArticle(trx, articleId);
  if (!article) throw new GazetteError('ARTICLE_NOT_FOUND', { id: articleId });
  const { channel, scope } = await columnWithScope(trx, channelId);
  requireListColumn(channel);
  if (channel.id === article.channelId)
    throw new GazetteError('PLACEMENT_HOME', { article: article.id, channel: channel.name });
  // The receiving column: the actor writes there.
  requirePermission(await actorOn(trx, actor, channel.siteId), 'article.edit', channel.id, scope.tree);
  // The article: public, or one the actor may edit on its own site (a submission was offered to this column).
  if (!fromSubmission && article.status !== 'published') {
    const home = await currentSite(trx, article.siteId);
    requirePermission(await actorOn(trx, actor, article.siteId), 'article.edit', article.channelId, home.tree);
  }
  if (await placements.findPlacementOf(trx, article.id, channel.id))
    throw new GazetteError('PLACEMENT_EXISTS', { article: article.id, channel: channel.name });
  const next = nextState('submit', { status: 'draft', reviewLevel: 0 }, channel.reviewLevels);
  return placements.insertPlacement(
    trx,
    {
      articleId: article.id,
      siteId: channel.siteId,
      channelId: channel.id,
      status: next.status,
      reviewLevel: next.reviewLevel,
      createdBy: actor.userId,
    },
    now,
  );
}

export interface PlacementStepInput {
  readonly comment?: string | undefined;
  readonly reason?: string | undefined;
}

/**
 * A workflow step of a placement, on the receiving column's rules: its reviewers approve or
 * reject, its publisher publishes and withdraws. Publishing puts it on the column's list while
 * the article itself is published; withdrawing takes it off (the article stays where it lives).
 */
export async function stepPlacement(
  ctx: ServiceContext,
  actor: Actor,
  id: number,
  step: WorkflowStep,
  input: PlacementStepInput = {},
): Promise<PlacementView> {
  const now = ctx.clock.now();
  let recorded: RecordedEvents = NO_EVENTS;
  const saved = await ctx.store.db.transaction().execute(async (trx) => {
    const placement = await placementInSite(trx, ctx, id);
    const scope = await currentSite(trx, placement.siteId);
    const siteActor = await actorOn(trx, actor, placement.siteId);
    requirePermission(siteActor, STEP_PERMISSION[step], placement.channelId, scope.tree);
    if (!canStart(step, placement.status))
      throw new GazetteError('WORKFLOW_INVALID', { step, status: placement.status });
    requireStepText(step, input);
    if (step === 'approve' && placement.createdBy !== null && placement.createdBy === actor.userId)
      throw new GazetteError('WORKFLOW_OWN_ARTICLE');
    const article = await articles.findArticle(trx, placement.articleId);
    if (!article) throw new GazetteError('ARTICLE_NOT_FOUND', { id: placement.articleId });
    const levels = scope.tree.get(placement.channelId)?.reviewLevels ?? 1;
    const next = nextState(step, placement, levels);
    const live = next.status === 'published' && article.status === 'published';
    const publishedAt = placement.publishedAt ?? (step === 'publish' ? now.toISOString() : null);
    const updated = await placements.updatePlacement(trx, id, { ...next, live, publishedAt }, now);
    if (!updated) throw new GazetteError('PLACEMENT_NOT_FOUND', { id });
    if (live !== placement.live)
      recorded = await recordEvents(trx, ctx, placementChanged(updated, live ? 'added' : 'removed'));
    const text = (step === 'withdraw' ? input.reason : input.comment)?.trim() ?? '';
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: `placement.${step}`,
      targetType: 'placement',
      targetId: id,
      details: {
        articleId: updated.articleId,
        from: placement.status,
        to: updated.status,
        ...(text && { comment: text }),
      },
    });
    return updated;
  });
  sendEvents(ctx, recorded);
  return placementViewOf(ctx.store.db, saved);
}

/** Takes a placement away for good (one on its column's list is withdrawn first). */
export async function removePlacement(ctx: ServiceContext, actor: Actor, id: number): Promise<void> {
  const now = ctx.clock.now();
  await ctx.store.db.transaction().execute(async (trx) => {
    const placement = await placementInSite(trx, ctx, id);
    const scope = await currentSite(trx, placement.siteId);
    requirePermission(await actorOn(trx, actor, placement.siteId), 'article.edit', placement.channelId, scope.tree);
    if (placement.status === 'published') throw new GazetteError('PLACEMENT_LIVE', { id });
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: 'placement.delete',
      targetType: 'placement',
      targetId: id,
      details: { articleId: placement.articleId, channelId: placement.channelId },
    });
    await placements.deletePlacement(trx, id);
  });
}

/**
 * A placement the request's site may act on: one in its columns, or one of its own articles
 * placed elsewhere (which its editors see). Another site's placement is not found.
 */
async function placementInSite(db: Kysely<Database>, ctx: ServiceContext, id: number): Promise<Placement> {
  const placement = await placements.findPlacement(db, id);
  if (!placement) throw new GazetteError('PLACEMENT_NOT_FOUND', { id });
  if (ctx.siteId !== undefined && placement.siteId !== ctx.siteId)
    throw new GazetteError('PLACEMENT_NOT_FOUND', { id });
  return placement;
}

/** The placements in the site's columns (引用稿件), those the actor may review or publish first. */
export async function listPlacements(
  ctx: ServiceContext,
  actor: Actor,
  statuses: readonly ArticleStatus[] | null,
): Promise<PlacementView[]> {
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'article.read', scope.tree);
  const rows = await placements.placementsInSite(ctx.store.db, scope.site.id, statuses, { limit: 200, offset: 0 });
  const visible = rows.filter((p) => allows(actor.grants, 'article.read', p.channelId, scope.tree));
  return Promise.all(visible.map((p) => placementViewOf(ctx.store.db, p)));
}

/** Where an article of the site is placed (its editors see every site it reaches). */
export async function placementsOfArticle(
  ctx: ServiceContext,
  actor: Actor,
  articleId: number,
): Promise<PlacementView[]> {
  const scope: SiteScope = await currentSite(ctx.store.db, ctx.siteId);
  const article = await articles.findArticle(ctx.store.db, articleId);
  if (!article || article.siteId !== scope.site.id) throw new GazetteError('ARTICLE_NOT_FOUND', { id: articleId });
  requirePermission(actor, 'article.read', article.channelId, scope.tree);
  const rows = await placements.placementsOfArticle(ctx.store.db, articleId);
  return Promise.all(rows.map((p) => placementViewOf(ctx.store.db, p)));
}
