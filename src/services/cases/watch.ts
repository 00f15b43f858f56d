import type { Kysely } from 'kysely';
import type { MessagesInput } from '../../compliance/index.js';
import {
  CLOCK_RUNS,
  CLOSED_LETTER_STATUSES,
  INVALID_LETTER_STATUSES,
  addCalendarDays,
  deadlineAlertsAt,
  deadlineShare,
  formatDate,
  threeMonthsAfter,
  vetoAlertsAt,
  type LetterAlert,
  type Site,
} from '../../domain/index.js';
import { infoRequests, letters, sites, type Database, type Letter } from '../../store/index.js';
import { workingCalendar } from './calendar.js';
import { deskOf } from './desk.js';

/** Whole days from one local day to another. */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

const line = (l: Letter, tail: string) => `${l.queryCode} ${l.title}（${tail}）`;

/**
 * The letters as the national check sees them (互动回应差): a valid letter received in the past
 * year and unanswered for more than 3 months fails the site, whether it is still open or was
 * answered after those 3 months; one unanswered for 60 days or more is a warning. Letters past
 * the working-day due day of their type are the scored item.
 */
export async function messagesHealth(db: Kysely<Database>, site: Site, now: Date): Promise<MessagesInput> {
  const desk = await deskOf(db, site.id);
  const today = formatDate(now, site.timeZone);
  const yearAgo = new Date(now.getTime() - 366 * 86_400_000);
  const overdue: string[] = [];
  const nearing: string[] = [];
  const late: string[] = [];
  const calendar = await workingCalendar(db);
  for (const letter of await letters.lettersSince(db, [site.id], yearAgo)) {
    if (INVALID_LETTER_STATUSES.includes(letter.status)) continue;
    const received = formatDate(new Date(letter.receivedAt), site.timeZone);
    if (addCalendarDays(received, 365) < today) continue;
    const limit = threeMonthsAfter(received);
    const answered =
      letter.firstAnsweredAt === null ? null : formatDate(new Date(letter.firstAnsweredAt), site.timeZone);
    const open = !CLOSED_LETTER_STATUSES.includes(letter.status) && answered === null;
    if (answered !== null && answered > limit)
      overdue.push(line(letter, `${received} 收到，${answered} 才答复，超过3个月`));
    else if (open && today > limit)
      overdue.push(line(letter, `${received} 收到，已 ${daysBetween(received, today)} 天未答复`));
    else if (open && daysBetween(received, today) >= 60)
      nearing.push(line(letter, `${received} 收到，已 ${daysBetween(received, today)} 天未答复，${limit} 满3个月`));
    if (CLOCK_RUNS.includes(letter.status) && letter.dueDay !== null && letter.dueDay < today)
      late.push(
        line(
          letter,
          `应于 ${letter.dueDay} 前答复，已超期 ${calendar.workingDaysBetween(letter.dueDay, today)} 个工作日`,
        ),
      );
  }
  // Requests for government information past their statutory due day (a stopped clock is not late).
  for (const request of await infoRequests.overdueRequests(db, site.id, today))
    late.push(
      `依申请公开 ${request.queryCode}（应于 ${request.dueDay} 前答复，已超期 ${calendar.workingDaysBetween(request.dueDay ?? today, today)} 个工作日）`,
    );
  return { deskOpen: desk.open && desk.types.length > 0, overdue, nearing, late };
}

/** An alert the watch raised: for the dashboard and, with SMTP configured, the mail. */
export interface RaisedAlert {
  readonly letterId: number;
  readonly siteId: number;
  readonly alert: LetterAlert;
}

/**
 * The alerts due now, raised once each (per reopening): 50%, 80% and 100% of the working-day
 * deadline for letters with a running clock, and 60, 80 and 90 days for any valid letter still
 * unanswered (the 3-month veto). Every instance may run it; the store keeps each alert once.
 */
export async function raiseLetterAlerts(db: Kysely<Database>, now: Date): Promise<RaisedAlert[]> {
  const calendar = await workingCalendar(db);
  const zones = new Map((await sites.listSites(db)).map((s) => [s.id, s.timeZone]));
  const raised: RaisedAlert[] = [];
  for (const letter of await letters.openLetters(db)) {
    const zone = zones.get(letter.siteId) ?? 'Asia/Shanghai';
    const today = formatDate(now, zone);
    const due: LetterAlert[] = [];
    if (CLOCK_RUNS.includes(letter.status) && letter.clockStartDay && letter.dueDay && letter.deadlineDays) {
      const elapsed = calendar.workingDaysBetween(letter.clockStartDay, today);
      due.push(...deadlineAlertsAt(deadlineShare(elapsed, letter.deadlineDays)));
    }
    if (letter.firstAnsweredAt === null)
      due.push(...vetoAlertsAt(daysBetween(formatDate(new Date(letter.receivedAt), zone), today)));
    for (const alert of due)
      if (await letters.raiseAlert(db, { letterId: letter.id, alert, round: letter.reopenCount }, now))
        raised.push({ letterId: letter.id, siteId: letter.siteId, alert });
  }
  return raised;
}
