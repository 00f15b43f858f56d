import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../store/index.js';
import type { DocumentTokens } from './document.js';
import type { GramStep, ParsedQuery, QueryTerm } from './query.js';
import type { MatchPage, ResolvedFilters, SearchBackend } from './backend.js';

/**
 * PostgreSQL: tsvector columns written from Gazette's own tokens (never PostgreSQL's parser,
 * which does not know Chinese), searched through GIN indexes with tsquery phrases.
 * tsvector positions stop at 16,383, so long bodies are split into overlapping chunks, each a
 * row; a document matches when its chunks together hold every required term.
 */

const MAX_POSITION = 16_383;
/** Body tokens per chunk, and how many each chunk repeats from the one before (a phrase that
 *  straddles a chunk border is whole in the next chunk; queries are at most 200 characters). */
const CHUNK_TOKENS = 15_000;
const CHUNK_OVERLAP = 400;

/** The chunk rows of one document: body grams split with overlap, the rest in chunk 0. */
function vectorRows(docId: number, tokens: DocumentTokens) {
  const title = tokens.titleGrams;
  const body = tokens.bodyGrams;
  const rows: { docId: number; chunk: number; grams: string; words: string; pinyin: string; initials: string }[] = [];
  const step = CHUNK_TOKENS - CHUNK_OVERLAP;
  for (let chunk = 0, start = 0; chunk === 0 || start < body.length; chunk++, start += step) {
    const slice = body.slice(start, start + CHUNK_TOKENS);
    const first = chunk === 0;
    const grams = first
      ? tsvectorLiteral([
          { tokens: title, weight: 'A', start: 1 },
          { tokens: slice, weight: 'D', start: title.length + 2 },
        ])
      : tsvectorLiteral([{ tokens: slice, weight: 'D', start: 1 }]);
    rows.push({
      docId,
      chunk,
      grams,
      words: first
        ? tsvectorLiteral([
            { tokens: tokens.titleWords, weight: 'A', start: 1 },
            { tokens: tokens.bodyWords, weight: 'D', start: tokens.titleWords.length + 2 },
          ])
        : '',
      pinyin: first ? tsvectorLiteral([{ tokens: tokens.pinyin, weight: 'A', start: 1 }]) : '',
      initials: first ? tsvectorLiteral([{ tokens: tokens.initials, weight: 'A', start: 1 }]) : '',
    });
  }
  return rows;
}

function lexeme(token: string): string {
  return `'${token.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

type Weighted = readonly {
  readonly tokens: readonly string[];
  readonly weight: 'A' | 'B' | 'C' | 'D';
  readonly start: number;
}[];

/** A tsvector literal: each token with its positions and weight (D, the default, is not written). */
export function tsvectorLiteral(parts: Weighted): string {
  const positions = new Map<string, string[]>();
  for (const part of parts) {
    part.tokens.forEach((token, i) => {
      const position = Math.min(part.start + i, MAX_POSITION);
      const list = positions.get(token) ?? [];
      // PostgreSQL keeps at most 256 positions of a lexeme; more only slow the cast.
      if (list.length < 256) list.push(`${position}${part.weight === 'D' ? '' : part.weight}`);
      positions.set(token, list);
    });
  }
  return [...positions].map(([token, list]) => `${lexeme(token)}:${list.join(',')}`).join(' ');
}

function phraseQuery(steps: readonly GramStep[]): string {
  return steps.map((s) => `${lexeme(s.token)}${s.prefix ? ':*' : ''}`).join(' <-> ');
}

function plain(tokens: readonly string[]): GramStep[] {
  return tokens.map((token) => ({ token, prefix: false }));
}

/** Whether a term matches in the chunk row `alias`. */
function termCondition(term: QueryTerm, alias: string): RawBuilder<boolean> {
  const ref = (column: string) => sql.ref(`${alias}.${column}`);
  const options: RawBuilder<boolean>[] = [sql<boolean>`${ref('grams')} @@ ${phraseQuery(term.steps)}::tsquery`];
  if (term.pinyin) options.push(sql<boolean>`${ref('pinyin')} @@ ${phraseQuery(plain(term.pinyin))}::tsquery`);
  if (term.initials) options.push(sql<boolean>`${ref('initials')} @@ ${phraseQuery(plain(term.initials))}::tsquery`);
  return sql<boolean>`(${sql.join(options, sql` or `)})`;
}

function anyOf(conditions: readonly RawBuilder<boolean>[]): RawBuilder<boolean> {
  return sql<boolean>`(${sql.join(conditions, sql` or `)})`;
}

function filterConditions(filters: ResolvedFilters): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`d.site_id in (${sql.join(filters.siteIds)})`];
  if (filters.channelIds)
    parts.push(sql`d.channel_id in (${sql.join(filters.channelIds.length > 0 ? filters.channelIds : [-1])})`);
  if (filters.from) parts.push(sql`d.published_at >= ${filters.from}`);
  if (filters.to) parts.push(sql`d.published_at < ${filters.to}`);
  if (filters.contentType) parts.push(sql`d.content_type = ${filters.contentType}`);
  return sql.join(parts, sql` and `);
}

export const postgresBackend: SearchBackend = {
  async write(db, documents) {
    const rows: { docId: number; chunk: number; grams: string; words: string; pinyin: string; initials: string }[] = [];
    for (const { docId, tokens } of documents) rows.push(...vectorRows(docId, tokens));
    // Several rows per statement: the cast from literal to tsvector is the work, round trips are waste.
    for (let i = 0; i < rows.length; i += 50) {
      const part = rows.slice(i, i + 50);
      await sql`insert into search_vector (doc_id, chunk, grams, words, pinyin, initials) values ${sql.join(
        part.map(
          (r) =>
            sql`(${r.docId}, ${r.chunk}, ${r.grams}::tsvector, ${r.words}::tsvector, ${r.pinyin}::tsvector, ${r.initials}::tsvector)`,
        ),
      )}`.execute(db);
    }
  },

  async erase(db, docIds) {
    if (docIds.length === 0) return;
    await sql`delete from search_vector where doc_id in (${sql.join(docIds)})`.execute(db);
  },

  async match(db: Kysely<Database>, query: ParsedQuery, filters, page): Promise<MatchPage> {
    const groups = query.groups.map((group) => anyOf(group.map((term) => termCondition(term, 'v'))));
    const terms = query.groups.flat();
    const rankQuery = terms.map((t) => `(${phraseQuery(t.steps)})`).join(' | ');
    const wordQuery = terms
      .filter((t) => t.word)
      .map((t) => lexeme(t.word ?? ''))
      .join(' | ');
    const pinyinQuery = terms
      .filter((t) => t.pinyin)
      .map((t) => `(${phraseQuery(plain(t.pinyin ?? []))})`)
      .join(' | ');
    const excluded = query.excluded.length
      ? sql`and not exists (select 1 from search_vector x where x.doc_id = d.id and ${anyOf(query.excluded.map((t) => termCondition(t, 'x')))})`
      : sql``;
    const result = await sql<{ id: number; total: number }>`
      with hits as (
        select v.doc_id,
          ${sql.join(groups.map((g, i) => sql`bool_or(${g}) as ${sql.ref(`g${i}`)}`))},
          max(ts_rank('{0.1, 0.2, 0.4, 1.0}', v.grams, ${rankQuery}::tsquery)
              + 2 * ts_rank('{0.1, 0.2, 0.4, 1.0}', v.words, ${wordQuery}::tsquery)
              + ts_rank(v.pinyin, ${pinyinQuery}::tsquery)) as rank
        from search_vector v
        where ${anyOf(groups)}
        group by v.doc_id
      )
      select d.id, count(*) over () as total
      from hits join search_doc d on d.id = hits.doc_id
      where ${sql.join(
        groups.map((_, i) => sql.ref(`hits.g${i}`)),
        sql` and `,
      )} and ${filterConditions(filters)} ${excluded}
      order by round(hits.rank::numeric, 3) desc, d.published_at desc, d.id desc
      limit ${page.limit} offset ${page.offset}`.execute(db);
    let total = Number(result.rows[0]?.total ?? 0);
    if (result.rows.length === 0 && page.offset > 0) {
      total = (await this.match(db, query, filters, { limit: 1, offset: 0 })).total;
    }
    return { total, docIds: result.rows.map((r) => r.id) };
  },

  async clear(db, siteId) {
    await sql`delete from search_vector where doc_id in (select id from search_doc where site_id = ${siteId})`.execute(
      db,
    );
  },
};
