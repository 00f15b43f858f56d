import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  calendarYear,
  markCalendarYear,
  putCalendarDays,
  removeCalendarDay,
  workingCalendar,
} from '../../../src/services/index.js';
import { platformConsole } from '../../../src/services/platform/index.js';
import { demoSite } from '../../helpers/factories.js';
import { refusedWith } from '../../helpers/letters.js';
import { BACKENDS, contextFor } from '../../helpers/store.js';

for (const backend of BACKENDS) {
  // Regression (one calendar change marked a year covered): entering 元旦 of 2027 alone left the
  // rest of 2027 unknown, yet deadlines trusted it; now the administrator marks the year.
  test(`[${backend.name}] a year is covered once marked entered in full, not at its first changed day`, async (t) => {
    const store = await backend.open();
    t.after(() => store.dispose());
    const ctx = contextFor(store);
    await demoSite(ctx);
    const platform = platformConsole('test');

    await putCalendarDays(ctx, platform, [{ day: '2027-01-01', kind: 'holiday', name: '元旦' }]);
    let year = await calendarYear(ctx, 2027);
    assert.deepEqual(year, {
      year: 2027,
      covered: false,
      shipped: false,
      days: [{ day: '2027-01-01', kind: 'holiday', name: '元旦', source: 'changed' }],
    });
    assert.deepEqual((await workingCalendar(store.db)).uncoveredYearsBetween('2026-12-25', '2027-01-22'), [2027]);

    year = await markCalendarYear(ctx, platform, 2027, true);
    assert.deepEqual([year.covered, year.shipped], [true, false]);
    assert.deepEqual((await workingCalendar(store.db)).uncoveredYearsBetween('2026-12-25', '2027-01-22'), []);
    // The mark stays when a day is dropped: the administrator said the year is in.
    await removeCalendarDay(ctx, platform, '2027-01-01');
    assert.deepEqual(await calendarYear(ctx, 2027), { year: 2027, covered: true, shipped: false, days: [] });

    year = await markCalendarYear(ctx, platform, 2027, false);
    assert.deepEqual([year.covered, year.shipped], [false, false]);
    // A shipped year has nothing to mark.
    await refusedWith(markCalendarYear(ctx, platform, 2025, false), 'CALENDAR_DAY_INVALID');
    assert.deepEqual([(await calendarYear(ctx, 2025)).covered, (await calendarYear(ctx, 2025)).shipped], [true, true]);
    const audit = await store.db
      .selectFrom('auditLog')
      .select(['action', 'details'])
      .where('action', '=', 'calendar.year')
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      audit.map((a) => [a.action, JSON.parse(String(a.details)) as unknown]),
      [
        ['calendar.year', { year: 2027, complete: true }],
        ['calendar.year', { year: 2027, complete: false }],
      ],
    );
  });
}
