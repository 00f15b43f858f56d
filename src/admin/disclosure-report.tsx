// 信息公开年度统计: the figures of the 政府信息公开工作年度报告 for a year — disclosed articles
// published that year by 主题分类, 公开方式 and 发布机构, with how many were withdrawn since, and the
// requests (依申请公开) received and handled, by class of applicant and outcome (table three).
import { useState } from 'preact/hooks';
import { api } from './api';
import { useLoad } from './hooks';
import { translator } from './disclosure-text';
import { DataTable, Loading, ScreenTitle } from './ui';
import { YearFilter } from './year-filter';

interface Count {
  total: number;
  withdrawn: number;
}
type RequestColumn = 'natural' | 'business' | 'research' | 'charity' | 'legal' | 'other' | 'total';
interface RequestTable {
  year: number;
  rows: { key: string; label: string; counts: Record<RequestColumn, number> | null }[];
  balanced: boolean;
}
interface DisclosureReport extends Count {
  year: number;
  requests: RequestTable;
  byTopic: (Count & { topic: string })[];
  byForm: (Count & { disclosureForm: string })[];
  byOrganization: (Count & { organization: string; organizationCode: string })[];
}

const TEXT = {
  title: ['信息公开年度统计', 'Disclosure: annual figures'],
  year: ['年度', 'Year'],
  show: ['统计', 'Count'],
  summary: [
    '{year} 年共发布政府信息 {total} 条，其中已撤销 {withdrawn} 条。',
    '{year}: {total} items of government information published, {withdrawn} of them withdrawn since.',
  ],
  byTopic: ['按主题分类', 'By topic'],
  byForm: ['按公开方式', 'By form of disclosure'],
  byOrganization: ['按发布机构', 'By publishing organisation'],
  topic: ['主题分类', 'Topic'],
  form: ['公开方式', 'Form'],
  organization: ['发布机构', 'Organisation'],
  code: ['统一社会信用代码', 'Credit code'],
  published: ['发布数', 'Published'],
  withdrawn: ['其中撤销', 'Withdrawn'],
  catalogue: ['查看门户网站的信息公开目录', 'Open the public disclosure catalogue'],
  requests: ['收到和处理政府信息公开申请情况', 'Requests for government information received and handled'],
  item: ['项目', 'Item'],
  natural: ['自然人', 'Natural persons'],
  business: ['商业企业', 'Businesses'],
  research: ['科研机构', 'Research institutions'],
  charity: ['社会公益组织', 'Public-interest organisations'],
  legal: ['法律服务机构', 'Legal services'],
  other: ['其他', 'Other'],
  total: ['总计', 'Total'],
  balanced: [
    '核对：各列 新收 + 上年结转 = 办理结果总计 + 结转下年度，相符。',
    'Check: in every column, new + carried over = handled + carried forward.',
  ],
  unbalanced: [
    '核对：新收 + 上年结转 ≠ 办理结果总计 + 结转下年度，请检查。',
    'Check failed: new + carried over ≠ handled + carried forward.',
  ],
} as const;

const REQUEST_COLUMNS: readonly RequestColumn[] = [
  'natural',
  'business',
  'research',
  'charity',
  'legal',
  'other',
  'total',
];

/** Table three of the annual report, as printed: a row per line, a column per class of applicant. */
function RequestTableSection({ table }: { table: RequestTable }) {
  const caption = tr('requests');
  return (
    <section class="panel" id="disclosure-requests">
      <h2>{caption}</h2>
      <DataTable caption={caption} columns={[tr('item'), ...REQUEST_COLUMNS.map((c) => tr(c))]}>
        {table.rows.map((row) => (
          <tr key={row.key}>
            <th scope="row" class={/-\d$/.test(row.key) ? 'indent' : undefined}>
              {row.label}
            </th>
            {row.counts
              ? REQUEST_COLUMNS.map((c) => (
                  <td key={c} class="number">
                    {row.counts?.[c]}
                  </td>
                ))
              : REQUEST_COLUMNS.map((c) => <td key={c} />)}
          </tr>
        ))}
      </DataTable>
      <p role="status">{tr(table.balanced ? 'balanced' : 'unbalanced')}</p>
    </section>
  );
}

const tr = translator(TEXT);

function CountTable({ caption, label, rows }: { caption: string; label: string[]; rows: [string[], Count][] }) {
  return (
    <section class="panel">
      <h2>{caption}</h2>
      <DataTable caption={caption} columns={[...label, tr('published'), tr('withdrawn')]}>
        {rows.map(([cells, count]) => (
          <tr key={cells.join('/')}>
            {cells.map((cell, index) =>
              index === 0 ? (
                <th key={index} scope="row">
                  {cell}
                </th>
              ) : (
                <td key={index}>{cell}</td>
              ),
            )}
            <td class="number">{count.total}</td>
            <td class="number">{count.withdrawn}</td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}

export function DisclosureReportScreen() {
  const [asked, setAsked] = useState<string>('');
  // No year yet: the server answers for this year on the site's clock.
  const report = useLoad(
    () => api.get<DisclosureReport>('/api/v1/disclosure/report', asked ? { year: asked } : {}),
    [asked],
  );
  const data = report.data;
  return (
    <>
      <ScreenTitle title={tr('title')} />
      <YearFilter
        id="disclosure-year"
        label={tr('year')}
        button={tr('show')}
        shown={data?.year ?? null}
        onAsk={setAsked}
      />
      <Loading loading={report.loading} error={report.error} />
      {data ? (
        <>
          <p id="disclosure-summary">
            {tr('summary', { year: data.year, total: data.total, withdrawn: data.withdrawn })}
          </p>
          <CountTable caption={tr('byTopic')} label={[tr('topic')]} rows={data.byTopic.map((r) => [[r.topic], r])} />
          <CountTable
            caption={tr('byForm')}
            label={[tr('form')]}
            rows={data.byForm.map((r) => [[r.disclosureForm], r])}
          />
          <CountTable
            caption={tr('byOrganization')}
            label={[tr('organization'), tr('code')]}
            rows={data.byOrganization.map((r) => [[r.organization, r.organizationCode], r])}
          />
          <RequestTableSection table={data.requests} />
          <p>
            <a href="/xxgk.html">{tr('catalogue')}</a>
          </p>
        </>
      ) : null}
    </>
  );
}
