import path from 'node:path';
import { formatDateTime } from '../domain/index.js';
import { currentSite, linkFindingViews, runHealthCheck, systemActor, type HealthContext } from '../services/index.js';
import {
  EXTERNAL_DEFAULTS,
  listFindings,
  OutboundGuard,
  sweepLinks,
  type ExternalOptions,
  type HealthReport,
  type LinkFindingView,
  type ScoredItem,
  type VetoItem,
} from '../compliance/index.js';
import { loadTheme } from '../theme/index.js';
import { parseCommandArgs, usageError } from './args.js';
import { openRuntime, type Runtime } from './runtime.js';

const USAGE =
  'gazette check [--json] [--external [--allow-private CIDR|HOST,...]]        the health report (exit 1 when a veto item fails)\n' +
  '       gazette check links [--json] [--external [--allow-private CIDR|HOST,...]]  broken links per page (exit 1 when any)\n' +
  '       --allow-private: intranet ranges or hosts the external check may reach (others that are not public are refused)';

const usage = (reason: string) => usageError(reason, USAGE);

function parse(args: readonly string[]) {
  return parseCommandArgs(
    {
      args: [...args],
      options: {
        json: { type: 'boolean', default: false },
        external: { type: 'boolean', default: false },
        'allow-private': { type: 'string', multiple: true, default: [] },
      },
    },
    USAGE,
  ).values;
}

function options(args: readonly string[]): { json: boolean; external: false | ExternalOptions } {
  const values = parse(args);
  const allowPrivate = values['allow-private'].flatMap((list) => list.split(',')).filter((entry) => entry.trim());
  if (allowPrivate.length > 0 && !values.external) throw usage('--allow-private goes with --external');
  // Read now, so a mistyped range stops the command before any page is checked.
  new OutboundGuard(allowPrivate);
  return { json: values.json, external: values.external && { ...EXTERNAL_DEFAULTS, allowPrivate } };
}

function healthContext(runtime: Runtime): HealthContext {
  return { ...runtime, theme: loadTheme(), outputDir: path.join(runtime.config.dataDir, 'public') };
}

const VETO_MARK: Readonly<Record<VetoItem['state'], string>> = {
  pass: '通过',
  warn: '预警',
  fail: '否决',
  'not-checked': '未检查',
  'not-applicable': '不适用',
};
const SCORED_MARK: Readonly<Record<ScoredItem['state'], string>> = {
  ok: '正常',
  warning: '提醒',
  problem: '问题',
  'not-checked': '未检查',
};

function printReport(report: HealthReport, timeZone: string): void {
  const failed = report.vetoes.filter((v) => v.state === 'fail').length;
  console.log(`${report.siteName} 健康检查 ${formatDateTime(new Date(report.at), timeZone)}`);
  console.log(`结果：${report.passed ? '合格' : `不合格（${failed} 项单项否决）`}  得分：${report.score}/100`);
  console.log('\n单项否决');
  for (const v of report.vetoes) {
    const count = v.count === null ? '' : ` ${v.count}${v.threshold === null ? '' : `/${v.threshold}`}`;
    console.log(`  [${VETO_MARK[v.state]}] ${v.title}${count} — ${v.detail}${v.todo ? `；${v.todo}` : ''}`);
    for (const item of v.items) console.log(`      ${item}`);
  }
  console.log('\n评分项');
  for (const s of report.scored) {
    console.log(
      `  [${SCORED_MARK[s.state]}] ${s.title}${s.count === null ? '' : ` ${s.count}`}  -${s.penalty}${s.todo ? `；${s.todo}` : ''}`,
    );
    for (const item of s.items) console.log(`      ${item}`);
  }
}

/** `gazette check`: the whole report, stored as a health run. */
async function report(runtime: Runtime, args: readonly string[]): Promise<number> {
  const { json, external } = options(args);
  const result = await runHealthCheck(healthContext(runtime), systemActor('gazette check'), { sweep: true, external });
  if (json) console.log(JSON.stringify(result, null, 2));
  else printReport(result, (await currentSite(runtime.store.db, runtime.siteId)).site.timeZone);
  return result.passed ? 0 : 1;
}

function printFindings(findings: readonly LinkFindingView[], pages: number): void {
  let page = '';
  for (const f of findings) {
    if (f.pagePath !== page) {
      page = f.pagePath;
      console.log(f.articleId === null ? page : `${page}  《${f.articleTitle ?? ''}》 修改: ${f.editUrl ?? ''}`);
    }
    console.log(`    ${f.kind} ${f.status ?? '—'} ${f.url} — ${f.reason}`);
  }
  const onPages = new Set(findings.map((f) => f.pagePath)).size;
  console.log(`${findings.length} broken link${findings.length === 1 ? '' : 's'} on ${onPages} of ${pages} pages`);
}

/** `gazette check links`: every published page's links, broken ones listed per page with the article to fix. */
async function links(runtime: Runtime, args: readonly string[]): Promise<number> {
  const { json, external } = options(args);
  const ctx = healthContext(runtime);
  const { site } = await currentSite(runtime.store.db, runtime.siteId);
  const sweep = await sweepLinks(ctx, { external });
  const findings = await linkFindingViews(runtime.store.db, await listFindings(runtime.store.db, site.id));
  if (json) console.log(JSON.stringify({ pages: sweep.pages, external: sweep.external, findings }, null, 2));
  else printFindings(findings, sweep.pages);
  return findings.length > 0 ? 1 : 0;
}

export async function checkCommand(args: readonly string[]): Promise<number> {
  const [first, ...rest] = args;
  const runtime = await openRuntime();
  try {
    if (first === 'links') return await links(runtime, rest);
    if (first !== undefined && !first.startsWith('--')) throw usage(`unknown check "${first}"`);
    return await report(runtime, args);
  } finally {
    await runtime.store.close();
  }
}
