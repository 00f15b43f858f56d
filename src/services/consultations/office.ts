import {
  COMMENT_DECISION_NAMES,
  CONSULTATION_PHASE_NAMES,
  GazetteError,
  caseFieldInvalid,
  checkPeriod,
  feedbackSummary,
  formatDate,
  htmlToText,
  isCalendarDay,
  isEmailAddress,
  isPhoneNumber,
  maskName,
  maskText,
  sanitizeBodyHtml,
  textLength,
  type KnownPersonalData,
} from '../../domain/index.js';
import { consultations, type Consultation, type ConsultationComment } from '../../store/index.js';
import { requireAnywhere, type Actor } from '../actor.js';
import { appendAudit, recordAudit } from '../audit.js';
import { workingCalendar } from '../cases/calendar.js';
import { openPersonal, requireDataKeyring } from '../cases/personal-data.js';
import { keptDocument } from '../content/index.js';
import type { ServiceContext } from '../context.js';
import {
  attachmentViews,
  consultationOnSite,
  consultationScope,
  contentFields,
  feedbackOf,
  iso,
  phaseOf,
  rowFields,
  type ConsultationScope,
} from './common.js';
import type {
  CommentDecisionInput,
  CommentRow,
  Commenter,
  ConsultationDetail,
  ConsultationInput,
  ConsultationRow,
  PeriodCheckView,
  PeriodQuery,
} from './views.js';

/** The largest attachment of a draft, in bytes. */
export const CONSULTATION_ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024;
/** Sealed with this context, so that a sealed commenter cannot be moved into a letter. */
export const COMMENTER_CONTEXT = 'consultation:commenter';

/** The office of the site: it holds consultation.manage there. */
async function officeScope(ctx: ServiceContext, actor: Actor): Promise<ConsultationScope> {
  const at = await consultationScope(ctx);
  requireAnywhere(actor, 'consultation.manage', at.scope.tree);
  return at;
}

const LABELS: Record<string, string> = {
  title: '标题',
  draftingUnit: '起草单位',
  draftHtml: '征求意见稿',
  explanationHtml: '起草说明',
  startDay: '开始日期',
  endDay: '截止日期',
  contactName: '联系人',
  contactPhone: '联系电话',
  contactEmail: '电子邮箱',
  reason: '理由',
  decision: '采纳情况',
  text: '反馈内容',
};
const invalid = (field: string, zh: string, en: string) => caseFieldInvalid(field, zh, en, LABELS[field] ?? field);

/** The office's input checked in the form's order; rich text sanitised; the first problem is the 400. */
function checkInput(input: ConsultationInput) {
  const required = (field: keyof ConsultationInput, value: string) => {
    if (value.trim() === '') throw invalid(field, '必须填写', 'required');
    return value.trim();
  };
  const title = required('title', input.title);
  const draftingUnit = required('draftingUnit', input.draftingUnit);
  const draftHtml = sanitizeBodyHtml(input.draftHtml);
  if (htmlToText(draftHtml).trim() === '') throw invalid('draftHtml', '必须填写征求意见稿正文', 'the draft is empty');
  const explanationHtml = sanitizeBodyHtml(input.explanationHtml);
  if (htmlToText(explanationHtml).trim() === '')
    throw invalid('explanationHtml', '必须填写起草说明', 'the drafting explanation is empty');
  if (!isCalendarDay(input.startDay)) throw invalid('startDay', '日期无效', 'not a day');
  if (!isCalendarDay(input.endDay)) throw invalid('endDay', '日期无效', 'not a day');
  if (input.endDay < input.startDay) throw invalid('endDay', '截止日期不能早于开始日期', 'before the start day');
  const contactName = required('contactName', input.contactName);
  const contactPhone = required('contactPhone', input.contactPhone);
  if (!isPhoneNumber(contactPhone)) throw invalid('contactPhone', '联系电话格式不正确', 'not a phone number');
  const contactEmail = input.contactEmail?.trim() ?? '';
  if (contactEmail !== '' && !isEmailAddress(contactEmail))
    throw invalid('contactEmail', '电子邮箱格式不正确', 'not an e-mail address');
  return {
    title,
    kind: input.kind,
    concernsBusiness: input.concernsBusiness ? 1 : 0,
    draftingUnit,
    draftHtml,
    explanationHtml,
    interpretationHtml: sanitizeBodyHtml(input.interpretationHtml ?? ''),
    startDay: input.startDay,
    endDay: input.endDay,
    contactName,
    contactPhone,
    contactEmail,
    otherWays: input.otherWays?.trim() ?? '',
    showComments: input.showComments ? 1 : 0,
  };
}

/** The period against the rule for its kind (the form asks this as the office types). */
export async function consultationPeriod(
  ctx: ServiceContext,
  actor: Actor,
  query: PeriodQuery,
): Promise<PeriodCheckView> {
  await officeScope(ctx, actor);
  if (!isCalendarDay(query.startDay)) throw invalid('startDay', '日期无效', 'not a day');
  if (!isCalendarDay(query.endDay)) throw invalid('endDay', '日期无效', 'not a day');
  if (query.endDay < query.startDay) throw invalid('endDay', '截止日期不能早于开始日期', 'before the start day');
  return checkPeriod(query, await workingCalendar(ctx.store.db));
}

/**
 * The day the public can first comment: the start day, or the day it was (or would now be)
 * published when that is later: a draft published late is open for fewer days than its dates say.
 */
function publicStartDay(c: Consultation, at: ConsultationScope): string {
  const published =
    c.publishedAt !== null && c.status === 'published'
      ? formatDate(new Date(c.publishedAt), at.scope.site.timeZone)
      : at.today;
  return published > c.startDay ? published : c.startDay;
}

async function detailOf(ctx: ServiceContext, c: Consultation, at: ConsultationScope): Promise<ConsultationDetail> {
  const db = ctx.store.db;
  const counts = (await consultations.commentCounts(db, [c.id])).get(c.id) ?? { total: 0, undecided: 0 };
  return {
    ...rowFields(c, at),
    comments: counts.total,
    undecided: counts.undecided,
    ...contentFields(c),
    showComments: c.showComments === 1,
    publishedAt: c.publishedAt === null ? null : iso(c.publishedAt),
    attachments: attachmentViews(await consultations.attachmentsOf(db, c.id), 'office'),
    period: checkPeriod(
      { ...c, startDay: publicStartDay(c, at), concernsBusiness: c.concernsBusiness === 1 },
      await workingCalendar(db),
    ),
    feedbackText: c.feedbackText,
    feedback: feedbackOf(c),
    createdBy: c.createdBy,
    updatedAt: iso(c.updatedAt),
  };
}

export async function listConsultations(ctx: ServiceContext, actor: Actor): Promise<ConsultationRow[]> {
  const at = await officeScope(ctx, actor);
  const list = await consultations.listConsultations(ctx.store.db, at.scope.site.id);
  const counts = await consultations.commentCounts(
    ctx.store.db,
    list.map((c) => c.id),
  );
  return list.map((c) => ({
    ...rowFields(c, at),
    comments: counts.get(c.id)?.total ?? 0,
    undecided: counts.get(c.id)?.undecided ?? 0,
    feedbackPublished: c.feedbackPublishedAt !== null,
    updatedAt: iso(c.updatedAt),
  }));
}

export async function consultationDetail(ctx: ServiceContext, actor: Actor, id: number): Promise<ConsultationDetail> {
  const at = await officeScope(ctx, actor);
  return detailOf(ctx, await consultationOnSite(ctx, at.scope.site.id, id), at);
}

export async function createConsultation(
  ctx: ServiceContext,
  actor: Actor,
  input: ConsultationInput,
): Promise<ConsultationDetail> {
  const at = await officeScope(ctx, actor);
  const fields = checkInput(input);
  const stamp = at.now.toISOString();
  const created = await ctx.store.db.transaction().execute(async (trx) => {
    const c = await consultations.insertConsultation(trx, {
      siteId: at.scope.site.id,
      ...fields,
      status: 'draft',
      createdBy: actor.userName,
      createdAt: stamp,
      updatedAt: stamp,
    });
    await appendAudit(trx, ctx.store.dialect, at.now, actor, {
      action: 'consultation.create',
      targetType: 'consultation',
      targetId: c.id,
      details: { title: c.title, kind: c.kind },
    });
    return c;
  });
  return detailOf(ctx, created, at);
}

function refused(c: Consultation, at: ConsultationScope, step: { zh: string; en: string }): GazetteError {
  const phase = phaseOf(c, at);
  return new GazetteError('CONSULTATION_STEP_INVALID', {
    phase: { zh: CONSULTATION_PHASE_NAMES[phase], en: phase },
    step,
  });
}

/** One change of a consultation in a transaction, audited; refused when it changed meanwhile. */
async function change(
  ctx: ServiceContext,
  actor: Actor,
  c: Consultation,
  at: ConsultationScope,
  action: string,
  patch: Parameters<typeof consultations.updateConsultation>[3],
  details: Record<string, unknown> = {},
): Promise<ConsultationDetail> {
  const saved = await ctx.store.db.transaction().execute(async (trx) => {
    const next = await consultations.updateConsultation(trx, c.id, c.updatedAt, {
      ...patch,
      updatedAt: at.now.toISOString(),
    });
    if (!next) throw refused(c, at, { zh: '保存（内容已被他人修改，请刷新）', en: 'save (it changed meanwhile)' });
    await appendAudit(trx, ctx.store.dialect, at.now, actor, {
      action: `consultation.${action}`,
      targetType: 'consultation',
      targetId: c.id,
      details,
    });
    return next;
  });
  return detailOf(ctx, saved, at);
}

/** A consultation the office may still change: its 反馈 is not published yet. */
async function beforeFeedback(ctx: ServiceContext, actor: Actor, id: number, step: { zh: string; en: string }) {
  const at = await officeScope(ctx, actor);
  const c = await consultationOnSite(ctx, at.scope.site.id, id);
  if (c.feedbackPublishedAt !== null) throw refused(c, at, step);
  return { at, c };
}

export async function updateConsultation(
  ctx: ServiceContext,
  actor: Actor,
  id: number,
  input: ConsultationInput,
): Promise<ConsultationDetail> {
  const { at, c } = await beforeFeedback(ctx, actor, id, {
    zh: '修改（反馈已公布）',
    en: 'change (the feedback is published)',
  });
  return change(ctx, actor, c, at, 'update', checkInput(input));
}

/** Out for comment: from a draft or a withdrawn one; the end day must not have passed. */
export async function publishConsultation(ctx: ServiceContext, actor: Actor, id: number): Promise<ConsultationDetail> {
  const at = await officeScope(ctx, actor);
  const c = await consultationOnSite(ctx, at.scope.site.id, id);
  if (c.status === 'published') throw refused(c, at, { zh: '发布', en: 'publish' });
  if (c.endDay < at.today) throw invalid('endDay', `截止日期 ${c.endDay} 已过，请先修改`, 'the end day has passed');
  return change(ctx, actor, c, at, 'publish', { status: 'published', publishedAt: at.now.toISOString() });
}

/** Taken off the public pages (撤回); it may be published again. */
export async function withdrawConsultation(ctx: ServiceContext, actor: Actor, id: number): Promise<ConsultationDetail> {
  const at = await officeScope(ctx, actor);
  const c = await consultationOnSite(ctx, at.scope.site.id, id);
  if (c.status !== 'published') throw refused(c, at, { zh: '撤回', en: 'withdraw' });
  return change(ctx, actor, c, at, 'withdraw', { status: 'withdrawn' });
}

/** An attachment as uploaded, for the office: a draft's or a withdrawn one's too. */
export async function consultationAttachmentFile(
  ctx: ServiceContext,
  actor: Actor,
  id: number,
  attachmentId: number,
): Promise<{ fileName: string; mimeType: string; data: Buffer }> {
  const at = await officeScope(ctx, actor);
  const c = await consultationOnSite(ctx, at.scope.site.id, id);
  const found = await consultations.findAttachment(ctx.store.db, c.id, attachmentId);
  if (!found) throw new GazetteError('CONSULTATION_MISSING', { id: `${id}/${attachmentId}` });
  return { fileName: found.fileName, mimeType: found.mimeType, data: Buffer.from(found.content, 'base64') };
}

/** An attachment of the draft (PDF, Word…), sniffed like a media upload: 415 when its type lies. */
export async function addConsultationAttachment(
  ctx: ServiceContext,
  actor: Actor,
  id: number,
  upload: { filename: string; data: Buffer; truncated?: boolean },
): Promise<ConsultationDetail> {
  const at = await officeScope(ctx, actor);
  const c = await consultationOnSite(ctx, at.scope.site.id, id);
  const checked = await keptDocument(ctx, upload, CONSULTATION_ATTACHMENT_MAX_BYTES, { zh: '附件', en: 'attachment' });
  await ctx.store.db.transaction().execute(async (trx) => {
    const attachmentId = await consultations.insertAttachment(trx, {
      consultationId: c.id,
      ...checked,
      uploadedBy: actor.userName,
      uploadedAt: at.now.toISOString(),
    });
    await appendAudit(trx, ctx.store.dialect, at.now, actor, {
      action: 'consultation.attachment',
      targetType: 'consultation',
      targetId: c.id,
      details: { attachmentId, fileName: checked.fileName, size: upload.data.length },
    });
  });
  return detailOf(ctx, c, at);
}

export async function removeConsultationAttachment(
  ctx: ServiceContext,
  actor: Actor,
  id: number,
  attachmentId: number,
): Promise<ConsultationDetail> {
  const at = await officeScope(ctx, actor);
  const c = await consultationOnSite(ctx, at.scope.site.id, id);
  await ctx.store.db.transaction().execute(async (trx) => {
    if (!(await consultations.deleteAttachment(trx, c.id, attachmentId)))
      throw new GazetteError('CONSULTATION_MISSING', { id: `${id}/${attachmentId}` });
    await appendAudit(trx, ctx.store.dialect, at.now, actor, {
      action: 'consultation.attachment-remove',
      targetType: 'consultation',
      targetId: c.id,
      details: { attachmentId },
    });
  });
  return detailOf(ctx, c, at);
}

function commentRow(comment: ConsultationComment): CommentRow {
  const flags = JSON.parse(comment.flags) as {
    wording?: { word: string; severity: string }[];
    nearDuplicateOf?: number | null;
  };
  return {
    id: comment.id,
    receiptCode: comment.receiptCode,
    clause: comment.clause,
    body: comment.body,
    submittedAt: iso(comment.submittedAt),
    wording: flags.wording ?? [],
    nearDuplicateOf: flags.nearDuplicateOf ?? null,
    decision: comment.decision,
    decisionName: comment.decision === null ? null : COMMENT_DECISION_NAMES[comment.decision],
    reason: comment.decisionReason,
    shown: comment.shown === 1,
    decidedBy: comment.decidedBy,
    decidedAt: comment.decidedAt === null ? null : iso(comment.decidedAt),
  };
}

/** The comments, in the order they came, without the commenters (a separate, audited reading). */
export async function consultationComments(ctx: ServiceContext, actor: Actor, id: number): Promise<CommentRow[]> {
  const at = await officeScope(ctx, actor);
  const c = await consultationOnSite(ctx, at.scope.site.id, id);
  return (await consultations.commentsOf(ctx.store.db, c.id)).map(commentRow);
}

async function commentOf(ctx: ServiceContext, at: ConsultationScope, id: number, commentId: number) {
  const c = await consultationOnSite(ctx, at.scope.site.id, id);
  const comment = await consultations.findComment(ctx.store.db, c.id, commentId);
  if (!comment) throw new GazetteError('CONSULTATION_MISSING', { id: `${id}/${commentId}` });
  return { c, comment };
}

const NO_COMMENTER: Commenter = { name: '', phone: '', email: '', organisation: '' };

/** What masking looks for in a comment's own words: its writer's name, phone and e-mail. */
export function knownOf(commenter: Commenter): KnownPersonalData {
  return {
    names: [commenter.name].filter(Boolean),
    phones: [commenter.phone].filter(Boolean),
    emails: [commenter.email].filter(Boolean),
  };
}

/** The commenter opened with the data key (nothing once anonymised). */
export function commenterOf(ctx: ServiceContext, comment: ConsultationComment): Commenter {
  if (comment.anonymisedAt !== null) return NO_COMMENTER;
  const keyring = requireDataKeyring(ctx.dataKeys);
  return JSON.parse(openPersonal(keyring, comment.personal, COMMENTER_CONTEXT)) as Commenter;
}

/** Who wrote a comment: name, phone, e-mail, 单位. Every reading is an audit entry. */
export async function consultationCommenter(
  ctx: ServiceContext,
  actor: Actor,
  id: number,
  commentId: number,
): Promise<Commenter> {
  const at = await officeScope(ctx, actor);
  const { comment } = await commentOf(ctx, at, id, commentId);
  const commenter = commenterOf(ctx, comment);
  await recordAudit(ctx, actor, {
    action: 'consultation.personal-read',
    targetType: 'consultation-comment',
    targetId: comment.id,
    details: { consultationId: id },
  });
  return commenter;
}

/** 采纳 / 部分采纳 / 不予采纳 with the reason, and whether it is shown; null undoes the decision. */
export async function decideComment(
  ctx: ServiceContext,
  actor: Actor,
  id: number,
  commentId: number,
  input: CommentDecisionInput,
): Promise<CommentRow> {
  const at = await officeScope(ctx, actor);
  const { c, comment } = await commentOf(ctx, at, id, commentId);
  if (c.feedbackPublishedAt !== null)
    throw refused(c, at, { zh: '修改采纳情况（反馈已公布）', en: 'change decisions (the feedback is published)' });
  const reason = input.reason?.trim() ?? '';
  if (input.decision !== null && input.decision !== 'adopted' && reason === '')
    throw invalid('reason', '部分采纳或不予采纳须说明理由', 'a reason is required unless adopted');
  if (textLength(reason) > 1000) throw invalid('reason', '最多 1000 个字', 'at most 1000 characters');
  const shown = input.shown ?? comment.shown === 1;
  // What the page shows is masked now, from the sealed commenter: the page never opens it.
  const commenter = shown ? commenterOf(ctx, comment) : NO_COMMENTER;
  const known = knownOf(commenter);
  const saved = await ctx.store.db.transaction().execute(async (trx) => {
    // The consultation is touched under its version: a 反馈 published meanwhile (its counts fixed
    // from the decisions it read) refuses this decision, and this decision refuses that 反馈.
    const touched = await consultations.updateConsultation(trx, c.id, c.updatedAt, { updatedAt: at.now.toISOString() });
    if (!touched || touched.feedbackPublishedAt !== null)
      throw refused(c, at, {
        zh: '修改采纳情况（反馈已公布或内容已被他人修改，请刷新）',
        en: 'change decisions (it changed meanwhile)',
      });
    const next = await consultations.updateComment(trx, comment.id, {
      decision: input.decision,
      decisionReason: reason,
      shown: shown ? 1 : 0,
      publicName: shown ? maskName(commenter.name) : null,
      publicBody: shown ? maskText(comment.body, known) : null,
      decidedBy: input.decision === null ? null : actor.userName,
      decidedAt: input.decision === null ? null : at.now.toISOString(),
    });
    await appendAudit(trx, ctx.store.dialect, at.now, actor, {
      action: 'consultation.decide',
      targetType: 'consultation-comment',
      targetId: comment.id,
      details: { consultationId: c.id, decision: input.decision, shown: next.shown === 1 },
    });
    return next;
  });
  return commentRow(saved);
}

/** The office's text of the 反馈, saved until published. */
export async function saveFeedback(
  ctx: ServiceContext,
  actor: Actor,
  id: number,
  text: string,
): Promise<ConsultationDetail> {
  const step = { zh: '修改反馈（已公布）', en: 'change the feedback (it is published)' };
  const { at, c } = await beforeFeedback(ctx, actor, id, step);
  return change(ctx, actor, c, at, 'feedback', { feedbackText: text.trim() });
}

/**
 * The 反馈 published on the consultation's page: only once it has closed and every comment is
 * decided; the counts and decisions are fixed as they are now.
 */
export async function publishFeedback(ctx: ServiceContext, actor: Actor, id: number): Promise<ConsultationDetail> {
  const at = await officeScope(ctx, actor);
  const c = await consultationOnSite(ctx, at.scope.site.id, id);
  if (phaseOf(c, at) !== 'closed' || c.feedbackPublishedAt !== null)
    throw refused(c, at, {
      zh: '公布反馈（须在征集结束后公布一次）',
      en: 'publish the feedback (once, after it closes)',
    });
  const comments = await consultations.commentsOf(ctx.store.db, c.id);
  const undecided = comments.filter((x) => x.decision === null).length;
  if (undecided > 0)
    throw invalid('decision', `还有 ${undecided} 条意见未标明采纳情况`, `${undecided} comments are not decided yet`);
  if (c.feedbackText.trim() === '' && comments.length > 0)
    throw invalid('text', '请先填写并保存反馈内容', 'save the feedback text first');
  // Every decided comment's clause is listed, shown or not: masked like a shown comment's body.
  const summary = feedbackSummary(
    comments.map((x) => ({
      clause: maskText(x.clause, knownOf(commenterOf(ctx, x))),
      decision: x.decision,
      reason: x.decisionReason,
    })),
  );
  return change(
    ctx,
    actor,
    c,
    at,
    'feedback-publish',
    { feedbackSummary: JSON.stringify(summary), feedbackPublishedAt: at.now.toISOString() },
    { received: summary.received, adopted: summary.adopted, partial: summary.partial, rejected: summary.rejected },
  );
}
