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

interface VectorRow {
  readonly docId: number;
  readonly chunk: number;
  readonly grams: string;
  readonly words: string;
  readonly pinyin: string;
  readonly initials: string;
  /** Chunk 0 only: the document's normalised text (see DocumentTokens.plain). */
  readonly plain: string;
}

/** The chunk rows of one document: body grams split with overlap, the rest in chunk 0. */
function vectorRows(docId: number, tokens: DocumentTokens) {
  const title = tokens.titleGrams;
  const body = tokens.bodyGrams;
  const rows: VectorRow[] = [];
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
      words: first ? lexemesLiteral([...tokens.titleWords, ...tokens.bodyWords]) : '',
      pinyin: first ? spelledLiteral(tokens.pinyin) : '',
      initials: first ? spelledLiteral(tokens.initials) : '',
      plain: first ? tokens.plain : '',
    });
  }
  return rows;
}

const NEEDS_ESCAPE = /['\\]/;

function lexeme(token: string): string {
  return NEEDS_ESCAPE.test(token) ? `'${token.replace(/\\/g, '\\\\').replace(/'/g, "''")}'` : `'${token}'`;
}

type Weighted = readonly {
  readonly tokens: readonly string[];
  readonly weight: 'A' | 'B' | 'C' | 'D';
  readonly start: number;
}[];

/**
 * A tsvector literal: each token with its positions and weight (D, the default, is not written).
 * Built on every publish and for every page of a rebuild, so one map lookup per token.
 */
export function tsvectorLiteral(parts: Weighted): string {
  const slot = new Map<string, number>();
  const entries: string[] = [];
  const counts: number[] = [];
  for (const part of parts) {
    const suffix = part.weight === 'D' ? '' : part.weight;
    let position = part.start;
    for (const token of part.tokens) {
      const at = `${Math.min(position++, MAX_POSITION)}${suffix}`;
      const i = slot.get(token);
      if (i === undefined) {
        slot.set(token, entries.length);
        entries.push(`${lexeme(token)}:${at}`);
        counts.push(1);
      } else if ((counts[i] ?? 0) < 256) {
        // PostgreSQL keeps at most 256 positions of a lexeme; more only slow the cast.
        entries[i] += `,${at}`;
        counts[i] = (counts[i] ?? 0) + 1;
      }
    }
  }
  return entries.join(' ');
}

/**
 * A tsvector literal of each token once, with no positions: whole words are only ever looked up
 * one lexeme at a time (the word tier, the walk), never as a phrase or by weight, and their
 * positions were a third of the vector (12.4 KB of a 2,000-character article, 8.7 KB without).
 */
export function lexemesLiteral(tokens: readonly string[]): string {
  return [...new Set(tokens)].map(lexeme).join(' ');
}

function phraseQuery(steps: readonly GramStep[]): string {
  return steps.map((s) => `${lexeme(s.token)}${s.prefix ? ':*' : ''}`).join(' <-> ');
}

function plain(tokens: readonly string[]): GramStep[] {
  return tokens.map((token) => ({ token, prefix: false }));
}

/**
 * Pinyin and initials are stored with each pair of neighbours (xi_shi) beside the syllables, at
 * the first one's position. A two-syllable query is then one lexeme GIN answers without a
 * recheck, and a longer one a phrase of pairs, far rarer than its syllables: xi <-> shi had
 * 2,766 candidates to recheck at 10,000 articles for 31 hits. (Migration 0025 wrote the pairs
 * into the rows indexed before.)
 */
const PAIR_JOIN = '_';
const pairsOf = (tokens: readonly string[]): string[] =>
  tokens.slice(1).map((token, i) => `${tokens[i] ?? ''}${PAIR_JOIN}${token}`);

function spelledLiteral(tokens: readonly string[]): string {
  return tsvectorLiteral([
    { tokens, weight: 'A', start: 1 },
    { tokens: pairsOf(tokens), weight: 'A', start: 1 },
  ]);
}

function spelledQuery(syllables: readonly string[]): string {
  return phraseQuery(plain(syllables.length < 2 ? syllables : pairsOf(syllables)));
}

/** Whether a term matches in the chunk row `alias`. */
function termCondition(term: QueryTerm, alias: string): RawBuilder<boolean> {
  const ref = (column: string) => sql.ref(`${alias}.${column}`);
  const options: RawBuilder<boolean>[] = [sql<boolean>`${ref('grams')} @@ ${phraseQuery(term.steps)}::tsquery`];
  if (term.pinyin) options.push(sql<boolean>`${ref('pinyin')} @@ ${spelledQuery(term.pinyin)}::tsquery`);
  if (term.initials) options.push(sql<boolean>`${ref('initials')} @@ ${spelledQuery(term.initials)}::tsquery`);
  return sql<boolean>`(${sql.join(options, sql` or `)})`;
}

const HAN_PHRASE = /^\p{Script=Han}{3,}$/u;

/**
 * A run of three or more Han characters is the common long query (国办发, 体育运动). Its
 * bigrams, looked up without positions, give candidates; the phrase is then checked as a
 * substring of the document's plain text, a few kilobytes, instead of detoasting a vector of
 * every position (tens of kilobytes; 105 ms for 国办发 at 10,000 articles).
 */
const checkedAsText = (term: QueryTerm): boolean => HAN_PHRASE.test(term.text) && !term.pinyin && !term.initials;

/** The documents that hold every bigram of a checked term: a superset of its hits. */
function candidateSet(term: QueryTerm): RawBuilder<unknown> {
  const all = term.steps.map((s) => lexeme(s.token)).join(' & ');
  return sql`select c.doc_id from search_vector c where c.grams @@ ${all}::tsquery`;
}

/**
 * Whether the document `id` holds a checked term: a substring of its plain text, or, for rows
 * written before the plain text was kept, the phrase of positions in any of its chunks.
 */
function holdsPhrase(term: QueryTerm, id: RawBuilder<unknown>): RawBuilder<boolean> {
  return sql<boolean>`coalesce(
    (select strpos(p.plain, ${term.text}) > 0 from search_vector p where p.doc_id = ${id} and p.chunk = 0 and p.plain <> ''),
    (select true from search_vector p where p.doc_id = ${id} and p.grams @@ ${phraseQuery(term.steps)}::tsquery limit 1),
    false)`;
}

/** The documents a term matches, exactly. */
function termSet(term: QueryTerm): RawBuilder<unknown> {
  if (!checkedAsText(term)) return sql`select v.doc_id from search_vector v where ${termCondition(term, 'v')}`;
  return sql`select m.doc_id from (${candidateSet(term)}) m where ${holdsPhrase(term, sql.ref('m.doc_id'))}`;
}

/** Whether the document `id` matches a term: checked as text, or looked up in its vectors. */
function holdsTerm(term: QueryTerm, id: RawBuilder<unknown>): RawBuilder<boolean> {
  return checkedAsText(term)
    ? holdsPhrase(term, id)
    : sql<boolean>`exists (select 1 from search_vector v where v.doc_id = ${id} and ${termCondition(term, 'v')})`;
}

/**
 * How many candidates are checked to count a query's hits. Beyond this the total is an estimate
 * from the share of a sample this size that hold the phrase: checking each costs a detoast (tens
 * of microseconds), and a common phrase has a candidate in most pages (国办发: 5,556 at 10,000
 * articles, 107 ms to check them all).
 */
export const EXACT_COUNT_CAP = 200;

function filterConditions(filters: ResolvedFilters): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`d.site_id in (${sql.join(filters.siteIds)})`];
  if (filters.channelIds)
    parts.push(sql`d.channel_id in (${sql.join(filters.channelIds.length > 0 ? filters.channelIds : [-1])})`);
  if (filters.from) parts.push(sql`d.published_at >= ${filters.from}`);
  if (filters.to) parts.push(sql`d.published_at < ${filters.to}`);
  if (filters.contentType) parts.push(sql`d.content_type = ${filters.contentType}`);
  return sql.join(parts, sql` and `);
}

/**
 * Runs a search statement with sequential scans of the vectors ruled out, and random reads
 * priced as those of an index in memory:
 * - the planner prices `tsvector @@ tsquery` as one cheap operator call, not as detoasting a
 *   vector of thousands of lexemes, so for a common bigram it picks a scan that reads every
 *   document's vector (760 ms at 10,000 articles) over the GIN lookup that reads none (2 ms);
 * - at the default random_page_cost (4, a spinning disk's) it joins a few thousand hits to
 *   `search_doc` by walking all of its primary key (通用, 4,732 hits of 100,000 pages: a merge join
 *   of 30 ms against 15 ms of lookups one by one).
 */
async function withIndexScans<T>(db: Kysely<Database>, run: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  const settings = (seqscan: string, randomPageCost: string) =>
    sql`select set_config('enable_seqscan', ${seqscan}, true), set_config('random_page_cost', ${randomPageCost}, true)`;
  if (db.isTransaction) {
    // Inside the caller's transaction: restored after. A statement that fails aborts the
    // transaction, and the settings with it; restoring them then would only hide the error.
    const before = await sql<{ seqscan: string; randomPageCost: string }>`select
      current_setting('enable_seqscan') as seqscan, current_setting('random_page_cost') as random_page_cost`.execute(
      db,
    );
    const was = before.rows[0] ?? { seqscan: 'on', randomPageCost: '4' };
    await settings('off', RANDOM_PAGE_COST).execute(db);
    const result = await run(db);
    await settings(was.seqscan, was.randomPageCost).execute(db);
    return result;
  }
  return db.transaction().execute(async (trx) => {
    await settings('off', RANDOM_PAGE_COST).execute(trx);
    return run(trx);
  });
}

/** A random read's price for a search: SSD-class, the index mostly in memory (PostgreSQL's default is 4). */
const RANDOM_PAGE_COST = '1.1';

/**
 * The total of a page whose candidates were checked in rank order. `found` is the page's hits
 * and, when there are more, the first one after it; `held` of `sampled` candidates hold. The
 * total is exact when every candidate was sampled, or when the page ran out of hits; else it is
 * the sample's share scaled to all candidates, and always more than the hits seen so far while
 * more follow (so the pager offers the next page).
 */
export function countedPage(
  candidates: number,
  sampled: number,
  held: number,
  page: { limit: number; offset: number },
  found: readonly number[],
): MatchPage {
  const docIds = found.slice(0, page.limit);
  if (sampled >= candidates) return { total: held, exact: true, docIds };
  const estimate = Math.round((candidates * held) / sampled);
  if (found.length > page.limit) return { total: Math.max(estimate, page.offset + found.length), exact: false, docIds };
  // The page checked every candidate after the offset's hits.
  if (found.length > 0 || page.offset === 0) return { total: page.offset + found.length, exact: true, docIds };
  // Past the end: at most `offset` hits.
  return { total: Math.min(estimate, page.offset), exact: false, docIds };
}

/**
 * The ranking rules in tiers: a title hit, then a whole word, then a pinyin hit; newest first
 * among equals (the caller's ORDER BY). Each tier is a set read from its own index.
 */
function tierScore(id: RawBuilder<unknown>, titleQuery: string, wordQuery: string, pinyinQuery: string) {
  const tier = (weight: number, column: string, tsquery: string) =>
    tsquery === ''
      ? sql`0`
      : sql`case when ${id} in (select t.doc_id from search_vector t where ${sql.ref(`t.${column}`)} @@ ${tsquery}::tsquery) then ${sql.lit(weight)} else 0 end`;
  return sql`${tier(4, 'title', titleQuery)} + ${tier(2, 'words', wordQuery)} + ${tier(1, 'pinyin', pinyinQuery)}`;
}

/**
 * A term that PostgreSQL's statistics put in at least this many of the searched pages is
 * ranked by a walk (see walkMatch) rather than as a set: reading, joining and sorting every hit
 * grows with the hits (办发, 8,016 of 10,000 articles: 40 ms; at 1,000,000 articles, seconds),
 * while the walk grows with the page asked for.
 */
export const WALK_MIN_ESTIMATE = 1000;
/**
 * …and in at least this share of them: a walk examines about `hits wanted / share` pages. Its
 * bigrams must each be in this share of all pages too, by the statistics read beforehand.
 * Checking a page costs about twice what ranking a hit in the full path does (tens of
 * microseconds), so the walk is the cheaper from a share of about sqrt(11 × 2 / pages): 1.5 %
 * at 100,000 pages. At 0.2, terms in 5–20 % of 100,000 pages (重要, 11,278 hits) took the full
 * path at 90–160 ms; at 0.05 the class's p99 fell from 139 to 59 ms.
 */
const WALK_MIN_SHARE = 0.05;
/** Pages a walk examines at most before the full ranking takes over (a deep page, or a rarer term than estimated). */
const WALK_MAX_EXAMINED = 500;
/**
 * The most title hits (and whole-word hits, when they join them) ranked as a set before the walk:
 * more go to the full ranking. A whole word expected in more pages than this is walked instead.
 */
const WALK_MAX_HEAD = 1000;
/**
 * The most whole-word pages read as a set of ids to walk by ('ids' in WordTier): reading an id
 * costs about 1.5 µs, probing the set a microsecond a page walked, where reading a page's text to
 * check it costs tens. A word in more pages goes to the full ranking.
 */
const WALK_MAX_WORD_IDS = 20_000;
/** Pages a walk by the whole word's ids examines at most: newest first, at about a microsecond a page. */
const WALK_MAX_PROBED = 20_000;

/** Whether the document `id` holds a whole word, read from its own vector (the first chunk holds them all). */
function holdsWord(id: RawBuilder<unknown>, wordQuery: string): RawBuilder<boolean> {
  return sql<boolean>`exists (select 1 from search_vector v where v.doc_id = ${id} and v.chunk = 0 and v.words @@ ${wordQuery}::tsquery)`;
}

/** The query a walk can answer: one Han term of two characters or more, no alternatives, nothing excluded. */
function walkableTerm(query: ParsedQuery): QueryTerm | null {
  const term = query.groups.length === 1 && query.groups[0]?.length === 1 ? query.groups[0][0] : undefined;
  if (!term || query.excluded.length > 0) return null;
  return /^\p{Script=Han}{2,}$/u.test(term.text) && !term.pinyin && !term.initials ? term : null;
}

/** How long a process keeps the statistics' shares of common lexemes before reading them again. */
const SHARES_TTL_MS = 60_000;
type SharedColumn = 'grams' | 'words';
interface SharesKept {
  readonly at: number;
  readonly shares: ReadonlyMap<string, number>;
}
const sharesRead = new WeakMap<object, Map<SharedColumn, SharesKept>>();

/**
 * The share of vectors that hold each of the most common lexemes of a column (bigrams, words),
 * from PostgreSQL's statistics (pg_stats, written by ANALYZE), read at most once a minute per
 * store: most terms are rare, and this tells so without a round trip. A lexeme not listed is
 * rarer than every one listed.
 */
async function commonShares(db: Kysely<Database>, column: SharedColumn): Promise<ReadonlyMap<string, number>> {
  const kept = sharesRead.get(db)?.get(column);
  if (kept && Date.now() - kept.at < SHARES_TTL_MS) return kept.shares;
  const result = await sql<{ elems: string[] | null; freqs: number[] | null }>`
    select most_common_elems::text::text[] as elems, most_common_elem_freqs as freqs
    from pg_stats where schemaname = current_schema() and tablename = 'search_vector' and attname = ${column}`.execute(
    db,
  );
  const row = result.rows[0];
  const shares = new Map((row?.elems ?? []).map((elem, i) => [elem, row?.freqs?.[i] ?? 0]));
  // None yet (no ANALYZE since the index was filled): asked again next time, so the first
  // statistics count at once.
  if (shares.size > 0) {
    const byColumn = sharesRead.get(db) ?? new Map<SharedColumn, SharesKept>();
    byColumn.set(column, { at: Date.now(), shares });
    sharesRead.set(db, byColumn);
  }
  return shares;
}

interface PlanNode {
  readonly 'Plan Rows': number;
  readonly Plans?: readonly PlanNode[];
}

/**
 * PostgreSQL's estimates, from its statistics, of the rows each of two or more statements
 * returns: planned as one UNION ALL (one round trip, an Append of one plan each), never run.
 */
async function estimatedRows(db: Kysely<Database>, statements: readonly RawBuilder<unknown>[]): Promise<number[]> {
  const result = await sql<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>`explain (format json) ${sql.join(
    statements.map((s) => sql`(${s})`),
    sql` union all `,
  )}`.execute(db);
  const parts = result.rows[0]?.['QUERY PLAN'][0].Plan.Plans ?? [];
  return statements.map((_, i) => parts[i]?.['Plan Rows'] ?? 0);
}

/**
 * A common term ranked without reading every hit. The title tier is a small set, ranked as in
 * the full path; it comes first. The next tiers are read by walking the searched pages newest
 * first (an index scan backwards), checking each one only until the page has its hits and one
 * more. How the whole-word tier is read depends on how many pages hold the word (WordTier):
 * - in more pages than a set should hold by the statistics (区委: 54,926 of 100,000), the walk
 *   takes the pages that hold it, reading each one's words ('wide');
 * - else its pages are read as ids, and the walk takes them newest first by the ids ('ids');
 * - when they are too few to fill the page, they join the title set, and the walk takes every
 *   other page that holds the term as text ('head').
 *
 * The total is PostgreSQL's estimate, flagged inexact. Null when the term is not common enough
 * by the statistics, when the title set (or a set read with it) is over its cap, or when the
 * walk reaches its bound first: the caller then ranks every hit, exactly, as for any other query.
 */
async function walkMatch(
  db: Kysely<Database>,
  term: QueryTerm,
  filters: ResolvedFilters,
  page: { limit: number; offset: number },
): Promise<MatchPage | null> {
  const grams = await commonShares(db, 'grams');
  if (Math.min(...term.steps.map((step) => grams.get(step.token) ?? 0)) < WALK_MIN_SHARE) return null;
  const [searched = 0, estimate = 0, pages = 0] = await estimatedRows(db, [
    sql`select 1 from search_doc d where ${filterConditions(filters)}`,
    sql`select 1 from (${candidateSet(term)}) m join search_doc d on d.id = m.doc_id where ${filterConditions(filters)}`,
    sql`select 1 from search_doc d`,
  ]);
  if (estimate < WALK_MIN_ESTIMATE || estimate < searched * WALK_MIN_SHARE) return null;
  const walk = (words: WordTier) => walkStatement(db, term, filters, page, words);
  const outcome = (walked: WalkRows | Capped) =>
    typeof walked === 'string' ? null : pageOfWalk(walked, estimate, page);
  if (term.word === null) return outcome(await walk('none'));
  // A whole word in more pages than a set should hold, by the statistics of whole words, over
  // all pages: its set is read unfiltered (and capped as it is read, whatever was expected).
  const wide = ((await commonShares(db, 'words')).get(term.word) ?? 0) * pages > WALK_MAX_HEAD;
  if (wide) return outcome(await walk('wide'));
  // A word the statistics do not list as common may still be in thousands of pages (四十: 997
  // of 100,000, with 321 titles; too many to rank as one set): its pages are read as ids first.
  // In more than the ids' cap, it is walked as a wide word; in too few pages to fill the page,
  // they join the title set and the walk takes the rest.
  const byIds = await walk('ids');
  if (byIds === 'capped titles') return null;
  if (byIds === 'capped words') return outcome(await walk('wide'));
  return pageOfWalk(byIds, estimate, page) ?? outcome(await walk('head'));
}

/**
 * How a walk reads the whole-word tier:
 * - 'none': the term is no word; the head is the title set, the walk takes every other page
 *   that holds the term as text;
 * - 'head': the whole-word pages join the title set (at most WALK_MAX_HEAD in all), and the walk
 *   takes every other page that holds the term as text;
 * - 'ids': the head is the title set; the whole-word pages are read as a set of ids (at most
 *   WALK_MAX_WORD_IDS), and the walk takes them newest first, probing the set, over at most
 *   WALK_MAX_PROBED pages;
 * - 'wide': the head is the title set; the walk takes the pages that hold the whole word, newest
 *   first, reading each one's words (the word is in too many pages to read as a set).
 *
 * 'ids' and 'wide' take no page past the whole-word pages: their walk comes up short there.
 */
type WordTier = 'none' | 'head' | 'ids' | 'wide';

/** Which set a walk found over its cap: the head's (titles, and whole words with them), or the word's ids. */
type Capped = 'capped titles' | 'capped words';

interface WalkRow {
  readonly part: Capped | 'head' | 'walk';
  readonly id: number;
  readonly rn: string;
}

/** A walk's rows: the head's in rank order, then the walk's, newest first. */
interface WalkRows {
  readonly head: readonly number[];
  readonly walk: readonly number[];
}

/** One walk, as one statement: its rows, or which set it found over its cap. */
async function walkStatement(
  db: Kysely<Database>,
  term: QueryTerm,
  filters: ResolvedFilters,
  page: { limit: number; offset: number },
  words: WordTier,
): Promise<WalkRows | Capped> {
  const titleQuery = `(${phraseQuery(term.steps)})`;
  const wordQuery = term.word ? lexeme(term.word) : '';
  const titleSet = sql`select t.doc_id from search_vector t where t.title @@ ${titleQuery}::tsquery`;
  const wordSet = sql`select t.doc_id from search_vector t where t.words @@ ${wordQuery}::tsquery`;
  // UNION ALL, so that reading stops at the cap (a page in both sets counts twice toward it).
  const headSet = words === 'head' ? sql`${titleSet} union all ${wordSet}` : titleSet;
  const inWordIds = (id: RawBuilder<unknown>) => sql<boolean>`${id} in (select doc_id from wordids)`;
  // The head's whole-word tier: from the word's set where it is read, else from each head page's
  // own vector (a wide word's set is most of the hits: 区委, 54,926 pages of 100,000, 84 ms to read).
  const wordScore =
    words === 'wide'
      ? sql` + case when ${holdsWord(sql.ref('d.id'), wordQuery)} then 2 else 0 end`
      : words === 'ids'
        ? sql` + case when ${inWordIds(sql.ref('d.id'))} then 2 else 0 end`
        : sql``;
  const headScore = sql`${tierScore(sql.ref('d.id'), titleQuery, words === 'head' ? wordQuery : '', '')}${wordScore}`;
  const walkedHolds =
    words === 'wide'
      ? holdsWord(sql.ref('w.id'), wordQuery)
      : words === 'ids'
        ? inWordIds(sql.ref('w.id'))
        : holdsPhrase(term, sql.ref('w.id'));
  const examined = words === 'ids' ? WALK_MAX_PROBED : WALK_MAX_EXAMINED;
  const wordIds =
    words === 'ids'
      ? sql`wordids as materialized (select h.doc_id from (${wordSet}) h limit ${WALK_MAX_WORD_IDS + 1}),`
      : sql``;
  const wordIdsCapped =
    words === 'ids'
      ? sql`union all select 'capped words', 0, 0 from wordids having count(*) > ${WALK_MAX_WORD_IDS}`
      : sql``;
  // One-time filters: over a cap, neither the head is ranked nor the walk run.
  const underCaps =
    words === 'ids'
      ? sql`(select count(*) from headset) <= ${WALK_MAX_HEAD} and (select count(*) from wordids) <= ${WALK_MAX_WORD_IDS}`
      : sql`(select count(*) from headset) <= ${WALK_MAX_HEAD}`;
  const wanted = page.offset + page.limit + 1;
  // Too few whole-word pages to fill the page (a one-time filter): the walk is not run.
  const enoughWords =
    words === 'ids' ? sql`(select count(*) from wordids) >= ${wanted} - (select count(*) from head)` : sql`true`;
  const result = await withIndexScans(db, (trx) =>
    sql<WalkRow>`with ${wordIds} headset as materialized (
        select h.doc_id from (${headSet}) h limit ${WALK_MAX_HEAD + 1}),
      head as materialized (
        select d.id, d.published_at, ${headScore} as score
        from search_doc d where ${underCaps} and d.id in (select doc_id from headset) and ${filterConditions(filters)}),
      walked as (
        select w.id, w.published_at from (
          select d.id, d.published_at from search_doc d where ${filterConditions(filters)}
          order by d.published_at desc, d.id desc limit ${examined}) w
        where ${underCaps} and ${enoughWords} and w.id not in (select id from head) and ${walkedHolds}
        order by w.published_at desc, w.id desc
        limit (greatest(0, ${wanted} - greatest(${page.offset}, (select count(*) from head))))
        offset (greatest(0, ${page.offset} - (select count(*) from head))))
      select 'capped titles' as part, 0 as id, 0 as rn from headset having count(*) > ${WALK_MAX_HEAD}
      ${wordIdsCapped}
      union all
      select 'head', id, row_number() over (order by score desc, published_at desc, id desc) from head
      union all
      select 'walk', id, row_number() over (order by published_at desc, id desc) from walked`.execute(trx),
  );
  const capped = result.rows.find((r) => r.part === 'capped titles' || r.part === 'capped words');
  if (capped?.part === 'capped titles' || capped?.part === 'capped words') return capped.part;
  const inOrder = (part: 'head' | 'walk') =>
    result.rows
      .filter((r) => r.part === part)
      .sort((x, y) => Number(x.rn) - Number(y.rn))
      .map((r) => r.id);
  return { head: inOrder('head'), walk: inOrder('walk') };
}

/** A walk's page, or null when it found fewer than asked (it reached its bound, or the pages ran out). */
function pageOfWalk(walked: WalkRows, estimate: number, page: { limit: number; offset: number }): MatchPage | null {
  // The walk's rows start where the page does, or where the head ends.
  const found = [...walked.head.slice(page.offset, page.offset + page.limit + 1), ...walked.walk];
  if (found.length < page.limit + 1) return null;
  return {
    total: Math.max(Math.round(estimate), page.offset + found.length),
    exact: false,
    docIds: found.slice(0, page.limit),
  };
}

export const postgresBackend: SearchBackend = {
  async write(db, documents) {
    const rows: VectorRow[] = [];
    for (const { docId, tokens } of documents) rows.push(...vectorRows(docId, tokens));
    // Several rows per statement: the cast from literal to tsvector is the work, round trips are waste.
    for (let i = 0; i < rows.length; i += 50) {
      const part = rows.slice(i, i + 50);
      await sql`insert into search_vector (doc_id, chunk, grams, words, pinyin, initials, plain) values ${sql.join(
        part.map(
          (r) =>
            sql`(${r.docId}, ${r.chunk}, ${r.grams}::tsvector, ${r.words}::tsvector, ${r.pinyin}::tsvector, ${r.initials}::tsvector, ${r.plain})`,
        ),
      )}`.execute(db);
    }
  },

  async erase(db, docIds) {
    if (docIds.length === 0) return;
    await sql`delete from search_vector where doc_id in (${sql.join(docIds)})`.execute(db);
  },

  async match(db: Kysely<Database>, query: ParsedQuery, filters, page): Promise<MatchPage> {
    const common = walkableTerm(query);
    if (common) {
      const walked = await walkMatch(db, common, filters, page);
      if (walked) return walked;
    }
    // Each group's documents come from the GIN indexes as a set; a document's chunks together
    // hold every group. Plain lexemes need no recheck, so a common bigram costs its posting list,
    // not its documents' vectors. A group with a term checked as text contributes its candidates
    // here and is checked per document below, in rank order, only as far as needed.
    const checked = query.groups.filter((group) => group.some(checkedAsText));
    const groupSets = query.groups.map(
      (group) =>
        sql`(${sql.join(
          group.map((t) => (checkedAsText(t) ? candidateSet(t) : termSet(t))),
          sql` union `,
        )})`,
    );
    // In parentheses: INTERSECT binds tighter than UNION, so `a union b intersect c` is a ∪ (b ∩ c).
    const excluded = query.excluded.length
      ? sql` except (${sql.join(query.excluded.map(termSet), sql` union `)})`
      : sql``;
    const matched = sql`with matched as materialized (${sql.join(groupSets, sql` intersect `)}${excluded})`;
    const terms = query.groups.flat();
    const titleQuery = terms.map((t) => `(${phraseQuery(t.steps)})`).join(' | ');
    const wordQuery = terms
      .filter((t) => t.word)
      .map((t) => lexeme(t.word ?? ''))
      .join(' | ');
    const pinyinQuery = terms.flatMap((t) => (t.pinyin ? [`(${spelledQuery(t.pinyin)})`] : [])).join(' | ');
    const score = tierScore(sql.ref('m.doc_id'), titleQuery, wordQuery, pinyinQuery);
    const order = sql`${score} desc, d.published_at desc, d.id desc`;
    if (checked.length === 0) {
      const result = await withIndexScans(db, (trx) =>
        sql<{ id: number; total: number }>`${matched}
        select d.id, count(*) over () as total
        from matched m join search_doc d on d.id = m.doc_id
        where ${filterConditions(filters)}
        order by ${order}
        limit ${page.limit} offset ${page.offset}`.execute(trx),
      );
      let total = Number(result.rows[0]?.total ?? 0);
      if (result.rows.length === 0 && page.offset > 0) {
        total = (await this.match(db, query, filters, { limit: 1, offset: 0 })).total;
      }
      return { total, exact: true, docIds: result.rows.map((r) => r.id) };
    }
    // Up to EXACT_COUNT_CAP candidates are checked for the count, once each: all of them when
    // there are no more (the page then comes from them), else a sample in an order unrelated to
    // the ranking (the top of the ranking holds more hits than the rest). With more
    // candidates than that, the page checks them in rank order, only until it has its hits and
    // one more (to know whether more follow); PostgreSQL skips that part when there are fewer
    // (a one-time filter on the count). The page's subquery keeps its order, and its OFFSET 0
    // stops PostgreSQL pushing the check below the sort, where it would run on every candidate.
    const holds = (id: RawBuilder<unknown>) =>
      sql.join(
        checked.map(
          (group) =>
            sql`(${sql.join(
              group.map((t) => holdsTerm(t, id)),
              sql` or `,
            )})`,
        ),
        sql` and `,
      );
    const result = await withIndexScans(db, (trx) =>
      sql<{
        sampled: boolean;
        id: number | null;
        rn: string | null;
        held: boolean | null;
        candidates: string | null;
      }>`${matched},
      ranked as materialized (
        select d.id, row_number() over (order by ${order}) as rn
        from matched m join search_doc d on d.id = m.doc_id
        where ${filterConditions(filters)}),
      counted as materialized (select count(*) as candidates from ranked),
      sample as materialized (
        select id, rn, ${holds(sql.ref('ranked.id'))} as held from ranked order by hashint4(id) limit ${EXACT_COUNT_CAP}),
      page as (
        select r.id, r.rn from (select id, rn from ranked order by rn offset 0) r
        where (select candidates from counted) > ${EXACT_COUNT_CAP} and ${holds(sql.ref('r.id'))}
        order by r.rn limit ${page.limit + 1} offset ${page.offset})
      select true as sampled, s.id, s.rn, s.held, c.candidates from counted c left join sample s on true
      union all
      select false, p.id, p.rn, true, null from page p`.execute(trx),
    );
    const candidates = Number(result.rows.find((r) => r.sampled)?.candidates ?? 0);
    const sample = result.rows.filter((r) => r.sampled && r.id !== null);
    const held = sample.filter((r) => r.held);
    // Every candidate sampled: the page is among them. Else the page's own rows.
    const everyOne = candidates <= EXACT_COUNT_CAP;
    const inRankOrder = (everyOne ? held : result.rows.filter((r) => !r.sampled))
      .map((r) => ({ id: r.id ?? 0, rn: Number(r.rn) }))
      .sort((x, y) => x.rn - y.rn)
      .map((r) => r.id);
    const onPage = everyOne ? inRankOrder.slice(page.offset, page.offset + page.limit + 1) : inRankOrder;
    return countedPage(candidates, sample.length, held.length, page, onPage);
  },

  // The GIN inserts are most of a rebuild's time and one backend uses one core (5,000 articles:
  // 72 articles/s one batch at a time, 114 with two; three, no faster on two cores).
  bulkWriters: 2,

  async beginBulkWrite(db) {
    // A batch's inserts find the GIN pending lists full now and then and merge them into the
    // index there and then, with work_mem to sort the entries in: at the default 4 MB a merge
    // flushes many times, each a pass over an index larger than the buffer cache, and took up to
    // 28 s at 10,000 articles (the rebuild: 95 articles/s; 135 with 64 MB, no faster with more).
    // A merge may take long on a large index, and the rebuild is not a reader's request: at
    // 95,000 articles one ran past 10 minutes (checkpoints every 4 s under max_wal_size 1 GB,
    // each page the merge touched logged whole again). No limit; the operator can stop it.
    await sql`set local work_mem = '64MB'`.execute(db);
    await sql`set local statement_timeout = 0`.execute(db);
  },

  async settle(db) {
    // GIN's fast update appends new entries to a pending list that every query scans in full
    // until a vacuum merges it; a rebuild leaves megabytes there (a phrase's p50 went from 2 to
    // 13 ms at 10,000 articles). Merge now rather than wait for autovacuum.
    await sql`select gin_clean_pending_list(i.indexrelid::regclass)
      from pg_index i join pg_class c on c.oid = i.indexrelid join pg_am a on a.oid = c.relam
      where i.indrelid = 'search_vector'::regclass and a.amname = 'gin'`.execute(db);
  },

  async clear(db, siteId) {
    await sql`delete from search_vector where doc_id in (select id from search_doc where site_id = ${siteId})`.execute(
      db,
    );
  },
};
