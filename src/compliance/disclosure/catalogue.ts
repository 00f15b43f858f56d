import type { Kysely } from 'kysely';
import { GazetteError, articlePath, formatDate, localDayStart } from '../../domain/index.js';
import type { Database } from '../../store/index.js';
import { frame, type SiteView } from '../../publish/pages.js';
import { DISCLOSURE_TOPICS, isTopic } from './rules.js';
import { catalogueOrganizations, listCatalogue } from './store.js';

/**
 * The 信息公开目录 (`/xxgk.html`), rendered on request like the search page. A top-level file name
 * is a URL no column can take (column URLs are folders, `/xxgk/`), so a site with a column
 * named 信息公开 keeps both.
 */
export const CATALOGUE_PATH = '/xxgk.html';
export const CATALOGUE_PAGE_SIZE = 20;
const MAX_KEYWORD = 50;

export interface CatalogueParams {
  readonly topic: string | null;
  readonly organization: string | null;
  readonly year: number | null;
  /** Words in the title or the 文号. */
  readonly q: string;
  readonly page: number;
}

export const NO_FILTER: CatalogueParams = { topic: null, organization: null, year: null, q: '', page: 1 };

function one(value: unknown): string | undefined {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first.trim() !== '' ? first.trim() : undefined;
}

function bad(name: string, reason: string): GazetteError {
  return new GazetteError('SEARCH_BAD_FILTER', { name, reason });
}

/** Reads the catalogue form's fields; a filter that cannot be one is the reader's mistake (400). */
export function readCatalogueParams(query: Record<string, unknown>): CatalogueParams {
  const number = (name: string, min: number, max: number): number | null => {
    const raw = one(query[name]);
    if (raw === undefined) return null;
    if (!/^\d{1,4}$/.test(raw) || Number(raw) < min || Number(raw) > max)
      throw bad(name, `“${raw}”不是 ${min}–${max} 之间的数`);
    return Number(raw);
  };
  const topic = one(query.topic) ?? null;
  if (topic !== null && !isTopic(topic)) throw bad('topic', `“${topic}”不是主题分类之一`);
  const q = one(query.q) ?? '';
  if (q.length > MAX_KEYWORD) throw bad('q', `最多 ${MAX_KEYWORD} 个字`);
  return {
    topic,
    organization: one(query.organization) ?? null,
    year: number('year', 1990, 2100),
    q,
    page: number('page', 1, 9999) ?? 1,
  };
}

function linkTo(params: CatalogueParams): string {
  const query = new URLSearchParams();
  if (params.topic) query.set('topic', params.topic);
  if (params.organization) query.set('organization', params.organization);
  if (params.year !== null) query.set('year', String(params.year));
  if (params.q) query.set('q', params.q);
  if (params.page > 1) query.set('page', String(params.page));
  const text = query.toString();
  return text ? `${CATALOGUE_PATH}?${text}` : CATALOGUE_PATH;
}

function yearRange(year: number | null, timeZone: string): { from: string | null; to: string | null } {
  if (year === null) return { from: null, to: null };
  return {
    from: localDayStart(`${year}-01-01`, timeZone)?.toISOString() ?? null,
    to: localDayStart(`${year + 1}-01-01`, timeZone)?.toISOString() ?? null,
  };
}

/** The catalogue page's model: the filter form, the matching entries and the pager. */
export async function cataloguePage(
  db: Kysely<Database>,
  view: SiteView,
  params: CatalogueParams,
  error: string | null,
) {
  const tz = view.site.timeZone;
  const filter = {
    siteId: view.site.id,
    topic: params.topic,
    organization: params.organization,
    keyword: params.q || null,
    ...yearRange(params.year, tz),
  };
  const [{ entries, total }, organizations] = await Promise.all([
    error
      ? Promise.resolve({ entries: [], total: 0 })
      : listCatalogue(db, filter, { limit: CATALOGUE_PAGE_SIZE, offset: (params.page - 1) * CATALOGUE_PAGE_SIZE }),
    catalogueOrganizations(db, view.site.id),
  ]);
  const pages = Math.max(1, Math.ceil(total / CATALOGUE_PAGE_SIZE));
  const numbers = [];
  const first = Math.max(1, Math.min(params.page - 4, pages - 8));
  for (let n = first; n <= Math.min(pages, first + 8); n++)
    numbers.push({ n, url: linkTo({ ...params, page: n }), current: n === params.page });
  return {
    frame: frame(view, `政府信息公开目录 - ${view.site.name}`, CATALOGUE_PATH, null, {}),
    params,
    error,
    total,
    page: params.page,
    pages,
    topics: DISCLOSURE_TOPICS.map((topic) => ({ value: topic, selected: topic === params.topic })),
    organizations: organizations.map((name) => ({ value: name, selected: name === params.organization })),
    entries: entries.map((entry) => ({
      indexNo: entry.indexNo,
      title: entry.title,
      url: articlePath(
        view.tree.path(entry.channelId),
        { id: entry.articleId, publishedAt: entry.publishedAt, createdAt: entry.createdAt },
        tz,
      ),
      documentNo: entry.documentNo,
      organization: entry.organization,
      topic: entry.topic,
      publishedOn: formatDate(new Date(entry.publishedAt), tz),
      datetime: new Date(entry.publishedAt).toISOString(),
    })),
    pagination:
      pages > 1
        ? {
            previous: params.page > 1 ? linkTo({ ...params, page: params.page - 1 }) : null,
            next: params.page < pages ? linkTo({ ...params, page: params.page + 1 }) : null,
            numbers,
          }
        : null,
  };
}
