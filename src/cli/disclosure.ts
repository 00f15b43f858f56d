import { parseArgs } from 'node:util';
import { GazetteError, REQUEST_TABLE_COLUMNS, type RequestTable, type RequestTableColumn } from '../domain/index.js';
import { disclosureReport, systemActor } from '../services/index.js';
import type { DisclosureReport, ReportCount } from '../compliance/disclosure/index.js';
import { openRuntime } from './runtime.js';

const USAGE = 'gazette disclosure report [--year YYYY] [--json]';

/** Columns of Chinese text line up by display width: a Han character takes two cells. */
function width(text: string): number {
  let cells = 0;
  for (const char of text)
    cells += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(char)
      ? 2
      : 1;
  return cells;
}

function padEnd(text: string, cells: number): string {
  return text + ' '.repeat(Math.max(0, cells - width(text)));
}

function padStart(text: string, cells: number): string {
  return ' '.repeat(Math.max(0, cells - width(text))) + text;
}

function line(label: string, total: string, withdrawn: string, labelWidth: number): string {
  return `${padEnd(label, labelWidth)}${padStart(total, 6)}${padStart(withdrawn, 10)}`;
}

function section(title: string, rows: readonly [string, ReportCount][]): string[] {
  const labelWidth = Math.max(width(title), ...rows.map(([label]) => width(label))) + 2;
  return [
    '',
    line(title, '发布', '其中撤销', labelWidth),
    ...rows.map(([label, count]) => line(label, String(count.total), String(count.withdrawn), labelWidth)),
  ];
}

const COLUMN_NAMES: Readonly<Record<RequestTableColumn, string>> = {
  natural: '自然人',
  business: '商业企业',
  research: '科研机构',
  charity: '社会公益组织',
  legal: '法律服务机构',
  other: '其他',
  total: '总计',
};

/** 收到和处理政府信息公开申请情况, laid out as the report's table three: a row per line, a column per class. */
function requestSection(table: RequestTable): string[] {
  const title = '收到和处理政府信息公开申请情况';
  // The numbered reasons sit under their group, indented as in the printed table.
  const label = (r: RequestTable['rows'][number]) => (/-\d$/.test(r.key) ? `  ${r.label}` : r.label);
  const labelWidth = Math.max(width(title), ...table.rows.map((r) => width(label(r)))) + 2;
  const columnWidth = (c: RequestTableColumn) => width(COLUMN_NAMES[c]) + 2;
  const cells = (values: (c: RequestTableColumn) => string) =>
    REQUEST_TABLE_COLUMNS.map((c) => padStart(values(c), columnWidth(c))).join('');
  return [
    '',
    `${padEnd(title, labelWidth)}${cells((c) => COLUMN_NAMES[c])}`,
    ...table.rows.map((r) =>
      `${padEnd(label(r), labelWidth)}${r.counts ? cells((c) => String(r.counts?.[c])) : ''}`.trimEnd(),
    ),
    table.balanced
      ? '核对：各列 新收 + 上年结转 = 办理结果总计 + 结转下年度，相符'
      : '核对：新收 + 上年结转 ≠ 办理结果总计 + 结转下年度，请检查',
  ];
}

/** The report as a reader of the 年度报告 wants it: every 主题分类, 公开方式 and 发布机构, then the requests. */
export function formatReport(report: DisclosureReport): string {
  return [
    `政府信息公开 ${report.year} 年度统计：共发布 ${report.total} 条，其中已撤销 ${report.withdrawn} 条`,
    ...section(
      '主题分类',
      report.byTopic.map((r) => [r.topic, r] as [string, ReportCount]),
    ),
    ...section(
      '公开方式',
      report.byForm.map((r) => [r.disclosureForm, r] as [string, ReportCount]),
    ),
    ...section(
      '发布机构',
      report.byOrganization.map((r) => [`${r.organization}（${r.organizationCode}）`, r] as [string, ReportCount]),
    ),
    ...requestSection(report.requests),
  ].join('\n');
}

/** `gazette disclosure report [--year YYYY] [--json]`: the annual report's figures (default: this year). */
export async function disclosureCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { year: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  if (positionals[0] !== 'report' || positionals.length > 1) throw new GazetteError('USAGE', { reason: USAGE });
  if (values.year !== undefined && !/^\d{4}$/.test(values.year))
    throw new GazetteError('USAGE', { reason: `--year "${values.year}" is not a year\n${USAGE}` });
  const runtime = await openRuntime();
  try {
    const report = await disclosureReport(
      runtime,
      systemActor('gazette disclosure'),
      values.year === undefined ? undefined : Number(values.year),
    );
    console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
    return 0;
  } finally {
    await runtime.store.close();
  }
}
