import type { TamperInput } from '../../compliance/index.js';
import { formatDateTime, type Site } from '../../domain/index.js';
import { verifyOutput } from '../../publish/index.js';
import { fronts, type Store } from '../../store/index.js';
import type { Clock } from '../../clock.js';
import { servedSiteIds } from './fronts.js';
import { TAMPER_KIND_LABELS } from './views.js';

/** A front not reached for this long fails the site's 防篡改 item. */
export const TAMPER_CONTACT_MS = 5 * 60_000;
/** A front's sweep may be this late past twice its interval. */
const SWEEP_SLACK_MS = 5 * 60_000;
/** The agent's default sweep interval, for a front that has not said its own. */
const DEFAULT_SWEEP_MS = 10 * 60_000;
/** Lines of output faults the report lists at most (the rest are counted in a last line). */
const OUTPUT_LINES = 500;

/**
 * The facts of a site's 防篡改 item: each front serving it reached within 5 minutes, its last full
 * sweep no older than twice its interval and 5 minutes, no tamper event of the site unhandled.
 * With no front the CMS serves the site itself: a full run (`checkOutput`) hashes the site's
 * output store against the manifest, as `gazette verify-output` does.
 */
export async function tamperHealth(
  ctx: { readonly store: Store; readonly clock: Clock; readonly outputDir: string },
  site: Pick<Site, 'id' | 'timeZone'>,
  checkOutput: boolean,
): Promise<TamperInput> {
  const db = ctx.store.db;
  const now = ctx.clock.now().getTime();
  const time = (iso: string) => formatDateTime(new Date(iso), site.timeZone);
  const serving = (await fronts.listFronts(db)).filter((row) => {
    const served = servedSiteIds(row);
    return served === null || served.includes(site.id);
  });
  const unreachable = serving
    .filter((row) => row.lastContactAt === null || now - Date.parse(row.lastContactAt) > TAMPER_CONTACT_MS)
    .map(
      (row) =>
        `${row.name}：${row.lastContactAt === null ? '尚未联系上' : `最近联系于 ${time(row.lastContactAt)}`}` +
        (row.lastError === null ? '' : `（${row.lastError}）`),
    );
  const staleSweeps = serving
    .filter((row) => {
      const every = row.sweepEveryMs ?? DEFAULT_SWEEP_MS;
      return row.lastSweepAt === null || now - Date.parse(row.lastSweepAt) > 2 * every + SWEEP_SLACK_MS;
    })
    .map(
      (row) =>
        `${row.name}：${row.lastSweepAt === null ? '尚未完成全量校验' : `最近一次全量校验于 ${time(row.lastSweepAt)}`}，` +
        `应每 ${Math.round((row.sweepEveryMs ?? DEFAULT_SWEEP_MS) / 60_000)} 分钟一次`,
    );
  const unhandled = (await fronts.unhandledOfSite(db, site.id)).map(
    (event) =>
      `${time(event.at)} ${event.frontName} ${event.path}：` +
      `${TAMPER_KIND_LABELS[event.kind as keyof typeof TAMPER_KIND_LABELS] ?? event.kind}（${event.file}）`,
  );
  let output: TamperInput['output'] = null;
  if (serving.length === 0 && checkOutput) {
    const check = await verifyOutput({ store: ctx.store, publicDir: ctx.outputDir, siteId: site.id });
    const faults = [
      ...check.missing.map((key) => `缺失 ${key}`),
      ...check.different.map((key) => `与清单不符 ${key}`),
      ...check.unknown.map((name) => `未发布的文件 ${name}`),
    ];
    output = {
      checked: check.checked,
      faults:
        faults.length <= OUTPUT_LINES
          ? faults
          : [...faults.slice(0, OUTPUT_LINES), `……另有 ${faults.length - OUTPUT_LINES} 个文件`],
    };
  }
  return { fronts: serving.map((row) => row.name), unreachable, staleSweeps, unhandled, output };
}
