import type { Kysely } from 'kysely';
import type { Dialect, Database } from '../store/index.js';
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

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

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

/** Removes the pages from search_doc and the token index, counting their titles out of `vocabulary`. */
async function removeDocuments(
  db: Kysely<Database>,
  dialect: Dialect,
  keys: readonly string[],
  vocabulary: VocabularyChange,
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
    for (const o of old) vocabulary.count(o.siteId, wordsOfNormalized(normalizeText(o.title)), -1);
    removed += old.length;
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

/** indexDocuments for pages already tokenized. */
async function indexTokenized(
  db: Kysely<Database>,
  dialect: Dialect,
  documents: readonly TokenizedSource[],
): Promise<void> {
  if (documents.length === 0) return;
  const vocabulary = new VocabularyChange();
  await removeDocuments(
    db,
    dialect,
    documents.map((d) => d.source.key),
    vocabulary,
  );
  const stored: { docId: number; tokens: DocumentTokens }[] = [];
  for (const part of chunks(documents, ROWS_PER_STATEMENT)) {
    const rows = await db
      .insertInto('searchDoc')
      .values(
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
      )
      .returning(['id', 'docKey'])
      .execute();
    const idByKey = new Map(rows.map((r) => [r.docKey, r.id]));
    for (const { source, tokens } of part) {
      stored.push({ docId: idByKey.get(source.key) ?? 0, tokens });
      vocabulary.count(source.siteId, tokens.titleWords, 1);
    }
  }
  await backendFor(dialect).write(db, stored);
  await vocabulary.write(db);
}

/** indexTokenized for one batch of a bulk rebuild, in a transaction of its own. */
export async function indexRebuildBatch(
  trx: Kysely<Database>,
  dialect: Dialect,
  documents: readonly TokenizedSource[],
): Promise<void> {
  await backendFor(dialect).beginBulkWrite(trx);
  await indexTokenized(trx, dialect, documents);
}

export async function indexDocument(db: Kysely<Database>, dialect: Dialect, source: SearchSource): Promise<void> {
  await indexDocuments(db, dialect, [source]);
}

export async function unindexDocument(db: Kysely<Database>, dialect: Dialect, key: string): Promise<boolean> {
  return (await unindexDocuments(db, dialect, [key])) > 0;
}
