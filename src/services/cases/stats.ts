import { Type, type Static } from 'typebox';
import {
  GazetteError,
  LETTER_TYPES,
  LETTER_TYPE_NAMES,
  formatDate,
  letterFigures,
  letterStatsBy,
  localDayStart,
  type LetterTally,
  type StatsGrouping,
} from '../../domain/index.js';
import { letters, type Letter } from '../../store/index.js';
import { requireAnywhere, type Actor } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { currentSite } from '../site.js';
import { Nullable } from '../views.js';
import { workingCalendar } from './calendar.js';

const Figures = {
  received: Type.Integer({ description: '来信量' }),
  accepted: Type.Integer({ description: '受理量' }),
  rejected: Type.Integer({ description: '不予受理数 (重复件 included)' }),
  closed: Type.Integer({ description: '办结量' }),
  closedRate: Nullable(Type.Number({ description: '办结率, 0–1' })),
  onTimeRate: Nullable(Type.Number({ description: '按期办结率, 0–1' })),
  late: Type.Integer({ description: '超期数: answered late, or open past the due day' }),
  averageWorkingDays: Nullable(
    Type.Number({ description: '平均办理时长: working days from 受理 to the first answer' }),
  ),
  published: Type.Integer({ description: '公开答复数' }),
  rated: Type.Integer({ description: '评价数' }),
  satisfiedRate: Nullable(Type.Number({ description: '满意率, 0–1: 非常满意, 满意 and 基本满意 over all ratings' })),
};
const Row = Type.Object({ key: Type.String(), name: Type.String(), ...Figures });

export const LetterStatisticsSchema = Type.Object({
  year: Type.Integer(),
  month: Nullable(Type.Integer({ minimum: 1, maximum: 12 })),
  total: Type.Object(Figures),
  byType: Type.Array(Row),
  byUnit: Type.Array(Row, {
    description: 'By the unit that answered (or handles it now); name "未转办" for letters not routed',
  }),
  byMonth: Type.Array(Row, { description: 'By the month received, every month of the period' }),
});
export type LetterStatistics = Static<typeof LetterStatisticsSchema>;

export const LetterStatsQuerySchema = Type.Object({
  year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100, description: 'Default: this year' })),
  month: Type.Optional(Type.Integer({ minimum: 1, maximum: 12, description: 'One month of the year' })),
});
export type LetterStatsQuery = Static<typeof LetterStatsQuerySchema>;

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The figures of the letters a site received in a year (or one month of it), by type, unit and
 * month, counted in the site's time zone. The same for the back office and the public page: they
 * are the office's published performance, not personal data.
 */
async function statisticsOf(ctx: ServiceContext, query: LetterStatsQuery): Promise<LetterStatistics> {
  const db = ctx.store.db;
  const scope = await currentSite(db, ctx.siteId);
  const zone = scope.site.timeZone;
  const now = ctx.clock.now();
  const today = formatDate(now, zone);
  const year = query.year ?? Number(today.slice(0, 4));
  const month = query.month ?? null;
  const firstDay = month === null ? `${year}-01-01` : `${year}-${pad(month)}-01`;
  const nextDay =
    month === null ? `${year + 1}-01-01` : month === 12 ? `${year + 1}-01-01` : `${year}-${pad(month + 1)}-01`;
  const from = localDayStart(firstDay, zone);
  const to = localDayStart(nextDay, zone);
  if (!from || !to) throw new GazetteError('FIELD_INVALID', { field: 'year', reason: String(year) });
  const units = new Map((await letters.listUnits(db, null)).map((u) => [u.id, u.name]));
  const day = (iso: string | null) => (iso === null ? null : formatDate(new Date(iso), zone));
  const tally = (l: Letter): LetterTally => ({
    type: l.type,
    status: l.status,
    unit: units.get(l.replyUnitId ?? l.unitId ?? 0) ?? null,
    receivedDay: day(l.receivedAt) ?? '',
    acceptedDay: day(l.acceptedAt),
    firstAnsweredDay: day(l.firstAnsweredAt),
    dueDay: l.dueDay,
    published: l.publishedAt !== null,
    rating: l.rating,
  });
  const tallies = (await letters.lettersBetween(db, scope.site.id, from, to)).map(tally);
  const calendar = await workingCalendar(db);
  const months = Array.from({ length: month === null ? 12 : 1 }, (_, i) => `${year}-${pad(month ?? i + 1)}`);
  const by = (grouping: StatsGrouping, order: readonly string[], name: (key: string) => string) =>
    letterStatsBy(tallies, grouping, today, calendar, order).map((row) => ({ ...row, name: name(row.key) }));
  return {
    year,
    month,
    total: letterFigures(tallies, today, calendar),
    byType: by('type', LETTER_TYPES, (key) => LETTER_TYPE_NAMES[key as keyof typeof LETTER_TYPE_NAMES]?.zh ?? key),
    byUnit: by('unit', [], (key) => (key === '' ? '未转办' : key)),
    byMonth: by('month', months, (key) => `${Number(key.slice(5))}月`),
  };
}

/** The back office's 信件统计 (case.read). */
export async function letterStatistics(
  ctx: ServiceContext,
  actor: Actor,
  query: LetterStatsQuery,
): Promise<LetterStatistics> {
  requireAnywhere(actor, 'case.read', (await currentSite(ctx.store.db, ctx.siteId)).tree);
  return statisticsOf(ctx, query);
}

/** The public page's figures: the same, for anyone (办理情况 is published under 政务公开). */
export async function publicLetterStatistics(ctx: ServiceContext, query: LetterStatsQuery): Promise<LetterStatistics> {
  return statisticsOf(ctx, query);
}
