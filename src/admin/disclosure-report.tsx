// 信息公开年度统计: the figures of the 政府信息公开工作年度报告 for a year — disclosed articles
// published that year by 主题分类, 公开方式 and 发布机构, with how many were withdrawn since.
import { useState } from 'preact/hooks';
import { api } from './api';
import { useLoad } from './hooks';
import { translator } from './disclosure-text';
import { DataTable, Loading, ScreenTitle } from './ui';

interface Count {
  total: number;
  withdrawn: number;
}
interface DisclosureReport extends Count {
  year: number;
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
} as const;

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
  const [year, setYear] = useState('');
  const [asked, setAsked] = useState<string>('');
  // No year yet: the server answers for this year on the site's clock.
  const report = useLoad(
    () => api.get<DisclosureReport>('/api/v1/disclosure/report', asked ? { year: asked } : {}),
    [asked],
  );
  const data = report.data;
  const submit = (event: Event) => {
    event.preventDefault();
    setAsked(year);
  };
  return (
    <>
      <ScreenTitle title={tr('title')} />
      <form class="filters" onSubmit={submit}>
        <div class="field">
          <label for="disclosure-year">{tr('year')}</label>
          <input
            id="disclosure-year"
            type="number"
            min={2000}
            max={2100}
            required
            value={year || (data ? String(data.year) : '')}
            onInput={(e) => setYear(e.currentTarget.value)}
          />
        </div>
        <button type="submit" id="disclosure-report-show">
          {tr('show')}
        </button>
      </form>
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
          <p>
            <a href="/xxgk.html">{tr('catalogue')}</a>
          </p>
        </>
      ) : null}
    </>
  );
}
