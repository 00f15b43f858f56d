/**
 * A bar chart drawn on the server as inline SVG, for the public results of a survey: no script,
 * the same bytes for the same figures. It is an image with a title and a description that read
 * out every figure; the table beside it is its full accessible equivalent.
 */

const escapeXml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

export interface Bar {
  readonly label: string;
  readonly count: number;
  readonly percent: string;
}

const WIDTH = 640;
const LABEL_WIDTH = 220;
const ROW = 30;
const BAR_AREA = WIDTH - LABEL_WIDTH - 110;

/** Horizontal bars, one per option, the longest for the largest count. */
export function barChartSvg(id: string, title: string, bars: readonly Bar[]): string {
  const max = Math.max(1, ...bars.map((b) => b.count));
  const height = bars.length * ROW + 10;
  const description = bars.map((b) => `${b.label}：${b.count} 人（${b.percent}）`).join('；');
  const rows = bars.map((b, i) => {
    const y = 5 + i * ROW;
    const width = Math.round((b.count / max) * BAR_AREA);
    const label = [...b.label].length > 14 ? `${[...b.label].slice(0, 13).join('')}…` : b.label;
    return (
      `<text x="${LABEL_WIDTH - 8}" y="${y + 19}" text-anchor="end" font-size="14" fill="#222">${escapeXml(label)}</text>` +
      `<rect x="${LABEL_WIDTH}" y="${y + 4}" width="${width}" height="${ROW - 10}" fill="#1f5fa8"></rect>` +
      `<text x="${LABEL_WIDTH + width + 6}" y="${y + 19}" font-size="14" fill="#222">${b.count}（${escapeXml(b.percent)}）</text>`
    );
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="survey-chart" role="img" width="${WIDTH}" height="${height}" ` +
    `viewBox="0 0 ${WIDTH} ${height}" aria-labelledby="${id}-title ${id}-desc">` +
    `<title id="${id}-title">${escapeXml(title)}</title><desc id="${id}-desc">${escapeXml(description)}</desc>` +
    `${rows.join('')}</svg>`
  );
}
