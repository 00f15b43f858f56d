import {
  COMMENT_LIMITS,
  GazetteError,
  caseFieldInvalid,
  formatDate,
  isEmailAddress,
  isPhoneNumber,
  letterSimilarity,
  maskText,
  NEAR_DUPLICATE,
  textLength,
  type ConsultationPhase,
} from '../../domain/index.js';
import { consultations, letters, type Consultation } from '../../store/index.js';
import { appendAudit } from '../audit.js';
import { publicActor } from '../cases/intake.js';
import { blindIndex, requireDataKeyring, sealPersonal } from '../cases/personal-data.js';
import { checkChallenge, hitLimit, newQueryCode } from '../cases/public-access.js';
import { wordingChecker } from '../content/index.js';
import type { ServiceContext } from '../context.js';
import {
  attachmentViews,
  consultationOnSite,
  consultationScope,
  contentFields,
  feedbackOf,
  phaseOf,
  rowFields,
  type ConsultationScope,
} from './common.js';
import { COMMENTER_CONTEXT } from './office.js';
import type { CommentReceipt, Commenter, NewComment, PublicConsultation, PublicConsultationRow } from './views.js';

/** Comments an address may send in an hour, and a phone in a day (counted in the store, every instance together). */
export const COMMENT_LIMITS_PER = { perAddressHour: 10, perPhoneDay: 5 } as const;

const PUBLIC_ORDER: Readonly<Record<ConsultationPhase, number>> = {
  open: 0,
  upcoming: 1,
  closed: 2,
  draft: 3,
  withdrawn: 3,
};

/** Published consultations: open ones first, then those not yet started, then the closed ones. */
export async function publicConsultations(ctx: ServiceContext): Promise<PublicConsultationRow[]> {
  const at = await consultationScope(ctx);
  const list = await consultations.listConsultations(ctx.store.db, at.scope.site.id, { published: true });
  return list
    .map((c) => rowFields(c, at))
    .sort((a, b) => PUBLIC_ORDER[a.phase] - PUBLIC_ORDER[b.phase] || (a.endDay < b.endDay ? 1 : -1) || b.id - a.id);
}

/** A published consultation, or 404 (a draft or a withdrawn one is not there for readers). */
async function publishedOne(ctx: ServiceContext, id: number): Promise<{ c: Consultation; at: ConsultationScope }> {
  const at = await consultationScope(ctx);
  const c = await consultationOnSite(ctx, at.scope.site.id, id);
  if (c.status !== 'published') throw new GazetteError('CONSULTATION_MISSING', { id });
  return { c, at };
}

export async function publicConsultation(ctx: ServiceContext, id: number): Promise<PublicConsultation> {
  const { c, at } = await publishedOne(ctx, id);
  const db = ctx.store.db;
  const shown = c.showComments === 1 ? (await consultations.commentsOf(db, c.id)).filter((x) => x.shown === 1) : [];
  return {
    ...rowFields(c, at),
    ...contentFields(c),
    attachments: attachmentViews(await consultations.attachmentsOf(db, c.id), 'public'),
    comments: shown.map((x) => ({
      name: x.publicName ?? '',
      // The clause is the commenter's own words too: phones, ID numbers and e-mails never reach the page.
      clause: maskText(x.clause),
      body: x.publicBody ?? '',
      submittedDay: formatDate(new Date(x.submittedAt), at.scope.site.timeZone),
    })),
    feedback: feedbackOf(c),
  };
}

/** An attachment of a published consultation, as uploaded. */
export async function publicConsultationAttachment(
  ctx: ServiceContext,
  id: number,
  attachmentId: number,
): Promise<{ fileName: string; mimeType: string; data: Buffer }> {
  const { c } = await publishedOne(ctx, id);
  const found = await consultations.findAttachment(ctx.store.db, c.id, attachmentId);
  if (!found) throw new GazetteError('CONSULTATION_MISSING', { id: `${id}/${attachmentId}` });
  return { fileName: found.fileName, mimeType: found.mimeType, data: Buffer.from(found.content, 'base64') };
}

const FIELD_LABELS: Record<string, string> = {
  name: '姓名',
  phone: '联系电话',
  email: '电子邮箱',
  organisation: '单位',
  clause: '涉及条款',
  body: '意见内容',
};
const invalid = (field: string, zh: string, en: string) => caseFieldInvalid(field, zh, en, FIELD_LABELS[field]);

function checkComment(input: NewComment): { commenter: Commenter; clause: string; body: string } {
  const name = input.name.trim();
  if (name === '') throw invalid('name', '请填写姓名', 'the name is required');
  const phone = input.phone.trim();
  if (phone === '') throw invalid('phone', '请填写联系电话', 'the phone is required');
  if (!isPhoneNumber(phone)) throw invalid('phone', '联系电话格式不正确', 'not a mobile or landline number');
  const email = input.email?.trim() ?? '';
  if (email !== '' && !isEmailAddress(email)) throw invalid('email', '电子邮箱格式不正确', 'not an e-mail address');
  const body = input.body.trim();
  if (body === '') throw invalid('body', '请填写意见内容', 'the comment is empty');
  const length = textLength(body);
  if (length > COMMENT_LIMITS.bodyMax)
    throw invalid(
      'body',
      `最多 ${COMMENT_LIMITS.bodyMax} 个字（现为 ${length} 个字）`,
      `at most ${COMMENT_LIMITS.bodyMax} characters (it has ${length})`,
    );
  return {
    commenter: { name, phone, email, organisation: input.organisation?.trim() ?? '' },
    clause: input.clause?.trim() ?? '',
    body,
  };
}

/**
 * A comment on an open consultation. Checked in this order, each refusal storing nothing: the
 * consultation (404 when not published, 409 when not open: before its start or after its end
 * day), the fields (400 naming the field), the rate limits per address and phone (429), the
 * proof of work or the question (400). The commenter is sealed; 错敏词 are flags for the office.
 */
export async function submitComment(
  ctx: ServiceContext,
  id: number,
  input: NewComment,
  ip: string | null,
): Promise<CommentReceipt> {
  const keyring = requireDataKeyring(ctx.dataKeys);
  const { c, at } = await publishedOne(ctx, id);
  const phase = phaseOf(c, at);
  if (phase !== 'open')
    throw new GazetteError('CONSULTATION_NOT_OPEN', {
      title: c.title,
      reason:
        phase === 'upcoming'
          ? { zh: `尚未开始（${c.startDay} 起征求意见）`, en: `it opens on ${c.startDay}` }
          : { zh: `已于 ${c.endDay} 截止`, en: `it closed at the end of ${c.endDay}` },
    });
  const { commenter, clause, body } = checkComment(input);
  const nowMs = at.now.getTime();
  const phoneIndex = blindIndex(keyring.current, 'phone', commenter.phone);
  await hitLimit(ctx, `consultation:ip:${ip ?? '-'}`, COMMENT_LIMITS_PER.perAddressHour, 3_600_000, nowMs);
  await hitLimit(ctx, `consultation:phone:${phoneIndex}`, COMMENT_LIMITS_PER.perPhoneDay, 86_400_000, nowMs);
  const solved = await checkChallenge(ctx, input, nowMs);
  const checker = await wordingChecker(ctx.store.db, at.scope.site.id);
  const wording = checker.check({ title: clause, body }).map((f) => ({ word: f.text, severity: f.severity }));
  // A copied comment (a campaign, a double send) is flagged with the earlier one, never refused.
  const earlier = await consultations.commentsOf(ctx.store.db, c.id);
  const near = earlier.find((x) => letterSimilarity(`${x.clause}\n${x.body}`, `${clause}\n${body}`) >= NEAR_DUPLICATE);
  const nearDuplicateOf = near?.id ?? null;
  return ctx.store.db.transaction().execute(async (trx) => {
    if (!(await letters.useChallenge(trx, solved.id, solved.expiresAtMs, nowMs)))
      throw new GazetteError('CHALLENGE_FAILED', {
        reason: { zh: '该验证已使用过，请重新验证', en: 'this challenge was already used' },
      });
    const comment = await consultations.insertComment(trx, {
      consultationId: c.id,
      receiptCode: newQueryCode(at.now, at.scope.site.timeZone),
      personal: sealPersonal(keyring, JSON.stringify(commenter), COMMENTER_CONTEXT),
      personalKeyId: keyring.current.id,
      phoneIndex,
      clause,
      body,
      flags: JSON.stringify({ wording, nearDuplicateOf }),
      decision: null,
      submittedAt: at.now.toISOString(),
      anonymisedAt: null,
    });
    await appendAudit(trx, ctx.store.dialect, at.now, publicActor(ip), {
      action: 'consultation.comment',
      targetType: 'consultation-comment',
      targetId: comment.id,
      details: { consultationId: c.id, flagged: wording.length > 0 || nearDuplicateOf !== null },
    });
    return { receiptCode: comment.receiptCode, consultationId: c.id, submittedAt: at.now.toISOString() };
  });
}
