import type { Kysely } from 'kysely';
import { GazetteError, allows, fromLocal, type ArticleStatus } from '../../domain/index.js';
import {
  articles,
  placements,
  sites,
  submissions,
  type Database,
  type Submission,
  type SubmissionStatus,
} from '../../store/index.js';
import { requireAnywhere, requirePermission, type Actor } from '../actor.js';
import { appendAudit } from '../audit.js';
import type { ServiceContext } from '../context.js';
import { recordRevision, syncArticleIndex } from '../content/index.js';
import { currentSite } from '../site.js';
import { createPlacement } from './placements.js';
import { columnWithScope, requireListColumn, siteNames } from './scope.js';
import type {
  Adoption,
  NewSubmission,
  SubmissionColumnInput,
  SubmissionStats,
  SubmissionTarget,
  SubmissionView,
} from './views.js';

async function submissionViews(db: Kysely<Database>, rows: readonly Submission[]): Promise<SubmissionView[]> {
  const names = await siteNames(
    db,
    rows.flatMap((r) => [r.siteId, r.fromSiteId]),
  );
  return Promise.all(
    rows.map(async (row) => {
      const [article, channel, adopted] = await Promise.all([
        articles.findArticle(db, row.articleId),
        columnWithScope(db, row.channelId).then((c) => c.channel),
        adoptedStatus(db, row),
      ]);
      return {
        id: row.id,
        articleId: row.articleId,
        title: article?.title ?? '',
        fromSite: { id: row.fromSiteId, name: names.get(row.fromSiteId) ?? '' },
        site: { id: row.siteId, name: names.get(row.siteId) ?? '' },
        channelId: row.channelId,
        channelName: channel.name,
        status: row.status,
        note: row.note,
        reason: row.reason,
        submitterName: row.submitterName,
        submittedAt: row.submittedAt,
        deciderName: row.deciderName,
        decidedAt: row.decidedAt,
        adoptedAs: row.adoptedAs,
        placementId: row.placementId,
        copyId: row.copyId,
        points: row.points,
        adoptedStatus: adopted,
      };
    }),
  );
}

/** Where an adopted submission stands on the receiving site: its placement's or its copy's status. */
async function adoptedStatus(db: Kysely<Database>, row: Submission): Promise<ArticleStatus | null> {
  if (row.placementId !== null) return (await placements.findPlacement(db, row.placementId))?.status ?? null;
  if (row.copyId !== null) return (await articles.findArticle(db, row.copyId))?.status ?? null;
  return null;
}

/** The columns of other sites this site's editors may submit to (报送栏目), with their points. */
export async function submissionTargets(ctx: ServiceContext, actor: Actor): Promise<SubmissionTarget[]> {
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'article.submit', scope.tree);
  const targets: SubmissionTarget[] = [];
  for (const site of await sites.listSites(ctx.store.db)) {
    if (site.id === scope.site.id || site.status !== 'active') continue;
    const open = await submissions.submissionColumns(ctx.store.db, site.id);
    if (open.length === 0) continue;
    const other = await currentSite(ctx.store.db, site.id);
    for (const column of open) {
      const channel = other.tree.get(column.channelId);
      if (channel)
        targets.push({
          site: { id: site.id, name: site.name },
          channelId: channel.id,
          channelName: channel.name,
          points: column.points,
        });
    }
  }
  return targets;
}

/**
 * 信息报送: an editor offers an article of the site to a column of another site that takes
 * submissions (the portal's 部门动态, 乡镇动态…). The receiving column's editors see it in their
 * inbox; the sender sees its state.
 */
export async function submitArticle(ctx: ServiceContext, actor: Actor, input: NewSubmission): Promise<SubmissionView> {
  const now = ctx.clock.now();
  const db = ctx.store.db;
  const scope = await currentSite(db, ctx.siteId);
  const submission = await db.transaction().execute(async (trx) => {
    const article = await articles.findArticle(trx, input.articleId);
    if (!article || article.siteId !== scope.site.id)
      throw new GazetteError('ARTICLE_NOT_FOUND', { id: input.articleId });
    requirePermission(actor, 'article.submit', article.channelId, scope.tree);
    if (article.status === 'withdrawn')
      throw new GazetteError('WORKFLOW_INVALID', { step: 'submit', status: article.status });
    const { channel } = await columnWithScope(trx, input.channelId);
    if (channel.siteId === article.siteId) throw new GazetteError('SUBMISSION_SAME_SITE');
    requireListColumn(channel);
    if (!(await submissions.findSubmissionColumn(trx, channel.id)))
      throw new GazetteError('SUBMISSION_CLOSED', { name: channel.name });
    if (await submissions.findPending(trx, article.id, channel.id))
      throw new GazetteError('SUBMISSION_PENDING', { article: article.id, channel: channel.name });
    const saved = await submissions.insertSubmission(
      trx,
      {
        articleId: article.id,
        fromSiteId: article.siteId,
        siteId: channel.siteId,
        channelId: channel.id,
        note: input.note?.trim() ?? '',
        submittedBy: actor.userId,
        submitterName: actor.userName,
      },
      now,
    );
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: 'submission.create',
      targetType: 'submission',
      targetId: saved.id,
      details: { articleId: article.id, siteId: channel.siteId, channelId: channel.id },
    });
    return saved;
  });
  return (await submissionViews(db, [submission]))[0] as SubmissionView;
}

export interface SubmissionQuery {
  /** inbox: sent to this site (报送稿件); sent: what this site sent (已报送). */
  readonly box: 'inbox' | 'sent';
  readonly status?: SubmissionStatus | undefined;
  readonly page?: number | undefined;
  readonly pageSize?: number | undefined;
}

/** The site's inbox (for the receiving columns' editors) or what it sent (for its editors). */
export async function listSubmissions(ctx: ServiceContext, actor: Actor, query: SubmissionQuery) {
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'article.read', scope.tree);
  const page = Math.max(1, query.page ?? 1);
  const pageSize = Math.min(100, Math.max(1, query.pageSize ?? 20));
  const filter = {
    ...(query.box === 'inbox' ? { siteId: scope.site.id } : { fromSiteId: scope.site.id }),
    ...(query.status && { statuses: [query.status] }),
  };
  const { rows, total } = await submissions.listSubmissions(ctx.store.db, filter, {
    limit: pageSize,
    offset: (page - 1) * pageSize,
  });
  // The inbox of a column is its editors'; a sender's list is every editor's of the site.
  const visible =
    query.box === 'inbox' ? rows.filter((r) => allows(actor.grants, 'article.read', r.channelId, scope.tree)) : rows;
  return { items: await submissionViews(ctx.store.db, visible), total, page, pageSize };
}

/** The submission to decide on: pending, and sent to a column of the request's site. */
async function pendingInSite(db: Kysely<Database>, siteId: number, id: number): Promise<Submission> {
  const row = await submissions.findSubmission(db, id);
  if (!row || row.siteId !== siteId) throw new GazetteError('SUBMISSION_NOT_FOUND', { id });
  if (row.status !== 'pending') throw new GazetteError('SUBMISSION_DECIDED', { id, status: row.status });
  return row;
}

/**
 * 采用: the submitted article goes onto the receiving column's review, as a placement (the
 * original, shown in the column; it must be published on its own site) or as a draft copy that
 * the receiving editors edit, whose 来源 is the submitting unit and which keeps the link to its
 * original. Points, when the column gives them, are recorded with the decision.
 */
export async function adoptSubmission(
  ctx: ServiceContext,
  actor: Actor,
  id: number,
  adoption: Adoption,
): Promise<SubmissionView> {
  const now = ctx.clock.now();
  const db = ctx.store.db;
  const scope = await currentSite(db, ctx.siteId);
  const decided = await db.transaction().execute(async (trx) => {
    const row = await pendingInSite(trx, scope.site.id, id);
    const channel = scope.tree.get(row.channelId);
    if (!channel) throw new GazetteError('CHANNEL_NOT_FOUND', { id: row.channelId });
    requirePermission(actor, 'article.edit', channel.id, scope.tree);
    const original = await articles.findArticle(trx, row.articleId);
    if (!original) throw new GazetteError('ARTICLE_NOT_FOUND', { id: row.articleId });
    let placementId: number | null = null;
    let copyId: number | null = null;
    if (adoption.as === 'placement') {
      if (original.status !== 'published')
        throw new GazetteError('ARTICLE_NOT_PUBLISHED', { id: original.id, status: original.status });
      placementId = (await createPlacement(trx, actor, original.id, channel.id, now, true)).id;
    } else {
      const from = await sites.findSite(trx, row.fromSiteId);
      const copy = await articles.insertArticle(
        trx,
        {
          siteId: scope.site.id,
          channelId: channel.id,
          title: original.title,
          subtitle: original.subtitle,
          source: from?.hostOrganization || from?.name || original.source,
          author: original.author,
          responsibleEditor: '',
          publishedAt: null,
          bodyHtml: original.bodyHtml,
          summary: original.summary,
          keywords: original.keywords,
          coverImage: original.coverImage,
          attachments: original.attachments,
          status: 'draft',
          importKey: null,
          createdBy: actor.userId,
        },
        now,
      );
      await recordRevision(trx, copy, actor, 'create', now);
      await syncArticleIndex(trx, ctx.store.dialect, copy, scope.tree);
      copyId = copy.id;
    }
    const points = (await submissions.findSubmissionColumn(trx, channel.id))?.points ?? 0;
    const saved = await submissions.decide(
      trx,
      id,
      {
        status: 'adopted',
        reason: '',
        decidedBy: actor.userId,
        deciderName: actor.userName,
        adoptedAs: adoption.as,
        placementId,
        copyId,
        points,
      },
      now,
    );
    if (!saved) throw new GazetteError('SUBMISSION_DECIDED', { id, status: 'adopted' });
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: 'submission.adopt',
      targetType: 'submission',
      targetId: id,
      details: {
        articleId: row.articleId,
        as: adoption.as,
        ...(placementId !== null && { placementId }),
        ...(copyId !== null && { copyId }),
        points,
      },
    });
    return saved;
  });
  return (await submissionViews(db, [decided]))[0] as SubmissionView;
}

/** 退回: the submission goes back to its sender with the reason, which the sender sees. */
export async function returnSubmission(
  ctx: ServiceContext,
  actor: Actor,
  id: number,
  reason: string | undefined,
): Promise<SubmissionView> {
  const now = ctx.clock.now();
  const db = ctx.store.db;
  const scope = await currentSite(db, ctx.siteId);
  const why = reason?.trim() ?? '';
  const decided = await db.transaction().execute(async (trx) => {
    const row = await pendingInSite(trx, scope.site.id, id);
    requirePermission(actor, 'article.edit', row.channelId, scope.tree);
    if (!why) throw new GazetteError('COMMENT_REQUIRED', { what: { zh: '退回原因', en: 'reason for returning it' } });
    const saved = await submissions.decide(
      trx,
      id,
      {
        status: 'returned',
        reason: why,
        decidedBy: actor.userId,
        deciderName: actor.userName,
        adoptedAs: null,
        placementId: null,
        copyId: null,
        points: 0,
      },
      now,
    );
    if (!saved) throw new GazetteError('SUBMISSION_DECIDED', { id, status: 'returned' });
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: 'submission.return',
      targetType: 'submission',
      targetId: id,
      details: { articleId: row.articleId, reason: why },
    });
    return saved;
  });
  return (await submissionViews(db, [decided]))[0] as SubmissionView;
}

/** Opens a column of the site to submissions (with the points an adopted article earns), or closes it. */
export async function setSubmissionColumn(
  ctx: ServiceContext,
  actor: Actor,
  channelId: number,
  input: SubmissionColumnInput,
): Promise<{ open: boolean; points: number }> {
  const now = ctx.clock.now();
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  const channel = scope.tree.get(channelId);
  if (!channel) throw new GazetteError('CHANNEL_NOT_FOUND', { id: channelId });
  requirePermission(actor, 'channel.manage', channel.id, scope.tree);
  if (input.open) requireListColumn(channel);
  const points = input.open ? (input.points ?? 0) : null;
  await ctx.store.db.transaction().execute(async (trx) => {
    await submissions.setSubmissionColumn(trx, channel.id, points);
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: 'channel.submissions',
      targetType: 'channel',
      targetId: channel.id,
      details: { open: input.open, points },
    });
  });
  return { open: input.open, points: points ?? 0 };
}

/** The site's columns that take submissions, for its administrators. */
export async function submissionColumnsOf(
  ctx: ServiceContext,
  actor: Actor,
): Promise<{ channelId: number; channelName: string; points: number }[]> {
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'channel.read', scope.tree);
  const open = await submissions.submissionColumns(ctx.store.db, scope.site.id);
  return open.map((c) => ({ ...c, channelName: scope.tree.get(c.channelId)?.name ?? '' }));
}

const PERIOD = /^(\d{4})(?:-(0[1-9]|1[0-2]))?$/;

/**
 * 信息报送考核: per submitting unit, for a year (YYYY) or a month (YYYY-MM) in the site's time:
 * 报送数, 采用数, 退回数, 采用率 and points, ranked by points, then adoptions, then rate.
 */
export async function submissionStats(ctx: ServiceContext, actor: Actor, period: string): Promise<SubmissionStats> {
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'article.read', scope.tree);
  const match = PERIOD.exec(period);
  if (!match)
    throw new GazetteError('FIELD_INVALID', {
      field: 'period',
      reason: { zh: '应为 YYYY 或 YYYY-MM', en: 'expected YYYY or YYYY-MM' },
    });
  const year = Number(match[1]);
  const month = match[2] === undefined ? null : Number(match[2]);
  const { from, to } = periodBounds(year, month, scope.site.timeZone);
  const tallies = await submissions.tally(ctx.store.db, scope.site.id, from.toISOString(), to.toISOString());
  const names = await siteNames(
    ctx.store.db,
    tallies.map((t) => t.fromSiteId),
  );
  const rows = tallies
    .map((t) => ({
      site: { id: t.fromSiteId, name: names.get(t.fromSiteId) ?? '' },
      submitted: t.submitted,
      adopted: t.adopted,
      returned: t.returned,
      pending: t.submitted - t.adopted - t.returned,
      rate: t.submitted === 0 ? 0 : Math.round((t.adopted / t.submitted) * 1000) / 1000,
      points: t.points,
    }))
    .sort((a, b) => b.points - a.points || b.adopted - a.adopted || b.rate - a.rate || a.site.id - b.site.id);
  // Equal figures share a rank (1, 2, 2, 4), as published rankings do.
  const ranked = rows.map((row, i) => {
    const first = rows.findIndex((r) => r.points === row.points && r.adopted === row.adopted && r.rate === row.rate);
    return { ...row, rank: (first === -1 ? i : first) + 1 };
  });
  return { period, from: from.toISOString(), to: to.toISOString(), rows: ranked };
}

/** The instants a year or month starts and ends in a time zone. */
function periodBounds(year: number, month: number | null, timeZone: string): { from: Date; to: Date } {
  const start = (y: number, m: number) => zonedMidnight(y, m, timeZone);
  if (month === null) return { from: start(year, 1), to: start(year + 1, 1) };
  return { from: start(year, month), to: month === 12 ? start(year + 1, 1) : start(year, month + 1) };
}

/** Midnight at the start of day 1 of a month in a time zone, as an instant. */
function zonedMidnight(year: number, month: number, timeZone: string): Date {
  const instant = fromLocal({ year, month, day: 1, hour: 0, minute: 0, second: 0 }, timeZone);
  // The first of a month at midnight always exists on the wall clock of the zones sites use.
  if (!instant)
    throw new GazetteError('FIELD_INVALID', {
      field: 'period',
      reason: { zh: '时区中不存在该时间', en: "no such time in the site's time zone" },
    });
  return instant;
}
