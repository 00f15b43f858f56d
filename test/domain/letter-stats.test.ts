import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkingCalendar, letterFigures, letterStatsBy, type LetterTally } from '../../src/domain/index.js';
import { shippedCalendarDays } from '../../src/services/index.js';

const shipped = shippedCalendarDays();
const calendar = new WorkingCalendar(shipped.days, shipped.years);

const letter = (overrides: Partial<LetterTally>): LetterTally => ({
  type: 'consult',
  status: 'answered',
  unit: '区住建局',
  receivedDay: '2025-09-22',
  acceptedDay: '2025-09-23',
  firstAnsweredDay: '2025-09-26',
  dueDay: '2025-09-30',
  published: false,
  rating: null,
  ...overrides,
});

const LETTERS: LetterTally[] = [
  // Answered in 3 working days, on time, published, rated 非常满意.
  letter({ published: true, rating: 5 }),
  // Answered across National Day: 9-26 → 10-10 is 5 working days (Sunday 9-28 is a 调休 working day), late.
  letter({
    type: 'complaint',
    acceptedDay: '2025-09-26',
    firstAnsweredDay: '2025-10-10',
    dueDay: '2025-10-09',
    rating: 2,
    status: 'published',
    published: true,
  }),
  // Still with the unit past its due day.
  letter({
    status: 'assigned',
    unit: '松陵镇人民政府',
    receivedDay: '2025-10-13',
    acceptedDay: '2025-10-13',
    firstAnsweredDay: null,
    dueDay: '2025-10-20',
  }),
  // Declined, and a duplicate merged: neither accepted.
  letter({
    status: 'rejected',
    unit: null,
    acceptedDay: null,
    firstAnsweredDay: null,
    dueDay: null,
    receivedDay: '2025-11-03',
  }),
  letter({
    status: 'merged',
    unit: null,
    acceptedDay: null,
    firstAnsweredDay: null,
    dueDay: null,
    receivedDay: '2025-11-04',
  }),
];

test('the figures of a year: 受理量, 不予受理数, 办结量 and its rates, 超期数, 平均办理时长, 公开答复数, 满意率', () => {
  assert.deepEqual(letterFigures(LETTERS, '2025-12-01', calendar), {
    received: 5,
    accepted: 3,
    rejected: 2,
    closed: 2,
    closedRate: 0.667,
    onTimeRate: 0.5,
    late: 2,
    averageWorkingDays: 4,
    published: 2,
    rated: 2,
    satisfiedRate: 0.5,
  });
});

test('by unit: units in the order of their names, letters not routed last; by month: every month asked for', () => {
  assert.deepEqual(
    letterStatsBy(LETTERS, 'unit', '2025-12-01', calendar).map((r) => [r.key, r.received, r.closed, r.late]),
    [
      ['区住建局', 2, 2, 1],
      ['松陵镇人民政府', 1, 0, 1],
      ['', 2, 0, 0],
    ],
  );
  assert.deepEqual(
    letterStatsBy(LETTERS, 'month', '2025-12-01', calendar, ['2025-09', '2025-10', '2025-11', '2025-12']).map((r) => [
      r.key,
      r.received,
    ]),
    [
      ['2025-09', 2],
      ['2025-10', 1],
      ['2025-11', 2],
      ['2025-12', 0],
    ],
  );
  assert.deepEqual(
    letterStatsBy(LETTERS, 'type', '2025-12-01', calendar, ['consult', 'complaint', 'suggestion']).map((r) => [
      r.key,
      r.received,
      r.satisfiedRate,
    ]),
    [
      ['consult', 4, 1],
      ['complaint', 1, 0],
      ['suggestion', 0, null],
    ],
  );
});
