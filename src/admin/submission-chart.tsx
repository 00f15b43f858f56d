// The ranking chart of 信息报送考核, drawn by ECharts (SVG) in the chunk the health charts use;
// the table beside it carries the same figures for readers who cannot see the chart.
import { useEffect, useRef } from 'preact/hooks';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { getLang } from './i18n';
import type { SubmissionStatsRow } from './sharing-types';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

const WORDS = { adopted: ['采用数', 'Adopted'], returned: ['退回数', 'Returned'], points: ['积分', 'Points'] } as const;

export function RankingChart({ rows, title }: { rows: SubmissionStatsRow[]; title: string }) {
  const box = useRef<HTMLDivElement>(null);
  const en = getLang() === 'en' ? 1 : 0;
  useEffect(() => {
    if (!box.current) return;
    const chart = echarts.init(box.current, undefined, { renderer: 'svg' });
    // Highest first from the top: the category axis runs bottom-up, so the order is reversed.
    const ordered = [...rows].reverse();
    chart.setOption({
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 120, right: 24, top: 32, bottom: 24 },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: ordered.map((r) => r.site.name) },
      series: [
        { type: 'bar', name: WORDS.points[en], data: ordered.map((r) => r.points) },
        { type: 'bar', name: WORDS.adopted[en], data: ordered.map((r) => r.adopted) },
        { type: 'bar', name: WORDS.returned[en], data: ordered.map((r) => r.returned) },
      ],
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [rows, en]);
  const top = rows[0];
  return (
    <figure class="health-chart" id="chart-submissions" aria-labelledby="chart-submissions-title">
      <figcaption id="chart-submissions-title">{title}</figcaption>
      <p class="chart-summary">{top ? `${top.site.name}：${top.points} / ${top.adopted} / ${top.returned}` : ''}</p>
      <div
        class="chart-box"
        ref={box}
        aria-hidden="true"
        style={{ width: '100%', height: `${Math.max(160, rows.length * 40 + 60)}px` }}
      />
    </figure>
  );
}
