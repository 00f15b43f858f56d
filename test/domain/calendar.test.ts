import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GazetteError } from '../../src/domain/errors.js';
import {
  WorkingCalendar,
  addCalendarDays,
  calendarDayProblems,
  isCalendarDay,
  mergeCalendarDays,
  parseCalendarDay,
  type CalendarDay,
  type CalendarDayKind,
} from '../../src/domain/calendar.js';

/** Every day from `from` to `to`, both included, as entries of one kind. */
function span(from: string, to: string, kind: CalendarDayKind, name: string): CalendarDay[] {
  const days: CalendarDay[] = [];
  for (let day = from; day <= to; day = addCalendarDays(day, 1)) days.push({ day, kind, name });
  return days;
}

/**
 * The State Council's 2025 schedule (国务院办公厅关于2025年部分节假日安排的通知):
 * 元旦 1月1日 off; 春节 1月28日–2月4日 off, 1月26日 (Sun) and 2月8日 (Sat) worked;
 * 清明节 4月4日–6日 off; 劳动节 5月1日–5日 off, 4月27日 (Sun) worked; 端午节 5月31日–6月2日 off;
 * 国庆节、中秋节 10月1日–8日 off, 9月28日 (Sun) and 10月11日 (Sat) worked.
 */
const OFFICIAL_2025: CalendarDay[] = [
  ...span('2025-01-01', '2025-01-01', 'holiday', '元旦'),
  { day: '2025-01-26', kind: 'workday', name: '春节' },
  ...span('2025-01-28', '2025-02-04', 'holiday', '春节'),
  { day: '2025-02-08', kind: 'workday', name: '春节' },
  ...span('2025-04-04', '2025-04-06', 'holiday', '清明节'),
  { day: '2025-04-27', kind: 'workday', name: '劳动节' },
  ...span('2025-05-01', '2025-05-05', 'holiday', '劳动节'),
  ...span('2025-05-31', '2025-06-02', 'holiday', '端午节'),
  { day: '2025-09-28', kind: 'workday', name: '国庆节' },
  ...span('2025-10-01', '2025-10-08', 'holiday', '国庆节、中秋节'),
  { day: '2025-10-11', kind: 'workday', name: '国庆节' },
];

const calendar = new WorkingCalendar(OFFICIAL_2025, [2025]);

/** The 1st … nth working days after `start`: the days a deadline counts. */
function countedDays(on: WorkingCalendar, start: string, n: number): string[] {
  return Array.from({ length: n }, (_, index) => on.addWorkingDays(start, index + 1));
}

/** Working days in (from, to], one day at a time: the slow definition workingDaysBetween must agree with. */
function countOneByOne(on: WorkingCalendar, from: string, to: string): number {
  let count = 0;
  for (let day = addCalendarDays(from, 1); day <= to; day = addCalendarDays(day, 1)) {
    if (on.isWorkingDay(day)) count += 1;
  }
  return count;
}

function assertInvalidDay(run: () => unknown, day: string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof GazetteError, `${day}: ${String(error)}`);
    assert.equal(error.code, 'CALENDAR_DAY_INVALID');
    assert.equal(error.params.day, day);
    return true;
  });
}

test('days are read as YYYY-MM-DD with their weekday, without the process time zone', () => {
  assert.deepEqual(parseCalendarDay('2025-10-01'), { year: 2025, month: 10, date: 1, weekday: 3 });
  assert.deepEqual(parseCalendarDay('2024-02-29'), { year: 2024, month: 2, date: 29, weekday: 4 });
  assert.deepEqual(parseCalendarDay('2000-02-29'), { year: 2000, month: 2, date: 29, weekday: 2 });
  assert.deepEqual(parseCalendarDay('1970-01-01'), { year: 1970, month: 1, date: 1, weekday: 4 });
  assert.deepEqual(parseCalendarDay('1969-12-31'), { year: 1969, month: 12, date: 31, weekday: 3 });
  assert.deepEqual(
    ['2024-02-28', '2024-12-31', '2025-03-01'].map((day) => addCalendarDays(day, 1)),
    ['2024-02-29', '2025-01-01', '2025-03-02'],
  );
  assert.equal(addCalendarDays('2025-03-01', -1), '2025-02-28');
  assert.equal(addCalendarDays('2025-01-01', 365), '2026-01-01');
  assert.equal(isCalendarDay('2025-10-01'), true);
  assert.equal(isCalendarDay('2025-02-29'), false);
});

test('malformed and impossible days throw CALENDAR_DAY_INVALID naming the day', () => {
  for (const bad of [
    '2025-02-30',
    '2025-02-29',
    '2100-02-29',
    '2025-04-31',
    '2025-13-01',
    '2025-00-10',
    '2025-10-00',
    '2025-1-5',
    '2025/10/01',
    '2025-10-01T00:00',
    ' 2025-10-01',
    '２０２５-10-01',
    '',
  ]) {
    assertInvalidDay(() => parseCalendarDay(bad), bad);
  }
  assertInvalidDay(() => calendar.addWorkingDays('2025-02-30', 1), '2025-02-30');
  assertInvalidDay(() => calendar.workingDaysBetween('2025-10-01', '2025-9-30'), '2025-9-30');
  assertInvalidDay(() => calendar.isWorkingDay('昨天'), '昨天');
  assertInvalidDay(() => calendar.uncoveredYearsBetween('2025-01-01', '2027-02-29'), '2027-02-29');
  assertInvalidDay(() => new WorkingCalendar([{ day: '2025-10-32', kind: 'holiday', name: '' }], []), '2025-10-32');

  assert.throws(
    () => parseCalendarDay('2025-02-30'),
    (thrown: unknown) =>
      thrown instanceof GazetteError &&
      thrown.messageIn('zh') === '日历日期 2025-02-30 无效：2025 年 2 月只有 28 天' &&
      thrown.message === 'Calendar day 2025-02-30 is invalid: 2025-02 has 28 days',
  );
  assert.throws(
    () => parseCalendarDay('2025/10/01'),
    (thrown: unknown) =>
      thrown instanceof GazetteError && thrown.messageIn('zh') === '日历日期 2025/10/01 无效：应为 YYYY-MM-DD 格式',
  );
});

test('2025 National Day: 5 working days from Friday 26 September count Sunday 28th and end on 10 October', () => {
  assert.deepEqual(countedDays(calendar, '2025-09-26', 5), [
    '2025-09-28',
    '2025-09-29',
    '2025-09-30',
    '2025-10-09',
    '2025-10-10',
  ]);
  assert.equal(calendar.addWorkingDays('2025-09-26', 5), '2025-10-10');
});

test('2025 National Day: 5 working days from 30 September count Saturday 11 October and end on 14 October', () => {
  assert.deepEqual(countedDays(calendar, '2025-09-30', 5), [
    '2025-10-09',
    '2025-10-10',
    '2025-10-11',
    '2025-10-13',
    '2025-10-14',
  ]);
  assert.equal(calendar.addWorkingDays('2025-09-30', 5), '2025-10-14');
});

test('20 working days: a disclosure request received before National Day and one before Spring Festival', () => {
  assert.equal(calendar.addWorkingDays('2025-09-30', 20), '2025-11-04');
  // Received Monday 27 January 2025: 春节 runs 28 Jan–4 Feb, Saturday 8 February is worked.
  assert.deepEqual(countedDays(calendar, '2025-01-27', 20), [
    '2025-02-05',
    '2025-02-06',
    '2025-02-07',
    '2025-02-08',
    '2025-02-10',
    '2025-02-11',
    '2025-02-12',
    '2025-02-13',
    '2025-02-14',
    '2025-02-17',
    '2025-02-18',
    '2025-02-19',
    '2025-02-20',
    '2025-02-21',
    '2025-02-24',
    '2025-02-25',
    '2025-02-26',
    '2025-02-27',
    '2025-02-28',
    '2025-03-03',
  ]);
  // Received Friday 24 January: Sunday 26 January is worked, then Monday 27th, then after the break.
  assert.deepEqual(countedDays(calendar, '2025-01-24', 5), [
    '2025-01-26',
    '2025-01-27',
    '2025-02-05',
    '2025-02-06',
    '2025-02-07',
  ]);
});

test('0 working days is the day itself, even a day off; negative or fractional counts are refused', () => {
  assert.equal(calendar.addWorkingDays('2025-10-01', 0), '2025-10-01');
  assert.equal(calendar.addWorkingDays('2025-10-08', 1), '2025-10-09');
  assert.equal(calendar.addWorkingDays('2025-10-04', 1), '2025-10-09');
  assert.throws(() => calendar.addWorkingDays('2025-10-01', -1), RangeError);
  assert.throws(() => calendar.addWorkingDays('2025-10-01', 1.5), RangeError);
});

test('working days between two days count (from, to] across National Day and a whole year', () => {
  assert.equal(calendar.workingDaysBetween('2025-09-26', '2025-10-31'), 21);
  assert.equal(calendar.workingDaysBetween('2025-09-26', '2025-09-28'), 1);
  assert.equal(calendar.workingDaysBetween('2025-09-30', '2025-10-08'), 0);
  assert.equal(calendar.workingDaysBetween('2025-09-30', '2025-10-11'), 3);
  assert.equal(calendar.workingDaysBetween('2025-10-10', '2025-10-10'), 0);
  assert.equal(calendar.workingDaysBetween('2025-10-14', '2025-09-30'), 0);
  // 261 weekdays, 18 of them off, 5 weekend days worked: the 248 working days of 2025.
  assert.equal(calendar.workingDaysBetween('2024-12-31', '2025-12-31'), 248);
});

test('a plain week: Monday to Friday work, the weekend does not', () => {
  const week = span('2025-11-03', '2025-11-09', 'holiday', '').map(({ day }) => [day, calendar.isWorkingDay(day)]);
  assert.deepEqual(week, [
    ['2025-11-03', true],
    ['2025-11-04', true],
    ['2025-11-05', true],
    ['2025-11-06', true],
    ['2025-11-07', true],
    ['2025-11-08', false],
    ['2025-11-09', false],
  ]);
  assert.equal(calendar.addWorkingDays('2025-11-03', 5), '2025-11-10');
  assert.equal(calendar.addWorkingDays('2025-11-07', 1), '2025-11-10');
  assert.equal(calendar.workingDaysBetween('2025-11-07', '2025-11-10'), 1);
  assert.equal(calendar.workingDaysBetween('2025-11-02', '2025-11-09'), 5);
});

test('workingDaysBetween is the inverse of addWorkingDays and agrees with counting day by day', () => {
  for (const start of [
    ...span('2025-09-20', '2025-10-15', 'holiday', ''),
    ...span('2025-01-20', '2025-02-10', 'holiday', ''),
  ]) {
    for (let n = 0; n <= 30; n += 1) {
      const end = calendar.addWorkingDays(start.day, n);
      assert.equal(calendar.workingDaysBetween(start.day, end), n, `${start.day} + ${n} = ${end}`);
      assert.equal(countOneByOne(calendar, start.day, end), n, `${start.day} + ${n} = ${end}`);
    }
  }
  for (const [from, to] of [
    ['2024-12-25', '2026-01-10'],
    ['2025-10-04', '2025-10-12'],
    ['1969-12-20', '1970-01-10'],
    ['2025-02-01', '2025-02-08'],
  ] as const) {
    assert.equal(calendar.workingDaysBetween(from, to), countOneByOne(calendar, from, to), `${from}..${to}`);
  }
});

test('the administrator adds a local holiday and turns a weekend into a working day', () => {
  const overrides: CalendarDay[] = [
    { day: '2025-11-12', kind: 'holiday', name: '建市纪念日' },
    { day: '2025-11-15', kind: 'workday', name: '建市纪念日' },
  ];
  const local = WorkingCalendar.merge({ days: OFFICIAL_2025, years: [2025] }, { days: overrides, years: [] });
  assert.deepEqual(countedDays(calendar, '2025-11-10', 4), ['2025-11-11', '2025-11-12', '2025-11-13', '2025-11-14']);
  assert.deepEqual(countedDays(local, '2025-11-10', 4), ['2025-11-11', '2025-11-13', '2025-11-14', '2025-11-15']);
  assert.equal(local.isWorkingDay('2025-11-12'), false);
  assert.equal(local.isWorkingDay('2025-11-15'), true);
  assert.equal(local.workingDaysBetween('2025-11-10', '2025-11-17'), 5);
  assert.deepEqual(local.entry('2025-11-12'), { day: '2025-11-12', kind: 'holiday', name: '建市纪念日' });
  assert.equal(local.entry('2025-11-13'), undefined);
  assert.deepEqual(local.coveredYears, [2025]);
});

test('an override replaces the shipped entry for its day, and a later entry replaces an earlier one', () => {
  // Saturday 11 October 2025 made a day off after all.
  const overrides: CalendarDay[] = [
    { day: '2025-10-11', kind: 'workday', name: '草稿' },
    { day: '2025-10-11', kind: 'holiday', name: '国庆节' },
  ];
  const merged = mergeCalendarDays(OFFICIAL_2025, overrides);
  assert.equal(merged.length, OFFICIAL_2025.length);
  assert.deepEqual(
    merged.filter(({ day }) => day >= '2025-10-07'),
    [
      { day: '2025-10-07', kind: 'holiday', name: '国庆节、中秋节' },
      { day: '2025-10-08', kind: 'holiday', name: '国庆节、中秋节' },
      { day: '2025-10-11', kind: 'holiday', name: '国庆节' },
    ],
  );
  const local = WorkingCalendar.merge({ days: OFFICIAL_2025, years: [2025] }, { days: overrides, years: [] });
  assert.deepEqual(countedDays(local, '2025-09-30', 5), [
    '2025-10-09',
    '2025-10-10',
    '2025-10-13',
    '2025-10-14',
    '2025-10-15',
  ]);
  assert.equal(new WorkingCalendar(overrides, [2025]).isWorkingDay('2025-10-11'), false);
  assert.deepEqual(
    mergeCalendarDays(
      [{ day: '2025-05-01', kind: 'holiday', name: 'b' }],
      [{ day: '2025-04-30', kind: 'holiday', name: 'a' }],
    ),
    [
      { day: '2025-04-30', kind: 'holiday', name: 'a' },
      { day: '2025-05-01', kind: 'holiday', name: 'b' },
    ],
  );
});

test('a year without a schedule falls back to weekends and is reported as not covered', () => {
  assert.equal(calendar.isCovered(2025), true);
  assert.equal(calendar.isCovered(2026), false);
  // 1 January 2026 is a Thursday: without the 2026 schedule it counts as a working day.
  assert.equal(calendar.isWorkingDay('2026-01-01'), true);
  assert.deepEqual(countedDays(calendar, '2025-12-26', 5), [
    '2025-12-29',
    '2025-12-30',
    '2025-12-31',
    '2026-01-01',
    '2026-01-02',
  ]);
  assert.equal(calendar.addWorkingDays('2025-12-26', 20), '2026-01-23');
  assert.deepEqual(calendar.uncoveredYearsBetween('2025-12-26', '2026-01-23'), [2026]);
  assert.deepEqual(calendar.uncoveredYearsBetween('2025-01-01', '2025-12-31'), []);
  assert.deepEqual(calendar.uncoveredYearsBetween('2024-06-01', '2027-01-01'), [2024, 2026, 2027]);
  assert.deepEqual(calendar.uncoveredYearsBetween('2026-01-01', '2025-01-01'), []);
  // The administrator enters 2026: it is covered from then on.
  const entered = WorkingCalendar.merge(
    { days: OFFICIAL_2025, years: [2025] },
    { days: [{ day: '2026-01-01', kind: 'holiday', name: '元旦' }], years: [2026] },
  );
  assert.deepEqual(entered.coveredYears, [2025, 2026]);
  assert.deepEqual(entered.uncoveredYearsBetween('2025-12-26', '2026-01-23'), []);
  assert.equal(entered.isWorkingDay('2026-01-01'), false);
});

test('an uploaded list is checked: bad days, conflicting kinds, weekday workdays, long names', () => {
  assert.deepEqual(calendarDayProblems(OFFICIAL_2025), []);
  assert.deepEqual(
    calendarDayProblems([
      { day: '2025-11-12', kind: 'holiday', name: '建市纪念日' },
      { day: '2025-02-30', kind: 'holiday', name: '' },
      { day: '2025-11-12', kind: 'workday', name: '' },
      { day: '2025-11-15', kind: 'workday', name: '' },
      { day: '2025-11-15', kind: 'workday', name: '' },
      { day: '2025-11-14', kind: 'holiday', name: '一二三四五六七八九十一二三四五六七八九十' },
      { day: '2025-11-21', kind: 'holiday', name: '一二三四五六七八九十一二三四五六七八九十一' },
      { day: '2025-11-12', kind: 'holiday', name: '' },
    ]),
    [
      {
        day: '2025-02-30',
        zh: '日历日期 2025-02-30 无效：2025 年 2 月只有 28 天',
        en: 'Calendar day 2025-02-30 is invalid: 2025-02 has 28 days',
      },
      {
        day: '2025-11-12',
        zh: '2025-11-12：同一天既列为放假又列为调休上班',
        en: '2025-11-12: listed both as a holiday and as a workday',
      },
      {
        day: '2025-11-12',
        zh: '2025-11-12：调休上班日应为周六或周日，该日是星期三',
        en: '2025-11-12: a workday must be a Saturday or Sunday, this is a Wednesday',
      },
      {
        day: '2025-11-21',
        zh: '2025-11-21：名称“一二三四五六七八九十一二三四五六七八九十一”超过 20 个字',
        en: '2025-11-21: the name "一二三四五六七八九十一二三四五六七八九十一" is longer than 20 characters',
      },
    ],
  );
});
