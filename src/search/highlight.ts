import { escapeHtml } from '../domain/index.js';
import { normalizeText } from './normalize.js';

/**
 * Highlighting on the text as stored, matched as the index matches: through the same
 * normalisation (full-width, case, traditional characters), character by character.
 */

function normalizedChars(text: string): string[] {
  const chars = Array.from(text);
  const whole = Array.from(normalizeText(text));
  // Normalisation almost always maps one character to one; where it does not, go one by one.
  return whole.length === chars.length ? whole : chars.map((c) => Array.from(normalizeText(c))[0] ?? c);
}

/** Character ranges [start, end) of every occurrence of any term, merged. */
function matchRanges(chars: readonly string[], terms: readonly string[]): [number, number][] {
  const haystack = chars;
  const ranges: [number, number][] = [];
  for (const term of terms) {
    const needle = Array.from(term);
    if (needle.length === 0) continue;
    for (let i = 0; i + needle.length <= haystack.length; i++) {
      let k = 0;
      while (k < needle.length && haystack[i + k] === needle[k]) k++;
      if (k === needle.length) ranges.push([i, i + needle.length]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: [number, number][] = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([...range]);
  }
  return merged;
}

function markUp(chars: readonly string[], ranges: readonly [number, number][], from: number, to: number): string {
  let html = '';
  let at = from;
  for (const [start, end] of ranges) {
    if (end <= from || start >= to) continue;
    const s = Math.max(start, from);
    const e = Math.min(end, to);
    html += escapeHtml(chars.slice(at, s).join('')) + `<mark>${escapeHtml(chars.slice(s, e).join(''))}</mark>`;
    at = e;
  }
  return html + escapeHtml(chars.slice(at, to).join(''));
}

/** The whole text, escaped, with the terms in <mark>. */
export function highlight(text: string, terms: readonly string[]): string {
  const chars = Array.from(text);
  return markUp(chars, matchRanges(normalizedChars(text), terms), 0, chars.length);
}

/** Characters normalised at a time while looking for a snippet's first match. */
const PIECE = 240;

/** Ranges of `terms` in chars [from, to), normalised on their own, as offsets into chars. */
function rangesWithin(
  chars: readonly string[],
  terms: readonly string[],
  from: number,
  to: number,
): [number, number][] {
  return matchRanges(normalizedChars(chars.slice(from, to).join('')), terms).map(([s, e]) => [s + from, e + from]);
}

/**
 * About `length` characters around the first match (or the opening), escaped, with marks. Only
 * the text up to the first match and the window itself are normalised, a piece at a time: a
 * body runs to thousands of characters, and normalising all of it for ten hits took 2.6 ms of
 * every search.
 */
export function snippet(text: string, terms: readonly string[], length = 120): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  // A piece reaches this far into the next one, so a match that starts in it is whole.
  const reach = Math.max(1, ...terms.map((term) => Array.from(term).length)) - 1;
  let first = 0;
  for (let from = 0; from < chars.length; from += PIECE) {
    const found = rangesWithin(chars, terms, from, Math.min(chars.length, from + PIECE + reach))[0];
    if (found) {
      first = found[0];
      break;
    }
  }
  const start = Math.max(0, Math.min(first - Math.floor(length / 4), chars.length - length));
  const end = Math.min(chars.length, start + length);
  const ranges = rangesWithin(chars, terms, Math.max(0, start - reach), Math.min(chars.length, end + reach));
  return `${start > 0 ? '…' : ''}${markUp(chars, ranges, start, end)}${end < chars.length ? '…' : ''}`;
}
