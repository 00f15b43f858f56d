import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  WorkingCalendar,
  addCalendarDays,
  checkPeriod,
  consultationPhase,
  feedbackHeadline,
  feedbackSummary,
  periodInstants,
  type CalendarDay,
  type ConsultationKind,
} from '../../src/domain/index.js';

/**
 * 国庆节、中秋节 2025 (国务院办公厅关于2025年部分节假日安排的通知): 10月1日–8日 off; 9月28日 (Sunday)
 * and 10月11日 (Saturday) worked.
 */
const NATIONAL_DAY_2025: CalendarDay[] = [
  { day: '2025-09-28', kind: 'workday', name: '国庆节' },
  ...Array.from({ length: 8 }, (_, i) => ({
    day: addCalendarDays('2025-10-01', i),
    kind: 'holiday' as const,
    name: '国庆节、中秋节',
  })),
  { day: '2025-10-11', kind: 'workday', name: '国庆节' },
];
const calendar = new WorkingCalendar(NATIONAL_DAY_2025, [2025]);

const check = (kind: ConsultationKind, startDay: string, endDay: string, concernsBusiness = false) =>
  checkPeriod({ kind, concernsBusiness, startDay, endDay }, calendar);

test('规章: at least 30 days, both ends counted; holidays do not matter', () => {
  assert.deepEqual(check('rule', '2025-09-15', '2025-10-14'), {
    days: 30,
    workingDays: 18,
    minimum: { unit: 'days', count: 30, rule: '规章草案征求意见期限不少于 30 日' },
    warning: null,
  });
  assert.deepEqual(check('rule', '2025-09-15', '2025-10-13'), {
    days: 29,
    workingDays: 17,
    minimum: { unit: 'days', count: 30, rule: '规章草案征求意见期限不少于 30 日' },
    warning: '征求意见期限为 29 日，短于要求：规章草案征求意见期限不少于 30 日。如确需缩短，请在起草说明中说明理由。',
  });
});

test('规范性文件 into a year whose holidays are not entered: counted on weekends only, and said so', () => {
  const rule = { unit: 'workingDays', count: 7, rule: '行政规范性文件征求意见期限不少于 7 个工作日' };
  assert.deepEqual(check('normative', '2025-12-29', '2026-01-09'), {
    days: 12,
    workingDays: 10,
    minimum: rule,
    warning: '2026 年节假日安排尚未录入，工作日暂按周末计算。',
  });
  // 规章 counts calendar days: the unknown holidays change nothing.
  assert.equal(check('rule', '2025-12-15', '2026-01-13').warning, null);
});

test('规范性文件: 7 working days, across the National Day holiday and its 调休 days', () => {
  const rule = { unit: 'workingDays', count: 7, rule: '行政规范性文件征求意见期限不少于 7 个工作日' };
  // Mon 29 and Tue 30 September, then 1–8 October off, Thu 9 October: three working days in eleven.
  assert.deepEqual(check('normative', '2025-09-29', '2025-10-09'), {
    days: 11,
    workingDays: 3,
    minimum: rule,
    warning:
      '征求意见期限为 3 个工作日，短于要求：行政规范性文件征求意见期限不少于 7 个工作日。如确需缩短，请在起草说明中说明理由。',
  });
  // …9, 10, Saturday 11 (worked), 13: six; with Tuesday 14 the seventh.
  assert.equal(check('normative', '2025-09-29', '2025-10-13').workingDays, 6);
  assert.notEqual(check('normative', '2025-09-29', '2025-10-13').warning, null);
  assert.deepEqual(check('normative', '2025-09-29', '2025-10-14'), {
    days: 16,
    workingDays: 7,
    minimum: rule,
    warning: null,
  });
  // Sunday 28 September was worked, Saturday 27 was not.
  assert.equal(check('normative', '2025-09-27', '2025-09-28').workingDays, 1);
  assert.equal(check('normative', '2025-09-27', '2025-10-09').workingDays, 4);
  // A plain fortnight in November has ten.
  assert.equal(check('normative', '2025-11-03', '2025-11-16').workingDays, 10);
});

test('涉企: 30 days whatever the kind; other drafts have no minimum', () => {
  const rule = {
    unit: 'days',
    count: 30,
    rule: '与市场主体生产经营活动密切相关的，征求意见期限不少于 30 日',
  };
  assert.deepEqual(check('normative', '2025-09-29', '2025-10-27', true), {
    days: 29,
    workingDays: 16,
    minimum: rule,
    warning:
      '征求意见期限为 29 日，短于要求：与市场主体生产经营活动密切相关的，征求意见期限不少于 30 日。如确需缩短，请在起草说明中说明理由。',
  });
  assert.equal(check('normative', '2025-09-29', '2025-10-28', true).warning, null);
  assert.deepEqual(check('other', '2025-10-09', '2025-10-20', true).minimum, rule);
  assert.deepEqual(check('other', '2025-10-09', '2025-10-09'), {
    days: 1,
    workingDays: 1,
    minimum: null,
    warning: null,
  });
});

test('the phase follows the clock in the site’s time zone: open from the start day’s midnight to the end day’s last second', () => {
  const tz = 'Asia/Shanghai';
  const period = { startDay: '2025-12-01', endDay: '2025-12-31' };
  assert.deepEqual(periodInstants(period.startDay, period.endDay, tz), {
    opens: new Date('2025-11-30T16:00:00Z'),
    closes: new Date('2025-12-31T16:00:00Z'),
  });
  const at = (iso: string) => consultationPhase('published', period, new Date(iso), tz);
  assert.equal(at('2025-11-30T15:59:59.999Z'), 'upcoming');
  assert.equal(at('2025-11-30T16:00:00Z'), 'open');
  assert.equal(at('2025-12-31T15:59:59.999Z'), 'open');
  assert.equal(at('2025-12-31T16:00:00Z'), 'closed');
  assert.equal(consultationPhase('draft', period, new Date('2025-12-10T00:00:00Z'), tz), 'draft');
  assert.equal(consultationPhase('withdrawn', period, new Date('2025-12-10T00:00:00Z'), tz), 'withdrawn');
});

test('the 反馈 counts the decisions and lists them with their reasons', () => {
  const summary = feedbackSummary([
    { clause: '第三条', decision: 'adopted', reason: '' },
    { clause: '', decision: 'rejected', reason: '超出本办法调整范围' },
    { clause: '第五条', decision: 'partial', reason: '期限调整为十个工作日' },
  ]);
  assert.deepEqual(summary, {
    received: 3,
    adopted: 1,
    partial: 1,
    rejected: 1,
    items: [
      { clause: '第三条', decision: 'adopted', decisionName: '采纳', reason: '' },
      { clause: '', decision: 'rejected', decisionName: '不予采纳', reason: '超出本办法调整范围' },
      { clause: '第五条', decision: 'partial', decisionName: '部分采纳', reason: '期限调整为十个工作日' },
    ],
  });
  assert.equal(feedbackHeadline(summary), '共收到意见 3 条，采纳 1 条，部分采纳 1 条，不予采纳 1 条。');
  assert.equal(feedbackHeadline(feedbackSummary([])), '征求意见期间未收到意见。');
});
