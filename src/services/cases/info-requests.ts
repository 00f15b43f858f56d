import {
  GazetteError,
  INFO_REQUEST_DAYS,
  INFO_REQUEST_STATUS_NAMES,
  INFO_REQUEST_STEPS,
  INFO_REQUEST_STEP_NAMES,
  INFO_REQUEST_STEP_PERMISSION,
  ROLE_ACTIONS,
  caseFieldInvalid,
  formatDate,
  holdsAnywhere,
  infoRequestStepRefusal,
  isApplicantClass,
  isCalendarDay,
  isCreditCode,
  isEmailAddress,
  isPhoneNumber,
  isResidentIdNumber,
  nextInfoRequestClock,
  outcomeName,
  remainingWorkingDays,
  textLength,
  thirdPartyDueDay,
  type ApplicantClass,
  type InfoRequestClock,
  type InfoRequestStatus,
  type InfoRequestStep,
  type WorkingCalendar,
} from '../../domain/index.js';
import { infoRequests, letters, type InfoRequest } from '../../store/index.js';
import { requireAnywhere, type Actor } from '../actor.js';
import { appendAudit, recordAudit } from '../audit.js';
import type { ServiceContext } from '../context.js';
import { keptDocument } from '../content/index.js';
import { currentSite } from '../site.js';
import { workingCalendar } from './calendar.js';
import { publicActor } from './intake.js';
import type {
  Applicant,
  InfoRequestDetail,
  InfoRequestFollow,
  InfoRequestPage,
  InfoRequestQuery,
  InfoRequestRow,
  InfoRequestStepInput,
  NewInfoRequest,
} from './info-request-views.js';
import { blindIndex, openPersonal, requireDataKeyring, sealPersonal } from './personal-data.js';
import { checkChallenge, hitLimit, newQueryCode, passwordHash, passwordMatches, randomText } from './public-access.js';
import type { LetterReceipt } from './views.js';

/** Requests an address may send in an hour and a phone in a day; follow-ups per address in 10 minutes. */
export const INFO_REQUEST_LIMITS = { perAddressHour: 5, perPhoneDay: 5, followsPerAddress10Min: 20 } as const;
/** The largest reply document, in bytes. */
export const REPLY_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024;
/** Sealed with this context, so that a sealed applicant cannot be moved into a letter. */
export const APPLICANT_CONTEXT = 'info-request:applicant';
const PAGE_SIZE = 20;
/** The steps whose note is a notice to the applicant (告知补正, 延期告知, 答复). */
const TOLD_TO_APPLICANT = new Set(['ask-correction', 'extend', 'answer']);

const invalid = (field: string, zh: string, en: string, label?: string) => caseFieldInvalid(field, zh, en, label);

function requireField(value: string | undefined, field: string, zh: string, en: string, label?: string): string {
  const text = value?.trim() ?? '';
  if (text === '') throw invalid(field, zh, en, label);
  return text;
}

/** The applicant and the request checked in the form's order; the first problem is the 400. */
function checkRequest(input: NewInfoRequest): { applicant: Applicant; applicantClass: ApplicantClass } {
  if (!isApplicantClass(input.applicantClass)) throw invalid('applicantClass', '请选择申请人类型', 'unknown class');
  const citizen = input.applicantClass === 'natural';
  const name = requireField(
    input.name,
    'name',
    citizen ? '请填写姓名' : '请填写单位名称',
    'the name is required',
    citizen ? '姓名' : '名称',
  );
  const idType = citizen ? input.idType?.trim() || '居民身份证' : '统一社会信用代码';
  const idNumber = requireField(
    input.idNumber,
    'idNumber',
    citizen ? '请填写证件号码' : '请填写统一社会信用代码',
    'the ID number is required',
    citizen ? '证件号码' : '统一社会信用代码',
  ).toUpperCase();
  if (citizen && idType === '居民身份证' && !isResidentIdNumber(idNumber))
    throw invalid('idNumber', '居民身份证号码不正确', 'not a valid resident ID number');
  if (!citizen && !isCreditCode(idNumber))
    throw invalid('idNumber', '统一社会信用代码不正确', 'not a valid unified social credit code', '统一社会信用代码');
  const contactName = input.contactName?.trim() ?? '';
  if (!citizen && contactName === '') throw invalid('contactName', '请填写联系人', 'an organisation names a contact');
  const phone = requireField(input.phone, 'phone', '请填写联系电话', 'the phone is required');
  if (!isPhoneNumber(phone)) throw invalid('phone', '联系电话格式不正确', 'not a mobile or landline number');
  const email = input.email?.trim() ?? '';
  if (email !== '' && !isEmailAddress(email)) throw invalid('email', '电子邮箱格式不正确', 'not an e-mail address');
  if (email === '' && (input.deliveryWay === '电子邮件' || input.deliveryForm === '电子邮件'))
    throw invalid('email', '选择电子邮件获取时须填写电子邮箱', 'an e-mail delivery needs the address');
  const address = input.address?.trim() ?? '';
  if (address === '' && input.deliveryWay === '邮寄')
    throw invalid('address', '选择邮寄时须填写通信地址', 'a delivery by post needs the address');
  const description = requireField(
    input.description,
    'description',
    '请填写所需政府信息的名称、文号或特征性描述',
    'describe the information wanted',
  );
  if (textLength(description) > 2000)
    throw invalid('description', `最多 2000 个字（现为 ${textLength(description)} 个字）`, 'at most 2000 characters');
  return {
    applicantClass: input.applicantClass,
    applicant: {
      name,
      idType,
      idNumber,
      legalRepresentative: citizen ? '' : (input.legalRepresentative?.trim() ?? ''),
      contactName: citizen ? '' : contactName,
      phone,
      email,
      address,
      postcode: input.postcode?.trim() ?? '',
    },
  };
}

/**
 * A request from the public, checked in this order, each refusal storing nothing: the fields
 * (400 naming the field), the rate limits (429), the proof of work or the question (400). The
 * applicant's identity is sealed; the request waits for the office to confirm its receipt, the
 * day its clock starts (Art. 31: online, the day both sides confirm).
 */
export async function submitInfoRequest(
  ctx: ServiceContext,
  input: NewInfoRequest,
  ip: string | null,
): Promise<LetterReceipt> {
  const keyring = requireDataKeyring(ctx.dataKeys);
  const db = ctx.store.db;
  const scope = await currentSite(db, ctx.siteId);
  const { applicant, applicantClass } = checkRequest(input);
  const now = ctx.clock.now();
  const nowMs = now.getTime();
  const phoneIndex = blindIndex(keyring.current, 'phone', applicant.phone);
  await hitLimit(ctx, `info-request:ip:${ip ?? '-'}`, INFO_REQUEST_LIMITS.perAddressHour, 3_600_000, nowMs);
  await hitLimit(ctx, `info-request:phone:${phoneIndex}`, INFO_REQUEST_LIMITS.perPhoneDay, 86_400_000, nowMs);
  const solved = await checkChallenge(ctx, input, nowMs);
  const password = randomText(8);
  return db.transaction().execute(async (trx) => {
    if (!(await letters.useChallenge(trx, solved.id, solved.expiresAtMs, nowMs)))
      throw new GazetteError('CHALLENGE_FAILED', {
        reason: { zh: '该验证已使用过，请重新验证', en: 'this challenge was already used' },
      });
    const queryCode = newQueryCode(now, scope.site.timeZone);
    const request = await infoRequests.insertRequest(trx, {
      siteId: scope.site.id,
      queryCode,
      passwordHash: passwordHash(ctx, password),
      status: 'submitted',
      applicantClass,
      personal: sealPersonal(keyring, JSON.stringify(applicant), APPLICANT_CONTEXT),
      personalKeyId: keyring.current.id,
      phoneIndex,
      description: input.description.trim(),
      documentNo: input.documentNo?.trim() ?? '',
      purpose: input.purpose?.trim() ?? '',
      deliveryForm: input.deliveryForm,
      deliveryWay: input.deliveryWay,
      submittedAt: now.toISOString(),
      receivedDay: null,
      clockStartDay: null,
      dueDay: null,
      pausedSince: null,
      extensionReason: null,
      outcome: null,
      answeredAt: null,
      answeredDay: null,
      anonymisedAt: null,
      updatedAt: now.toISOString(),
    });
    await infoRequests.insertStep(trx, {
      requestId: request.id,
      step: 'submit',
      fromStatus: null,
      toStatus: 'submitted',
      actorId: null,
      actorName: '申请人',
      note: '',
      dueDay: null,
      at: now.toISOString(),
    });
    await appendAudit(trx, ctx.store.dialect, now, publicActor(ip), {
      action: 'info-request.receive',
      targetType: 'info-request',
      targetId: request.id,
      details: { applicantClass },
    });
    return { queryCode, password };
  });
}

/** The request a code and password name: the same 404 for a wrong code and a wrong password. */
async function requestByCode(
  ctx: ServiceContext,
  queryCode: string,
  password: string,
  ip: string | null,
): Promise<InfoRequest> {
  const nowMs = ctx.clock.now().getTime();
  await hitLimit(ctx, `info-request:follow:${ip ?? '-'}`, INFO_REQUEST_LIMITS.followsPerAddress10Min, 600_000, nowMs);
  const request = await infoRequests.findByQueryCode(ctx.store.db, queryCode.trim().toUpperCase());
  if (!passwordMatches(ctx, password, request?.passwordHash) || !request) throw new GazetteError('CASE_NOT_FOUND');
  return request;
}

function clockOf(request: InfoRequest): InfoRequestClock {
  return {
    status: request.status,
    receivedDay: request.receivedDay,
    clockStartDay: request.clockStartDay,
    dueDay: request.dueDay,
    pausedSince: request.pausedSince,
    extensionDays: request.extensionDays,
    correctionAsked: request.correctionAsked === 1,
  };
}

function clockFields(request: InfoRequest, calendar: WorkingCalendar, today: string) {
  return {
    receivedDay: request.receivedDay,
    clockStartDay: request.clockStartDay,
    dueDay: request.dueDay,
    pausedSince: request.pausedSince,
    thirdPartyDueDay: request.pausedSince === null ? null : thirdPartyDueDay(request.pausedSince, calendar),
    extensionDays: request.extensionDays,
    extensionReason: request.extensionReason,
    remainingWorkingDays: remainingWorkingDays(clockOf(request), today, calendar),
  };
}

async function todayOf(ctx: ServiceContext, siteId: number): Promise<string> {
  const scope = await currentSite(ctx.store.db, siteId);
  return formatDate(ctx.clock.now(), scope.site.timeZone);
}

/** What the applicant sees: where the request stands, the notices, and the reply once given. */
export async function followInfoRequest(
  ctx: ServiceContext,
  queryCode: string,
  password: string,
  ip: string | null,
): Promise<InfoRequestFollow> {
  const request = await requestByCode(ctx, queryCode, password, ip);
  const db = ctx.store.db;
  const calendar = await workingCalendar(db);
  const today = await todayOf(ctx, request.siteId);
  const document = request.status === 'answered' ? await infoRequests.documentInfo(db, request.id) : undefined;
  return {
    queryCode: request.queryCode,
    description: request.description,
    status: request.status,
    statusName: INFO_REQUEST_STATUS_NAMES[request.status].zh,
    submittedAt: request.submittedAt,
    ...clockFields(request, calendar, today),
    outcome: request.outcome,
    outcomeName: request.outcome === null ? null : outcomeName(request.outcome),
    answeredDay: request.answeredDay,
    replyDocument: document ? { fileName: document.fileName, size: document.size } : null,
    steps: (await infoRequests.stepsOf(db, request.id)).map((s) => ({
      step: s.step,
      name: INFO_REQUEST_STEP_NAMES[s.step as InfoRequestStep | 'submit']?.zh ?? s.step,
      // The notices are the applicant's; the office's other notes (a third party's name) are not.
      note: TOLD_TO_APPLICANT.has(s.step) ? s.note : '',
      dueDay: s.dueDay,
      at: s.at,
    })),
  };
}

/** The reply document, for the applicant who holds the code and password (once answered). */
export async function applicantReplyDocument(
  ctx: ServiceContext,
  queryCode: string,
  password: string,
  ip: string | null,
): Promise<{ fileName: string; mimeType: string; data: Buffer }> {
  const request = await requestByCode(ctx, queryCode, password, ip);
  const document = request.status === 'answered' ? await infoRequests.documentOf(ctx.store.db, request.id) : undefined;
  if (!document) throw new GazetteError('CASE_NOT_FOUND');
  return { fileName: document.fileName, mimeType: document.mimeType, data: Buffer.from(document.content, 'base64') };
}

// --- The back office ------------------------------------------------------------------------------

/** The site's requests are its office's: a reader holds case.read in a role other than 承办. */
async function officeSite(ctx: ServiceContext, actor: Actor): Promise<number> {
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'case.read', scope.tree);
  if (!actor.grants.some((g) => g.role !== 'handler' && ROLE_ACTIONS[g.role].includes('case.read')))
    throw new GazetteError('PERMISSION_DENIED', { action: 'case.read' });
  return scope.site.id;
}

async function findOnSite(ctx: ServiceContext, siteId: number, id: number): Promise<InfoRequest> {
  const request = await infoRequests.findRequest(ctx.store.db, id);
  if (!request || request.siteId !== siteId) throw new GazetteError('CASE_MISSING', { id });
  return request;
}

function rowOf(request: InfoRequest, calendar: WorkingCalendar, today: string): InfoRequestRow {
  return {
    id: request.id,
    siteId: request.siteId,
    queryCode: request.queryCode,
    applicantClass: request.applicantClass,
    description: request.description,
    status: request.status,
    submittedAt: request.submittedAt,
    ...clockFields(request, calendar, today),
    outcome: request.outcome,
    answeredDay: request.answeredDay,
  };
}

export async function listInfoRequests(
  ctx: ServiceContext,
  actor: Actor,
  query: InfoRequestQuery,
): Promise<InfoRequestPage> {
  const siteId = await officeSite(ctx, actor);
  const page = query.page ?? 1;
  const found = await infoRequests.listRequests(ctx.store.db, {
    siteIds: [siteId],
    statuses: query.status ? [query.status] : undefined,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  });
  const calendar = await workingCalendar(ctx.store.db);
  const today = await todayOf(ctx, siteId);
  return { items: found.requests.map((r) => rowOf(r, calendar, today)), total: found.total, page, pageSize: PAGE_SIZE };
}

function allowedSteps(actor: Actor, request: InfoRequest, calendar: WorkingCalendar, today: string): string[] {
  return INFO_REQUEST_STEPS.filter((step) => {
    if (!holdsAnywhere(actor.grants, INFO_REQUEST_STEP_PERMISSION[step])) return false;
    // Checked with a placeholder for the inputs the form asks for (days, outcome).
    const probe = { step, day: today, days: 1, outcome: request.status === 'correcting' ? 'other-1' : 'open' };
    return infoRequestStepRefusal(clockOf(request), probe, calendar) === null;
  });
}

async function detailOf(ctx: ServiceContext, actor: Actor, request: InfoRequest): Promise<InfoRequestDetail> {
  const db = ctx.store.db;
  const calendar = await workingCalendar(db);
  const today = await todayOf(ctx, request.siteId);
  const document = await infoRequests.documentInfo(db, request.id);
  return {
    ...rowOf(request, calendar, today),
    documentNo: request.documentNo,
    purpose: request.purpose,
    deliveryForm: request.deliveryForm,
    deliveryWay: request.deliveryWay,
    correctionAsked: request.correctionAsked === 1,
    outcomeName: request.outcome === null ? null : outcomeName(request.outcome),
    replyDocument: document
      ? {
          fileName: document.fileName,
          mimeType: document.mimeType,
          size: document.size,
          sha256: document.sha256,
          uploadedBy: document.uploadedBy,
          uploadedAt: document.uploadedAt,
        }
      : null,
    steps: (await infoRequests.stepsOf(db, request.id)).map((s) => ({
      step: s.step,
      name: INFO_REQUEST_STEP_NAMES[s.step as InfoRequestStep | 'submit']?.zh ?? s.step,
      fromStatus: (s.fromStatus as InfoRequestStatus | null) ?? null,
      toStatus: s.toStatus as InfoRequestStatus,
      actorName: s.actorName,
      note: s.note,
      dueDay: s.dueDay,
      at: s.at,
    })),
    allowedSteps: allowedSteps(actor, request, calendar, today),
  };
}

export async function infoRequestDetail(ctx: ServiceContext, actor: Actor, id: number): Promise<InfoRequestDetail> {
  const siteId = await officeSite(ctx, actor);
  return detailOf(ctx, actor, await findOnSite(ctx, siteId, id));
}

/** The applicant's identity and contact, opened for the office; every reading is audited. */
export async function infoRequestApplicant(ctx: ServiceContext, actor: Actor, id: number): Promise<Applicant> {
  const siteId = await officeSite(ctx, actor);
  const scope = await currentSite(ctx.store.db, siteId);
  requireAnywhere(actor, 'case.personal', scope.tree);
  const request = await findOnSite(ctx, siteId, id);
  const applicant = applicantOf(ctx, request);
  await recordAudit(ctx, actor, {
    action: 'info-request.personal-read',
    targetType: 'info-request',
    targetId: request.id,
    details: {},
  });
  return applicant;
}

const NO_APPLICANT: Applicant = {
  name: '',
  idType: '',
  idNumber: '',
  legalRepresentative: '',
  contactName: '',
  phone: '',
  email: '',
  address: '',
  postcode: '',
};

/** The applicant opened with the data key (nothing once anonymised). */
export function applicantOf(ctx: ServiceContext, request: InfoRequest): Applicant {
  if (request.anonymisedAt !== null) return NO_APPLICANT;
  return JSON.parse(openPersonal(requireDataKeyring(ctx.dataKeys), request.personal, APPLICANT_CONTEXT)) as Applicant;
}

function stepRefused(request: InfoRequest, step: InfoRequestStep, reason: { zh: string; en: string }): GazetteError {
  return new GazetteError('CASE_STEP_INVALID', {
    status: INFO_REQUEST_STATUS_NAMES[request.status],
    step: { zh: `${INFO_REQUEST_STEP_NAMES[step].zh}（${reason.zh}）`, en: `${step} (${reason.en})` },
  });
}

/**
 * One step of a request, with its permission, in one transaction: the request changes only if
 * it is still in the status read, the step is kept with who, when, the note the applicant is
 * told and the due day it leads to. The answer needs the reply document uploaded first.
 */
export async function stepInfoRequest(
  ctx: ServiceContext,
  actor: Actor,
  id: number,
  step: InfoRequestStep,
  input: InfoRequestStepInput,
): Promise<InfoRequestDetail> {
  const db = ctx.store.db;
  const siteId = await officeSite(ctx, actor);
  const permission = INFO_REQUEST_STEP_PERMISSION[step];
  if (!holdsAnywhere(actor.grants, permission)) throw new GazetteError('PERMISSION_DENIED', { action: permission });
  const request = await findOnSite(ctx, siteId, id);
  const now = ctx.clock.now();
  const today = await todayOf(ctx, siteId);
  const day = input.day ?? today;
  if (!isCalendarDay(day) || day > today) throw invalid('day', '日期无效或晚于今天', 'not a day up to today');
  if (step !== 'confirm' && step !== 'corrected' && input.day !== undefined)
    throw invalid('day', '只有确认收到和收到补正可以填写日期', 'only confirm and corrected take a day');
  if (
    step === 'confirm' &&
    day < formatDate(new Date(request.submittedAt), (await currentSite(db, siteId)).site.timeZone)
  )
    throw invalid('day', '确认收到的日期不能早于提交日期', 'before the request was sent');
  const note = input.note?.trim() ?? '';
  if (step === 'ask-correction' && note === '')
    throw invalid('note', '请写明需要补正的事项和合理的补正期限', 'say what to correct (Art. 30)');
  if (step === 'extend' && note === '') throw invalid('note', '请填写延期理由', 'give the reason for the extension');
  const calendar = await workingCalendar(db);
  const stepInput = { step, day, days: input.days, outcome: input.outcome };
  if (step === 'extend' && input.days === undefined)
    throw invalid('days', `请填写延长的工作日数（最多 ${INFO_REQUEST_DAYS.extensionMax} 个）`, 'how many working days');
  if (step === 'answer' && input.outcome === undefined)
    throw invalid('outcome', '请选择办理结果', 'choose the outcome');
  const refusal = infoRequestStepRefusal(clockOf(request), stepInput, calendar);
  if (refusal) throw stepRefused(request, step, refusal);
  if (step === 'answer' && !(await infoRequests.documentInfo(db, request.id)))
    throw invalid('file', '请先上传答复文书', 'upload the reply document first');
  const next = nextInfoRequestClock(clockOf(request), stepInput, calendar);
  const saved = await db.transaction().execute(async (trx) => {
    const changed = await infoRequests.updateRequest(trx, request.id, request.status, {
      status: next.status,
      receivedDay: next.receivedDay,
      clockStartDay: next.clockStartDay,
      dueDay: next.dueDay,
      pausedSince: next.pausedSince,
      extensionDays: next.extensionDays,
      correctionAsked: next.correctionAsked ? 1 : 0,
      ...(step === 'extend' && { extensionReason: note }),
      ...(step === 'answer' && {
        outcome: input.outcome ?? null,
        answeredAt: now.toISOString(),
        answeredDay: today,
      }),
      updatedAt: now.toISOString(),
    });
    if (!changed) throw stepRefused(request, step, { zh: '状态已变化', en: 'it changed meanwhile' });
    await infoRequests.insertStep(trx, {
      requestId: request.id,
      step,
      fromStatus: request.status,
      toStatus: next.status,
      actorId: actor.userId,
      actorName: actor.userName,
      note: step === 'answer' ? [outcomeName(input.outcome ?? ''), note].filter(Boolean).join('：') : note,
      dueDay: next.dueDay,
      at: now.toISOString(),
    });
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: `info-request.${step}`,
      targetType: 'info-request',
      targetId: request.id,
      details: {
        from: request.status,
        to: next.status,
        ...(next.dueDay !== null && { dueDay: next.dueDay }),
        ...(input.days !== undefined && { days: input.days }),
        ...(input.outcome !== undefined && { outcome: input.outcome }),
      },
    });
    return changed;
  });
  return detailOf(ctx, actor, saved);
}

/** The reply document (答复告知书), sniffed like a media upload; replaced by a new one until the answer. */
export async function putReplyDocument(
  ctx: ServiceContext,
  actor: Actor,
  id: number,
  upload: { filename: string; data: Buffer; truncated?: boolean },
): Promise<InfoRequestDetail> {
  const siteId = await officeSite(ctx, actor);
  if (!holdsAnywhere(actor.grants, 'case.screen'))
    throw new GazetteError('PERMISSION_DENIED', { action: 'case.screen' });
  const request = await findOnSite(ctx, siteId, id);
  if (request.status === 'answered')
    throw stepRefused(request, 'answer', { zh: '已答复的申请不能更换答复文书', en: 'the reply was already given' });
  const checked = await keptDocument(ctx, upload, REPLY_DOCUMENT_MAX_BYTES, { zh: '答复文书', en: 'reply document' });
  const now = ctx.clock.now();
  await ctx.store.db.transaction().execute(async (trx) => {
    await infoRequests.putDocument(trx, {
      requestId: request.id,
      ...checked,
      uploadedBy: actor.userName,
      uploadedAt: now.toISOString(),
    });
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: 'info-request.document',
      targetType: 'info-request',
      targetId: request.id,
      details: { fileName: checked.fileName, size: upload.data.length },
    });
  });
  return detailOf(ctx, actor, request);
}

export async function replyDocument(
  ctx: ServiceContext,
  actor: Actor,
  id: number,
): Promise<{ fileName: string; mimeType: string; data: Buffer }> {
  const siteId = await officeSite(ctx, actor);
  const request = await findOnSite(ctx, siteId, id);
  const document = await infoRequests.documentOf(ctx.store.db, request.id);
  if (!document) throw new GazetteError('CASE_MISSING', { id });
  return { fileName: document.fileName, mimeType: document.mimeType, data: Buffer.from(document.content, 'base64') };
}
