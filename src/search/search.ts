import type { Kysely } from 'kysely';
import {
  GazetteError,
  articlePath,
  formatDate,
  localDayStart,
  siteUrl,
  ChannelTree,
  type Site,
} from '../domain/index.js';
import { channels, type Database, type Dialect } from '../store/index.js';
import type { ResolvedFilters } from './backend.js';
import { CONTENT_TYPES, type ContentType } from './document.js';

export type { SearchHit, SearchResult } from './schema.js';
import { highlight, snippet } from './highlight.js';
import { backendFor } from './indexer.js';
import { loadQueryLists } from './lists.js';
import { highlightTerms, parseQuery, type ParsedQuery } from './query.js';
import { suggestTerm } from './suggest.js';
import { normalizeText } from './normalize.js';
import type { SearchHit, SearchResult } from './schema.js';

export interface SearchRequest {
  readonly q: string;
  /**
   * Which sites: absent or null, the site itself; 'all', the site and every site under it (the
   * portal's search over its departments' and towns' sites); an id, that one of them.
   */
  readonly site?: 'all' | number | null;
  readonly channelId?: number | null;
  /** Local dates, YYYY-MM-DD, both inclusive. */
  readonly from?: string | null;
  readonly to?: string | null;
  readonly type?: string | null;
  readonly page?: number;
  readonly pageSize?: number;
}

export interface SearchScope {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  readonly site: Site;
  readonly tree: ChannelTree;
  /** The sites under this one (loaded by the caller when the request asks for them); their columns are read for hits. */
  readonly subSites?: readonly Site[];
}

export const MAX_PAGE = 500;

function dayStart(value: string, name: string, timeZone: string, nextDay: boolean): string {
  const instant = localDayStart(value, timeZone, nextDay ? 1 : 0);
  if (!instant)
    throw new GazetteError('SEARCH_BAD_FILTER', { name, reason: `"${value}" is not a date like 2025-12-01` });
  return instant.toISOString();
}

/** The site ids a request searches: the site, all its sub-sites too, or one of them. */
function sitesOf(scope: SearchScope, request: SearchRequest): number[] {
  const under = (scope.subSites ?? []).map((s) => s.id);
  if (request.site === undefined || request.site === null || request.site === scope.site.id) return [scope.site.id];
  if (request.site === 'all') return [scope.site.id, ...under];
  if (!under.includes(request.site))
    throw new GazetteError('SEARCH_BAD_FILTER', { name: 'site', reason: `no site ${request.site} under this one` });
  return [request.site];
}

function resolveFilters(scope: SearchScope, request: SearchRequest): ResolvedFilters {
  const { site, tree } = scope;
  const siteIds = sitesOf(scope, request);
  let channelIds: number[] | null = null;
  if (request.channelId !== undefined && request.channelId !== null) {
    // A column is one site's: with other sites searched it has no meaning.
    if (siteIds.length !== 1 || siteIds[0] !== site.id)
      throw new GazetteError('SEARCH_BAD_FILTER', {
        name: 'channel',
        reason: 'a column filter searches this site alone',
      });
    if (!tree.get(request.channelId)) {
      throw new GazetteError('SEARCH_BAD_FILTER', { name: 'channel', reason: `no channel ${request.channelId}` });
    }
    channelIds = tree.subtreeIds(request.channelId);
  }
  const type = request.type ?? null;
  if (type !== null && !CONTENT_TYPES.includes(type as ContentType)) {
    throw new GazetteError('SEARCH_BAD_FILTER', { name: 'type', reason: `use one of ${CONTENT_TYPES.join(', ')}` });
  }
  const from = request.from ? dayStart(request.from, 'from', site.timeZone, false) : null;
  const to = request.to ? dayStart(request.to, 'to', site.timeZone, true) : null;
  if (from && to && from >= to)
    throw new GazetteError('SEARCH_BAD_FILTER', { name: 'to', reason: 'the end date is before the start date' });
  return { siteIds, channelIds, from, to, contentType: type };
}

async function didYouMean(
  scope: SearchScope,
  query: ParsedQuery,
  filters: ResolvedFilters,
  raw: string,
): Promise<string | null> {
  // Correct the first word that finds nothing on its own, and offer the result only if it finds something.
  const backend = backendFor(scope.dialect);
  for (const group of query.groups) {
    const term = group[0];
    if (!term || group.length > 1) continue;
    const alone = await backend.match(scope.db, { groups: [[term]], excluded: [] }, filters, { limit: 1, offset: 0 });
    if (alone.total > 0) continue;
    const better = await suggestTerm(scope.db, scope.site.id, term.text);
    if (!better) return null;
    // Replace in the normalised query: that is where term.text stands (full-width and
    // traditional characters are already folded there).
    const normalized = normalizeText(raw);
    const suggestion = normalized.replace(term.text, better);
    const check = await backend.match(scope.db, parseQuery(suggestion), filters, { limit: 1, offset: 0 });
    return check.total > 0 && suggestion !== normalized ? suggestion : null;
  }
  return null;
}

/** Searches the site's published pages. Throws SEARCH_* errors (400) for bad input. */
export async function searchSite(scope: SearchScope, request: SearchRequest): Promise<SearchResult> {
  const pageSize = Math.min(Math.max(request.pageSize ?? 10, 1), 50);
  const page = request.page ?? 1;
  if (!Number.isInteger(page) || page < 1 || page > MAX_PAGE) {
    throw new GazetteError('SEARCH_BAD_FILTER', { name: 'page', reason: `use a page number from 1 to ${MAX_PAGE}` });
  }
  const filters = resolveFilters(scope, request);
  const query = parseQuery(request.q, await loadQueryLists(scope.db, scope.site.id));
  const match = await backendFor(scope.dialect).match(scope.db, query, filters, {
    limit: pageSize,
    offset: (page - 1) * pageSize,
  });
  const docs =
    match.docIds.length === 0
      ? []
      : await scope.db.selectFrom('searchDoc').selectAll().where('id', 'in', match.docIds).execute();
  const byId = new Map(docs.map((d) => [d.id, d]));
  const terms = highlightTerms(query);
  const hits: SearchHit[] = [];
  // The columns of the sites the hits come from (a page of them at most), read once each.
  const sitesById = new Map<number, { site: Site; tree: ChannelTree }>([
    [scope.site.id, { site: scope.site, tree: scope.tree }],
  ]);
  for (const sub of scope.subSites ?? []) {
    if (docs.some((d) => d.siteId === sub.id))
      sitesById.set(sub.id, { site: sub, tree: new ChannelTree(await channels.listChannels(scope.db, sub.id)) });
  }
  for (const id of match.docIds) {
    const doc = byId.get(id);
    const home = doc && sitesById.get(doc.siteId);
    const channel = home?.tree.get(doc?.channelId ?? 0);
    if (!doc || !home || !channel) continue;
    const own =
      doc.articleId !== null
        ? articlePath(
            home.tree.path(channel.id),
            { id: doc.articleId, publishedAt: doc.publishedAt, createdAt: doc.publishedAt },
            home.site.timeZone,
          )
        : home.tree.path(channel.id);
    // A sub-site's page is at its own host: the hit links there, and says whose it is.
    const other = home.site.id !== scope.site.id;
    const url = other ? siteUrl(home.site, own) : own;
    hits.push({
      ...(other && { site: { id: home.site.id, name: home.site.name } }),
      title: doc.title,
      titleHtml: highlight(doc.title, terms),
      url,
      snippetHtml: snippet(doc.bodyText, terms),
      publishedAt: doc.publishedAt,
      date: formatDate(new Date(doc.publishedAt), scope.site.timeZone),
      channel: { id: channel.id, name: channel.name },
      contentType: CONTENT_TYPES.find((t) => t === doc.contentType) ?? 'article',
    });
  }
  return {
    query: request.q,
    total: match.total,
    exact: match.exact,
    page,
    pageSize,
    pages: Math.max(1, Math.ceil(match.total / pageSize)),
    hits,
    didYouMean: match.total === 0 ? await didYouMean(scope, query, filters, request.q) : null,
  };
}
