import type { Jieba } from '@node-rs/jieba';
import { lazyModule } from '../lazy.js';
import { normalizeText } from './normalize.js';

/**
 * Search tokens. One tokenizer serves indexing and querying:
 *
 * - grams: for each run of Han characters, its overlapping bigrams, then the run's last
 *   character on its own. Every substring of two or more characters is then a phrase of
 *   consecutive bigrams; a single character is the prefix of a bigram or a run's last
 *   character; and the lone last character stands between runs, so no phrase matches across
 *   punctuation. Latin words and numbers are single tokens, in position with the grams, so a
 *   document number such as 吴政发〔2024〕12号 is a phrase too.
 * - words: jieba's segmentation, for ranking whole-word matches above bigram hits.
 */

const jiebaModule = lazyModule<typeof import('@node-rs/jieba')>('@node-rs/jieba');
const dictModule = lazyModule<typeof import('@node-rs/jieba/dict.js')>('@node-rs/jieba/dict.js');
let segmenter: Jieba | null = null;
/** jieba with its dictionary (60 MB), made when the first text is cut. */
function jieba(): Jieba {
  return (segmenter ??= jiebaModule().Jieba.withDict(dictModule().dict));
}

const HAN = /\p{Script=Han}/u;
const RUNS = /(\p{Script=Han}+)|((?:(?!\p{Script=Han})[\p{L}\p{N}])+)/gu;
const WORDLIKE = /[\p{L}\p{N}]/u;

export function isHan(char: string): boolean {
  return HAN.test(char);
}

/** Grams of already-normalised text, in order. */
export function gramsOfNormalized(text: string): string[] {
  const tokens: string[] = [];
  for (const m of text.matchAll(RUNS)) {
    if (m[1]) {
      const chars = Array.from(m[1]);
      for (let i = 0; i + 1 < chars.length; i++) tokens.push(chars[i]! + chars[i + 1]!);
      tokens.push(chars[chars.length - 1]!);
    } else if (m[2]) {
      tokens.push(m[2]);
    }
  }
  return tokens;
}

export function grams(text: string): string[] {
  return gramsOfNormalized(normalizeText(text));
}

/** Whole words of already-normalised text (jieba), letters and digits only. */
export function wordsOfNormalized(text: string): string[] {
  return jieba()
    .cut(text, false)
    .filter((word) => WORDLIKE.test(word))
    .map((word) => word.replace(/[^\p{L}\p{N}]+/gu, ''));
}

export function words(text: string): string[] {
  return wordsOfNormalized(normalizeText(text));
}

/** The text cut into jieba's words, every character kept (spaces and punctuation too): for diffs. */
export function segment(text: string): string[] {
  return jieba().cut(text, false);
}
