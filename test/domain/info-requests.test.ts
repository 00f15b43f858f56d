import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  NEW_INFO_REQUEST_CLOCK,
  OUTCOME_CODES,
  WorkingCalendar,
  buildRequestTable,
  infoRequestStepRefusal,
  isCreditCode,
  isResidentIdNumber,
  nextInfoRequestClock,
  outcomeName,
  remainingWorkingDays,
  thirdPartyDueDay,
  type InfoRequestClock,
  type InfoRequestStepInput,
} from '../../src/domain/index.js';
import { shippedCalendarDays } from '../../src/services/index.js';

const shipped = shippedCalendarDays();
const calendar = new WorkingCalendar(shipped.days, shipped.years);

/** Takes the steps in order, each checked first; a refusal fails the test with its reason. */
function run(steps: InfoRequestStepInput[], from: InfoRequestClock = NEW_INFO_REQUEST_CLOCK): InfoRequestClock {
  return steps.reduce((clock, step) => {
    assert.equal(infoRequestStepRefusal(clock, step, calendar), null, `${step.step} on ${step.day}`);
    return nextInfoRequestClock(clock, step, calendar);
  }, from);
}

test('20 working days from a receipt before National Day count the 调休 Sunday and Saturday and skip 1–8 October', () => {
  const clock = run([{ step: 'confirm', day: '2025-09-23' }]);
  assert.deepEqual(clock, {
    status: 'processing',
    receivedDay: '2025-09-23',
    clockStartDay: '2025-09-23',
    dueDay: '2025-10-27',
    pausedSince: null,
    extensionDays: 0,
    correctionAsked: false,
  });
  assert.equal(remainingWorkingDays(clock, '2025-09-30', calendar), 14);
  assert.equal(remainingWorkingDays(clock, '2025-10-29', calendar), -2);
});

test('补正 restarts the clock from the corrected request, a third party stops it, one extension adds to it', () => {
  const corrected = run([
    { step: 'confirm', day: '2025-09-23' },
    { step: 'ask-correction', day: '2025-09-25' },
    { step: 'corrected', day: '2025-10-09' },
  ]);
  assert.equal(corrected.clockStartDay, '2025-10-09');
  assert.equal(corrected.dueDay, '2025-11-05');
  const consulting = run([{ step: 'consult', day: '2025-10-20' }], corrected);
  assert.equal(consulting.status, 'consulting');
  assert.equal(thirdPartyDueDay('2025-10-20', calendar), '2025-11-10');
  // What was left when the clock stopped, however long the third party takes.
  assert.equal(remainingWorkingDays(consulting, '2025-10-30', calendar), 12);
  const back = run([{ step: 'consulted', day: '2025-10-31' }], consulting);
  assert.equal(back.dueDay, '2025-11-18', '9 working days stood: 21–24, 27–31 October');
  assert.equal(remainingWorkingDays(back, '2025-10-31', calendar), 12);
  const extended = run([{ step: 'extend', day: '2025-11-10', days: 15 }], back);
  assert.deepEqual(extended, {
    status: 'processing',
    receivedDay: '2025-09-23',
    clockStartDay: '2025-10-09',
    dueDay: '2025-12-09',
    pausedSince: null,
    extensionDays: 15,
    correctionAsked: true,
  });
  const answered = run([{ step: 'answer', day: '2025-12-05', outcome: 'partial' }], extended);
  assert.equal(answered.status, 'answered');
  assert.equal(remainingWorkingDays(answered, '2025-12-05', calendar), null);
});

test('an extension granted before the correction carries over to the corrected request’s clock', () => {
  const clock = run([
    { step: 'confirm', day: '2025-09-23' },
    { step: 'extend', day: '2025-09-24', days: 5 },
    { step: 'ask-correction', day: '2025-09-25' },
    { step: 'corrected', day: '2025-10-09' },
  ]);
  assert.equal(clock.dueDay, calendar.addWorkingDays('2025-10-09', 25));
  assert.equal(clock.dueDay, '2025-11-12');
});

test('the statute’s limits refuse a step, saying why', () => {
  const received = run([{ step: 'confirm', day: '2025-09-23' }]);
  assert.deepEqual(infoRequestStepRefusal(received, { step: 'ask-correction', day: '2025-10-13' }, calendar), {
    zh: '补正应在收到申请之日起 7 个工作日内告知（已过 10 个工作日）',
    en: 'a correction must be requested within 7 working days of receipt (10 have passed)',
  });
  const asked = run(
    [
      { step: 'ask-correction', day: '2025-09-24' },
      { step: 'corrected', day: '2025-09-26' },
    ],
    received,
  );
  assert.equal(
    infoRequestStepRefusal(asked, { step: 'ask-correction', day: '2025-09-26' }, calendar)?.en,
    'a correction may be requested once only (Art. 30)',
  );
  assert.equal(
    infoRequestStepRefusal(received, { step: 'extend', day: '2025-09-24', days: 21 }, calendar)?.en,
    'an extension is 1 to 20 working days',
  );
  const extended = run([{ step: 'extend', day: '2025-09-24', days: 20 }], received);
  assert.equal(
    infoRequestStepRefusal(extended, { step: 'extend', day: '2025-09-25', days: 1 }, calendar)?.en,
    'the deadline may be extended once only (Art. 33)',
  );
  const correcting = run([{ step: 'ask-correction', day: '2025-09-24' }], received);
  assert.equal(
    infoRequestStepRefusal(correcting, { step: 'answer', day: '2025-10-30', outcome: 'open' }, calendar)?.en,
    'a request waiting for its correction can only be closed as not corrected (other-1) or other (other-3)',
  );
  assert.equal(
    infoRequestStepRefusal(correcting, { step: 'answer', day: '2025-10-30', outcome: 'other-1' }, calendar),
    null,
  );
  assert.equal(
    infoRequestStepRefusal(received, { step: 'answer', day: '2025-09-24', outcome: 'withheld-9' }, calendar)?.en,
    'unknown outcome "withheld-9"',
  );
  assert.equal(
    infoRequestStepRefusal(NEW_INFO_REQUEST_CLOCK, { step: 'consult', day: '2025-09-24' }, calendar)?.zh,
    '申请当前为“待确认收到”，不能征求第三方意见',
  );
});

test('the outcome codes are the 21 rows of table 三, named as the reply names them', () => {
  assert.deepEqual(OUTCOME_CODES, [
    'open',
    'partial',
    ...[1, 2, 3, 4, 5, 6, 7, 8].map((n) => `withheld-${n}`),
    ...[1, 2, 3].map((n) => `unavailable-${n}`),
    ...[1, 2, 3, 4, 5].map((n) => `refused-${n}`),
    ...[1, 2, 3].map((n) => `other-${n}`),
  ]);
  assert.equal(outcomeName('partial'), '部分公开');
  assert.equal(outcomeName('withheld-4'), '不予公开 · 保护第三方合法权益');
  assert.equal(outcomeName('other-1'), '其他处理 · 申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请');
});

test('the annual table counts new, carried-over, handled and carried-on requests by applicant class, and balances', () => {
  const table = buildRequestTable(2025, [
    { applicantClass: 'natural', receivedDay: '2025-09-23', answeredDay: '2025-12-05', outcome: 'partial' },
    { applicantClass: 'business', receivedDay: '2024-12-20', answeredDay: '2025-01-10', outcome: 'open' },
    { applicantClass: 'business', receivedDay: '2024-11-20', answeredDay: '2024-12-10', outcome: 'open' },
    { applicantClass: 'legal', receivedDay: '2025-12-29', answeredDay: null, outcome: null },
    { applicantClass: 'natural', receivedDay: '2025-03-02', answeredDay: '2025-03-20', outcome: 'withheld-4' },
    { applicantClass: 'natural', receivedDay: '2026-01-05', answeredDay: null, outcome: null },
    { applicantClass: 'natural', receivedDay: null, answeredDay: null, outcome: null },
  ]);
  const line = (key: string) => {
    const row = table.rows.find((r) => r.key === key);
    assert.ok(row, key);
    return row.counts === null ? null : Object.values(row.counts).join(' ');
  };
  // natural business research charity legal other total
  assert.equal(line('received'), '2 0 0 0 1 0 3');
  assert.equal(line('carried-in'), '0 1 0 0 0 0 1');
  assert.equal(line('results'), null);
  assert.equal(line('open'), '0 1 0 0 0 0 1');
  assert.equal(line('partial'), '1 0 0 0 0 0 1');
  assert.equal(line('withheld'), null);
  assert.equal(line('withheld-4'), '1 0 0 0 0 0 1');
  assert.equal(line('handled'), '2 1 0 0 0 0 3');
  assert.equal(line('carried-out'), '0 0 0 0 1 0 1');
  assert.equal(table.balanced, true);
  assert.deepEqual(
    table.rows.map((r) => r.label),
    [
      '一、本年新收政府信息公开申请数量',
      '二、上年结转政府信息公开申请数量',
      '三、本年度办理结果',
      '（一）予以公开',
      '（二）部分公开（区分处理的，只计这一情形，不计其他情形）',
      '（三）不予公开',
      '1. 属于国家秘密',
      '2. 其他法律行政法规禁止公开',
      '3. 危及“三安全一稳定”',
      '4. 保护第三方合法权益',
      '5. 属于三类内部事务信息',
      '6. 属于四类过程性信息',
      '7. 属于行政执法案卷',
      '8. 属于行政查询事项',
      '（四）无法提供',
      '1. 本机关不掌握相关政府信息',
      '2. 没有现成信息需要另行制作',
      '3. 补正后申请内容仍不明确',
      '（五）不予处理',
      '1. 信访举报投诉类申请',
      '2. 重复申请',
      '3. 要求提供公开出版物',
      '4. 无正当理由大量反复申请',
      '5. 要求行政机关确认或重新出具已获取信息',
      '（六）其他处理',
      '1. 申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请',
      '2. 申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请',
      '3. 其他',
      '（七）总计',
      '四、结转下年度继续办理',
    ],
  );
  const before = buildRequestTable(2024, [
    { applicantClass: 'business', receivedDay: '2024-12-20', answeredDay: '2025-01-10', outcome: 'open' },
  ]);
  assert.equal(before.rows.find((r) => r.key === 'carried-out')?.counts?.business, 1);
});

test('ID numbers and credit codes are checked with their check characters', () => {
  assert.equal(isResidentIdNumber('11010519491231002X'), true);
  assert.equal(isResidentIdNumber('11010519491231002x'), true);
  assert.equal(isResidentIdNumber('110105194912310021'), false);
  assert.equal(isResidentIdNumber('1101051949123100'), false);
  assert.equal(isCreditCode('91350100M000100Y43'), true);
  assert.equal(isCreditCode('91350100M000100Y44'), false);
  assert.equal(isCreditCode('91350100M000100Y4'), false);
});
