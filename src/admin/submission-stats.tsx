// 信息报送考核: per submitting unit, for a month or a year — 报送数, 采用数, 退回数, 采用率 and
// points — ranked, with a chart (fetched on first use, like the health charts).
import { useState } from 'preact/hooks';
import { api, withQuery } from './api';
import { useApp } from './context';
import { useLoad } from './hooks';
import { getLang, t } from './i18n';
import { lazy } from './lazy';
import type { SubmissionStats } from './sharing-types';
import { AlertText, DataTable, Loading, ScreenTitle } from './ui';

const RankingChart = lazy(() => import('./submission-chart').then((module) => module.RankingChart));

const TEXT = {
  period: ['统计期间', 'Period'],
  month: ['按月', 'Month'],
  year: ['按年', 'Year'],
  rank: ['排名', 'Rank'],
  unit: ['报送单位', 'Unit'],
  submitted: ['报送数', 'Submitted'],
  adopted: ['采用数', 'Adopted'],
  returned: ['退回数', 'Returned'],
  pending: ['待处理', 'Pending'],
  rate: ['采用率', 'Adoption rate'],
  points: ['积分', 'Points'],
  caption: ['信息报送考核排名', 'Submission ranking'],
  nothing: ['该期间没有报送。', 'No submissions in this period.'],
} as const;

function tr(key: keyof typeof TEXT): string {
  return TEXT[key][getLang() === 'en' ? 1 : 0];
}

/** This month in the site's time, as YYYY-MM. */
function thisMonth(timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(
    new Date(),
  );
  return `${parts.find((p) => p.type === 'year')?.value}-${parts.find((p) => p.type === 'month')?.value}`;
}

export function SubmissionStatsScreen() {
  const { site } = useApp();
  const [kind, setKind] = useState<'month' | 'year'>('month');
  const [month, setMonth] = useState(() => thisMonth(site.timeZone));
  const period = kind === 'month' ? month : month.slice(0, 4);
  const loaded = useLoad(() => api.get<SubmissionStats>(withQuery('/api/v1/submissions/stats', { period })), [period]);
  const rows = loaded.data?.rows ?? [];
  return (
    <>
      <ScreenTitle title={t('nav.submissionStats')} />
      <form class="filters" onSubmit={(event) => event.preventDefault()}>
        <div class="field">
          <label for="stats-kind">{tr('period')}</label>
          <select
            id="stats-kind"
            value={kind}
            onChange={(event) => setKind(event.currentTarget.value === 'year' ? 'year' : 'month')}
          >
            <option value="month">{tr('month')}</option>
            <option value="year">{tr('year')}</option>
          </select>
        </div>
        <div class="field">
          <label for="stats-month">{tr('month')}</label>
          <input
            id="stats-month"
            type="month"
            value={month}
            onInput={(event) => event.currentTarget.value && setMonth(event.currentTarget.value)}
          />
        </div>
      </form>
      <Loading loading={loaded.loading} error={loaded.error} />
      {loaded.data && rows.length === 0 ? <p>{tr('nothing')}</p> : null}
      {rows.length > 0 ? <RankingChart rows={rows} title={`${tr('caption')}（${period}）`} /> : null}
      <DataTable
        caption={tr('caption')}
        class="stats-table"
        columns={[
          tr('rank'),
          tr('unit'),
          tr('submitted'),
          tr('adopted'),
          tr('returned'),
          tr('pending'),
          tr('rate'),
          tr('points'),
        ]}
      >
        {rows.map((row) => (
          <tr key={row.site.id}>
            <td>{row.rank}</td>
            <th scope="row">{row.site.name}</th>
            <td>{row.submitted}</td>
            <td>{row.adopted}</td>
            <td>{row.returned}</td>
            <td>{row.pending}</td>
            <td>{(row.rate * 100).toFixed(1)}%</td>
            <td>{row.points}</td>
          </tr>
        ))}
      </DataTable>
      <AlertText error={null} />
    </>
  );
}
