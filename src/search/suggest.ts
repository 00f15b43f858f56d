import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import { pinyinOf } from './pinyin.js';

/** Damerau–Levenshtein distance, stopping early once it exceeds `limit`. */
export function editDistance(a: readonly string[], b: readonly string[], limit = 1): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows[i] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        rows[0]![j] = j;
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

/** How many candidate words to weigh, most frequent first. */
const CANDIDATES = 20_000;

/**
 * "Did you mean": the most frequent title word one edit away from the term (a character
 * substituted, dropped, added or two swapped), or sounding the same (同音字: 无江 → 吴江).
 */
export async function suggestTerm(db: Kysely<Database>, siteId: number, term: string): Promise<string | null> {
  const chars = Array.from(term);
  if (chars.length < 2 || chars.length > 12) return null;
  const rows = await db
    .selectFrom('searchTerm')
    .select(['term', 'df'])
    .where('siteId', '=', siteId)
    .where(sql<number>`length(term)`, '>=', chars.length - 1)
    .where(sql<number>`length(term)`, '<=', chars.length + 1)
    .orderBy('df', 'desc')
    .orderBy('term')
    .limit(CANDIDATES)
    .execute();
  const sound = pinyinOf(term).syllables.join(' ');
  for (const row of rows) {
    if (row.term === term) continue;
    const candidate = Array.from(row.term);
    if (editDistance(chars, candidate) <= 1) return row.term;
    const sharesACharacter = candidate.some((c) => chars.includes(c));
    if (
      sound !== '' &&
      candidate.length === chars.length &&
      sharesACharacter &&
      pinyinOf(row.term).syllables.join(' ') === sound
    ) {
      return row.term;
    }
  }
  return null;
}
