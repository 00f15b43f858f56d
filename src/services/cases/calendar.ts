import type { Kysely } from 'kysely';
import {
  GazetteError,
  WorkingCalendar,
  calendarDayProblems,
  parseCalendarDay,
  type CalendarDay,
  type CalendarDayKind,
} from '../../domain/index.js';
import { letters, type Database } from '../../store/index.js';
import { requireAnywhere, type Actor } from '../actor.js';
import { appendAudit } from '../audit.js';
import type { ServiceContext } from '../context.js';
import { currentSite } from '../site.js';
import { shippedCalendarDays } from './shipped-calendar.js';
import type { CalendarDayInput } from './views.js';

/**
 * The working-day calendar under every deadline: the State Council's schedules shipped with
 * Gazette (chinese-days), with the platform administrator's changes on top (next year's schedule
 * once it is published, a correction). One calendar for the platform: holidays are national.
 */
let cached: { key: string; calendar: WorkingCalendar } | undefined;

function kindOf(value: string): CalendarDayKind {
  return value === 'workday' ? 'workday' : 'holiday';
}

/**
 * The calendar as it stands. The changes are a handful of rows read each time (another instance
 * may have just changed them); the merged calendar is rebuilt only when they differ.
 */
export async function workingCalendar(db: Kysely<Database>): Promise<WorkingCalendar> {
  const rows = await letters.calendarDays(db);
  // A year is known once the administrator says its schedule is in, not at its first changed day.
  const years = await letters.completeCalendarYears(db);
  const key = JSON.stringify([rows.map((r) => [r.day, r.kind, r.name]), years]);
  if (cached?.key === key) return cached.calendar;
  const overrides: CalendarDay[] = rows.map((r) => ({ day: r.day, kind: kindOf(r.kind), name: r.name }));
  const calendar = WorkingCalendar.merge(shippedCalendarDays(), { days: overrides, years });
  cached = { key, calendar };
  return calendar;
}

export interface CalendarYear {
  readonly year: number;
  /** Whether the year's schedule is known (shipped, or marked entered in full); otherwise only weekends are off. */
  readonly covered: boolean;
  /** Whether the schedule ships with Gazette (then there is nothing to mark). */
  readonly shipped: boolean;
  readonly days: (CalendarDay & { readonly source: 'shipped' | 'changed' })[];
}

/** One year's days off and 调休 working days, each marked shipped or changed here. */
function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < 2000 || year > 2100)
    throw new GazetteError('CALENDAR_DAY_INVALID', {
      day: String(year),
      reason: { zh: '年份超出范围', en: 'year out of range' },
    });
}

export async function calendarYear(ctx: ServiceContext, year: number): Promise<CalendarYear> {
  checkYear(year);
  const calendar = await workingCalendar(ctx.store.db);
  const changed = new Set((await letters.calendarDays(ctx.store.db)).map((r) => r.day));
  const shipped = shippedCalendarDays().days.filter((d) => d.day.startsWith(`${year}-`));
  const days = new Map<string, CalendarDay>();
  for (const day of shipped) days.set(day.day, day);
  for (const day of changed) {
    const entry = calendar.entry(day);
    if (entry && day.startsWith(`${year}-`)) days.set(day, entry);
  }
  return {
    year,
    covered: calendar.isCovered(year),
    shipped: shippedCalendarDays().years.includes(year),
    days: [...days.values()]
      .sort((a, b) => a.day.localeCompare(b.day))
      .map((d) => ({ ...d, source: changed.has(d.day) ? 'changed' : 'shipped' })),
  };
}

/**
 * Enters days (a new year's schedule, a correction), replacing what the calendar said of them.
 * All or nothing: one bad day refuses the lot, naming it.
 */
export async function putCalendarDays(
  ctx: ServiceContext,
  actor: Actor,
  days: readonly CalendarDayInput[],
): Promise<{ changed: number }> {
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'platform.manage', scope.tree);
  const problem = calendarDayProblems(days)[0];
  if (problem)
    throw new GazetteError('CALENDAR_DAY_INVALID', { day: problem.day, reason: { zh: problem.zh, en: problem.en } });
  const now = ctx.clock.now();
  await ctx.store.db.transaction().execute(async (trx) => {
    for (const day of days)
      await letters.putCalendarDay(trx, {
        day: day.day,
        kind: day.kind,
        name: day.name.trim(),
        updatedBy: actor.userName,
        updatedAt: now.toISOString(),
      });
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: 'calendar.change',
      targetType: 'calendar',
      targetId: null,
      details: { days: days.map((d) => `${d.day} ${d.kind} ${d.name}`) },
    });
  });
  return { changed: days.length };
}

/**
 * Says a year's official schedule is entered in full (or takes that back): from then on its
 * deadlines trust the calendar, and the back office stops warning that only weekends count.
 */
export async function markCalendarYear(
  ctx: ServiceContext,
  actor: Actor,
  year: number,
  complete: boolean,
): Promise<CalendarYear> {
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'platform.manage', scope.tree);
  checkYear(year);
  if (shippedCalendarDays().years.includes(year))
    throw new GazetteError('CALENDAR_DAY_INVALID', {
      day: String(year),
      reason: { zh: '该年安排随系统提供，无需标记', en: 'the year’s schedule ships with Gazette' },
    });
  const now = ctx.clock.now();
  await ctx.store.db.transaction().execute(async (trx) => {
    await letters.markCalendarYear(trx, year, complete, actor.userName, now.toISOString());
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: 'calendar.year',
      targetType: 'calendar',
      targetId: null,
      details: { year, complete },
    });
  });
  return calendarYear(ctx, year);
}

/** Drops a change: the day is again as shipped. */
export async function removeCalendarDay(ctx: ServiceContext, actor: Actor, day: string): Promise<void> {
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  requireAnywhere(actor, 'platform.manage', scope.tree);
  parseCalendarDay(day);
  const now = ctx.clock.now();
  await ctx.store.db.transaction().execute(async (trx) => {
    if (!(await letters.deleteCalendarDay(trx, day)))
      throw new GazetteError('CALENDAR_DAY_INVALID', {
        day,
        reason: { zh: '该日没有改动', en: 'the day has no change to remove' },
      });
    await appendAudit(trx, ctx.store.dialect, now, actor, {
      action: 'calendar.change',
      targetType: 'calendar',
      targetId: null,
      details: { removed: day },
    });
  });
}
