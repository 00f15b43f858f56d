import type { Kysely } from 'kysely';
import {
  DISCLOSURE_TOPICS,
  GazetteError,
  LIBRARY_PATH,
  LIBRARY_SEARCH_PATH,
  POLICY_VALIDITIES,
  channelPagePath,
  formatChineseDay,
  libraryChannelIds,
  localDayStart,
  type FieldValues,
} from '../domain/index.js';
import { articles, contentTypes, type ArticleListing, type Database, type Dialect } from '../store/index.js';
import { dateRange, frame, listItem, listPager, shownPositions, type SiteView } from './pages.js';
import { linkPlaced, type LinkedListing } from './placed-links.js';

/**
 * The 政策文件库: every published 政策文件 of the site, newest first, with its 文号, 发布机构,
 * 成文日期 and 有效性. Its pages are published like a column's list (a chunk never moves); the
 * filtered list (发布机构, 主题分类, year, 有效性, a 文号 or title search) is rendered on
 * request at `/zcwjk/search?…`, a plain GET form that works without JavaScript.
 */

const LIBRARY_TITLE = '政策文件库';
export const LIBRARY_PAGE_SIZE = 20;

function entryOf(view: SiteView, listing: LinkedListing, values: FieldValues | undefined) {
  const text = (name: string) => {
    const value = values?.[name];
    return typeof value === 'string' ? value : '';
  };
  return {
    ...listItem(view, listing),
    documentNo: text('documentNo'),
    organization: text('organization'),
    writtenOn: typeof values?.writtenOn === 'string' ? formatChineseDay(values.writtenOn) : '',
    validity: text('validity') || '有效',
  };
}

export interface LibraryParams {
  readonly organization: string | null;
  readonly topic: string | null;
  readonly year: number | null;
  readonly validity: string | null;
  readonly q: string | null;
  readonly page: number;
}

export const NO_LIBRARY_FILTER: LibraryParams = {
  organization: null,
  topic: null,
  year: null,
  validity: null,
  q: null,
  page: 1,
};

function filterForm(params: LibraryParams, organizations: readonly string[] | null) {
  return {
    action: LIBRARY_SEARCH_PATH,
    params,
    // The published pages take a typed 发布机构 (a list of them would change every page of the
    // library whenever a new one appears); the search page offers the list.
    organizations: organizations?.map((o) => ({ value: o, selected: o === params.organization })) ?? null,
    topics: DISCLOSURE_TOPICS.map((t) => ({ value: t, selected: t === params.topic })),
    validities: POLICY_VALIDITIES.map((v) => ({ value: v, selected: v === params.validity })),
  };
}

/** A published page of the library (chunk null: the front page); null past the last chunk, 'absent' without policy columns. */
export async function libraryPage(db: Kysely<Database>, view: SiteView, chunk: number | null) {
  const ids = libraryChannelIds(view.tree);
  if (ids.length === 0) return 'absent' as const;
  const total = await articles.countPublished(db, ids);
  const shown = shownPositions(total, chunk);
  if (shown === null) return null;
  const listings: ArticleListing[] =
    shown.last < shown.first ? [] : await articles.listPublishedByPosition(db, ids, shown, total);
  const linked = await linkPlaced(db, view, listings);
  const values = await contentTypes.valuesByIds(
    db,
    linked.map((l) => l.id),
  );
  const url = (n: number | null) => channelPagePath(LIBRARY_PATH, n);
  const range = dateRange(view, listings);
  const title = chunk === null ? LIBRARY_TITLE : `${LIBRARY_TITLE}（${range}）`;
  return {
    frame: frame(view, `${title} - ${view.site.name}`, url(chunk), null, {}),
    heading: LIBRARY_TITLE,
    total,
    entries: linked.map((l) => entryOf(view, l, values.get(l.id))),
    pager: listPager(total, chunk, url, range),
    form: filterForm(NO_LIBRARY_FILTER, null),
    search: null,
  };
}

function bad(name: string, zh: string, en: string): GazetteError {
  return new GazetteError('SEARCH_BAD_FILTER', { name, reason: { zh, en } });
}

/** The search page's query string, checked: a wrong value is a 400 that names the filter. */
export function readLibraryParams(query: Record<string, unknown>): LibraryParams {
  const text = (name: string, max: number) => {
    const value = query[name];
    if (value === undefined || value === '') return null;
    if (typeof value !== 'string') throw bad(name, '只能有一个值', 'give it once');
    const trimmed = value.trim();
    if (Array.from(trimmed).length > max) throw bad(name, `最多 ${max} 个字`, `at most ${max} characters`);
    return trimmed === '' ? null : trimmed;
  };
  const topic = text('topic', 40);
  if (topic && !DISCLOSURE_TOPICS.some((t) => t === topic))
    throw bad('topic', '不是主题分类之一', 'not one of the 主题分类');
  const validity = text('validity', 10);
  if (validity && !POLICY_VALIDITIES.some((v) => v === validity))
    throw bad('validity', `须为${POLICY_VALIDITIES.join('、')}之一`, `one of ${POLICY_VALIDITIES.join(', ')}`);
  const yearText = text('year', 4);
  if (yearText && !/^(19|20|21)\d{2}$/.test(yearText)) throw bad('year', '须为四位年份', 'a four-digit year');
  const pageText = text('page', 6);
  if (pageText && !/^[1-9]\d*$/.test(pageText)) throw bad('page', '须为正整数', 'a positive whole number');
  return {
    organization: text('organization', 100),
    topic,
    year: yearText ? Number(yearText) : null,
    validity,
    q: text('q', 60),
    page: pageText ? Number(pageText) : 1,
  };
}

/** The filtered library, rendered on request. */
export async function librarySearchPage(
  db: Kysely<Database>,
  dialect: Dialect,
  view: SiteView,
  params: LibraryParams,
  error: string | null,
) {
  const ids = libraryChannelIds(view.tree);
  const tz = view.site.timeZone;
  const from = params.year === null ? null : (localDayStart(`${params.year}-01-01`, tz)?.toISOString() ?? null);
  const to = params.year === null ? null : (localDayStart(`${params.year + 1}-01-01`, tz)?.toISOString() ?? null);
  const { total, rows } = error
    ? { total: 0, rows: [] }
    : await contentTypes.searchLibrary(
        db,
        dialect,
        ids,
        { ...params, from, to },
        { limit: LIBRARY_PAGE_SIZE, offset: (params.page - 1) * LIBRARY_PAGE_SIZE },
      );
  const linked = await linkPlaced(
    db,
    view,
    rows.map(({ fields: _f, ...row }) => ({ ...row, publishedAt: row.publishedAt ?? row.createdAt })),
  );
  const values = new Map(rows.map((r) => [r.id, JSON.parse(r.fields) as FieldValues]));
  const pages = Math.max(1, Math.ceil(total / LIBRARY_PAGE_SIZE));
  const link = (page: number) => {
    const query = new URLSearchParams();
    for (const key of ['organization', 'topic', 'validity', 'q'] as const) {
      const value = params[key];
      if (value) query.set(key, value);
    }
    if (params.year !== null) query.set('year', String(params.year));
    if (page > 1) query.set('page', String(page));
    const text = query.toString();
    return text ? `${LIBRARY_SEARCH_PATH}?${text}` : LIBRARY_SEARCH_PATH;
  };
  return {
    frame: frame(view, `${LIBRARY_TITLE}检索 - ${view.site.name}`, LIBRARY_SEARCH_PATH, null, {}),
    heading: `${LIBRARY_TITLE}检索`,
    total,
    entries: linked.map((l) => entryOf(view, l, values.get(l.id))),
    pager: null,
    form: filterForm(params, await contentTypes.libraryOrganizations(db, dialect, ids)),
    search: {
      error,
      all: LIBRARY_PATH,
      previous: params.page > 1 ? link(params.page - 1) : null,
      next: params.page < pages ? link(params.page + 1) : null,
      page: params.page,
      pages,
    },
  };
}
