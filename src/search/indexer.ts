import type { Kysely } from 'kysely';
import { chunks } from '../domain/index.js';
import { articles, type Dialect, type Database } from '../store/index.js';
import type { SearchBackend } from './backend.js';
import { tokensOf, vocabularyOf, type DocumentTokens, type SearchSource } from './document.js';
import { postgresBackend } from './postgres.js';
import { sqliteBackend } from './sqlite.js';
import { normalizeText } from './normalize.js';
import { wordsOfNormalized } from './tokenize.js';

export function backendFor(dialect: Dialect): SearchBackend {
  return dialect === 'postgres' ? postgresBackend : sqliteBackend;
}

/** Rows per statement: well under SQLite's and PostgreSQL's parameter limits. */
const ROWS_PER_STATEMENT = 200;

/**
 * What a transaction changes in the sites' title vocabularies (search_term.df, for "did you
 * mean"), written once at its end, each site's terms in one order: two transactions that lock
 * terms in the same order cannot deadlock, so rebuild batches may be written side by side and
 * beside publishing.
 */
class VocabularyChange {
  private readonly sites = new Map<number, Map<string, number>>();

  count(siteId: number, titleWords: readonly string[], sign: 1 | -1): void {
    let terms = this.sites.get(siteId);
    if (!terms) this.sites.set(siteId, (terms = new Map<string, number>()));
    for (const term of vocabularyOf(titleWords)) terms.set(term, (terms.get(term) ?? 0) + sign);
  }

  async write(db: Kysely<Database>): Promise<void> {
    for (const [siteId, terms] of [...this.sites].sort(([a], [b]) => a - b)) {
      const changed = [...terms].filter(([, df]) => df !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      for (const part of chunks(changed, ROWS_PER_STATEMENT)) {
        await db
          .insertInto('searchTerm')
          .values(part.map(([term, df]) => ({ siteId, term, df })))
          .onConflict((oc) =>
            oc
              .columns(['siteId', 'term'])
              .doUpdateSet((eb) => ({ df: eb('searchTerm.df', '+', eb.ref('excluded.df')) })),
          )
          .execute();
      }
      const fewer = changed.filter(([, df]) => df < 0).map(([term]) => term);
      for (const part of chunks(fewer, ROWS_PER_STATEMENT)) {
        await db
          .deleteFrom('searchTerm')
          .where('siteId', '=', siteId)
          .where('term', 'in', part)
          .where('df', '<=', 0)
          .execute();
      }
    }
  }
}

/**
 * Removes the pages from search_doc and the token index, counting their titles out of
 * `vocabulary`. Only the rows this transaction deletes are counted: a page another transaction
 * removed meanwhile (PostgreSQL waits for it, then finds the row gone) is that one's to count.
 */
async function removeDocuments(
  db: Kysely<Database>,
  dialect: Dialect,
  keys: readonly string[],
  vocabulary: VocabularyChange,
): Promise<number> {
  let removed = 0;
  for (const part of chunks(keys, ROWS_PER_STATEMENT)) {
    const old = await db.selectFrom('searchDoc').select('id').where('docKey', 'in', part).execute();
    if (old.length === 0) continue;
    const ids = old.map((o) => o.id);
    await backendFor(dialect).erase(db, ids);
    const deleted = await db.deleteFrom('searchDoc').where('id', 'in', ids).returning(['siteId', 'title']).execute();
    for (const o of deleted) vocabulary.count(o.siteId, wordsOfNormalized(normalizeText(o.title)), -1);
    removed += deleted.length;
  }
  return removed;
}

/** Removes pages from the index (those that are there). Runs in the caller's transaction. */
export async function unindexDocuments(
  db: Kysely<Database>,
  dialect: Dialect,
  keys: readonly string[],
): Promise<number> {
  const vocabulary = new VocabularyChange();
  const removed = await removeDocuments(db, dialect, keys, vocabulary);
  await vocabulary.write(db);
  return removed;
}

/** A page and its tokens: the CPU side of indexing, done before the transaction that stores it. */
export interface TokenizedSource {
  readonly source: SearchSource;
  readonly tokens: DocumentTokens;
}

function tokenize(sources: readonly SearchSource[]): TokenizedSource[] {
  return sources.map((source) => ({ source, tokens: tokensOf(source) }));
}

/** Pages tokenized between them, so what awaits the database meanwhile goes on. */
const PAGES_PER_TURN = 16;

/**
 * tokenize, giving the event loop a turn every few pages: a bulk rebuild tokenizes the next
 * batch while the database writes this one, and each statement of that write is sent as soon
 * as the one before returns, not after the whole batch is tokenized.
 */
export async function tokenizeGradually(sources: readonly SearchSource[]): Promise<TokenizedSource[]> {
  const out: TokenizedSource[] = [];
  for (const part of chunks(sources, PAGES_PER_TURN)) {
    out.push(...tokenize(part));
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return out;
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
  await indexTokenized(db, dialect, tokenize(sources));
}

/**
 * Inserts the pages' search_doc rows, counting their titles into `vocabulary`. With `skipTaken`,
 * a page whose key another transaction has taken since this one removed it is left out and not
 * returned; without, that conflict is the store's unique-key error.
 */
async function insertDocuments(
  db: Kysely<Database>,
  documents: readonly TokenizedSource[],
  vocabulary: VocabularyChange,
  skipTaken: boolean,
): Promise<{ key: string; docId: number; tokens: DocumentTokens }[]> {
  const stored: { key: string; docId: number; tokens: DocumentTokens }[] = [];
  for (const part of chunks(documents, ROWS_PER_STATEMENT)) {
    const insert = db.insertInto('searchDoc').values(
      part.map(({ source }) => ({
        docKey: source.key,
        siteId: source.siteId,
        contentType: source.contentType,
        articleId: source.articleId,
        channelId: source.channelId,
        title: source.title,
        bodyText: source.bodyText,
        publishedAt: source.publishedAt,
      })),
    );
    const rows = await (skipTaken ? insert.onConflict((oc) => oc.column('docKey').doNothing()) : insert)
      .returning(['id', 'docKey'])
      .execute();
    const idByKey = new Map(rows.map((r) => [r.docKey, r.id]));
    for (const { source, tokens } of part) {
      const docId = idByKey.get(source.key);
      if (docId === undefined) continue;
      stored.push({ key: source.key, docId, tokens });
      vocabulary.count(source.siteId, tokens.titleWords, 1);
    }
  }
  return stored;
}

/** Rounds of remove-and-insert for a page other transactions keep writing at the same moment. */
const WRITE_ROUNDS = 3;

/**
 * indexDocuments for pages already tokenized. On PostgreSQL another transaction may index the
 * same page at the same moment (a publish beside a rebuild batch): when it commits a new row
 * after this one's removal looked, the insert finds the key taken, so that row is removed in
 * turn (counted out of the vocabulary) and the page inserted again; the last round lets the
 * unique key refuse it rather than loop.
 */
async function indexTokenized(
  db: Kysely<Database>,
  dialect: Dialect,
  documents: readonly TokenizedSource[],
): Promise<void> {
  if (documents.length === 0) return;
  const vocabulary = new VocabularyChange();
  const stored: { docId: number; tokens: DocumentTokens }[] = [];
  let pending = documents;
  for (let round = 1; pending.length > 0; round++) {
    await removeDocuments(
      db,
      dialect,
      pending.map((d) => d.source.key),
      vocabulary,
    );
    const inserted = await insertDocuments(db, pending, vocabulary, round < WRITE_ROUNDS);
    stored.push(...inserted);
    const done = new Set(inserted.map((d) => d.key));
    pending = pending.filter((d) => !done.has(d.source.key));
  }
  await backendFor(dialect).write(db, stored);
  await vocabulary.write(db);
}

/**
 * The pages of a rebuild batch whose articles are as the batch read them. An article edited
 * since the read is left to the edit, which indexed it. On PostgreSQL the rows are held
 * (articles.holdArticles) until the batch commits, so an edit not yet committed waits and is then seen: a batch
 * read seconds ago never writes over a newer page or brings back a withdrawn one. On SQLite the
 * batch's transaction sees the store as of this read, and a write of another process since makes
 * its first write fail rather than go over it (a rebuild by `gazette search reindex` beside a
 * running server).
 */
async function unchangedSinceRead(
  trx: Kysely<Database>,
  dialect: Dialect,
  documents: readonly TokenizedSource[],
): Promise<TokenizedSource[]> {
  const read = new Map<number, number>();
  for (const { source } of documents) {
    if (source.articleId !== null && source.articleVersion !== undefined) {
      read.set(source.articleId, source.articleVersion);
    }
  }
  if (read.size === 0) return [...documents];
  const current = await articles.holdArticles(trx, dialect, [...read.keys()]);
  return documents.filter(({ source }) => {
    const version = source.articleId === null ? undefined : read.get(source.articleId);
    return version === undefined || current.get(source.articleId ?? 0) === version;
  });
}

/** Attempts at a rebuild batch that PostgreSQL ended to break a deadlock. */
const BATCH_ATTEMPTS = 3;

const isDeadlock = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '40P01';

/**
 * One batch of a bulk rebuild, in a transaction of its own. Pages edited since the batch was read
 * are left out (the edit indexed them); returns how many were written. A batch can deadlock with
 * a transaction that saves several of its articles in another order (an import): PostgreSQL
 * ends the one whose deadlock check comes first, the batch when the cycle closes within
 * deadlock_timeout (1 s) of the batch starting to wait. The batch is then tried again, and finds
 * those pages edited; the other way round, the import fails and the batch goes on.
 */
export async function indexRebuildBatch(
  db: Kysely<Database>,
  dialect: Dialect,
  documents: readonly TokenizedSource[],
): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(async (trx) => {
        await backendFor(dialect).beginBulkWrite(trx);
        const unchanged = await unchangedSinceRead(trx, dialect, documents);
        await indexTokenized(trx, dialect, unchanged);
        return unchanged.length;
      });
    } catch (error) {
      if (attempt >= BATCH_ATTEMPTS || !isDeadlock(error)) throw error;
    }
  }
}

export async function indexDocument(db: Kysely<Database>, dialect: Dialect, source: SearchSource): Promise<void> {
  await indexDocuments(db, dialect, [source]);
}

export async function unindexDocument(db: Kysely<Database>, dialect: Dialect, key: string): Promise<boolean> {
  return (await unindexDocuments(db, dialect, [key])) > 0;
}
