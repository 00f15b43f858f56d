import type { WorkingCalendar } from './calendar.js';
import { CLOSED_LETTER_STATUSES, type LetterStatus, type LetterType } from './letters.js';

/**
 * The letter desk's figures (信件统计), as the office reports them and the site shows them: per
 * unit, type or month of the letters received in a period. Rules only: the caller reads the
 * letters and turns instants into local days.
 */

/** A letter as the statistics count it. Days are local `YYYY-MM-DD`. */
export interface LetterTally {
  readonly type: LetterType;
  readonly status: LetterStatus;
  /** The unit that answered, or the one handling it now; null before routing. */
  readonly unit: string | null;
  readonly receivedDay: string;
  readonly acceptedDay: string | null;
  readonly firstAnsweredDay: string | null;
  readonly dueDay: string | null;
  readonly published: boolean;
  readonly rating: number | null;
}

export interface LetterFigures {
  /** 来信量: every letter received. */
  readonly received: number;
  /** 受理量. */
  readonly accepted: number;
  /** 不予受理数 (重复件 included: they were not taken up on their own). */
  readonly rejected: number;
  /** 办结量: answered (the reply went to the writer). */
  readonly closed: number;
  /** 办结率, 0–1: closed / accepted; null with nothing accepted. */
  readonly closedRate: number | null;
  /** 按期办结率, 0–1: answered by the due day / closed; null with nothing closed. */
  readonly onTimeRate: number | null;
  /** 超期数: answered after the due day, or still open past it. */
  readonly late: number;
  /** 平均办理时长: working days from 受理 to the first answer, one decimal; null with nothing answered. */
  readonly averageWorkingDays: number | null;
  /** 公开答复数. */
  readonly published: number;
  /** 评价数 and 满意率 (非常满意, 满意 and 基本满意 over all ratings); null with no rating. */
  readonly rated: number;
  readonly satisfiedRate: number | null;
}

export type StatsGrouping = 'unit' | 'type' | 'month';

export interface LetterStatsRow extends LetterFigures {
  /** The unit's name, the type (consult…) or the month (YYYY-MM); '' for letters not yet routed. */
  readonly key: string;
}

const ratio = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1000) / 1000);

/** The figures of a set of letters. `today` decides which open letters are late. */
export function letterFigures(
  letters: readonly LetterTally[],
  today: string,
  calendar: WorkingCalendar,
): LetterFigures {
  let accepted = 0;
  let rejected = 0;
  let closed = 0;
  let onTime = 0;
  let late = 0;
  let days = 0;
  let timed = 0;
  let published = 0;
  let rated = 0;
  let satisfied = 0;
  for (const l of letters) {
    if (l.status === 'rejected' || l.status === 'merged') rejected++;
    if (l.acceptedDay !== null) accepted++;
    const answered = l.firstAnsweredDay;
    if (answered !== null && CLOSED_LETTER_STATUSES.includes(l.status)) closed++;
    if (answered !== null) {
      const inTime = l.dueDay === null || answered <= l.dueDay;
      if (inTime && CLOSED_LETTER_STATUSES.includes(l.status)) onTime++;
      if (!inTime) late++;
      if (l.acceptedDay !== null) {
        days += calendar.workingDaysBetween(l.acceptedDay, answered);
        timed++;
      }
    } else if (l.dueDay !== null && l.dueDay < today && l.acceptedDay !== null) late++;
    if (l.published) published++;
    if (l.rating !== null) {
      rated++;
      if (l.rating >= 3) satisfied++;
    }
  }
  return {
    received: letters.length,
    accepted,
    rejected,
    closed,
    closedRate: ratio(closed, accepted),
    onTimeRate: ratio(onTime, closed),
    late,
    averageWorkingDays: timed === 0 ? null : Math.round((days / timed) * 10) / 10,
    published,
    rated,
    satisfiedRate: ratio(satisfied, rated),
  };
}

function keyOf(letter: LetterTally, grouping: StatsGrouping): string {
  if (grouping === 'unit') return letter.unit ?? '';
  if (grouping === 'type') return letter.type;
  return letter.receivedDay.slice(0, 7);
}

/** The figures per group, in the group's natural order (units by name, types as listed, months in time). */
export function letterStatsBy(
  letters: readonly LetterTally[],
  grouping: StatsGrouping,
  today: string,
  calendar: WorkingCalendar,
  order: readonly string[] = [],
): LetterStatsRow[] {
  const groups = new Map<string, LetterTally[]>();
  for (const key of order) groups.set(key, []);
  for (const letter of letters) {
    const key = keyOf(letter, grouping);
    groups.set(key, [...(groups.get(key) ?? []), letter]);
  }
  const keys = [...groups.keys()];
  // Letters not routed yet ('') come last; units in the order of their Chinese names.
  if (grouping !== 'type') keys.sort((a, b) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b, 'zh-Hans-CN')));
  return keys.map((key) => ({ key, ...letterFigures(groups.get(key) ?? [], today, calendar) }));
}
