import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkingCalendar, calendarDayProblems } from '../../../src/domain/calendar.js';
import { holidayNameOf, shippedCalendarDays } from '../../../src/services/cases/shipped-calendar.js';

/** The shipped entries of one year, one `day kind name` line each. */
function linesOf(year: number): string[] {
  return shippedCalendarDays()
    .days.filter(({ day }) => day.startsWith(`${year}-`))
    .map(({ day, kind, name }) => `${day} ${kind} ${name}`);
}

test('the shipped schedule covers 2020 to 2026, one valid entry per day, sorted', () => {
  const { days, years } = shippedCalendarDays();
  assert.deepEqual(years, [2020, 2021, 2022, 2023, 2024, 2025, 2026]);
  assert.equal(days[0]?.day, '2020-01-01');
  const sorted = days.map(({ day }) => day);
  assert.deepEqual(sorted, [...new Set(sorted)].sort());
  assert.deepEqual(calendarDayProblems(days), []);
  assert.deepEqual([...new Set(days.map(({ name }) => name))].sort(), [
    '中秋节',
    '元旦',
    '劳动节',
    '国庆节',
    '春节',
    '清明节',
    '端午节',
  ]);
  assert.equal(shippedCalendarDays(), shippedCalendarDays());
  assert.equal(Object.isFrozen(days), true);
});

test('2025 is the State Council schedule: 春节 28 Jan–4 Feb, 国庆节 and 中秋节 1–8 Oct, with their workdays', () => {
  assert.deepEqual(linesOf(2025), [
    '2025-01-01 holiday 元旦',
    '2025-01-26 workday 春节',
    '2025-01-28 holiday 春节',
    '2025-01-29 holiday 春节',
    '2025-01-30 holiday 春节',
    '2025-01-31 holiday 春节',
    '2025-02-01 holiday 春节',
    '2025-02-02 holiday 春节',
    '2025-02-03 holiday 春节',
    '2025-02-04 holiday 春节',
    '2025-02-08 workday 春节',
    '2025-04-04 holiday 清明节',
    '2025-04-05 holiday 清明节',
    '2025-04-06 holiday 清明节',
    '2025-04-27 workday 劳动节',
    '2025-05-01 holiday 劳动节',
    '2025-05-02 holiday 劳动节',
    '2025-05-03 holiday 劳动节',
    '2025-05-04 holiday 劳动节',
    '2025-05-05 holiday 劳动节',
    '2025-05-31 holiday 端午节',
    '2025-06-01 holiday 端午节',
    '2025-06-02 holiday 端午节',
    '2025-09-28 workday 国庆节',
    '2025-10-01 holiday 国庆节',
    '2025-10-02 holiday 国庆节',
    '2025-10-03 holiday 国庆节',
    '2025-10-04 holiday 国庆节',
    '2025-10-05 holiday 国庆节',
    '2025-10-06 holiday 中秋节',
    '2025-10-07 holiday 国庆节',
    '2025-10-08 holiday 国庆节',
    '2025-10-11 workday 国庆节',
  ]);
});

test('2026 as shipped: 元旦 1–3 Jan, 春节 15–23 Feb, 中秋节 25–27 Sep, 国庆节 1–7 Oct', () => {
  assert.deepEqual(linesOf(2026), [
    '2026-01-01 holiday 元旦',
    '2026-01-02 holiday 元旦',
    '2026-01-03 holiday 元旦',
    '2026-01-04 workday 元旦',
    '2026-02-14 workday 春节',
    '2026-02-15 holiday 春节',
    '2026-02-16 holiday 春节',
    '2026-02-17 holiday 春节',
    '2026-02-18 holiday 春节',
    '2026-02-19 holiday 春节',
    '2026-02-20 holiday 春节',
    '2026-02-21 holiday 春节',
    '2026-02-22 holiday 春节',
    '2026-02-23 holiday 春节',
    '2026-02-28 workday 春节',
    '2026-04-04 holiday 清明节',
    '2026-04-05 holiday 清明节',
    '2026-04-06 holiday 清明节',
    '2026-05-01 holiday 劳动节',
    '2026-05-02 holiday 劳动节',
    '2026-05-03 holiday 劳动节',
    '2026-05-04 holiday 劳动节',
    '2026-05-05 holiday 劳动节',
    '2026-05-09 workday 劳动节',
    '2026-06-19 holiday 端午节',
    '2026-06-20 holiday 端午节',
    '2026-06-21 holiday 端午节',
    '2026-09-20 workday 国庆节',
    '2026-09-25 holiday 中秋节',
    '2026-09-26 holiday 中秋节',
    '2026-09-27 holiday 中秋节',
    '2026-10-01 holiday 国庆节',
    '2026-10-02 holiday 国庆节',
    '2026-10-03 holiday 国庆节',
    '2026-10-04 holiday 国庆节',
    '2026-10-05 holiday 国庆节',
    '2026-10-06 holiday 国庆节',
    '2026-10-07 holiday 国庆节',
    '2026-10-10 workday 国庆节',
  ]);
});

test('deadlines on the shipped calendar', () => {
  const { days, years } = shippedCalendarDays();
  const calendar = new WorkingCalendar(days, years);
  assert.equal(calendar.addWorkingDays('2025-09-26', 5), '2025-10-10');
  assert.equal(calendar.addWorkingDays('2025-09-30', 5), '2025-10-14');
  assert.equal(calendar.addWorkingDays('2025-09-30', 20), '2025-11-04');
  // 2026: Saturday 14 February is worked, then 春节 until Monday 23rd, Saturday 28th is worked.
  assert.equal(calendar.addWorkingDays('2026-02-13', 1), '2026-02-14');
  assert.equal(calendar.addWorkingDays('2026-02-13', 2), '2026-02-24');
  assert.equal(calendar.addWorkingDays('2026-02-13', 20), '2026-03-19');
  assert.equal(calendar.addWorkingDays('2026-09-18', 20), '2026-10-22');
  assert.equal(calendar.addWorkingDays('2025-12-31', 20), '2026-01-29');
  // 2025 and 2026 each have 248 working days.
  assert.equal(calendar.workingDaysBetween('2024-12-31', '2025-12-31'), 248);
  assert.equal(calendar.workingDaysBetween('2025-12-31', '2026-12-31'), 248);
  // 2020: 春节 was extended to 2 February (国办发明电〔2020〕1号).
  assert.equal(calendar.isWorkingDay('2020-01-31'), false);
  assert.equal(calendar.addWorkingDays('2020-01-23', 1), '2020-02-03');
  // 2027 is not shipped: weekends only, and reported.
  assert.equal(calendar.addWorkingDays('2026-12-25', 20), '2027-01-22');
  assert.deepEqual(calendar.uncoveredYearsBetween('2026-12-25', '2027-01-22'), [2027]);
  assert.deepEqual(calendar.uncoveredYearsBetween('2025-09-30', '2026-10-22'), []);
});

test('holiday names are the Chinese names of the package values', () => {
  assert.deepEqual(
    [
      'National Day,国庆节,3',
      'Mid-autumn Festival,中秋,1',
      'Tomb-sweeping Day,清明,1',
      'Dragon Boat Festival,端午,1',
      "New Year's Day,元旦,1",
      'Spring Festival,春节,4',
      'Some Day, with a comma,某纪念日,1',
    ].map(holidayNameOf),
    ['国庆节', '中秋节', '清明节', '端午节', '元旦', '春节', '某纪念日'],
  );
});
