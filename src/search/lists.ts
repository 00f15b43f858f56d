import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import { normalizeText } from './normalize.js';
import type { QueryLists } from './query.js';

/** Words too common to narrow a search; a site edits its own list (seeded with these). */
export const DEFAULT_STOP_WORDS = [
  '的',
  '了',
  '和',
  '与',
  '及',
  '或',
  '是',
  '在',
  '对',
  '等',
  '之',
  '其',
  '这',
  '那',
  'the',
  'a',
  'an',
  'of',
  'and',
];

function clean(word: string): string {
  return normalizeText(word).trim();
}

export async function loadQueryLists(db: Kysely<Database>, siteId: number): Promise<QueryLists> {
  const [synonymRows, stopRows] = await Promise.all([
    db.selectFrom('searchSynonym').select(['term', 'synonym']).where('siteId', '=', siteId).execute(),
    db.selectFrom('searchStopword').select('word').where('siteId', '=', siteId).execute(),
  ]);
  const synonyms = new Map<string, string[]>();
  for (const { term, synonym } of synonymRows) synonyms.set(term, [...(synonyms.get(term) ?? []), synonym]);
  return { synonyms, stopWords: new Set(stopRows.map((r) => r.word)) };
}

/** Makes the words synonyms of each other (every pair, both ways). */
export async function addSynonyms(db: Kysely<Database>, siteId: number, words: readonly string[]): Promise<void> {
  const group = [...new Set(words.map(clean).filter((w) => w !== ''))];
  const rows = group.flatMap((term) => group.filter((s) => s !== term).map((synonym) => ({ siteId, term, synonym })));
  if (rows.length === 0) return;
  await db
    .insertInto('searchSynonym')
    .values(rows)
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Removes a word from every synonym group. */
export async function removeSynonym(db: Kysely<Database>, siteId: number, word: string): Promise<number> {
  const w = clean(word);
  const result = await db
    .deleteFrom('searchSynonym')
    .where('siteId', '=', siteId)
    .where((eb) => eb.or([eb('term', '=', w), eb('synonym', '=', w)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function listSynonyms(db: Kysely<Database>, siteId: number): Promise<Map<string, string[]>> {
  return (await loadQueryLists(db, siteId)).synonyms as Map<string, string[]>;
}

export async function addStopWords(db: Kysely<Database>, siteId: number, words: readonly string[]): Promise<void> {
  const rows = [...new Set(words.map(clean).filter((w) => w !== ''))].map((word) => ({ siteId, word }));
  if (rows.length === 0) return;
  await db
    .insertInto('searchStopword')
    .values(rows)
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function removeStopWord(db: Kysely<Database>, siteId: number, word: string): Promise<boolean> {
  const result = await db
    .deleteFrom('searchStopword')
    .where('siteId', '=', siteId)
    .where('word', '=', clean(word))
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function listStopWords(db: Kysely<Database>, siteId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('searchStopword')
    .select('word')
    .where('siteId', '=', siteId)
    .orderBy('word')
    .execute();
  return rows.map((r) => r.word);
}
