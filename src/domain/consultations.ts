/**
 * 意见征集: drafts of policies put out for public comment. Pure rules, no I/O: the kinds of draft
 * and the shortest period each must be open, the phase a consultation is in at an instant, and the
 * decisions on comments with the 反馈 summary built from them.
 *
 * Periods (brief: 规章制定程序条例 art. 16 and local practice; 优化营商环境条例 art. 62):
 * - 规章 drafts: at least 30 days;
 * - 行政规范性文件: at least 7 working days, and at least 30 days when the document closely
 *   concerns businesses (涉企);
 * - any other draft closely concerning businesses: at least 30 days.
 * A shorter period is a warning, never a refusal: the office may have its reasons (urgency).
 */
import { addCalendarDays, parseCalendarDay, type WorkingCalendar } from './calendar.js';
import { fromLocal } from './time.js';

export type ConsultationKind = 'rule' | 'normative' | 'other';
export const CONSULTATION_KINDS: readonly ConsultationKind[] = ['rule', 'normative', 'other'];
export const CONSULTATION_KIND_NAMES: Readonly<Record<ConsultationKind, string>> = {
  rule: '规章',
  normative: '行政规范性文件',
  other: '其他',
};
export function isConsultationKind(value: string): value is ConsultationKind {
  return (CONSULTATION_KINDS as readonly string[]).includes(value);
}

/** Where a consultation stands in the store: a draft, out for comment, or taken back. */
export type ConsultationStatus = 'draft' | 'published' | 'withdrawn';
export const CONSULTATION_STATUSES: readonly ConsultationStatus[] = ['draft', 'published', 'withdrawn'];

/** Where it stands for readers at an instant: published ones are upcoming, open or closed by the clock. */
export type ConsultationPhase = 'draft' | 'withdrawn' | 'upcoming' | 'open' | 'closed';
export const CONSULTATION_PHASE_NAMES: Readonly<Record<ConsultationPhase, string>> = {
  draft: '草稿',
  withdrawn: '已撤回',
  upcoming: '未开始',
  open: '征集中',
  closed: '已结束',
};

/** The decision on one comment (采纳情况). */
export type CommentDecision = 'adopted' | 'partial' | 'rejected';
export const COMMENT_DECISIONS: readonly CommentDecision[] = ['adopted', 'partial', 'rejected'];
export const COMMENT_DECISION_NAMES: Readonly<Record<CommentDecision, string>> = {
  adopted: '采纳',
  partial: '部分采纳',
  rejected: '不予采纳',
};
export function isCommentDecision(value: string): value is CommentDecision {
  return (COMMENT_DECISIONS as readonly string[]).includes(value);
}

/** Limits of the public comment form. */
export const COMMENT_LIMITS = { bodyMax: 2000, clauseMax: 100, nameMax: 40, organisationMax: 100 } as const;

/** The path of the public list; each consultation is `/yjzj/{id}.html`. */
export const CONSULTATIONS_PATH = '/yjzj/';
export const consultationPath = (id: number) => `${CONSULTATIONS_PATH}${id}.html`;

export interface PeriodInput {
  readonly kind: ConsultationKind;
  readonly concernsBusiness: boolean;
  /** First and last local days of the period (`YYYY-MM-DD`), both included. */
  readonly startDay: string;
  readonly endDay: string;
}

/** The shortest period the rule asks: a count of calendar days or of working days. */
export interface PeriodMinimum {
  readonly unit: 'days' | 'workingDays';
  readonly count: number;
  /** The rule in words, e.g. 规章草案征求意见期限不少于 30 日. */
  readonly rule: string;
}

export interface PeriodCheck {
  /** Calendar days from the start day to the end day, both included. */
  readonly days: number;
  /** Working days among them, on the working-day calendar (holidays off, 调休 days worked). */
  readonly workingDays: number;
  readonly minimum: PeriodMinimum | null;
  /** A warning when the period is shorter than the minimum; null when it is long enough. */
  readonly warning: string | null;
}

const serialDays = (from: string, to: string) => {
  const a = parseCalendarDay(from);
  const b = parseCalendarDay(to);
  return Math.round((Date.UTC(b.year, b.month - 1, b.date) - Date.UTC(a.year, a.month - 1, a.date)) / 86_400_000);
};

/** The shortest period for a kind of draft, or null when no rule sets one. */
export function periodMinimum(kind: ConsultationKind, concernsBusiness: boolean): PeriodMinimum | null {
  if (kind === 'rule') return { unit: 'days', count: 30, rule: '规章草案征求意见期限不少于 30 日' };
  if (concernsBusiness)
    return { unit: 'days', count: 30, rule: '与市场主体生产经营活动密切相关的，征求意见期限不少于 30 日' };
  if (kind === 'normative')
    return { unit: 'workingDays', count: 7, rule: '行政规范性文件征求意见期限不少于 7 个工作日' };
  return null;
}

/**
 * The period measured and held against its rule. The end day must not be before the start day
 * (the caller refuses that as bad input); here it would count as no days.
 */
export function checkPeriod(input: PeriodInput, calendar: WorkingCalendar): PeriodCheck {
  const days = Math.max(0, serialDays(input.startDay, input.endDay) + 1);
  const workingDays = calendar.workingDaysBetween(addCalendarDays(input.startDay, -1), input.endDay);
  const minimum = periodMinimum(input.kind, input.concernsBusiness);
  const measured = minimum?.unit === 'workingDays' ? workingDays : days;
  const short = minimum !== null && measured < minimum.count;
  const unit = minimum?.unit === 'workingDays' ? '个工作日' : '日';
  // Working days counted in a year whose holidays are not entered take every weekday for one.
  const unknown = minimum?.unit === 'workingDays' ? calendar.uncoveredYearsBetween(input.startDay, input.endDay) : [];
  const warnings = [
    short && minimum
      ? `征求意见期限为 ${measured} ${unit}，短于要求：${minimum.rule}。如确需缩短，请在起草说明中说明理由。`
      : '',
    unknown.length > 0 ? `${unknown.join('、')} 年节假日安排尚未录入，工作日暂按周末计算。` : '',
  ].filter(Boolean);
  return { days, workingDays, minimum, warning: warnings.length > 0 ? warnings.join('') : null };
}

/** The instants a period opens and closes: the start day's midnight and the midnight after the end day. */
export function periodInstants(startDay: string, endDay: string, timeZone: string): { opens: Date; closes: Date } {
  const start = parseCalendarDay(startDay);
  const after = parseCalendarDay(addCalendarDays(endDay, 1));
  const midnight = (d: { year: number; month: number; date: number }) =>
    fromLocal({ year: d.year, month: d.month, day: d.date, hour: 0, minute: 0, second: 0 }, timeZone);
  const opens = midnight(start);
  const closes = midnight(after);
  if (!opens || !closes) throw new RangeError(`no local midnight for ${startDay} or ${endDay} in ${timeZone}`);
  return { opens, closes };
}

/** The phase at `now`: a published consultation takes comments from its start day to the end of its end day. */
export function consultationPhase(
  status: ConsultationStatus,
  period: { startDay: string; endDay: string },
  now: Date,
  timeZone: string,
): ConsultationPhase {
  if (status !== 'published') return status;
  const { opens, closes } = periodInstants(period.startDay, period.endDay, timeZone);
  if (now.getTime() < opens.getTime()) return 'upcoming';
  return now.getTime() < closes.getTime() ? 'open' : 'closed';
}

/** One comment as the 反馈 counts it. */
export interface DecidedComment {
  readonly clause: string;
  readonly decision: CommentDecision | null;
  readonly reason: string;
}

/** The 反馈 as published: the counts, each decision with its reason, and the office's own words. */
export interface FeedbackSummary {
  readonly received: number;
  readonly adopted: number;
  readonly partial: number;
  readonly rejected: number;
  readonly items: readonly { clause: string; decision: CommentDecision; decisionName: string; reason: string }[];
}

/** The counts and the decisions, in the comments' order; undecided comments are not summarised. */
export function feedbackSummary(comments: readonly DecidedComment[]): FeedbackSummary {
  const decided = comments.flatMap((c) => (c.decision === null ? [] : [{ ...c, decision: c.decision }]));
  const count = (d: CommentDecision) => decided.filter((c) => c.decision === d).length;
  return {
    received: comments.length,
    adopted: count('adopted'),
    partial: count('partial'),
    rejected: count('rejected'),
    items: decided.map((c) => ({
      clause: c.clause,
      decision: c.decision,
      decisionName: COMMENT_DECISION_NAMES[c.decision],
      reason: c.reason,
    })),
  };
}

/** The summary's first sentence: 共收到意见 12 条，采纳 3 条，部分采纳 2 条，不予采纳 7 条。 */
export function feedbackHeadline(summary: FeedbackSummary): string {
  if (summary.received === 0) return '征求意见期间未收到意见。';
  return `共收到意见 ${summary.received} 条，采纳 ${summary.adopted} 条，部分采纳 ${summary.partial} 条，不予采纳 ${summary.rejected} 条。`;
}
