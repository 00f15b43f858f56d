// Which Gazette column an old page's articles go to: the breadcrumb's names, unless the
// administrator's map (`--map columns.tsv`) merges or renames the old column. The 指引 asks sites
// to merge columns they cannot keep up to date, and a migration is the moment to do it.
import { GazetteError } from '../domain/index.js';
import type { CrumbStep } from './types.js';

/** One line of the map: an old column (its URL path, or its names joined by '/') to new names. */
export interface ColumnMapping {
  readonly from: string;
  readonly to: readonly string[];
  readonly line: number;
}

export interface ColumnMap {
  readonly mappings: readonly ColumnMapping[];
  /** Where an article with no breadcrumb goes (the `*` line), or null: such an article fails. */
  readonly fallback: readonly string[] | null;
}

export const EMPTY_COLUMN_MAP: ColumnMap = { mappings: [], fallback: null };

function names(text: string): string[] {
  return text
    .split(/\s*(?:\/|>|＞|»)\s*/)
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

/**
 * Reads a column map: one mapping per line, `OLD<TAB>NEW`, where OLD is an old column's URL path
 * (`/xwzx/bqdt/`) or its breadcrumb names (`新闻中心/本区动态`), `*` for articles without a
 * breadcrumb, and NEW the column's names in Gazette (`新闻中心/要闻`). Blank lines and lines
 * starting with `#` are skipped.
 */
export function parseColumnMap(text: string, file: string): ColumnMap {
  const mappings: ColumnMapping[] = [];
  let fallback: string[] | null = null;
  for (const [index, raw] of text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .entries()) {
    const line = index + 1;
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue;
    const cells = raw.split('\t');
    const from = cells[0]?.trim() ?? '';
    const to = names(cells[1] ?? '');
    if (cells.length !== 2 || from === '' || to.length === 0)
      throw new GazetteError(
        'MIGRATE_MAP_LINE',
        { reason: 'expected "old column<TAB>new column", e.g. "/xwzx/bqdt/\t新闻中心/要闻"' },
        { file, line },
      );
    if (from === '*') fallback = to;
    else mappings.push({ from: from.startsWith('/') ? from : names(from).join('/'), to, line });
  }
  return { mappings, fallback };
}

/** The URL path of an absolute URL, for matching map lines (a trailing index page is the folder). */
function folderPath(url: string): string {
  return new URL(url).pathname.replace(/index(?:_\d+)?\.s?html?$/i, '');
}

/**
 * The column names for a page whose breadcrumb is `crumbs`: the deepest step the map names is
 * replaced, with its deeper steps kept below the new column; null when there is no breadcrumb and
 * no `*` line.
 */
export function columnsFor(crumbs: readonly CrumbStep[], map: ColumnMap): readonly string[] | null {
  if (crumbs.length === 0) return map.fallback;
  for (let depth = crumbs.length; depth > 0; depth--) {
    const step = crumbs[depth - 1];
    if (!step) continue;
    const namePath = crumbs
      .slice(0, depth)
      .map((c) => c.name)
      .join('/');
    const stepPath = step.url ? folderPath(step.url) : null;
    const hit = map.mappings.find((m) => m.from === namePath || (stepPath !== null && m.from === stepPath));
    if (hit) return [...hit.to, ...crumbs.slice(depth).map((c) => c.name)];
  }
  return crumbs.map((c) => c.name);
}
