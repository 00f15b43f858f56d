// 信件统计: the letter desk's figures for a year — by type, by unit and by month — with a chart of
// the months. The same figures as the public page /xinxiang/tongji.
import { useState } from 'preact/hooks';
import { api } from './api';
import { useLoad } from './hooks';
import { translator } from './disclosure-text';
import { lazy } from './lazy';
import { DataTable, Loading, ScreenTitle } from './ui';
import { YearFilter } from './year-filter';

interface Figures {
  received: number;
  accepted: number;
  rejected: number;
  closed: number;
  closedRate: number | null;
  onTimeRate: number | null;
  late: number;
  averageWorkingDays: number | null;
  published: number;
  rated: number;
  satisfiedRate: number | null;
}
interface Row extends Figures {
  key: string;
  name: string;
}
interface LetterStatistics {
  year: number;
  month: number | null;
  total: Figures;
  byType: Row[];
  byUnit: Row[];
  byMonth: Row[];
}

const MonthlyChart = lazy(() => import('./letters-stats-chart').then((module) => module.MonthlyChart));

const TEXT = {
  title: ['信件统计', 'Letter statistics'],
  year: ['年度', 'Year'],
  show: ['统计', 'Count'],
  summary: [
    '{year} 年共收到来信 {received} 封，受理 {accepted} 封，办结 {closed} 封，超期 {late} 封。',
    '{year}: {received} letters received, {accepted} accepted, {closed} closed, {late} late.',
  ],
  chart: ['{year} 年各月来信与办结', 'Letters received and closed per month, {year}'],
  byType: ['按信件类型', 'By type'],
  byUnit: ['按承办单位', 'By unit'],
  byMonth: ['按月份', 'By month'],
  type: ['信件类型', 'Type'],
  unit: ['承办单位', 'Unit'],
  month: ['月份', 'Month'],
  received: ['来信量', 'Received'],
  accepted: ['受理量', 'Accepted'],
  rejected: ['不予受理', 'Declined'],
  closed: ['办结量', 'Closed'],
  closedRate: ['办结率', 'Closed'],
  onTimeRate: ['按期办结率', 'On time'],
  late: ['超期数', 'Late'],
  average: ['平均办理时长（工作日）', 'Average working days'],
  published: ['公开答复数', 'Published'],
  satisfied: ['满意率', 'Satisfied'],
  public: ['查看门户网站的办理统计', 'Open the public statistics page'],
} as const;

const tr = translator(TEXT);
const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);

function FiguresTable({ caption, label, rows }: { caption: string; label: string; rows: Row[] }) {
  const columns = [
    label,
    tr('received'),
    tr('accepted'),
    tr('rejected'),
    tr('closed'),
    tr('closedRate'),
    tr('onTimeRate'),
    tr('late'),
    tr('average'),
    tr('published'),
    tr('satisfied'),
  ];
  return (
    <section class="panel">
      <h2>{caption}</h2>
      <DataTable caption={caption} columns={columns}>
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">{r.name}</th>
            <td class="number">{r.received}</td>
            <td class="number">{r.accepted}</td>
            <td class="number">{r.rejected}</td>
            <td class="number">{r.closed}</td>
            <td class="number">{percent(r.closedRate)}</td>
            <td class="number">{percent(r.onTimeRate)}</td>
            <td class="number">{r.late}</td>
            <td class="number">{r.averageWorkingDays ?? '—'}</td>
            <td class="number">{r.published}</td>
            <td class="number">{percent(r.satisfiedRate)}</td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}

export function LetterStatsScreen() {
  const [asked, setAsked] = useState('');
  const stats = useLoad(() => api.get<LetterStatistics>('/api/v1/letter-stats', asked ? { year: asked } : {}), [asked]);
  const data = stats.data;
  const summary = data
    ? tr('summary', {
        year: data.year,
        received: data.total.received,
        accepted: data.total.accepted,
        closed: data.total.closed,
        late: data.total.late,
      })
    : '';
  return (
    <>
      <ScreenTitle title={tr('title')} />
      <YearFilter
        id="letter-stats-year"
        label={tr('year')}
        button={tr('show')}
        shown={data?.year ?? null}
        onAsk={setAsked}
      />
      <Loading loading={stats.loading} error={stats.error} />
      {data ? (
        <>
          <p id="letter-stats-summary">{summary}</p>
          <MonthlyChart rows={data.byMonth} title={tr('chart', { year: data.year })} summary={summary} />
          <FiguresTable caption={tr('byType')} label={tr('type')} rows={data.byType} />
          <FiguresTable caption={tr('byUnit')} label={tr('unit')} rows={data.byUnit} />
          <FiguresTable caption={tr('byMonth')} label={tr('month')} rows={data.byMonth} />
          <p>
            <a href={`/xinxiang/tongji?year=${data.year}`}>{tr('public')}</a>
          </p>
        </>
      ) : null}
    </>
  );
}
