// The dashboard's charts, drawn by ECharts (SVG). This module and ECharts are one chunk fetched on
// first use. Each chart is an image with a short text summary, followed by its data as a table.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { t } from './i18n';
import { formatDateTime } from './time';
import type { HealthOverview } from './health-types';
import { DataTable } from './ui';

echarts.use([LineChart, BarChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

type Option = Parameters<echarts.ECharts['setOption']>[0];

/** One chart: ECharts draws into a box hidden from assistive technology; the figure says what it shows. */
function Chart({
  id,
  title,
  summary,
  option,
  children,
}: {
  id: string;
  title: string;
  summary: string;
  option: Option;
  children: ComponentChildren;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current) return;
    const chart = echarts.init(box.current, undefined, { renderer: 'svg' });
    chart.setOption(option);
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [option]);
  return (
    <figure class="health-chart" id={id} aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`}>{title}</figcaption>
      <p class="chart-summary">{summary}</p>
      <div class="chart-box" ref={box} aria-hidden="true" style={{ width: '100%', height: '280px' }} />
      <details>
        <summary>{t('health.chart.table')}</summary>
        {children}
      </details>
    </figure>
  );
}

function UpdatesChart({ weekly }: { weekly: HealthOverview['weekly'] }) {
  const totals = weekly.series.map((s) => ({ name: s.name, total: s.counts.reduce((a, b) => a + b, 0) }));
  const top = [...totals].sort((a, b) => b.total - a.total)[0];
  const all = totals.reduce((sum, s) => sum + s.total, 0);
  const option: Option = {
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { type: 'scroll', top: 0 },
    grid: { left: 40, right: 16, top: 40, bottom: 40 },
    xAxis: { type: 'category', data: weekly.weeks.map((w) => w.slice(5)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: weekly.series.map((s) => ({ type: 'line', name: s.name, data: s.counts, symbolSize: 4 })),
  };
  return (
    <Chart
      id="chart-updates"
      title={t('health.chart.updates')}
      option={option}
      summary={t('health.chart.updatesSummary', { n: all, top: top && top.total > 0 ? top.name : '—' })}
    >
      <DataTable
        caption={t('health.chart.updates')}
        columns={[t('health.chart.column'), t('health.chart.total'), ...weekly.weeks.map((w) => w.slice(5))]}
      >
        {weekly.series.map((s) => (
          <tr key={s.channelId}>
            <th scope="row">{s.name}</th>
            <td>{s.counts.reduce((a, b) => a + b, 0)}</td>
            {s.counts.map((n, i) => (
              <td key={i}>{n}</td>
            ))}
          </tr>
        ))}
      </DataTable>
    </Chart>
  );
}

function FindingsChart({ overview }: { overview: HealthOverview }) {
  const latest = overview.latest;
  const counts = latest?.links.counts ?? { internal: 0, media: 0, external: 0 };
  const rows: [string, number | null][] = [
    [t('health.kind.internal'), counts.internal],
    [t('health.kind.media'), counts.media],
    [t('health.kind.external'), latest?.links.external ? counts.external : null],
    [t('health.wording.serious'), latest?.wording.checked ? latest.wording.serious : null],
    [t('health.wording.suspect'), latest?.wording.checked ? latest.wording.suspect : null],
  ];
  const option: Option = {
    animation: false,
    tooltip: { trigger: 'axis' },
    grid: { left: 40, right: 16, top: 16, bottom: 40 },
    xAxis: { type: 'category', data: rows.map(([name]) => name) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'bar', data: rows.map(([, n]) => n ?? 0), itemStyle: { color: '#b3261e' } }],
  };
  return (
    <Chart
      id="chart-findings"
      title={t('health.chart.findings')}
      option={option}
      summary={t('health.chart.findingsSummary', counts)}
    >
      <DataTable caption={t('health.chart.findings')} columns={[t('health.chart.category'), t('health.count')]}>
        {rows.map(([name, n]) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            <td>{n === null ? t('health.state.not-checked') : n}</td>
          </tr>
        ))}
      </DataTable>
    </Chart>
  );
}

function ScoreChart({ history, timeZone }: { history: HealthOverview['history']; timeZone: string }) {
  const option: Option = {
    animation: false,
    tooltip: { trigger: 'axis' },
    grid: { left: 40, right: 16, top: 16, bottom: 40 },
    xAxis: { type: 'category', data: history.map((h) => formatDateTime(h.at, timeZone).slice(5, 10)) },
    yAxis: { type: 'value', min: 0, max: 100 },
    series: [{ type: 'line', data: history.map((h) => h.score), itemStyle: { color: '#1d4ed8' } }],
  };
  const last = history[history.length - 1];
  return (
    <Chart
      id="chart-score"
      title={t('health.chart.score')}
      option={option}
      summary={t('health.chart.scoreSummary', { n: history.length, last: last?.score ?? '—' })}
    >
      <DataTable
        caption={t('health.chart.score')}
        columns={[t('health.chart.at'), t('health.chart.score1'), t('health.vetoes')]}
      >
        {history.map((h) => (
          <tr key={h.id}>
            <th scope="row">{formatDateTime(h.at, timeZone)}</th>
            <td>{h.score}</td>
            <td>{h.vetoes}</td>
          </tr>
        ))}
      </DataTable>
    </Chart>
  );
}

export function HealthCharts({ overview, timeZone }: { overview: HealthOverview; timeZone: string }) {
  return (
    <div class="health-charts">
      <UpdatesChart weekly={overview.weekly} />
      <FindingsChart overview={overview} />
      <ScoreChart history={overview.history} timeZone={timeZone} />
    </div>
  );
}
