/**
 * The official holiday schedule shipped with Gazette, from the npm package chinese-days (pinned),
 * which transcribes the State Council's yearly notices (国务院办公厅关于某年部分节假日安排的通知).
 * Administrators add what is not shipped yet (next year's schedule, a local change) as overrides;
 * see WorkingCalendar.merge.
 *
 * The package's dist/chinese-days.json has three maps of `YYYY-MM-DD` → `English,中文,N`
 * (e.g. `National Day,国庆节,3`; N is the number of statutory days of that holiday):
 * - `holidays`: every official day off, weekends inside a holiday block included;
 * - `workdays`: the weekend days worked in exchange (调休上班);
 * - `inLieuDays`: the weekdays off given in exchange for those workdays (调休放假). Each of them is
 *   also in `holidays` with the same value (checked for 2004–2026 in version 1.5.7), so they add
 *   nothing to which days are worked and are not read: reading them as holidays again would only
 *   duplicate entries.
 */
import { createRequire } from 'node:module';
import type { CalendarData, CalendarDay, CalendarDayKind } from '../../domain/calendar.js';

/** The first year shipped: deadlines before it are long past. */
const FIRST_YEAR = 2020;

/** The package's short names, completed to the names the State Council's notices use. */
const FULL_NAMES: Readonly<Record<string, string>> = { 清明: '清明节', 端午: '端午节', 中秋: '中秋节' };

interface PackageData {
  readonly holidays?: Readonly<Record<string, string>>;
  readonly workdays?: Readonly<Record<string, string>>;
}

/** The Chinese name in `English,中文,N`: the part before the count, so an English comma does no harm. */
export function holidayNameOf(value: string): string {
  const parts = value.split(',');
  const name = (parts.length >= 3 ? parts[parts.length - 2] : parts[0])?.trim() ?? '';
  return FULL_NAMES[name] ?? name;
}

function build(data: PackageData): CalendarData {
  const days: CalendarDay[] = [];
  const years = new Set<number>();
  const read = (map: Readonly<Record<string, string>> | undefined, kind: CalendarDayKind): void => {
    for (const [day, value] of Object.entries(map ?? {})) {
      const year = Number(day.slice(0, 4));
      if (!(year >= FIRST_YEAR)) continue;
      days.push(Object.freeze({ day, kind, name: holidayNameOf(value) }));
      // Every year's notice starts with 元旦, so a year with any entry is a year whose schedule is known.
      years.add(year);
    }
  };
  read(data.holidays, 'holiday');
  read(data.workdays, 'workday');
  days.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  return { days, years: [...years].sort((a, b) => a - b) };
}

let cached: CalendarData | undefined;

/** The shipped holidays and workdays from 2020 on, sorted by day, and the years they cover. Read once. */
export function shippedCalendarDays(): CalendarData {
  if (cached === undefined) {
    const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as PackageData;
    const built = build(data);
    cached = { days: Object.freeze(built.days), years: Object.freeze(built.years) };
  }
  return cached;
}
