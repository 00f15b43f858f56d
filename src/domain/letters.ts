import { GazetteError } from './errors.js';
import type { Action } from './roles.js';

/**
 * 互动交流 letters (领导信箱, 咨询, 投诉…): a case that comes in from the public, is screened,
 * routed to a unit, answered within a deadline counted in working days, reviewed, published and
 * rated. This file holds the rules; storage, clocks and HTTP sit around it.
 */

/** The kinds of letter a site may offer (domain.md: the types seen on live sites). */
export type LetterType = 'consult' | 'complaint' | 'suggestion' | 'help' | 'report';
export const LETTER_TYPES: readonly LetterType[] = ['consult', 'complaint', 'suggestion', 'help', 'report'];
export const LETTER_TYPE_NAMES: Readonly<Record<LetterType, { zh: string; en: string }>> = {
  consult: { zh: '咨询', en: 'Enquiry' },
  complaint: { zh: '投诉', en: 'Complaint' },
  suggestion: { zh: '建议', en: 'Suggestion' },
  help: { zh: '求助', en: 'Request for help' },
  report: { zh: '举报', en: 'Report' },
};

export function isLetterType(value: string): value is LetterType {
  return (LETTER_TYPES as readonly string[]).includes(value);
}

export type LetterStatus =
  | 'received' // 待审查: in from the public, not yet screened
  | 'accepted' // 已受理: screened, waiting to be routed (or back from a unit)
  | 'assigned' // 办理中: with a unit
  | 'reviewing' // 审核中: the unit's reply under review
  | 'answered' // 已答复: the reply went to the writer
  | 'published' // 已公开: the letter and its reply are on the site
  | 'rejected' // 不予受理
  | 'merged'; // 重复件, merged into another letter

export const LETTER_STATUS_NAMES: Readonly<Record<LetterStatus, { zh: string; en: string }>> = {
  received: { zh: '待审查', en: 'Received' },
  accepted: { zh: '已受理', en: 'Accepted' },
  assigned: { zh: '办理中', en: 'With a unit' },
  reviewing: { zh: '审核中', en: 'Reply in review' },
  answered: { zh: '已答复', en: 'Answered' },
  published: { zh: '已公开', en: 'Published' },
  rejected: { zh: '不予受理', en: 'Not accepted' },
  merged: { zh: '重复件已合并', en: 'Merged as a duplicate' },
};

/** The steps of a letter's handling, as the API names them. */
export type LetterStep =
  | 'accept' // 受理
  | 'reject' // 不予受理
  | 'merge' // 合并重复件
  | 'assign' // 转办 (from a unit: 再转办)
  | 'return' // 退回: the unit sends it back to the office
  | 'recall' // 收回: the office takes it back from the unit
  | 'reply' // the unit's reply, sent for review
  | 'approve' // one review level passed
  | 'send-back' // the reply goes back to the unit
  | 'publish' // 公开
  | 'unpublish'; // 撤销公开

export const LETTER_STEPS: readonly LetterStep[] = [
  'accept',
  'reject',
  'merge',
  'assign',
  'return',
  'recall',
  'reply',
  'approve',
  'send-back',
  'publish',
  'unpublish',
];

export const LETTER_STEP_NAMES: Readonly<
  Record<LetterStep | 'submit' | 'rate' | 'reopen' | 'hotline-reply' | 'hotline-note', { zh: string; en: string }>
> = {
  submit: { zh: '提交', en: 'Submitted' },
  accept: { zh: '受理', en: 'Accept' },
  reject: { zh: '不予受理', en: 'Decline' },
  merge: { zh: '合并重复件', en: 'Merge as duplicate' },
  assign: { zh: '转办', en: 'Assign to a unit' },
  return: { zh: '退回', en: 'Return to the office' },
  recall: { zh: '收回', en: 'Recall from the unit' },
  reply: { zh: '提交答复', en: 'Send the reply for review' },
  approve: { zh: '审核通过', en: 'Approve the reply' },
  'send-back': { zh: '答复退回修改', en: 'Send the reply back' },
  publish: { zh: '公开', en: 'Publish' },
  unpublish: { zh: '撤销公开', en: 'Unpublish' },
  rate: { zh: '评价', en: 'Rated' },
  reopen: { zh: '不满意重办', en: 'Reopened after an unsatisfied rating' },
  'hotline-reply': { zh: '12345 答复', en: 'Answered through 12345' },
  'hotline-note': { zh: '12345 反馈', en: 'Note from 12345' },
};

/** Statuses each step may start from. */
const FROM: Readonly<Record<LetterStep, readonly LetterStatus[]>> = {
  accept: ['received'],
  reject: ['received'],
  merge: ['received', 'accepted'],
  assign: ['accepted', 'assigned'],
  return: ['assigned'],
  recall: ['assigned', 'reviewing'],
  reply: ['assigned'],
  approve: ['reviewing'],
  'send-back': ['reviewing'],
  publish: ['answered'],
  // A published letter reopened by its writer stays on the site (with its first reply) while the
  // unit answers again; the office may take it off meanwhile.
  unpublish: ['published', 'assigned', 'reviewing', 'answered'],
};

export function canStartLetterStep(step: LetterStep, status: LetterStatus): boolean {
  return FROM[step].includes(status);
}

/**
 * Who may take each step. The office (互动受理) screens, routes, reviews last and publishes; a
 * unit's handlers reply and return, and its leader gives the first review (checked against the
 * unit's members by the operation, on top of this permission).
 */
export const LETTER_STEP_PERMISSION: Readonly<Record<LetterStep, Action>> = {
  accept: 'case.screen',
  reject: 'case.screen',
  merge: 'case.screen',
  assign: 'case.screen',
  recall: 'case.screen',
  return: 'case.handle',
  reply: 'case.handle',
  approve: 'case.review',
  'send-back': 'case.review',
  publish: 'case.publish',
  unpublish: 'case.publish',
};

export interface LetterReviewState {
  readonly status: LetterStatus;
  /** Review levels the current reply has passed. */
  readonly reviewLevel: number;
}

/**
 * Where a step leads. A reply climbs the review levels one at a time (0 levels: replying is
 * answering); a reply sent back returns to the unit with its levels cleared.
 */
export function nextLetterState(step: LetterStep, current: LetterReviewState, reviewLevels: number): LetterReviewState {
  switch (step) {
    case 'accept':
    case 'return':
    case 'recall':
      return { status: 'accepted', reviewLevel: 0 };
    case 'reject':
      return { status: 'rejected', reviewLevel: 0 };
    case 'merge':
      return { status: 'merged', reviewLevel: 0 };
    case 'assign':
    case 'send-back':
      return { status: 'assigned', reviewLevel: 0 };
    case 'reply':
      return reviewLevels === 0 ? { status: 'answered', reviewLevel: 0 } : { status: 'reviewing', reviewLevel: 0 };
    case 'approve': {
      const level = current.reviewLevel + 1;
      return { status: level >= reviewLevels ? 'answered' : 'reviewing', reviewLevel: level };
    }
    case 'publish':
      return { status: 'published', reviewLevel: current.reviewLevel };
    case 'unpublish':
      return { status: current.status === 'published' ? 'answered' : current.status, reviewLevel: current.reviewLevel };
  }
}

/** Review levels of a reply: 0 none, 1 the unit's leader, 2 the leader and then the office. */
export const MAX_LETTER_REVIEW_LEVELS = 2;

/** The five levels of the writer's rating (domain.md), best first. */
export type LetterRating = 5 | 4 | 3 | 2 | 1;
export const LETTER_RATING_NAMES: Readonly<Record<LetterRating, { zh: string; en: string }>> = {
  5: { zh: '非常满意', en: 'Very satisfied' },
  4: { zh: '满意', en: 'Satisfied' },
  3: { zh: '基本满意', en: 'Fairly satisfied' },
  2: { zh: '不满意', en: 'Dissatisfied' },
  1: { zh: '非常不满意', en: 'Very dissatisfied' },
};

export function isLetterRating(value: number): value is LetterRating {
  return Number.isInteger(value) && value >= 1 && value <= 5;
}

/** 不满意 and 非常不满意 reopen the case with a new due date. */
export function reopensCase(rating: LetterRating): boolean {
  return rating <= 2;
}

/** Statuses in which the writer may rate: the reply has reached them. */
export const RATEABLE: readonly LetterStatus[] = ['answered', 'published'];

/** Statuses that count as 办结 (the reply went out). */
export const CLOSED_LETTER_STATUSES: readonly LetterStatus[] = ['answered', 'published'];
/** Statuses in which the working-day clock runs (the deadline, its alerts, the late-letter item). */
export const CLOCK_RUNS: readonly LetterStatus[] = ['accepted', 'assigned', 'reviewing'];
/** Statuses that do not count as valid letters (不予受理, 重复件). */
export const INVALID_LETTER_STATUSES: readonly LetterStatus[] = ['rejected', 'merged'];

/** The usual 不予受理 reasons (domain.md); the office may also write its own. */
export const REJECTION_REASONS: readonly string[] = [
  '属于诉讼、仲裁、行政复议等法定途径解决的事项',
  '属于党委、人大、政协、法院、检察院、军队等职权范围的事项',
  '属于已经受理或正在办理的信访事项',
  '内容不明确或联系方式不真实',
  '含有广告等与政务无关的内容',
  '重复提交',
  '不属于政府职能范围的事项',
];

export interface LetterTypeSetting {
  readonly type: LetterType;
  /** Working days a unit has to answer, counted from 受理 (domain.md: 3, 5 or 10 locally). */
  readonly days: number;
}

/** One site's letter desk: what it offers and how strictly it takes letters. */
export interface LetterDeskSettings {
  /** The desk's public name (领导信箱, 区长信箱…). */
  readonly name: string;
  /** Whether the site takes letters at all (the health report's veto looks here). */
  readonly open: boolean;
  readonly types: readonly LetterTypeSetting[];
  readonly titleMin: number;
  readonly titleMax: number;
  readonly bodyMax: number;
  /** Whether the writer picks the unit (otherwise the office routes every letter). */
  readonly writerChoosesUnit: boolean;
  readonly reviewLevels: number;
  /** Years after closing that a case's personal data is kept before the nightly job anonymises it. */
  readonly retentionYears: number;
  /** Files a writer may attach to a letter (0: none). */
  readonly attachmentsMax: number;
  /** The largest file a writer may attach, in MB. */
  readonly attachmentMb: number;
}

export const DEFAULT_LETTER_DESK: LetterDeskSettings = {
  name: '领导信箱',
  open: true,
  types: [
    { type: 'consult', days: 5 },
    { type: 'complaint', days: 10 },
    { type: 'suggestion', days: 10 },
    { type: 'help', days: 5 },
    { type: 'report', days: 10 },
  ],
  titleMin: 10,
  titleMax: 50,
  bodyMax: 1000,
  writerChoosesUnit: true,
  reviewLevels: 2,
  retentionYears: 3,
  attachmentsMax: 3,
  attachmentMb: 10,
};

export interface DeskProblem {
  readonly field: string;
  readonly zh: string;
  readonly en: string;
}

/** What a settings change may not do, named by field (the 400's message). */
export function letterDeskProblems(settings: LetterDeskSettings): DeskProblem[] {
  const problems: DeskProblem[] = [];
  const add = (field: string, zh: string, en: string) => problems.push({ field, zh, en });
  if (settings.name.trim() === '') add('name', '不能为空', 'empty');
  if (settings.titleMin < 1 || settings.titleMin > settings.titleMax)
    add('titleMin', `应在 1 到 ${settings.titleMax} 之间`, `must be between 1 and titleMax (${settings.titleMax})`);
  if (settings.titleMax > 200) add('titleMax', '最多 200', 'at most 200');
  if (settings.bodyMax < 50 || settings.bodyMax > 10_000)
    add('bodyMax', '应在 50 到 10000 之间', 'between 50 and 10000');
  if (settings.reviewLevels < 0 || settings.reviewLevels > MAX_LETTER_REVIEW_LEVELS)
    add('reviewLevels', `应在 0 到 ${MAX_LETTER_REVIEW_LEVELS} 之间`, `between 0 and ${MAX_LETTER_REVIEW_LEVELS}`);
  if (settings.retentionYears < 1 || settings.retentionYears > 30)
    add('retentionYears', '应在 1 到 30 之间', 'between 1 and 30');
  if (!Number.isInteger(settings.attachmentsMax) || settings.attachmentsMax < 0 || settings.attachmentsMax > 10)
    add('attachmentsMax', '应在 0 到 10 之间', 'between 0 and 10');
  if (!Number.isInteger(settings.attachmentMb) || settings.attachmentMb < 1 || settings.attachmentMb > 20)
    add('attachmentMb', '应在 1 到 20 之间', 'between 1 and 20');
  const seen = new Set<LetterType>();
  for (const [i, t] of settings.types.entries()) {
    if (seen.has(t.type)) add(`types[${i}].type`, `“${LETTER_TYPE_NAMES[t.type].zh}”重复`, `${t.type} is listed twice`);
    seen.add(t.type);
    if (!Number.isInteger(t.days) || t.days < 1 || t.days > 60)
      add(`types[${i}].days`, '应为 1 到 60 个工作日', 'a whole number of working days between 1 and 60');
  }
  if (settings.open && settings.types.length === 0)
    add('types', '开通的信箱至少受理一种信件', 'an open desk offers at least one type');
  return problems;
}

/** The Chinese name of each field the forms and the API name (the 400's message says it). */
const FIELD_LABELS: Readonly<Record<string, string>> = {
  type: '信件类型',
  types: '信件类型',
  title: '标题',
  body: '内容',
  name: '名称',
  phone: '联系电话',
  email: '电子邮箱',
  address: '联系地址',
  unitId: '承办单位',
  reason: '理由',
  note: '意见',
  duplicateOf: '重复的信件',
  dueDay: '办理期限',
  reply: '答复内容',
  rating: '评价',
  answeredAt: '答复日期',
  titleMin: '标题最少字数',
  titleMax: '标题最多字数',
  bodyMax: '内容最多字数',
  reviewLevels: '审核级数',
  retentionYears: '个人信息保存年限',
  members: '成员',
  userId: '承办人员',
  days: '办理时限',
  applicantClass: '申请人类型',
  idType: '证件类型',
  idNumber: '证件号码',
  legalRepresentative: '法定代表人',
  contactName: '联系人',
  postcode: '邮政编码',
  description: '所需信息描述',
  documentNo: '文号',
  purpose: '用途',
  deliveryForm: '获取信息的形式',
  deliveryWay: '获取信息的方式',
  outcome: '办理结果',
  day: '日期',
  file: '答复文书',
  attachments: '附件',
  attachmentsMax: '附件个数上限',
  attachmentMb: '单个附件大小上限',
};

/** `members[0].userId` → 成员（第1项）承办人员. */
export function fieldLabel(field: string): string {
  const m = /^(\w+)\[(\d+)\](?:\.(\w+))?$/.exec(field);
  if (!m) return FIELD_LABELS[field] ?? field;
  const [, base = '', index = '0', sub] = m;
  return `${FIELD_LABELS[base] ?? base}（第${Number(index) + 1}项）${sub ? (FIELD_LABELS[sub] ?? sub) : ''}`;
}

/** CASE_FIELD_INVALID naming the field: its API name (for clients) and its Chinese label (for people). */
export function caseFieldInvalid(field: string, zh: string, en: string, label = fieldLabel(field)): GazetteError {
  return new GazetteError('CASE_FIELD_INVALID', { field, label, reason: { zh, en } });
}

/** The length of a text as a reader counts it: characters, not UTF-16 units. */
export function textLength(text: string): number {
  return [...text].length;
}

/**
 * The share of a deadline used up, in working days: 0 at 受理, 1 on the due day, above 1 when
 * late. The handlers are warned at 50%, 80% and 100%.
 */
export function deadlineShare(elapsedWorkingDays: number, totalWorkingDays: number): number {
  if (totalWorkingDays <= 0) return 1;
  return elapsedWorkingDays / totalWorkingDays;
}

export type DeadlineAlert = 'deadline-50' | 'deadline-80' | 'deadline-100';
export type VetoAlert = 'veto-60' | 'veto-80' | 'veto-90';
export type LetterAlert = DeadlineAlert | VetoAlert;

/** The deadline warnings due at a share of the deadline, most urgent last. */
export function deadlineAlertsAt(share: number): DeadlineAlert[] {
  const due: DeadlineAlert[] = [];
  if (share >= 0.5) due.push('deadline-50');
  if (share >= 0.8) due.push('deadline-80');
  if (share >= 1) due.push('deadline-100');
  return due;
}

/**
 * The national check's veto line (互动回应差): a valid letter unanswered for more than 3 months.
 * The office is warned as an unanswered letter nears it, at 60, 80 and 90 days.
 */
export function vetoAlertsAt(daysOpen: number): VetoAlert[] {
  const due: VetoAlert[] = [];
  if (daysOpen >= 60) due.push('veto-60');
  if (daysOpen >= 80) due.push('veto-80');
  if (daysOpen >= 90) due.push('veto-90');
  return due;
}

/** The day three calendar months after `day` (YYYY-MM-DD), clamped to the month's end (11-30 + 3 → 02-28). */
export function threeMonthsAfter(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const month = m - 1 + 3;
  const year = y + Math.floor(month / 12);
  const monthOfYear = month % 12;
  const lastDay = new Date(Date.UTC(year, monthOfYear + 1, 0)).getUTCDate();
  const date = new Date(Date.UTC(year, monthOfYear, Math.min(d, lastDay)));
  return date.toISOString().slice(0, 10);
}

/** The character pairs of a text's letters and digits (punctuation and spaces dropped). */
function bigrams(text: string): Set<string> {
  const chars = [...text.normalize('NFKC').toLowerCase()].filter((c) => /[\p{L}\p{N}]/u.test(c));
  const pairs = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) pairs.add(`${chars[i] ?? ''}${chars[i + 1] ?? ''}`);
  return pairs;
}

/**
 * How alike two letters are, 0 to 1 (Jaccard over character pairs): a letter sent again with a
 * word changed scores near 1. At NEAR_DUPLICATE and above, the office is shown the earlier one.
 */
export function letterSimilarity(a: string, b: string): number {
  const x = bigrams(a);
  const y = bigrams(b);
  if (x.size === 0 || y.size === 0) return 0;
  let shared = 0;
  for (const pair of x) if (y.has(pair)) shared++;
  return shared / (x.size + y.size - shared);
}

export const NEAR_DUPLICATE = 0.8;

/** A phone number the desk can call back: a mobile (11 digits, 1[3-9]…) or a landline with its area code. */
export function isPhoneNumber(phone: string): boolean {
  const digits = phone
    .normalize('NFKC')
    .replace(/[\s()（）-]/g, '')
    .replace(/^(\+86|0086)/, '');
  return /^1[3-9]\d{9}$/.test(digits) || /^0\d{2,3}\d{7,8}$/.test(digits);
}

export function isEmailAddress(email: string): boolean {
  return /^[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+$/.test(email);
}

export const LETTER_ALERTS: readonly LetterAlert[] = [
  'deadline-50',
  'deadline-80',
  'deadline-100',
  'veto-60',
  'veto-80',
  'veto-90',
];

export function isLetterAlert(value: string): value is LetterAlert {
  return (LETTER_ALERTS as readonly string[]).includes(value);
}

/** What each alert tells the handlers and the office, on the dashboard and in the mail. */
export const LETTER_ALERT_LABELS: Readonly<Record<LetterAlert, { readonly zh: string; readonly en: string }>> = {
  'deadline-50': { zh: '办理期限已过半', en: 'Half of the time to answer has passed' },
  'deadline-80': { zh: '办理期限已用去80%', en: '80% of the time to answer has passed' },
  'deadline-100': { zh: '已到办理期限', en: 'The due day has come' },
  'veto-60': { zh: '已60天未答复', en: 'Unanswered for 60 days' },
  'veto-80': { zh: '已80天未答复，满3个月即单项否决', en: 'Unanswered for 80 days: the 3-month veto is near' },
  'veto-90': {
    zh: '已90天未答复，即将满3个月（单项否决）',
    en: 'Unanswered for 90 days: the 3-month veto is days away',
  },
};

/**
 * The alerts still worth telling of: per letter, the latest of the deadline alerts and the latest
 * of the veto alerts (a letter at 80% of its deadline is no longer news at 50%), in the order given.
 */
export function mostUrgentAlerts<T extends { readonly letterId: number; readonly alert: LetterAlert }>(
  alerts: readonly T[],
): T[] {
  const rank = (alert: LetterAlert) => LETTER_ALERTS.indexOf(alert);
  const family = (alert: LetterAlert) => alert.slice(0, alert.indexOf('-'));
  const best = new Map<string, T>();
  for (const item of alerts) {
    const key = `${item.letterId} ${family(item.alert)}`;
    const held = best.get(key);
    if (!held || rank(item.alert) > rank(held.alert)) best.set(key, item);
  }
  const kept = new Set(best.values());
  return alerts.filter((item) => kept.has(item));
}

/**
 * An address the back office may mail (an account's, for the alerts): one plain address, no
 * display name, no spaces, commas or quotes that a mailer would read as a list or a header.
 */
export function isMailboxAddress(email: string): boolean {
  return (
    email.length <= 254 &&
    /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/.test(
      email,
    )
  );
}
