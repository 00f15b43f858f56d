/**
 * The working-day calendar of Chinese government deadlines: letters are answered within N working
 * days, disclosure requests within 20. A working day is a Monday to Friday that is not an official
 * day off, or a weekend day the State Council has made a working day (调休上班).
 *
 * Days are plain `YYYY-MM-DD` strings in the site's local calendar: the caller turns instants into
 * local days. All arithmetic here is integer arithmetic on day serials (days since 1970-01-01), so
 * nothing depends on the process time zone. No I/O: the schedule comes in as a list of days.
 */
import { GazetteError } from './errors.js';

/** `holiday`: an official day off (on a weekday or a weekend); `workday`: a weekend day worked (调休). */
export type CalendarDayKind = 'holiday' | 'workday';

export interface CalendarDay {
  /** `YYYY-MM-DD`. */
  readonly day: string;
  readonly kind: CalendarDayKind;
  /** The holiday the day belongs to, e.g. 国庆节; may be ''. */
  readonly name: string;
}

/** A schedule: its special days and the years for which the full official schedule is known. */
export interface CalendarData {
  readonly days: readonly CalendarDay[];
  readonly years: readonly number[];
}

/** A calendar day taken apart. `weekday` is 0 for Sunday … 6 for Saturday. */
export interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly date: number;
  readonly weekday: number;
}

/** Longest holiday name an administrator may enter, in characters. */
export const CALENDAR_NAME_MAX = 20;

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const WEEKDAY_NAMES = {
  zh: ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'],
  en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
} as const;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function serialFromCivil(year: number, month: number, date: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + date - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** The inverse of serialFromCivil (H. Hinnant's civil_from_days). */
function civilFromSerial(serial: number): { year: number; month: number; date: number } {
  const z = serial + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const date = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, date };
}

/** 0 = Sunday … 6 = Saturday; 1970-01-01 was a Thursday. */
function weekdayOfSerial(serial: number): number {
  return (((serial + 4) % 7) + 7) % 7;
}

function isWeekendSerial(serial: number): boolean {
  const weekday = weekdayOfSerial(serial);
  return weekday === 0 || weekday === 6;
}

/**
 * Monday-to-Friday days among serials [0, t) counted from the Monday 1970-01-05 (serial 4); the
 * difference of two values counts the weekdays between them, negative serials included.
 */
function weekdaysBefore(serial: number): number {
  const t = serial - 4;
  const weeks = Math.floor(t / 7);
  return weeks * 5 + Math.min(t - weeks * 7, 5);
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function formatSerial(serial: number): string {
  const { year, month, date } = civilFromSerial(serial);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(date, 2)}`;
}

function invalid(day: unknown, zh: string, en: string): GazetteError {
  return new GazetteError('CALENDAR_DAY_INVALID', { day: String(day), reason: { zh, en } });
}

function parseParts(day: string): { year: number; month: number; date: number; serial: number } {
  if (typeof day !== 'string') throw invalid(day, '应为 YYYY-MM-DD 格式的文字', 'expected text in the form YYYY-MM-DD');
  const match = DAY_PATTERN.exec(day);
  if (!match) throw invalid(day, '应为 YYYY-MM-DD 格式', 'expected the form YYYY-MM-DD');
  const year = Number(match[1]);
  const month = Number(match[2]);
  const date = Number(match[3]);
  if (month < 1 || month > 12) throw invalid(day, `没有 ${month} 月`, `there is no month ${month}`);
  const last = daysInMonth(year, month);
  if (date < 1 || date > last) {
    throw invalid(day, `${year} 年 ${month} 月只有 ${last} 天`, `${year}-${pad(month, 2)} has ${last} days`);
  }
  return { year, month, date, serial: serialFromCivil(year, month, date) };
}

function serialOf(day: string): number {
  return parseParts(day).serial;
}

/** Reads a `YYYY-MM-DD` day; throws CALENDAR_DAY_INVALID for malformed or impossible dates. */
export function parseCalendarDay(day: string): CalendarDate {
  const { year, month, date, serial } = parseParts(day);
  return { year, month, date, weekday: weekdayOfSerial(serial) };
}

/** Whether the text is a well-formed, possible `YYYY-MM-DD` day. */
export function isCalendarDay(day: string): boolean {
  try {
    parseParts(day);
    return true;
  } catch {
    return false;
  }
}

/** The day `offset` calendar days after (or before, when negative) `day`. */
export function addCalendarDays(day: string, offset: number): string {
  if (!Number.isSafeInteger(offset)) throw new RangeError(`calendar day offset must be an integer, got ${offset}`);
  return formatSerial(serialOf(day) + offset);
}

/**
 * The shipped schedule with the administrator's entries on top: an override replaces the shipped
 * entry for the same day, and within each list a later entry for a day replaces an earlier one.
 * The result has one entry per day, sorted by day.
 */
export function mergeCalendarDays(base: readonly CalendarDay[], overrides: readonly CalendarDay[]): CalendarDay[] {
  const byDay = new Map<string, CalendarDay>();
  for (const entry of [...base, ...overrides]) byDay.set(entry.day, entry);
  return [...byDay.values()].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
}

export class WorkingCalendar {
  /** The years for which the official schedule is known, ascending. */
  readonly coveredYears: readonly number[];
  private readonly entries = new Map<number, CalendarDay>();
  private readonly covered: ReadonlySet<number>;
  /**
   * The days whose status differs from the plain Monday-to-Friday rule (a holiday on a weekday:
   * -1; a workday on a weekend: +1), ascending, with running totals, so that counting working
   * days over any span is two binary searches.
   */
  private readonly adjustedSerials: number[] = [];
  private readonly adjustmentTotals: number[] = [];

  /**
   * `days`: the special days; a later entry for a day replaces an earlier one. `coveredYears`: the
   * years whose official schedule `days` holds in full. Outside them only weekends are known.
   * Throws CALENDAR_DAY_INVALID for a malformed day.
   */
  constructor(days: readonly CalendarDay[], coveredYears: Iterable<number>) {
    for (const entry of days) {
      if (entry.kind !== 'holiday' && entry.kind !== 'workday') {
        throw invalid(entry.day, `类型“${String(entry.kind)}”无效`, `unknown kind "${String(entry.kind)}"`);
      }
      this.entries.set(serialOf(entry.day), entry);
    }
    const years = [...new Set(coveredYears)].sort((a, b) => a - b);
    for (const year of years) {
      if (!Number.isSafeInteger(year)) throw new RangeError(`covered year must be an integer, got ${year}`);
    }
    this.coveredYears = years;
    this.covered = new Set(years);
    const adjustments: [number, number][] = [];
    for (const [serial, entry] of this.entries) {
      const weekend = isWeekendSerial(serial);
      if (entry.kind === 'holiday' && !weekend) adjustments.push([serial, -1]);
      if (entry.kind === 'workday' && weekend) adjustments.push([serial, 1]);
    }
    adjustments.sort((a, b) => a[0] - b[0]);
    let total = 0;
    for (const [serial, delta] of adjustments) {
      total += delta;
      this.adjustedSerials.push(serial);
      this.adjustmentTotals.push(total);
    }
  }

  /** The shipped schedule with the administrator's on top (see mergeCalendarDays); covered years are the union. */
  static merge(base: CalendarData, overrides: CalendarData): WorkingCalendar {
    return new WorkingCalendar(mergeCalendarDays(base.days, overrides.days), [...base.years, ...overrides.years]);
  }

  /** The schedule's entry for a day (why it is off or worked), if it has one. */
  entry(day: string): CalendarDay | undefined {
    return this.entries.get(serialOf(day));
  }

  isWorkingDay(day: string): boolean {
    return this.isWorkingSerial(serialOf(day));
  }

  /**
   * The deadline `n` working days after `startDay`: the day of receipt does not count (受理之日起
   * N 个工作日 ends on the Nth working day after it). `n` = 0 gives `startDay` itself.
   */
  addWorkingDays(startDay: string, n: number): string {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new RangeError(`number of working days must be a non-negative integer, got ${n}`);
    }
    let serial = serialOf(startDay);
    let counted = 0;
    while (counted < n) {
      serial += 1;
      if (this.isWorkingSerial(serial)) counted += 1;
    }
    return formatSerial(serial);
  }

  /**
   * The working days in (fromDay, toDay]: 0 when toDay is not after fromDay. The inverse of
   * addWorkingDays: workingDaysBetween(d, addWorkingDays(d, n)) === n.
   */
  workingDaysBetween(fromDay: string, toDay: string): number {
    const from = serialOf(fromDay);
    const to = serialOf(toDay);
    if (to <= from) return 0;
    return weekdaysBefore(to + 1) - weekdaysBefore(from + 1) + this.adjustmentUpTo(to) - this.adjustmentUpTo(from);
  }

  isCovered(year: number): boolean {
    return this.covered.has(year);
  }

  /**
   * The years from fromDay's to toDay's, both included, whose schedule is not known, ascending
   * (for a warning such as “2027 年节假日安排尚未录入”); empty when toDay is before fromDay.
   */
  uncoveredYearsBetween(fromDay: string, toDay: string): number[] {
    const from = parseParts(fromDay).year;
    const to = parseParts(toDay).year;
    const missing: number[] = [];
    for (let year = from; year <= to; year += 1) if (!this.covered.has(year)) missing.push(year);
    return missing;
  }

  private isWorkingSerial(serial: number): boolean {
    const entry = this.entries.get(serial);
    if (entry) return entry.kind === 'workday';
    return !isWeekendSerial(serial);
  }

  /** The sum of the adjustments on days up to and including `serial`. */
  private adjustmentUpTo(serial: number): number {
    let low = 0;
    let high = this.adjustedSerials.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.adjustedSerials[middle] ?? 0) <= serial) low = middle + 1;
      else high = middle;
    }
    return low === 0 ? 0 : (this.adjustmentTotals[low - 1] ?? 0);
  }
}

/** One thing wrong with an uploaded list of days, in both languages, naming the day. */
export interface CalendarDayProblem {
  readonly day: string;
  readonly zh: string;
  readonly en: string;
}

/**
 * What is wrong with a list of days an administrator uploads: malformed or impossible days, an
 * unknown kind, the same day given as both a holiday and a workday, a workday that is not a
 * Saturday or Sunday (weekdays are worked anyway), a name over CALENDAR_NAME_MAX characters.
 * In the order of the list; empty when the list can be used.
 */
export function calendarDayProblems(days: readonly CalendarDay[]): CalendarDayProblem[] {
  const problems: CalendarDayProblem[] = [];
  const kinds = new Map<string, CalendarDayKind>();
  const conflicting = new Set<string>();
  for (const entry of days) {
    const { day, kind, name } = entry;
    let serial: number;
    try {
      serial = serialOf(day);
    } catch (error) {
      if (!(error instanceof GazetteError)) throw error;
      problems.push({ day: String(day), zh: error.messageIn('zh'), en: error.messageIn('en') });
      continue;
    }
    if (kind !== 'holiday' && kind !== 'workday') {
      problems.push({
        day,
        zh: `${day}：类型“${String(kind)}”无效，应为 holiday（放假）或 workday（调休上班）`,
        en: `${day}: unknown kind "${String(kind)}" (expected holiday or workday)`,
      });
      continue;
    }
    const earlier = kinds.get(day);
    if (earlier !== undefined && earlier !== kind && !conflicting.has(day)) {
      conflicting.add(day);
      problems.push({
        day,
        zh: `${day}：同一天既列为放假又列为调休上班`,
        en: `${day}: listed both as a holiday and as a workday`,
      });
    }
    kinds.set(day, kind);
    if (kind === 'workday' && !isWeekendSerial(serial)) {
      const weekday = weekdayOfSerial(serial);
      problems.push({
        day,
        zh: `${day}：调休上班日应为周六或周日，该日是${WEEKDAY_NAMES.zh[weekday] ?? ''}`,
        en: `${day}: a workday must be a Saturday or Sunday, this is a ${WEEKDAY_NAMES.en[weekday] ?? ''}`,
      });
    }
    if (typeof name !== 'string') {
      problems.push({ day, zh: `${day}：名称应为文字`, en: `${day}: the name must be text` });
    } else if ([...name].length > CALENDAR_NAME_MAX) {
      problems.push({
        day,
        zh: `${day}：名称“${name}”超过 ${CALENDAR_NAME_MAX} 个字`,
        en: `${day}: the name "${name}" is longer than ${CALENDAR_NAME_MAX} characters`,
      });
    }
  }
  return problems;
}
