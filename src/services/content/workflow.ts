import type { Kysely } from 'kysely';
import {
  GazetteError,
  STEP_PERMISSION,
  canStart,
  nextState,
  type Article,
  type WorkflowStep,
} from '../../domain/index.js';
import { articles, jobs, revisions, type Database } from '../../store/index.js';
import { requirePermission, systemActor, type Actor } from '../actor.js';
import { articleViewOf } from './article-views.js';
import { appendAudit, type AuditRecord } from '../audit.js';
import type { ServiceContext } from '../context.js';
import { loadArticle } from './editorial.js';
import { recordRevision } from './revisions.js';
import { NO_EVENTS, recordEvents, sendEvents, type ContentEvent, type RecordedEvents } from '../events.js';
import { syncArticleIndex } from './search.js';
import { currentSite, type SiteScope } from '../site.js';
import type { ArticleView } from '../views.js';
import { requireWordingClear } from './wording.js';
import { itemEvents, requireComplete, siteContentType } from './items.js';

export interface StepInput {
  /** Review comment (required to reject). */
  readonly comment?: string | undefined;
  /** Why it is withdrawn (required to withdraw). */
  readonly reason?: string | undefined;
  /** Publish or withdraw at this time instead of now. */
  readonly at?: string | undefined;
}

const STEP_WORDS: Readonly<Record<WorkflowStep, string>> = {
  submit: '提交审核',
  approve: '审核通过',
  reject: '退回修改',
  publish: '签发',
  withdraw: '撤稿',
};

/** Runs one workflow step on an article, now or (publish, withdraw) at a set time. */
export async function stepArticle(
  ctx: ServiceContext,
  actor: Actor,
  id: number,
  step: WorkflowStep,
  input: StepInput = {},
): Promise<ArticleView> {
  const now = ctx.clock.now();
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  const when = input.at === undefined ? null : new Date(input.at);
  if (when && Number.isNaN(when.getTime()))
    throw new GazetteError('FIELD_INVALID', { field: 'at', reason: { zh: '不是有效的时间', en: 'not a valid time' } });
  const scheduled =
    when !== null && when.getTime() > now.getTime() + 1000 && (step === 'publish' || step === 'withdraw');
  if (when && !scheduled && when.getTime() < now.getTime() - 60_000)
    throw new GazetteError('SCHEDULE_IN_PAST', { at: input.at ?? '' });
  let recorded: RecordedEvents = NO_EVENTS;
  const stepped = await ctx.store.db.transaction().execute(async (trx) => {
    const article = await loadArticle(trx, scope, id);
    await checkStep(trx, scope, actor, article, step, input);
    if (scheduled && when) {
      await jobs.cancelPendingJobs(trx, id, step, now);
      await jobs.insertJob(
        trx,
        {
          kind: step,
          articleId: id,
          runAt: when.toISOString(),
          payload: JSON.stringify({ by: actor.userName, reason: input.reason ?? null }),
          createdBy: actor.userId,
        },
        now,
      );
      await comment(
        trx,
        actor,
        id,
        `schedule-${step}`,
        `${STEP_WORDS[step]}定时：${when.toISOString()}${input.reason ? `（${input.reason}）` : ''}`,
        now,
      );
      await appendAudit(trx, ctx.store.dialect, now, actor, {
        action: `article.schedule-${step}`,
        targetType: 'article',
        targetId: id,
        details: { at: when.toISOString(), ...(input.reason && { reason: input.reason }) },
      });
      return article;
    }
    const result = await applyStep(trx, ctx, scope, actor, article, step, input);
    recorded = await recordEvents(trx, ctx, await stepEvents(trx, result.event));
    await appendAudit(trx, ctx.store.dialect, result.at, actor, result.audit);
    return result.article;
  });
  // The pages go first; the answer is read once they are on their way (the commit is done).
  sendEvents(ctx, recorded);
  return articleViewOf(ctx.store.db, stepped, scope, actor);
}

async function checkStep(
  trx: Kysely<Database>,
  scope: SiteScope,
  actor: Actor,
  article: Article,
  step: WorkflowStep,
  input: StepInput,
) {
  requirePermission(actor, STEP_PERMISSION[step], article.channelId, scope.tree);
  if (!canStart(step, article.status)) throw new GazetteError('WORKFLOW_INVALID', { step, status: article.status });
  if (step === 'submit' || step === 'publish') {
    await requireWordingClear(trx, scope, article);
    requireComplete(await siteContentType(trx, scope.site.id, article.contentType), article);
  }
  requireStepText(step, input);
  if (step === 'approve') {
    if (article.createdBy !== null && article.createdBy === actor.userId)
      throw new GazetteError('WORKFLOW_OWN_ARTICLE');
    // Each level of a multi-level review is a different pair of eyes.
    const history = await revisions.listComments(trx, article.id);
    const lastSubmit = history.map((c) => c.action).lastIndexOf('submit');
    const approvers = history
      .slice(lastSubmit + 1)
      .filter((c) => c.action === 'approve')
      .map((c) => c.userId);
    if (actor.userId !== null && approvers.includes(actor.userId)) throw new GazetteError('WORKFLOW_SAME_REVIEWER');
  }
}

/** A rejection says why, and so does a withdrawal: of an article, or of its placement in a column. */
export function requireStepText(step: WorkflowStep, input: Pick<StepInput, 'comment' | 'reason'>): void {
  if (step === 'reject' && !input.comment?.trim())
    throw new GazetteError('COMMENT_REQUIRED', { what: { zh: '退回意见', en: 'rejection comment' } });
  if (step === 'withdraw' && !input.reason?.trim())
    throw new GazetteError('COMMENT_REQUIRED', { what: { zh: '撤稿原因', en: 'withdrawal reason' } });
}

async function comment(trx: Kysely<Database>, actor: Actor, articleId: number, action: string, body: string, at: Date) {
  await revisions.insertComment(trx, {
    articleId,
    userId: actor.userId,
    userName: actor.userName,
    action,
    body,
    at: at.toISOString(),
  });
}

/** The step itself, inside the caller's transaction (also what a due job runs). */
async function applyStep(
  trx: Kysely<Database>,
  ctx: ServiceContext,
  scope: SiteScope,
  actor: Actor,
  article: Article,
  step: WorkflowStep,
  input: StepInput,
): Promise<{ article: Article; event: ContentEvent | null; audit: AuditRecord; at: Date }> {
  const now = ctx.clock.now();
  const levels = scope.tree.get(article.channelId)?.reviewLevels ?? 1;
  const next = nextState(step, article, levels);
  const saved = await articles.updateArticleAtVersion(
    trx,
    article.id,
    article.version,
    {
      status: next.status,
      reviewLevel: next.reviewLevel,
      ...(step === 'publish' && article.publishedAt === null && { publishedAt: now.toISOString() }),
      ...(step === 'withdraw' && { withdrawReason: input.reason?.trim() ?? null }),
      ...(step === 'publish' && { withdrawReason: null }),
    },
    now,
  );
  if (!saved) throw new GazetteError('ARTICLE_NOT_FOUND', { id: article.id });
  // The first publication sets the 发布时间 readers see: content, so a revision of its own (and a
  // later conflict does not report that field as someone else's edit).
  if (step === 'publish' && article.publishedAt === null) await recordRevision(trx, saved, actor, 'publish', now);
  if (step === 'publish' || step === 'withdraw') await jobs.cancelPendingJobs(trx, article.id, step, now);
  if (step === 'reject' || step === 'withdraw') await jobs.cancelPendingJobs(trx, article.id, 'publish', now);
  const text = (step === 'withdraw' ? input.reason : input.comment)?.trim() ?? '';
  await comment(trx, actor, article.id, step, text, now);
  await syncArticleIndex(trx, ctx.store.dialect, saved, scope.tree);
  // The caller appends this last: on PostgreSQL the entry holds the chain's lock until the commit.
  const audit: AuditRecord = {
    action: `article.${step}`,
    targetType: 'article',
    targetId: article.id,
    details: { from: article.status, to: saved.status, reviewLevel: saved.reviewLevel, ...(text && { comment: text }) },
  };
  const event: ContentEvent | null =
    step === 'publish'
      ? { type: 'article.published', siteId: saved.siteId, articleId: saved.id, channelId: saved.channelId }
      : step === 'withdraw'
        ? { type: 'article.withdrawn', siteId: saved.siteId, articleId: saved.id, channelId: saved.channelId }
        : null;
  return { article: saved, event, audit, at: now };
}

/**
 * A step's event, the columns it is placed in, and the items related to it: a policy lists its
 * 解读, so publishing or withdrawing one renders the policy's page again.
 */
async function stepEvents(trx: Kysely<Database>, event: ContentEvent | null): Promise<ContentEvent[]> {
  if (!event || !('articleId' in event)) return [];
  const article = await articles.findArticle(trx, event.articleId);
  return article ? itemEvents(trx, event, article) : [event];
}

export interface JobRun {
  readonly jobId: number;
  readonly articleId: number;
  readonly kind: string;
  readonly outcome: 'done' | 'failed';
  readonly error?: string;
}

/**
 * Runs the scheduled publishes and withdrawals that are due on the injected clock. Jobs live in
 * the store, so they survive restarts; a job is claimed atomically, so with several instances
 * each runs once. A job whose article has moved on (rejected, already published) fails with
 * the reason recorded, and is not retried.
 */
export async function runDueJobs(ctx: ServiceContext, limit = 50): Promise<JobRun[]> {
  const now = ctx.clock.now();
  const due = await jobs.dueJobs(ctx.store.db, now, limit);
  const runs: JobRun[] = [];
  for (const job of due) {
    if (!(await jobs.claimJob(ctx.store.db, job, now))) continue;
    const payload = JSON.parse(job.payload) as { by?: string; reason?: string | null };
    const actor: Actor = { ...systemActor(`scheduler (${payload.by ?? 'unknown'})`), userId: null };
    const step = job.kind === 'withdraw' ? 'withdraw' : 'publish';
    try {
      // A job runs on its article's own site, whichever site's instance claims it.
      const owner = await articles.findArticle(ctx.store.db, job.articleId);
      const scope = await currentSite(ctx.store.db, owner?.siteId ?? ctx.siteId);
      let recorded: RecordedEvents = NO_EVENTS;
      await ctx.store.db.transaction().execute(async (trx) => {
        const article = await loadArticle(trx, scope, job.articleId);
        if (!canStart(step, article.status))
          throw new GazetteError('WORKFLOW_INVALID', { step, status: article.status });
        if (step === 'publish') {
          await requireWordingClear(trx, scope, article);
          requireComplete(await siteContentType(trx, scope.site.id, article.contentType), article);
        }
        const result = await applyStep(trx, ctx, scope, actor, article, step, { reason: payload.reason ?? '定时撤稿' });
        recorded = await recordEvents(trx, ctx, await stepEvents(trx, result.event));
        await appendAudit(trx, ctx.store.dialect, result.at, actor, result.audit);
      });
      await jobs.finishJob(ctx.store.db, job.id, 'done', null, ctx.clock.now());
      sendEvents(ctx, recorded);
      runs.push({ jobId: job.id, articleId: job.articleId, kind: job.kind, outcome: 'done' });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await jobs.finishJob(ctx.store.db, job.id, 'failed', message, ctx.clock.now());
      runs.push({ jobId: job.id, articleId: job.articleId, kind: job.kind, outcome: 'failed', error: message });
    }
  }
  return runs;
}
