// 网上调查's chart of one question, drawn by ECharts (SVG) in its own chunk: the answers per
// option. The table beside it carries the same figures.
import { useEffect, useRef } from 'preact/hooks';
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, GridComponent, TooltipComponent, SVGRenderer]);

export function OptionsChart({
  id,
  title,
  rows,
}: {
  id: string;
  title: string;
  rows: { label: string; count: number }[];
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current) return;
    const chart = echarts.init(box.current, undefined, { renderer: 'svg' });
    chart.setOption({
      animation: false,
      tooltip: { trigger: 'axis' },
      grid: { left: 140, right: 40, top: 10, bottom: 24 },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: rows.map((r) => r.label) },
      series: [{ type: 'bar', data: rows.map((r) => r.count), label: { show: true, position: 'right' } }],
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [rows]);
  return (
    <figure class="health-chart" id={id} aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`}>{title}</figcaption>
      <div
        class="chart-box"
        ref={box}
        aria-hidden="true"
        style={{ width: '100%', height: `${40 + rows.length * 36}px` }}
      />
    </figure>
  );
}
