import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../store/index.js';
import type { DocumentTokens } from './document.js';
import type { ParsedQuery, QueryTerm } from './query.js';
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

function termExpression(term: QueryTerm): string {
  const options = [`{title_grams body_grams} : (${phrase(term.steps)})`];
  if (term.word) options.push(`{title_words body_words} : ${quote(term.word)}`);
  if (term.pinyin) options.push(`{pinyin} : (${phrase(term.pinyin.map((token) => ({ token, prefix: false })))})`);
  if (term.initials) options.push(`{initials} : (${phrase(term.initials.map((token) => ({ token, prefix: false })))})`);
  return options.length === 1 ? options[0]! : `(${options.join(' OR ')})`;
}

/** The FTS5 MATCH expression for a parsed query. */
export function fts5Expression(query: ParsedQuery): string {
  const required = query.groups.map((group) => (group.length === 1 ? termExpression(group[0]!) : `(${group.map(termExpression).join(' OR ')})`));
  const excluded = query.excluded.map((term) => ` NOT ${termExpression(term)}`).join('');
  return `(${required.join(' AND ')})${excluded}`;
}

function filterConditions(filters: ResolvedFilters): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`d.site_id = ${filters.siteId}`];
  if (filters.channelIds) parts.push(sql`d.channel_id in (${sql.join(filters.channelIds.length > 0 ? filters.channelIds : [-1])})`);
  if (filters.from) parts.push(sql`d.published_at >= ${filters.from}`);
  if (filters.to) parts.push(sql`d.published_at < ${filters.to}`);
  if (filters.contentType) parts.push(sql`d.content_type = ${filters.contentType}`);
  return sql.join(parts, sql` and `);
}

export const sqliteBackend: SearchBackend = {
  async write(db, docId, tokens: DocumentTokens) {
    await sql`insert into search_fts (rowid, title_grams, body_grams, title_words, body_words, pinyin, initials)
      values (${docId}, ${tokens.titleGrams.join(' ')}, ${tokens.bodyGrams.join(' ')}, ${tokens.titleWords.join(' ')},
              ${tokens.bodyWords.join(' ')}, ${tokens.pinyin.join(' ')}, ${tokens.initials.join(' ')})`.execute(db);
  },

  async erase(db, docId) {
    await sql`delete from search_fts where rowid = ${docId}`.execute(db);
  },

  async match(db: Kysely<Database>, query, filters, page): Promise<MatchPage> {
    const expression = fts5Expression(query);
    const where = filterConditions(filters);
    const w = WEIGHTS;
    const [count, rows] = await Promise.all([
      sql<{ n: number }>`select count(*) as n from search_fts join search_doc d on d.id = search_fts.rowid
        where search_fts match ${expression} and ${where}`.execute(db),
      sql<{ id: number }>`select d.id from search_fts join search_doc d on d.id = search_fts.rowid
        where search_fts match ${expression} and ${where}
        order by round(bm25(search_fts, ${w.titleGrams}, ${w.bodyGrams}, ${w.titleWords}, ${w.bodyWords}, ${w.pinyin}, ${w.initials}), 2),
                 d.published_at desc, d.id desc
        limit ${page.limit} offset ${page.offset}`.execute(db),
    ]);
    return { total: Number(count.rows[0]?.n ?? 0), docIds: rows.rows.map((r) => r.id) };
  },

  async clear(db, siteId) {
    await sql`delete from search_fts where rowid in (select id from search_doc where site_id = ${siteId})`.execute(db);
  },
};
