import type { HealthReport } from '../../compliance/index.js';
import { sites } from '../../store/index.js';
import type { Actor } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { requirePlatform } from './sites.js';
import type { SiteHealth } from './views.js';

/**
 * Every site's latest health report in brief (score, pass or fail, the veto items that fail), for
 * the platform administrator's overview; each links to that site's own report. Sites are listed
 * in the order they were made, failing ones first.
 */
export async function platformHealth(ctx: Pick<ServiceContext, 'store'>, actor: Actor): Promise<SiteHealth[]> {
  requirePlatform(actor);
  const db = ctx.store.db;
  const all = await sites.listSites(db);
  // The newest stored report of each site, in one query (a claimed night with no report yet is not one).
  const latest = await db
    .selectFrom('healthRun as run')
    .select(['run.siteId', 'run.report'])
    .where('run.report', '!=', '')
    .where((eb) =>
      eb(
        'run.id',
        '=',
        eb
          .selectFrom('healthRun as newer')
          .select(({ fn }) => fn.max('newer.id').as('id'))
          .whereRef('newer.siteId', '=', 'run.siteId')
          .where('newer.report', '!=', ''),
      ),
    )
    .execute();
  const reports = new Map(latest.map((row) => [row.siteId, JSON.parse(row.report) as HealthReport]));
  const lines = all.map((site): SiteHealth => {
    const report = reports.get(site.id);
    return {
      id: site.id,
      name: site.name,
      domain: site.domain,
      status: site.status,
      latest: report
        ? {
            at: report.at,
            score: report.score,
            passed: report.passed,
            failed: report.vetoes
              .filter((v) => v.state === 'fail')
              .map((v) => ({ id: v.id, title: v.title, count: v.count })),
          }
        : null,
    };
  });
  const rank = (line: SiteHealth) => (line.latest === null ? 1 : line.latest.passed ? 2 : 0);
  return lines.sort((a, b) => rank(a) - rank(b) || a.id - b.id);
}
