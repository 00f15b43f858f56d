import type { WorkingCalendar } from './calendar.js';
import type { Action } from './roles.js';

/**
 * 依申请公开: requests for government information under the 政府信息公开条例 (2019). A request
 * is received (Art. 31), answered within 20 working days (Art. 33), once extended by at most 20
 * more with the reason told to the applicant, paused while the applicant corrects it (补正,
 * Art. 30: the clock starts again from the corrected request) and while a third party is
 * consulted (Art. 32: up to 15 working days, not counted). Its outcome is one of the codes of the
 * annual report's table (国办公开办函〔2021〕30号), which this file also fills. Rules only, no I/O.
 */

/** 申请人: a citizen (自然人) or one of the classes of 法人或其他组织 the annual table counts. */
export type ApplicantClass = 'natural' | 'business' | 'research' | 'charity' | 'legal' | 'other';
export const APPLICANT_CLASSES: readonly ApplicantClass[] = [
  'natural',
  'business',
  'research',
  'charity',
  'legal',
  'other',
];
export const APPLICANT_CLASS_NAMES: Readonly<Record<ApplicantClass, { zh: string; en: string }>> = {
  natural: { zh: '自然人', en: 'Natural person' },
  business: { zh: '商业企业', en: 'Business' },
  research: { zh: '科研机构', en: 'Research institution' },
  charity: { zh: '社会公益组织', en: 'Public-interest organisation' },
  legal: { zh: '法律服务机构', en: 'Legal services' },
  other: { zh: '其他', en: 'Other organisation' },
};

export function isApplicantClass(value: string): value is ApplicantClass {
  return (APPLICANT_CLASSES as readonly string[]).includes(value);
}

/** The forms the information may be given in, and the ways it may be delivered (Art. 29 (三)). */
export const DELIVERY_FORMS = ['纸质', '电子邮件', '光盘', '其他'] as const;
export const DELIVERY_WAYS = ['邮寄', '电子邮件', '当面领取', '网上获取'] as const;
export type DeliveryForm = (typeof DELIVERY_FORMS)[number];
export type DeliveryWay = (typeof DELIVERY_WAYS)[number];

export type InfoRequestStatus =
  | 'submitted' // 待确认: sent online, receipt not yet confirmed (Art. 31 (三))
  | 'processing' // 办理中: the clock runs
  | 'correcting' // 待补正: the applicant was asked to correct it; no clock
  | 'consulting' // 征求第三方意见: the clock stands
  | 'answered'; // 已答复

export const INFO_REQUEST_STATUSES: readonly InfoRequestStatus[] = [
  'submitted',
  'processing',
  'correcting',
  'consulting',
  'answered',
];

export const INFO_REQUEST_STATUS_NAMES: Readonly<Record<InfoRequestStatus, { zh: string; en: string }>> = {
  submitted: { zh: '待确认收到', en: 'Awaiting confirmation of receipt' },
  processing: { zh: '办理中', en: 'In progress' },
  correcting: { zh: '待补正', en: 'Waiting for the applicant’s correction' },
  consulting: { zh: '征求第三方意见', en: 'Third party consulted' },
  answered: { zh: '已答复', en: 'Answered' },
};

export type InfoRequestStep =
  | 'confirm' // 确认收到: the received date (Art. 31)
  | 'ask-correction' // 告知补正 (Art. 30: once, within 7 working days of receipt)
  | 'corrected' // 收到补正: the clock starts again
  | 'consult' // 征求第三方意见 (Art. 32)
  | 'consulted' // 第三方意见收回: the clock runs on
  | 'extend' // 延期答复 (Art. 33: once, ≤ 20 working days, with the 负责人's approval)
  | 'answer'; // 答复, with an outcome of the annual table and the reply document

export const INFO_REQUEST_STEPS: readonly InfoRequestStep[] = [
  'confirm',
  'ask-correction',
  'corrected',
  'consult',
  'consulted',
  'extend',
  'answer',
];

export const INFO_REQUEST_STEP_NAMES: Readonly<Record<InfoRequestStep | 'submit', { zh: string; en: string }>> = {
  submit: { zh: '提交申请', en: 'Submitted' },
  confirm: { zh: '确认收到', en: 'Receipt confirmed' },
  'ask-correction': { zh: '告知补正', en: 'Correction requested' },
  corrected: { zh: '收到补正', en: 'Correction received' },
  consult: { zh: '征求第三方意见', en: 'Third party consulted' },
  consulted: { zh: '第三方意见已收回', en: 'Third party answered' },
  extend: { zh: '延期答复', en: 'Deadline extended' },
  answer: { zh: '答复', en: 'Answered' },
};

const FROM: Readonly<Record<InfoRequestStep, readonly InfoRequestStatus[]>> = {
  confirm: ['submitted'],
  'ask-correction': ['processing'],
  corrected: ['correcting'],
  consult: ['processing'],
  consulted: ['consulting'],
  extend: ['processing', 'consulting'],
  // From 待补正 only to close it as not corrected in time (其他处理).
  answer: ['processing', 'consulting', 'correcting'],
};

/**
 * Who may take each step: the site's office (its 信息公开工作机构) handles the request; an
 * extension needs the approval of its 负责人 (Art. 33), the review permission.
 */
export const INFO_REQUEST_STEP_PERMISSION: Readonly<Record<InfoRequestStep, Action>> = {
  confirm: 'case.screen',
  'ask-correction': 'case.screen',
  corrected: 'case.screen',
  consult: 'case.screen',
  consulted: 'case.screen',
  extend: 'case.review',
  answer: 'case.screen',
};

/** The statutory periods, in working days. */
export const INFO_REQUEST_DAYS = {
  answer: 20,
  extensionMax: 20,
  correctionNotice: 7,
  thirdParty: 15,
} as const;

// --- Outcomes: the rows of table 三 of the annual report ----------------------------------------

export type OutcomeGroup = 'open' | 'partial' | 'withheld' | 'unavailable' | 'refused' | 'other';

interface OutcomeGroupInfo {
  readonly group: OutcomeGroup;
  readonly label: string;
  /** The numbered reasons of the group, in the table's order; none for 予以公开 and 部分公开. */
  readonly reasons: readonly string[];
}

export const OUTCOME_GROUPS: readonly OutcomeGroupInfo[] = [
  { group: 'open', label: '（一）予以公开', reasons: [] },
  { group: 'partial', label: '（二）部分公开（区分处理的，只计这一情形，不计其他情形）', reasons: [] },
  {
    group: 'withheld',
    label: '（三）不予公开',
    reasons: [
      '属于国家秘密',
      '其他法律行政法规禁止公开',
      '危及“三安全一稳定”',
      '保护第三方合法权益',
      '属于三类内部事务信息',
      '属于四类过程性信息',
      '属于行政执法案卷',
      '属于行政查询事项',
    ],
  },
  {
    group: 'unavailable',
    label: '（四）无法提供',
    reasons: ['本机关不掌握相关政府信息', '没有现成信息需要另行制作', '补正后申请内容仍不明确'],
  },
  {
    group: 'refused',
    label: '（五）不予处理',
    reasons: [
      '信访举报投诉类申请',
      '重复申请',
      '要求提供公开出版物',
      '无正当理由大量反复申请',
      '要求行政机关确认或重新出具已获取信息',
    ],
  },
  {
    group: 'other',
    label: '（六）其他处理',
    reasons: [
      '申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请',
      '申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请',
      '其他',
    ],
  },
];

/** Every outcome code, in the table's order: `open`, `partial`, or a group and a reason's number (`withheld-4`). */
export const OUTCOME_CODES: readonly string[] = OUTCOME_GROUPS.flatMap((g) =>
  g.reasons.length === 0 ? [g.group] : g.reasons.map((_, i) => `${g.group}-${i + 1}`),
);

export function isOutcomeCode(code: string): boolean {
  return OUTCOME_CODES.includes(code);
}

/** The outcome as the reply and the table name it: 不予公开 · 保护第三方合法权益. */
export function outcomeName(code: string): string {
  const [group, number] = code.split('-');
  const info = OUTCOME_GROUPS.find((g) => g.group === group);
  if (!info) return code;
  const name = info.label.replace(/^（.）/, '').replace(/（.*）$/, '');
  const reason = number === undefined ? undefined : info.reasons[Number(number) - 1];
  return reason === undefined ? name : `${name} · ${reason}`;
}

/** Outcomes that close a request still waiting for its correction: not corrected in time, or other. */
export const OUTCOMES_WHILE_CORRECTING: readonly string[] = ['other-1', 'other-3'];

// --- The clock ----------------------------------------------------------------------------------

/** Where a request stands on its statutory clock. Days are local `YYYY-MM-DD`. */
export interface InfoRequestClock {
  readonly status: InfoRequestStatus;
  /** 收到申请之日 (Art. 31); null until confirmed. */
  readonly receivedDay: string | null;
  /** The day the 20 working days count from: receipt, or the corrected request's receipt. */
  readonly clockStartDay: string | null;
  readonly dueDay: string | null;
  /** The day the clock stopped for the third party; null while it runs. */
  readonly pausedSince: string | null;
  /** Working days of the one extension; 0 when not extended. */
  readonly extensionDays: number;
  /** Whether 补正 was asked (once only: 一次性告知). */
  readonly correctionAsked: boolean;
}

export const NEW_INFO_REQUEST_CLOCK: InfoRequestClock = {
  status: 'submitted',
  receivedDay: null,
  clockStartDay: null,
  dueDay: null,
  pausedSince: null,
  extensionDays: 0,
  correctionAsked: false,
};

/** Why a step cannot be taken now, in both languages; null when it can. */
export interface StepRefusal {
  readonly zh: string;
  readonly en: string;
}

export interface InfoRequestStepInput {
  readonly step: InfoRequestStep;
  /** The local day the step is taken. */
  readonly day: string;
  /** `extend`: the working days added (1–20). */
  readonly days?: number | undefined;
  /** `answer`: the outcome code. */
  readonly outcome?: string | undefined;
}

/** What stops a step, before any change: the status, the once-only rules, the limits. */
export function infoRequestStepRefusal(
  clock: InfoRequestClock,
  input: InfoRequestStepInput,
  calendar: WorkingCalendar,
): StepRefusal | null {
  if (!FROM[input.step].includes(clock.status))
    return {
      zh: `申请当前为“${INFO_REQUEST_STATUS_NAMES[clock.status].zh}”，不能${INFO_REQUEST_STEP_NAMES[input.step].zh}`,
      en: `the request is ${INFO_REQUEST_STATUS_NAMES[clock.status].en.toLowerCase()}: cannot ${input.step}`,
    };
  if (input.step === 'ask-correction') {
    if (clock.correctionAsked)
      return { zh: '补正只能一次性告知（条例第三十条）', en: 'a correction may be requested once only (Art. 30)' };
    const since = calendar.workingDaysBetween(clock.receivedDay ?? input.day, input.day);
    if (since > INFO_REQUEST_DAYS.correctionNotice)
      return {
        zh: `补正应在收到申请之日起 ${INFO_REQUEST_DAYS.correctionNotice} 个工作日内告知（已过 ${since} 个工作日）`,
        en: `a correction must be requested within ${INFO_REQUEST_DAYS.correctionNotice} working days of receipt (${since} have passed)`,
      };
  }
  if (input.step === 'extend') {
    if (clock.extensionDays > 0)
      return { zh: '答复期限只能延长一次（条例第三十三条）', en: 'the deadline may be extended once only (Art. 33)' };
    const days = input.days ?? 0;
    if (!Number.isInteger(days) || days < 1 || days > INFO_REQUEST_DAYS.extensionMax)
      return {
        zh: `延长期限应为 1 到 ${INFO_REQUEST_DAYS.extensionMax} 个工作日`,
        en: `an extension is 1 to ${INFO_REQUEST_DAYS.extensionMax} working days`,
      };
  }
  if (input.step === 'answer') {
    const outcome = input.outcome ?? '';
    if (!isOutcomeCode(outcome)) return { zh: '请选择办理结果', en: `unknown outcome "${outcome}"` };
    if (clock.status === 'correcting' && !OUTCOMES_WHILE_CORRECTING.includes(outcome))
      return {
        zh: '申请尚待补正，只能按“逾期不补正”或“其他”处理',
        en: 'a request waiting for its correction can only be closed as not corrected (other-1) or other (other-3)',
      };
  }
  return null;
}

/**
 * The clock after a step (checked first with infoRequestStepRefusal). The 20 working days count
 * from the day after receipt; a corrected request starts them again from its own receipt (with
 * any extension already granted); a third-party consultation adds the working days it stood.
 */
export function nextInfoRequestClock(
  clock: InfoRequestClock,
  input: InfoRequestStepInput,
  calendar: WorkingCalendar,
): InfoRequestClock {
  const { day } = input;
  switch (input.step) {
    case 'confirm':
      return {
        ...clock,
        status: 'processing',
        receivedDay: day,
        clockStartDay: day,
        dueDay: calendar.addWorkingDays(day, INFO_REQUEST_DAYS.answer),
      };
    case 'ask-correction':
      return { ...clock, status: 'correcting', correctionAsked: true, dueDay: null };
    case 'corrected':
      return {
        ...clock,
        status: 'processing',
        clockStartDay: day,
        dueDay: calendar.addWorkingDays(day, INFO_REQUEST_DAYS.answer + clock.extensionDays),
      };
    case 'consult':
      return { ...clock, status: 'consulting', pausedSince: day };
    case 'consulted': {
      const stood = calendar.workingDaysBetween(clock.pausedSince ?? day, day);
      return {
        ...clock,
        status: 'processing',
        pausedSince: null,
        dueDay: clock.dueDay === null ? null : calendar.addWorkingDays(clock.dueDay, stood),
      };
    }
    case 'extend': {
      const days = input.days ?? 0;
      return {
        ...clock,
        extensionDays: days,
        dueDay: clock.dueDay === null ? null : calendar.addWorkingDays(clock.dueDay, days),
      };
    }
    case 'answer':
      return { ...clock, status: 'answered', pausedSince: null };
  }
}

/**
 * Working days left to the due day (negative: late by that many). A clock standing for a third
 * party shows what was left when it stopped; a request without a clock (待确认, 待补正, 已答复)
 * has none.
 */
export function remainingWorkingDays(clock: InfoRequestClock, today: string, calendar: WorkingCalendar): number | null {
  if (clock.dueDay === null || (clock.status !== 'processing' && clock.status !== 'consulting')) return null;
  const from = clock.pausedSince ?? today;
  if (from <= clock.dueDay) return calendar.workingDaysBetween(from, clock.dueDay);
  return -calendar.workingDaysBetween(clock.dueDay, from);
}

/** The third party's own deadline (15 working days from the consultation). */
export function thirdPartyDueDay(pausedSince: string, calendar: WorkingCalendar): string {
  return calendar.addWorkingDays(pausedSince, INFO_REQUEST_DAYS.thirdParty);
}

// --- The annual table -----------------------------------------------------------------------------

/** A request as the annual table counts it. */
export interface InfoRequestTally {
  readonly applicantClass: ApplicantClass;
  /** Null while receipt is not confirmed: such a request is not counted yet. */
  readonly receivedDay: string | null;
  readonly answeredDay: string | null;
  readonly outcome: string | null;
}

export type RequestTableColumn = ApplicantClass | 'total';
export const REQUEST_TABLE_COLUMNS: readonly RequestTableColumn[] = [...APPLICANT_CLASSES, 'total'];

export interface RequestTableRow {
  /** `received`, `carried-in`, an outcome group or code, `handled`, `carried-out`. */
  readonly key: string;
  readonly label: string;
  /** Null for the header of a group of numbered reasons (the table has no figures there). */
  readonly counts: Readonly<Record<RequestTableColumn, number>> | null;
}

/** The 收到和处理政府信息公开申请情况 table of one year. */
export interface RequestTable {
  readonly year: number;
  readonly rows: RequestTableRow[];
  /** Per column: 新收 + 上年结转 = 办理结果总计 + 结转下年度. */
  readonly balanced: boolean;
}

function zeros(): Record<RequestTableColumn, number> {
  return { natural: 0, business: 0, research: 0, charity: 0, legal: 0, other: 0, total: 0 };
}

/** Counts one year: received in it, carried in from before, answered in it, carried on past it. */
export function buildRequestTable(year: number, requests: readonly InfoRequestTally[]): RequestTable {
  const start = `${year}-01-01`;
  const end = `${year}-12-31`;
  const received = zeros();
  const carriedIn = zeros();
  const carriedOut = zeros();
  const handled = zeros();
  const byOutcome = new Map<string, Record<RequestTableColumn, number>>(OUTCOME_CODES.map((c) => [c, zeros()]));
  const add = (counts: Record<RequestTableColumn, number>, column: ApplicantClass) => {
    counts[column] += 1;
    counts.total += 1;
  };
  for (const r of requests) {
    if (r.receivedDay === null || r.receivedDay > end) continue;
    const answered = r.answeredDay;
    if (answered !== null && answered < start) continue;
    if (r.receivedDay >= start) add(received, r.applicantClass);
    else add(carriedIn, r.applicantClass);
    if (answered !== null && answered <= end) {
      add(handled, r.applicantClass);
      const counts = byOutcome.get(r.outcome ?? '') ?? byOutcome.get('other-3');
      if (counts) add(counts, r.applicantClass);
    } else add(carriedOut, r.applicantClass);
  }
  const rows: RequestTableRow[] = [
    { key: 'received', label: '一、本年新收政府信息公开申请数量', counts: received },
    { key: 'carried-in', label: '二、上年结转政府信息公开申请数量', counts: carriedIn },
    { key: 'results', label: '三、本年度办理结果', counts: null },
  ];
  for (const group of OUTCOME_GROUPS) {
    if (group.reasons.length === 0) {
      rows.push({ key: group.group, label: group.label, counts: byOutcome.get(group.group) ?? zeros() });
      continue;
    }
    rows.push({ key: group.group, label: group.label, counts: null });
    group.reasons.forEach((reason, i) => {
      const key = `${group.group}-${i + 1}`;
      rows.push({ key, label: `${i + 1}. ${reason}`, counts: byOutcome.get(key) ?? zeros() });
    });
  }
  rows.push(
    { key: 'handled', label: '（七）总计', counts: handled },
    { key: 'carried-out', label: '四、结转下年度继续办理', counts: carriedOut },
  );
  const balanced = REQUEST_TABLE_COLUMNS.every((c) => received[c] + carriedIn[c] === handled[c] + carriedOut[c]);
  return { year, rows, balanced };
}

// --- The applicant's identity ---------------------------------------------------------------------

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** A 居民身份证 number (GB 11643): 18 characters whose last is the checksum of the first 17. */
export function isResidentIdNumber(id: string): boolean {
  const text = id.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(text)) return false;
  const sum = ID_WEIGHTS.reduce((total, weight, i) => total + weight * Number(text[i]), 0);
  return ID_CHECK[sum % 11] === text[17];
}

const CREDIT_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** A 统一社会信用代码 (GB 32100): 18 characters whose last is the checksum of the first 17. */
export function isCreditCode(code: string): boolean {
  const text = code.trim().toUpperCase();
  if (text.length !== 18 || [...text].some((c) => !CREDIT_CHARS.includes(c))) return false;
  const sum = CREDIT_WEIGHTS.reduce((total, weight, i) => total + weight * CREDIT_CHARS.indexOf(text[i] ?? ''), 0);
  const check = (31 - (sum % 31)) % 31;
  return CREDIT_CHARS[check] === text[17];
}

/** The 身份证明 a citizen may give; a 居民身份证 number is checked. */
export const ID_TYPES = ['居民身份证', '护照', '港澳居民来往内地通行证', '台湾居民来往大陆通行证', '其他'] as const;
