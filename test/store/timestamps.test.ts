import assert from 'node:assert/strict';
import test from 'node:test';
import { isoTimestamp } from '../../src/store/index.js';

/** A timestamptz as PostgreSQL prints it in a UTC session: trailing zeros of the fraction dropped. */
function asPostgresPrints(ms: number, micros: number): string {
  const iso = new Date(ms).toISOString();
  const fraction = `${iso.slice(20, 23)}${String(micros).padStart(3, '0')}`.replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction ? `.${fraction}` : ''}+00`;
}

test('isoTimestamp gives what Date#toISOString gives, for every form PostgreSQL prints in UTC', () => {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const values = [
    '2026-12-05 07:45:12+00',
    '2026-12-05 07:45:12.1+00',
    '2026-12-05 07:45:12.12+00',
    '2026-12-05 07:45:12.123456+00',
    '1999-12-31 23:59:59.999999+00',
  ];
  for (let i = 0; i < 2000; i++)
    values.push(asPostgresPrints(Math.floor(random() * 4_102_444_800_000), Math.floor(random() * 1000)));
  for (const value of values) assert.equal(isoTimestamp(value), new Date(value).toISOString(), value);
});

test('isoTimestamp leaves offsets and unusual years to Date', () => {
  assert.equal(isoTimestamp('2026-12-05 15:45:12.5+08'), '2026-12-05T07:45:12.500Z');
  assert.equal(isoTimestamp('2026-12-05 07:45:12+05:30'), '2026-12-05T02:15:12.000Z');
});
