import type { Kysely } from 'kysely';
import {
  buildHealthReport,
  channelStats,
  evaluateColumns,
  evaluateHome,
  listFindings,
  newestOf,
  sweepLinks,
  type ExternalOptions,
  type HealthOverview,
  type HealthReport,
  type HealthRunSummary,
  type LinkCheckContext,
  type LinkFindingView,
  type StoredFinding,
  type WeeklyUpdates,
  type WordingFindingInput,
} from '../../compliance/index.js';
import { fromLocal, toLocal, type ChannelTree } from '../../domain/index.js';
import type { Database } from '../../store/index.js';
import { requireAnywhere, type Actor } from '../actor.js';
import { currentSite } from '../site.js';
import { publishedWordingFindings } from '../content/wording.js';
import { messagesHealth } from '../cases/index.js';
import { interpretationsHealth, servicesHealth } from './content.js';
import { tamperHealth } from '../fronts/health.js';

/** What a health run needs beyond the services' context: the theme and output store (for the link check). */
export type HealthContext = LinkCheckContext;

export interface HealthRunOptions {
  /** Sweep every published page's links first (the CLI and the nightly run); else use the stored findings. */
  readonly sweep?: boolean;
  /** Check links to other sites too (only with sweep). */
  readonly external?: boolean | ExternalOptions;
  /**
   * Findings of the wording check in published content. Absent, a sweep (the CLI, the nightly
   * run) checks every published article; a quick run (the back office's "run now") says "not
   * checked" rather than read the whole site while someone waits.
   */
  readonly wordingFindings?: readonly WordingFindingInput[];
  /** The nightly run's day: a run for a day that already has one is not stored twice. */
  readonly slot?: string;
}

/** Stored findings with the article to fix: its title and back-office address. */
export async function linkFindingViews(
  db: Kysely<Database>,
  findings: readonly StoredFinding[],
): Promise<LinkFindingView[]> {
  const ids = [...new Set(findings.flatMap((f) => (f.articleId === null ? [] : [f.articleId])))];
  const titles = new Map(
    ids.length === 0
      ? []
      : (await db.selectFrom('article').select(['id', 'title']).where('id', 'in', ids).execute()).map((r) => [
          r.id,
          r.title,
        ]),
  );
  return findings.map((f) => ({
    pagePath: f.pagePath,
    articleId: f.articleId,
    articleTitle: f.articleId === null ? null : (titles.get(f.articleId) ?? null),
    editUrl: f.articleId === null ? null : `/admin/articles/${f.articleId}`,
    url: f.url,
    kind: f.kind,
    status: f.status,
    reason: f.reason,
  }));
}

/** Computes the report on the injected clock (without storing it). */
export async function computeHealthReport(ctx: HealthContext, options: HealthRunOptions = {}): Promise<HealthReport> {
  const db = ctx.store.db;
  const sweep = options.sweep ? await sweepLinks(ctx, { external: options.external ?? false }) : null;
  const { site, tree } = await currentSite(db, ctx.siteId);
  const now = ctx.clock.now();
  const stats = await channelStats(db, site.id);
  const findings = await linkFindingViews(db, await listFindings(db, site.id));
  return buildHealthReport({
    at: now,
    siteName: site.name,
    home: evaluateHome(newestOf(stats), now),
    columns: evaluateColumns(tree, stats, now),
    links: {
      pages: sweep?.pages ?? null,
      external: Boolean(sweep?.external),
      findings,
    },
    wordingFindings: options.wordingFindings ?? (options.sweep ? await publishedWordingFindings(ctx) : undefined),
    messages: await messagesHealth(db, site, now),
    services: await servicesHealth(db, site.id, findings),
    interpretations: await interpretationsHealth(db, site, now),
    tamper: await tamperHealth(ctx, site, options.sweep === true),
  });
}

/**
 * Runs the health check and stores it as a health_run. Asked for by a person (the back office's
 * "run now") it needs `site.manage`; the CLI and the scheduler act as the system.
 */
export async function runHealthCheck(
  ctx: HealthContext,
  actor: Actor,
  options: HealthRunOptions = {},
): Promise<HealthReport> {
  requireAnywhere(actor, 'site.manage', (await currentSite(ctx.store.db, ctx.siteId)).tree);
  const report = await computeHealthReport(ctx, options);
  await storeRun(ctx.store.db, ctx.siteId, report, options.slot ?? null);
  return report;
}

async function storeRun(
  db: Kysely<Database>,
  siteId: number | undefined,
  report: HealthReport,
  slot: string | null,
): Promise<void> {
  const { site } = await currentSite(db, siteId);
  const vetoes = report.vetoes.filter((v) => v.state === 'fail').length;
  await db
    .insertInto('healthRun')
    .values({ siteId: site.id, at: report.at, score: report.score, vetoes, report: JSON.stringify(report), slot })
    .execute();
}

/** The hour (site time) from which the nightly run is due. */
export const NIGHTLY_HOUR = 2;

/** The night a run at `now` belongs to (YYYY-MM-DD, site time), or null before 02:00. */
export function nightlySlot(now: Date, timeZone: string): string | null {
  const local = toLocal(now, timeZone);
  if (local.hour < NIGHTLY_HOUR) return null;
  return `${local.year}-${String(local.month).padStart(2, '0')}-${String(local.day).padStart(2, '0')}`;
}

/**
 * The nightly run, exactly once per night across every instance on the store: an instance claims
 * the night by inserting its health_run row first (the unique site+slot refuses a second claim on
 * either dialect), then fills the report in. Returns the report when this instance ran it. A run
 * that fails after its claim leaves that night without a report (the scheduler logs the error;
 * the row, with an empty report, is not listed) and the next night runs as usual.
 */
export async function runNightlyHealth(
  ctx: HealthContext,
  options: Pick<HealthRunOptions, 'wordingFindings'> = {},
): Promise<HealthReport | null> {
  const db = ctx.store.db;
  const { site } = await currentSite(db, ctx.siteId);
  const now = ctx.clock.now();
  const slot = nightlySlot(now, site.timeZone);
  if (slot === null) return null;
  const claim = await db
    .insertInto('healthRun')
    .values({ siteId: site.id, at: now.toISOString(), score: 0, vetoes: 0, report: '', slot })
    .onConflict((oc) => oc.columns(['siteId', 'slot']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!claim) return null;
  const report = await computeHealthReport(ctx, { sweep: true, ...options });
  const vetoes = report.vetoes.filter((v) => v.state === 'fail').length;
  await db
    .updateTable('healthRun')
    .set({ at: report.at, score: report.score, vetoes, report: JSON.stringify(report) })
    .where('id', '=', claim.id)
    .execute();
  return report;
}

/** Whether this night's run is already claimed (a cheap look before the claim). */
export async function nightlyDone(db: Kysely<Database>, siteId: number, slot: string): Promise<boolean> {
  return (
    (await db
      .selectFrom('healthRun')
      .select('id')
      .where('siteId', '=', siteId)
      .where('slot', '=', slot)
      .executeTakeFirst()) !== undefined
  );
}

const WEEKS = 26;

/**
 * Monday 00:00 (site time) of the week holding `now`, and the `WEEKS - 1` Mondays before it
 * (whole days back from today's midnight: in a zone with summer time a bucket edge may be an hour off).
 */
function weekStarts(now: Date, timeZone: string): Date[] {
  const l = toLocal(now, timeZone);
  const midnight =
    fromLocal({ year: l.year, month: l.month, day: l.day, hour: 0, minute: 0, second: 0 }, timeZone) ?? now;
  const monday = midnight.getTime() - ((l.weekday + 6) % 7) * 86_400_000;
  return Array.from({ length: WEEKS }, (_, i) => new Date(monday - (WEEKS - 1 - i) * 7 * 86_400_000));
}

/** Published articles per list column per week over the last 26 weeks (the dashboard's chart). */
export async function weeklyUpdates(
  db: Kysely<Database>,
  siteId: number,
  tree: ChannelTree,
  now: Date,
  timeZone: string,
): Promise<WeeklyUpdates> {
  const starts = weekStarts(now, timeZone);
  const from = starts[0] ?? now;
  const rows = await db
    .selectFrom('article')
    .select(['channelId', 'publishedAt'])
    .where('siteId', '=', siteId)
    .where('status', '=', 'published')
    .where('publishedAt', '>=', from.toISOString())
    .where('publishedAt', '<=', now.toISOString())
    .execute();
  const lists = tree.all().filter((c) => c.type === 'list');
  const counts = new Map(lists.map((c) => [c.id, starts.map(() => 0)]));
  for (const row of rows) {
    const at = new Date(row.publishedAt ?? 0).getTime();
    const week = Math.min(WEEKS - 1, Math.floor((at - from.getTime()) / (7 * 86_400_000)));
    const series = counts.get(row.channelId);
    if (series && week >= 0) series[week] = (series[week] ?? 0) + 1;
  }
  const label = (d: Date) => {
    const l = toLocal(d, timeZone);
    return `${l.year}-${String(l.month).padStart(2, '0')}-${String(l.day).padStart(2, '0')}`;
  };
  return {
    weeks: starts.map(label),
    series: lists.map((c) => ({ channelId: c.id, name: c.name, counts: counts.get(c.id) ?? [] })),
  };
}

/** The latest report, the history of scores and the weekly updates per column (`health.read`). */
export async function healthOverview(
  ctx: Pick<HealthContext, 'store' | 'clock' | 'siteId'>,
  actor: Actor,
): Promise<HealthOverview> {
  const db = ctx.store.db;
  const { site, tree } = await currentSite(db, ctx.siteId);
  requireAnywhere(actor, 'health.read', tree);
  // A claimed night whose report is not written yet (report '') is not a run to show.
  const runs = await db
    .selectFrom('healthRun')
    .select(['id', 'at', 'score', 'vetoes', 'slot'])
    .where('siteId', '=', site.id)
    .where('report', '!=', '')
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(90)
    .execute();
  const latestRun =
    runs[0] && (await db.selectFrom('healthRun').select('report').where('id', '=', runs[0].id).executeTakeFirst());
  const history: HealthRunSummary[] = runs
    .reverse()
    .map((r) => ({ id: r.id, at: r.at, score: r.score, vetoes: r.vetoes, nightly: r.slot !== null }));
  return {
    latest: latestRun ? (JSON.parse(latestRun.report) as HealthReport) : null,
    history,
    weekly: await weeklyUpdates(db, site.id, tree, ctx.clock.now(), site.timeZone),
  };
}
