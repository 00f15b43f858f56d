import { GazetteError } from '../domain/index.js';
import { normalizeText } from './normalize.js';
import { splitPinyin } from './pinyin.js';
import { wordsOfNormalized } from './tokenize.js';

/**
 * The query language readers use: words (all must match), "quoted phrases", -exclusions and
 * `OR` between alternatives. Anything else, FTS syntax included, is text to look for.
 */

export const MAX_QUERY_LENGTH = 200;

/** One step of a term's match: a token, or a token prefix (the term may end mid-word). */
export interface GramStep {
  readonly token: string;
  readonly prefix: boolean;
}

export interface QueryTerm {
  /** The normalised text, for highlighting and "did you mean". */
  readonly text: string;
  /** Consecutive tokens that must appear in order (a phrase). */
  readonly steps: readonly GramStep[];
  /** Set when the whole term is one jieba word: whole-word hits rank higher. */
  readonly word: string | null;
  /** Syllables when the term reads as pinyin (wujiang → wu jiang). */
  readonly pinyin: readonly string[] | null;
  /** Letters when the term reads as pinyin initials (wjq → w j q). */
  readonly initials: readonly string[] | null;
}

export interface ParsedQuery {
  /** Every group must match; a group matches when any of its terms does. */
  readonly groups: readonly (readonly QueryTerm[])[];
  readonly excluded: readonly QueryTerm[];
}

const RUN = /(\p{Script=Han}+)|((?:(?!\p{Script=Han})[\p{L}\p{N}])+)|([^\p{L}\p{N}]+)/gu;

/**
 * The steps that find a term as a substring. A Han run followed by punctuation inside the term
 * ends with its last character on its own, as the index stores it; the run that ends the term
 * may continue in the document, so it ends on its last bigram, or on a single character as a prefix.
 */
export function stepsOf(normalized: string): GramStep[] {
  const parts = [...normalized.matchAll(RUN)];
  const steps: GramStep[] = [];
  parts.forEach((m, index) => {
    const isLast = parts.slice(index + 1).every((p) => p[3] !== undefined);
    if (m[1]) {
      const chars = Array.from(m[1]);
      for (let i = 0; i + 1 < chars.length; i++) steps.push({ token: chars[i]! + chars[i + 1]!, prefix: false });
      if (!isLast) steps.push({ token: chars[chars.length - 1]!, prefix: false });
      else if (chars.length === 1) steps.push({ token: chars[0]!, prefix: true });
    } else if (m[2]) {
      steps.push({ token: m[2], prefix: false });
    }
  });
  return steps;
}

function termOf(raw: string): QueryTerm | null {
  const text = normalizeText(raw).trim();
  const steps = stepsOf(text);
  if (steps.length === 0) return null;
  const single = !/\s/.test(text);
  const bare = text.replace(/[^\p{L}\p{N}]+/gu, '');
  const segmented = single ? wordsOfNormalized(bare) : [];
  const letters = single && /^[a-z']+$/.test(text);
  const pinyin = letters ? splitPinyin(text) : null;
  return {
    text,
    steps,
    // Only a term that is letters and digits alone: then a whole-word hit is always a bigram hit too,
    // and the word clause changes the ranking, never the results.
    word: bare === text && segmented.length === 1 && segmented[0] === bare ? bare : null,
    pinyin,
    // Initials when the letters are not pinyin syllables themselves: wjq, but not wujiang.
    initials:
      letters && !pinyin && text.length >= 2 && text.length <= 8 && !text.includes("'") ? Array.from(text) : null,
  };
}

interface RawTerm {
  readonly text: string;
  readonly exclude: boolean;
  readonly or: boolean;
}

/** Splits the query at spaces, keeping "quoted" and “quoted” phrases whole. */
function lex(query: string): RawTerm[] {
  const terms: RawTerm[] = [];
  const pattern = /(-?)(?:"([^"]*)"?|“([^”]*)”?|(\S+))/g;
  let pendingOr = false;
  for (const m of query.matchAll(pattern)) {
    const text = m[2] ?? m[3] ?? m[4] ?? '';
    if (m[4] !== undefined && (text === 'OR' || text === '|') && m[1] === '' && terms.length > 0) {
      pendingOr = true;
      continue;
    }
    terms.push({ text, exclude: m[1] === '-' && text !== '', or: pendingOr });
    pendingOr = false;
  }
  return terms;
}

export interface QueryLists {
  /** term → its synonyms (both ways are listed by the caller). */
  readonly synonyms: ReadonlyMap<string, readonly string[]>;
  readonly stopWords: ReadonlySet<string>;
}

export const NO_LISTS: QueryLists = { synonyms: new Map(), stopWords: new Set() };

/** Parses a reader's query, or throws SEARCH_QUERY_EMPTY / SEARCH_QUERY_TOO_LONG. */
export function parseQuery(query: string, lists: QueryLists = NO_LISTS): ParsedQuery {
  if (Array.from(query).length > MAX_QUERY_LENGTH) {
    throw new GazetteError('SEARCH_QUERY_TOO_LONG', { max: MAX_QUERY_LENGTH });
  }
  const raw = lex(query);
  const meaningful = raw.filter((t) => t.exclude || !lists.stopWords.has(normalizeText(t.text).trim()));
  // A query of stop words only still means something to the reader: search for them.
  const kept = meaningful.some((t) => !t.exclude) ? meaningful : raw;
  const groups: QueryTerm[][] = [];
  const excluded: QueryTerm[] = [];
  for (const item of kept) {
    const term = termOf(item.text);
    if (!term) continue;
    if (item.exclude) {
      excluded.push(term);
      continue;
    }
    const alternatives = [
      term,
      ...(lists.synonyms.get(term.text) ?? []).map(termOf).filter((t): t is QueryTerm => t !== null),
    ];
    const last = groups[groups.length - 1];
    if (item.or && last) last.push(...alternatives);
    else groups.push(alternatives);
  }
  if (groups.length === 0) throw new GazetteError('SEARCH_QUERY_EMPTY');
  return { groups, excluded };
}

/** The distinct texts to highlight in results. */
export function highlightTerms(query: ParsedQuery): string[] {
  const texts = query.groups.flat().flatMap((t) => t.text.split(/\s+/));
  return [...new Set(texts.filter((t) => t !== ''))].sort((a, b) => b.length - a.length);
}
