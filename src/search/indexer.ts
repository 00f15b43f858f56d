import type { Kysely } from 'kysely';
import type { Dialect, Database } from '../store/index.js';
import type { SearchBackend } from './backend.js';
import { tokensOf, vocabularyOf, type SearchSource } from './document.js';
import { postgresBackend } from './postgres.js';
import { sqliteBackend } from './sqlite.js';
import { normalizeText } from './normalize.js';
import { wordsOfNormalized } from './tokenize.js';

export function backendFor(dialect: Dialect): SearchBackend {
  return dialect === 'postgres' ? postgresBackend : sqliteBackend;
}

/** Rows per statement: well under SQLite's and PostgreSQL's parameter limits. */
const ROWS_PER_STATEMENT = 200;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** term → how many of the documents hold it in their title. */
function countTerms(titles: readonly (readonly string[])[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const terms of titles) for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
}

async function addToVocabulary(db: Kysely<Database>, siteId: number, counts: Map<string, number>): Promise<void> {
  for (const part of chunks([...counts], ROWS_PER_STATEMENT)) {
    await db
      .insertInto('searchTerm')
      .values(part.map(([term, df]) => ({ siteId, term, df })))
      .onConflict((oc) =>
        oc.columns(['siteId', 'term']).doUpdateSet((eb) => ({ df: eb('searchTerm.df', '+', eb.ref('excluded.df')) })),
      )
      .execute();
  }
}

async function removeFromVocabulary(db: Kysely<Database>, siteId: number, counts: Map<string, number>): Promise<void> {
  const byAmount = new Map<number, string[]>();
  for (const [term, n] of counts) byAmount.set(n, [...(byAmount.get(n) ?? []), term]);
  for (const [n, terms] of byAmount) {
    for (const part of chunks(terms, ROWS_PER_STATEMENT)) {
      await db
        .updateTable('searchTerm')
        .set((eb) => ({ df: eb('df', '-', n) }))
        .where('siteId', '=', siteId)
        .where('term', 'in', part)
        .execute();
    }
  }
  for (const part of chunks([...counts.keys()], ROWS_PER_STATEMENT)) {
    await db
      .deleteFrom('searchTerm')
      .where('siteId', '=', siteId)
      .where('term', 'in', part)
      .where('df', '<=', 0)
      .execute();
  }
}

const titleVocabulary = (title: string) => vocabularyOf(wordsOfNormalized(normalizeText(title)));

/** Removes pages from the index (those that are there). Runs in the caller's transaction. */
export async function unindexDocuments(
  db: Kysely<Database>,
  dialect: Dialect,
  keys: readonly string[],
): Promise<number> {
  let removed = 0;
  for (const part of chunks(keys, ROWS_PER_STATEMENT)) {
    const old = await db
      .selectFrom('searchDoc')
      .select(['id', 'siteId', 'title'])
      .where('docKey', 'in', part)
      .execute();
    if (old.length === 0) continue;
    const ids = old.map((o) => o.id);
    await backendFor(dialect).erase(db, ids);
    await db.deleteFrom('searchDoc').where('id', 'in', ids).execute();
    const bySite = new Map<number, string[][]>();
    for (const o of old) bySite.set(o.siteId, [...(bySite.get(o.siteId) ?? []), titleVocabulary(o.title)]);
    for (const [siteId, titles] of bySite) await removeFromVocabulary(db, siteId, countTerms(titles));
    removed += old.length;
  }
  return removed;
}

/**
 * Adds or replaces pages in the index, in the caller's transaction. Batches go faster than
 * one by one: FTS5 keeps a batch's terms in memory and writes them as one segment.
 */
export async function indexDocuments(
  db: Kysely<Database>,
  dialect: Dialect,
  sources: readonly SearchSource[],
): Promise<void> {
  if (sources.length === 0) return;
  await unindexDocuments(
    db,
    dialect,
    sources.map((s) => s.key),
  );
  const entries: { docId: number; source: SearchSource }[] = [];
  for (const part of chunks(sources, ROWS_PER_STATEMENT)) {
    const rows = await db
      .insertInto('searchDoc')
      .values(
        part.map((source) => ({
          docKey: source.key,
          siteId: source.siteId,
          contentType: source.contentType,
          articleId: source.articleId,
          channelId: source.channelId,
          title: source.title,
          bodyText: source.bodyText,
          publishedAt: source.publishedAt,
        })),
      )
      .returning(['id', 'docKey'])
      .execute();
    const idByKey = new Map(rows.map((r) => [r.docKey, r.id]));
    for (const source of part) entries.push({ docId: idByKey.get(source.key) ?? 0, source });
  }
  const tokenized = entries.map(({ docId, source }) => ({ docId, siteId: source.siteId, tokens: tokensOf(source) }));
  await backendFor(dialect).write(db, tokenized);
  const bySite = new Map<number, string[][]>();
  for (const t of tokenized) bySite.set(t.siteId, [...(bySite.get(t.siteId) ?? []), vocabularyOf(t.tokens.titleWords)]);
  for (const [siteId, titles] of bySite) await addToVocabulary(db, siteId, countTerms(titles));
}

export async function indexDocument(db: Kysely<Database>, dialect: Dialect, source: SearchSource): Promise<void> {
  await indexDocuments(db, dialect, [source]);
}

export async function unindexDocument(db: Kysely<Database>, dialect: Dialect, key: string): Promise<boolean> {
  return (await unindexDocuments(db, dialect, [key])) > 0;
}
