/**
 * Serve-time includes. Rendered pages carry markers where a value belongs to the moment of
 * reading rather than of rendering (the date bar, the view count), the way government CMSs use
 * SSI. The server fills them per response, so a page rendered on Monday says Wednesday on
 * Wednesday, with or without JavaScript; a CDN's edge include can do the same.
 */
export interface IncludeValues {
  /** `今天是2025年12月01日 星期一` */
  readonly today: string;
  /** 浏览次数, for article pages. */
  readonly views?: number;
}

const MARKER = /<!--gz:(today|views)-->/g;
/** What every marker starts with. */
const MARKER_START = Buffer.from('<!--gz:');

/**
 * Whether stored bytes carry serve-time markers: such a page is filled for each answer and
 * compressed after filling (by the server, or by nginx after SSI), never sent as stored.
 */
export function hasIncludes(bytes: Buffer): boolean {
  return bytes.includes(MARKER_START);
}

export function fillIncludes(html: string, values: IncludeValues): string {
  return html.replace(MARKER, (_marker, name: string) => {
    if (name === 'today') return values.today;
    return values.views === undefined ? '' : String(values.views);
  });
}
