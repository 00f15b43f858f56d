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
  const [grams, words] = scope === 'all' ? ['{title_grams body_grams}', '{title_words body_words}'] : ['{title_grams}', '{title_words}'];
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
    group.length === 1 ? termExpression(group[0]!, scope) : `(${group.map((t) => termExpression(t, scope)).join(' OR ')})`,
  );
  const excluded = scope === 'all' ? query.excluded.map((term) => ` NOT ${termExpression(term)}`).join('') : '';
  return `(${required.join(' AND ')})${excluded}`;
}

/** Site, column and type filters as FTS5 terms on the scope column: no join needed to filter. */
function scopeExpression(filters: ResolvedFilters): string {
  const terms = [quote(scopeToken.site(filters.siteId))];
  if (filters.channelIds) {
    // The first id is the chosen column; pages below it carry it among their ancestors.
    terms.push(filters.channelIds.length > 0 ? quote(scopeToken.channel(filters.channelIds[0]!)) : quote('ch0'));
  }
  if (filters.contentType) terms.push(quote(scopeToken.type(filters.contentType)));
  return `{scope} : (${terms.join(' AND ')})`;
}

/** Date filters need search_doc; everything else is answered by the FTS index alone. */
function dateJoin(filters: ResolvedFilters): { join: RawBuilder<unknown>; where: RawBuilder<unknown> } {
  if (!filters.from && !filters.to) return { join: sql``, where: sql`` };
  const parts: RawBuilder<unknown>[] = [];
  if (filters.from) parts.push(sql`and d.published_at >= ${filters.from}`);
  if (filters.to) parts.push(sql`and d.published_at < ${filters.to}`);
  return { join: sql`cross join search_doc d on d.id = search_fts.rowid`, where: sql.join(parts, sql` `) };
}

/** Hits fetched beyond the page, so that ties at its edge are broken by date, not by chance. */
const TIE_WINDOW = 50;

export const sqliteBackend: SearchBackend = {
  async write(db, documents) {
    // One statement per document, nothing in between: FTS5 gathers the terms of the whole batch.
    for (const { docId, tokens } of documents) {
      await sql`insert into search_fts (rowid, title_grams, body_grams, title_words, body_words, pinyin, initials, scope)
        values (${docId}, ${tokens.titleGrams.join(' ')}, ${tokens.bodyGrams.join(' ')}, ${tokens.titleWords.join(' ')},
                ${tokens.bodyWords.join(' ')}, ${tokens.pinyin.join(' ')}, ${tokens.initials.join(' ')}, ${tokens.scope.join(' ')})`.execute(db);
    }
    for (const { docId, tokens } of documents) {
      await sql`insert into search_title_fts (rowid, title_grams, title_words, pinyin, initials)
        values (${docId}, ${tokens.titleGrams.join(' ')}, ${tokens.titleWords.join(' ')}, ${tokens.pinyin.join(' ')}, ${tokens.initials.join(' ')})`.execute(db);
    }
  },

  async erase(db, docIds) {
    if (docIds.length === 0) return;
    await sql`delete from search_fts where rowid in (${sql.join(docIds)})`.execute(db);
    await sql`delete from search_title_fts where rowid in (${sql.join(docIds)})`.execute(db);
  },

  async match(db: Kysely<Database>, query, filters, page): Promise<MatchPage> {
    const expression = `${fts5Expression(query)} AND ${scopeExpression(filters)}`;
    // Pages with the whole query in the title come first. bm25 alone cannot say so: FTS5 floors
    // the IDF of a phrase found in over half the pages to almost nothing, title hits included.
    const inTitle = fts5Expression(query, 'title');
    const { join, where } = dateJoin(filters);
    const w = WEIGHTS;
    const count = await sql<{ n: number }>`select count(*) as n from search_fts ${join}
      where search_fts match ${expression} ${where}`.execute(db);
    const total = Number(count.rows[0]?.n ?? 0);
    if (total === 0 || page.offset >= total) return { total, docIds: [] };
    const ranked = await sql<{ id: number; inTitle: number; score: number }>`
      select search_fts.rowid as id,
             search_fts.rowid in (select rowid from search_title_fts where search_title_fts match ${inTitle}) as in_title,
             bm25(search_fts, ${w.titleGrams}, ${w.bodyGrams}, ${w.titleWords}, ${w.bodyWords}, ${w.pinyin}, ${w.initials}, 0) as score
      from search_fts ${join}
      where search_fts match ${expression} ${where}
      order by in_title desc, score, search_fts.rowid desc
      limit ${page.offset + page.limit + TIE_WINDOW}`.execute(db);
    const ids = ranked.rows.map((r) => r.id);
    const dates = new Map(
      (await db.selectFrom('searchDoc').select(['id', 'publishedAt']).where('id', 'in', ids).execute()).map((r) => [r.id, r.publishedAt]),
    );
    const ordered = [...ranked.rows].sort(
      (a, b) =>
        b.inTitle - a.inTitle ||
        a.score - b.score ||
        (dates.get(b.id) ?? '').localeCompare(dates.get(a.id) ?? '') ||
        b.id - a.id,
    );
    return { total, docIds: ordered.slice(page.offset, page.offset + page.limit).map((r) => r.id) };
  },

  async clear(db, siteId) {
    await sql`delete from search_fts where rowid in (select id from search_doc where site_id = ${siteId})`.execute(db);
    await sql`delete from search_title_fts where rowid in (select id from search_doc where site_id = ${siteId})`.execute(db);
  },
};
