import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../store/index.js';
import type { ParsedQuery, QueryTerm } from './query.js';
import { scopeToken } from './document.js';
import type { MatchPage, ResolvedFilters, SearchBackend } from './backend.js';

/**
 * SQLite FTS5. Documents are written as pre-tokenised text (tokens joined by spaces) into a
 * contentless table whose rowid is search_doc.id; queries are built from quoted tokens only,
 * so nothing a reader types is ever FTS syntax.
 */

/** Column weights for bm25: title over body, whole words over bigrams. */
const WEIGHTS = { titleGrams: 10, bodyGrams: 1, titleWords: 20, bodyWords: 3, pinyin: 8, initials: 4 };

function quote(token: string): string {
  return `"${token.replace(/"/g, '""')}"`;
}

function phrase(tokens: readonly { token: string; prefix: boolean }[]): string {
  return tokens.map((t) => `${quote(t.token)}${t.prefix ? ' *' : ''}`).join(' + ');
}

/** Which columns a term is looked for in: everywhere, or only in the title (for ranking). */
type Scope = 'all' | 'title';

function termExpression(term: QueryTerm, scope: Scope = 'all'): string {
  const [grams, words] =
    scope === 'all' ? ['{title_grams body_grams}', '{title_words body_words}'] : ['{title_grams}', '{title_words}'];
  const options = [`${grams} : (${phrase(term.steps)})`];
  if (term.word) options.push(`${words} : ${quote(term.word)}`);
  if (term.pinyin) options.push(`{pinyin} : (${phrase(term.pinyin.map((token) => ({ token, prefix: false })))})`);
  if (term.initials) options.push(`{initials} : (${phrase(term.initials.map((token) => ({ token, prefix: false })))})`);
  return options.length === 1 ? options[0]! : `(${options.join(' OR ')})`;
}

/**
 * The FTS5 MATCH expression for a parsed query. Scope 'title' is for search_title_fts: every
 * term must be in the title (exclusions are left to the main expression).
 */
export function fts5Expression(query: ParsedQuery, scope: Scope = 'all'): string {
  const required = query.groups.map((group) =>
    group.length === 1
      ? termExpression(group[0]!, scope)
      : `(${group.map((t) => termExpression(t, scope)).join(' OR ')})`,
  );
  const excluded = scope === 'all' ? query.excluded.map((term) => ` NOT ${termExpression(term)}`).join('') : '';
  return `(${required.join(' AND ')})${excluded}`;
}

/**
 * Site, column and type filters as FTS5 terms on the scope column, so filtering needs no join.
 * The site term is left out when the store holds one site: it would match every page, and
 * merging a doclist of every page costs each query time in proportion to the site.
 */
function scopeExpression(filters: ResolvedFilters, oneSite: boolean): string | null {
  const terms: string[] = [];
  if (!oneSite)
    terms.push(
      filters.siteIds.length === 1
        ? quote(scopeToken.site(filters.siteIds[0] ?? 0))
        : `(${filters.siteIds.map((id) => quote(scopeToken.site(id))).join(' OR ')})`,
    );
  if (filters.channelIds) {
    // The first id is the chosen column; pages below it carry it among their ancestors.
    terms.push(quote(filters.channelIds.length > 0 ? scopeToken.channel(filters.channelIds[0]!) : 'ch0'));
  }
  if (filters.contentType) terms.push(quote(scopeToken.type(filters.contentType)));
  return terms.length === 0 ? null : `{scope} : (${terms.join(' AND ')})`;
}

/** Date filters need search_doc; everything else is answered by the FTS indexes alone. */
function dateFilter(filters: ResolvedFilters, table: 'search_fts' | 'search_title_fts') {
  if (!filters.from && !filters.to) return { join: sql``, where: sql`` };
  const parts: RawBuilder<unknown>[] = [];
  if (filters.from) parts.push(sql`and d.published_at >= ${filters.from}`);
  if (filters.to) parts.push(sql`and d.published_at < ${filters.to}`);
  return { join: sql`cross join search_doc d on d.id = ${sql.ref(`${table}.rowid`)}`, where: sql.join(parts, sql` `) };
}

/** Hits fetched beyond the page, so that ties at its edge are broken by date, not by chance. */
const TIE_WINDOW = 50;

interface Scored {
  readonly id: number;
  readonly score: number;
}

/** Orders by score, then newer first among equal scores; returns ids [from, to). */
async function orderSlice(db: Kysely<Database>, rows: readonly Scored[], from: number, to: number): Promise<number[]> {
  if (rows.length === 0) return [];
  const dates = new Map(
    (
      await db
        .selectFrom('searchDoc')
        .select(['id', 'publishedAt'])
        .where(
          'id',
          'in',
          rows.map((r) => r.id),
        )
        .execute()
    ).map((r) => [r.id, r.publishedAt]),
  );
  return [...rows]
    .sort((a, b) => a.score - b.score || (dates.get(b.id) ?? '').localeCompare(dates.get(a.id) ?? '') || b.id - a.id)
    .slice(from, to)
    .map((r) => r.id);
}

export const sqliteBackend: SearchBackend = {
  async write(db, documents) {
    // One statement per document, nothing in between: FTS5 gathers the terms of the whole batch.
    for (const { docId, tokens } of documents) {
      await sql`insert into search_fts (rowid, title_grams, body_grams, title_words, body_words, pinyin, initials, scope)
        values (${docId}, ${tokens.titleGrams.join(' ')}, ${tokens.bodyGrams.join(' ')}, ${tokens.titleWords.join(' ')},
                ${tokens.bodyWords.join(' ')}, ${tokens.pinyin.join(' ')}, ${tokens.initials.join(' ')}, ${tokens.scope.join(' ')})`.execute(
        db,
      );
    }
    for (const { docId, tokens } of documents) {
      await sql`insert into search_title_fts (rowid, title_grams, title_words, pinyin, initials, scope)
        values (${docId}, ${tokens.titleGrams.join(' ')}, ${tokens.titleWords.join(' ')}, ${tokens.pinyin.join(' ')},
                ${tokens.initials.join(' ')}, ${tokens.scope.join(' ')})`.execute(db);
    }
  },

  // One writer: a second transaction would wait for the first.
  bulkWriters: 1,

  async beginBulkWrite() {
    // FTS5 gathers a transaction's terms in memory already.
  },

  async erase(db, docIds) {
    if (docIds.length === 0) return;
    await sql`delete from search_fts where rowid in (${sql.join(docIds)})`.execute(db);
    await sql`delete from search_title_fts where rowid in (${sql.join(docIds)})`.execute(db);
  },

  /**
   * Results are the pages with the whole query in the title, ranked by bm25 over titles, then
   * the other hits ranked by bm25 over everything. A common word (区委: thousands of pages)
   * mostly fills the first pages from titles alone, so only short title doclists are ranked.
   */
  async match(db: Kysely<Database>, query, filters, page): Promise<MatchPage> {
    const sites = await db
      .selectFrom('site')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const scope = scopeExpression(filters, Number(sites.n) <= 1);
    const withScope = (expression: string) => (scope ? `${expression} AND ${scope}` : expression);
    const main = withScope(fts5Expression(query));
    const inTitle = withScope(fts5Expression(query, 'title'));
    const excluded = query.excluded.length > 0 ? query.excluded.map((t) => termExpression(t)).join(' OR ') : null;
    const notExcluded = excluded
      ? sql`and search_title_fts.rowid not in (select rowid from search_fts where search_fts match ${excluded})`
      : sql``;
    const mainDate = dateFilter(filters, 'search_fts');
    const titleDate = dateFilter(filters, 'search_title_fts');
    const w = WEIGHTS;

    const [totalRow, titleRow] = await Promise.all([
      sql<{ n: number }>`select count(*) as n from search_fts ${mainDate.join}
        where search_fts match ${main} ${mainDate.where}`.execute(db),
      sql<{ n: number }>`select count(*) as n from search_title_fts ${titleDate.join}
        where search_title_fts match ${inTitle} ${titleDate.where} ${notExcluded}`.execute(db),
    ]);
    const total = Number(totalRow.rows[0]?.n ?? 0);
    const titled = Number(titleRow.rows[0]?.n ?? 0);
    const end = Math.min(page.offset + page.limit, total);
    const ids: number[] = [];
    if (page.offset < titled) {
      const rows = await sql<Scored>`select search_title_fts.rowid as id,
          bm25(search_title_fts, ${w.titleGrams}, ${w.titleWords}, ${w.pinyin}, ${w.initials}, 0) as score
        from search_title_fts ${titleDate.join}
        where search_title_fts match ${inTitle} ${titleDate.where} ${notExcluded}
        order by score, search_title_fts.rowid desc
        limit ${Math.min(end, titled) + TIE_WINDOW}`.execute(db);
      ids.push(...(await orderSlice(db, rows.rows, page.offset, Math.min(end, titled))));
    }
    if (end > titled) {
      const from = Math.max(0, page.offset - titled);
      const to = end - titled;
      const rows = await sql<Scored>`select search_fts.rowid as id,
          bm25(search_fts, ${w.titleGrams}, ${w.bodyGrams}, ${w.titleWords}, ${w.bodyWords}, ${w.pinyin}, ${w.initials}, 0) as score
        from search_fts ${mainDate.join}
        where search_fts match ${main} ${mainDate.where}
          and search_fts.rowid not in (select rowid from search_title_fts where search_title_fts match ${inTitle})
        order by score, search_fts.rowid desc
        limit ${to + TIE_WINDOW}`.execute(db);
      ids.push(...(await orderSlice(db, rows.rows, from, to)));
    }
    return { total, exact: true, docIds: ids };
  },

  async settle() {
    // FTS5 merges its segments as it writes (automerge); nothing is left pending.
  },

  async clear(db, siteId) {
    await sql`delete from search_fts where rowid in (select id from search_doc where site_id = ${siteId})`.execute(db);
    await sql`delete from search_title_fts where rowid in (select id from search_doc where site_id = ${siteId})`.execute(
      db,
    );
  },
};
