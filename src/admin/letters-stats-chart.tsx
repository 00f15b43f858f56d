// 信件统计's chart, drawn by ECharts (SVG) in its own chunk: letters received and closed per
// month, with the 按期办结率. The table beside it carries the same figures.
import { useEffect, useRef } from 'preact/hooks';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { getLang } from './i18n';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export interface MonthFigures {
  name: string;
  received: number;
  closed: number;
  onTimeRate: number | null;
}

const WORDS = {
  received: ['来信量', 'Received'],
  closed: ['办结量', 'Closed'],
  onTime: ['按期办结率', 'Closed on time'],
} as const;

export function MonthlyChart({ rows, title, summary }: { rows: MonthFigures[]; title: string; summary: string }) {
  const box = useRef<HTMLDivElement>(null);
  const en = getLang() === 'en' ? 1 : 0;
  useEffect(() => {
    if (!box.current) return;
    const chart = echarts.init(box.current, undefined, { renderer: 'svg' });
    chart.setOption({
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 48, right: 56, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: rows.map((r) => r.name) },
      yAxis: [
        { type: 'value', minInterval: 1 },
        { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      ],
      series: [
        { type: 'bar', name: WORDS.received[en], data: rows.map((r) => r.received) },
        { type: 'bar', name: WORDS.closed[en], data: rows.map((r) => r.closed) },
        {
          type: 'line',
          name: WORDS.onTime[en],
          yAxisIndex: 1,
          data: rows.map((r) => (r.onTimeRate === null ? null : Math.round(r.onTimeRate * 1000) / 10)),
        },
      ],
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [rows, en]);
  return (
    <figure class="health-chart" id="chart-letters" aria-labelledby="chart-letters-title">
      <figcaption id="chart-letters-title">{title}</figcaption>
      <p class="chart-summary">{summary}</p>
      <div class="chart-box" ref={box} aria-hidden="true" style={{ width: '100%', height: '280px' }} />
    </figure>
  );
}
