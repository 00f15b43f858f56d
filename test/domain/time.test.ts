import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  dateBarText,
  formatDate,
  formatDateTime,
  formatIsoLocal,
  fromLocal,
  parseLocalDateTime,
} from '../../src/domain/index.js';

const SH = 'Asia/Shanghai';

test('the date bar reads the day in the site zone, with a zero-padded date and the weekday', () => {
  assert.equal(dateBarText(new Date('2025-12-01T09:00:00+08:00'), SH), '今天是2025年12月01日 星期一');
  // 23:30 UTC on Sunday is already Monday morning in Shanghai.
  assert.equal(dateBarText(new Date('2025-11-30T23:30:00Z'), SH), '今天是2025年12月01日 星期一');
  assert.equal(dateBarText(new Date('2025-11-30T23:30:00Z'), 'UTC'), '今天是2025年11月30日 星期日');
  assert.equal(dateBarText(new Date('2025-12-03T01:00:00+08:00'), SH), '今天是2025年12月03日 星期三');
});

test('publish times print as government pages print them', () => {
  const at = new Date('2021-05-20T14:19:00Z');
  assert.equal(formatDateTime(at, SH), '2021-05-20 22:19');
  assert.equal(formatDate(at, SH), '2021-05-20');
  assert.equal(formatIsoLocal(at, SH), '2021-05-20T22:19:00+08:00');
  assert.equal(formatIsoLocal(at, 'America/New_York'), '2021-05-20T10:19:00-04:00');
});

test('local times are read in the site zone', () => {
  assert.equal(parseLocalDateTime('2021-05-20 22:19', SH)?.toISOString(), '2021-05-20T14:19:00.000Z');
  assert.equal(parseLocalDateTime('2021/5/20 22:19:30', SH)?.toISOString(), '2021-05-20T14:19:30.000Z');
  assert.equal(parseLocalDateTime('2021.05.20', SH)?.toISOString(), '2021-05-19T16:00:00.000Z');
  assert.equal(parseLocalDateTime('2025年10月20日 10:30', SH)?.toISOString(), '2025-10-20T02:30:00.000Z');
  assert.equal(parseLocalDateTime('2025年10月20日 10时30分', SH)?.toISOString(), '2025-10-20T02:30:00.000Z');
  assert.equal(parseLocalDateTime(' 2025-10-20 10：30 ', SH)?.toISOString(), '2025-10-20T02:30:00.000Z');
});

test('impossible and unreadable times are refused', () => {
  for (const bad of [
    '2021-02-30 10:00',
    '2021-13-01',
    '2021-05-20 24:00',
    '2021-05-20 10:60',
    '昨天',
    '',
    '20210520',
    '2021-05-20 10',
  ]) {
    assert.equal(parseLocalDateTime(bad, SH), null, bad);
  }
});

test('a local time across a daylight-saving change resolves to the right instant', () => {
  // New York, 2021-03-14 03:30 EDT (after the jump) is 07:30 UTC.
  assert.equal(
    fromLocal({ year: 2021, month: 3, day: 14, hour: 3, minute: 30, second: 0 }, 'America/New_York')?.toISOString(),
    '2021-03-14T07:30:00.000Z',
  );
  assert.equal(
    fromLocal({ year: 2021, month: 11, day: 7, hour: 12, minute: 0, second: 0 }, 'America/New_York')?.toISOString(),
    '2021-11-07T17:00:00.000Z',
  );
});

test('a day on which the zone changes its offset reads each instant with the offset it had then', () => {
  // Offsets are cached per day when a day keeps one; these days do not.
  const ny = 'America/New_York';
  assert.equal(formatIsoLocal(new Date('2025-03-09T06:30:00Z'), ny), '2025-03-09T01:30:00-05:00');
  assert.equal(formatIsoLocal(new Date('2025-03-09T07:30:00Z'), ny), '2025-03-09T03:30:00-04:00');
  assert.equal(formatIsoLocal(new Date('2025-03-09T23:59:00Z'), ny), '2025-03-09T19:59:00-04:00');
  assert.equal(formatIsoLocal(new Date('2025-11-02T05:30:00Z'), ny), '2025-11-02T01:30:00-04:00');
  assert.equal(formatIsoLocal(new Date('2025-11-02T06:30:00Z'), ny), '2025-11-02T01:30:00-05:00');
  // Asked again, in another order, from the cache: the same answers.
  assert.equal(formatIsoLocal(new Date('2025-11-02T06:30:00Z'), ny), '2025-11-02T01:30:00-05:00');
  assert.equal(formatIsoLocal(new Date('2025-03-09T06:59:00Z'), ny), '2025-03-09T01:59:00-05:00');
  assert.equal(formatIsoLocal(new Date('2025-03-10T12:00:00Z'), ny), '2025-03-10T08:00:00-04:00');
});
