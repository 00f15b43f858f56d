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

async function adjustVocabulary(db: Kysely<Database>, siteId: number, terms: readonly string[], delta: 1 | -1): Promise<void> {
  if (terms.length === 0) return;
  if (delta === 1) {
    await db
      .insertInto('searchTerm')
      .values(terms.map((term) => ({ siteId, term, df: 1 })))
      .onConflict((oc) => oc.columns(['siteId', 'term']).doUpdateSet((eb) => ({ df: eb('searchTerm.df', '+', 1) })))
      .execute();
  } else {
    await db
      .updateTable('searchTerm')
      .set((eb) => ({ df: eb('df', '-', 1) }))
      .where('siteId', '=', siteId)
      .where('term', 'in', terms)
      .execute();
    await db.deleteFrom('searchTerm').where('siteId', '=', siteId).where('df', '<=', 0).execute();
  }
}

function titleVocabulary(title: string): string[] {
  return vocabularyOf(wordsOfNormalized(normalizeText(title)));
}

/** Removes a page from the index, if it is there. Runs in the caller's transaction. */
export async function unindexDocument(db: Kysely<Database>, dialect: Dialect, key: string): Promise<boolean> {
  const old = await db.selectFrom('searchDoc').select(['id', 'siteId', 'title']).where('docKey', '=', key).executeTakeFirst();
  if (!old) return false;
  await backendFor(dialect).erase(db, old.id);
  await db.deleteFrom('searchDoc').where('id', '=', old.id).execute();
  await adjustVocabulary(db, old.siteId, titleVocabulary(old.title), -1);
  return true;
}

/** Adds or replaces a page in the index. Runs in the caller's transaction. */
export async function indexDocument(db: Kysely<Database>, dialect: Dialect, source: SearchSource): Promise<void> {
  await unindexDocument(db, dialect, source.key);
  const row = await db
    .insertInto('searchDoc')
    .values({
      docKey: source.key,
      siteId: source.siteId,
      contentType: source.contentType,
      articleId: source.articleId,
      channelId: source.channelId,
      title: source.title,
      bodyText: source.bodyText,
      publishedAt: source.publishedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const tokens = tokensOf(source);
  await backendFor(dialect).write(db, row.id, tokens);
  await adjustVocabulary(db, source.siteId, vocabularyOf(tokens.titleWords), 1);
}
