/**
 * Near misses: a text window one edit away from a canonical phrase (one character substituted,
 * dropped or added, or two adjacent ones swapped). Candidates come from one pass over the text's
 * character pairs, looked up in an index of each phrase's pairs and skip-pairs (P[j]P[j+2], which is
 * what a pair becomes when the character between is dropped or two are swapped); a candidate is
 * kept when enough pairs line up on nearly the same diagonal, then verified exactly.
 */
export type Edit =
  | { readonly type: 'substitution'; readonly at: number; readonly char: string }
  | { readonly type: 'transposition'; readonly at: number }
  | { readonly type: 'deletion'; readonly at: number }
  | { readonly type: 'insertion'; readonly at: number; readonly char: string };

/** The one edit that turns `phrase` into `window`, or null if it takes none or more than one. */
export function oneEdit(window: string, phrase: string): Edit | null {
  return editAt(window, 0, window.length, phrase);
}

/** Whether text[from, from+length) equals phrase[at, at+length), without slicing either. */
function same(text: string, from: number, phrase: string, at: number, length: number): boolean {
  for (let k = 0; k < length; k++) if (text.charCodeAt(from + k) !== phrase.charCodeAt(at + k)) return false;
  return true;
}

/** oneEdit of the window text[start, end), read in place (no substring per candidate). */
function editAt(text: string, start: number, end: number, phrase: string): Edit | null {
  const n = phrase.length;
  const length = end - start;
  let first = 0;
  while (first < Math.min(n, length) && text.charCodeAt(start + first) === phrase.charCodeAt(first)) first++;
  if (length === n) {
    if (first === n) return null;
    if (same(text, start + first + 1, phrase, first + 1, n - first - 1))
      return { type: 'substitution', at: first, char: text[start + first]! };
    const swapped = text[start + first] === phrase[first + 1] && text[start + first + 1] === phrase[first];
    if (swapped && same(text, start + first + 2, phrase, first + 2, n - first - 2))
      return { type: 'transposition', at: first };
    return null;
  }
  if (length === n - 1)
    return same(text, start + first, phrase, first + 1, n - first - 1) ? { type: 'deletion', at: first } : null;
  if (length === n + 1)
    return same(text, start + first + 1, phrase, first, n - first)
      ? { type: 'insertion', at: first, char: text[start + first]! }
      : null;
  return null;
}

/** Far below any diagonal: a phrase not hit yet. */
const DIAGONAL_SHIFT = 1 << 20;

/** The pairs that must line up for a candidate: a phrase of n characters keeps n-4 of them or more after one edit. */
function threshold(n: number): number {
  return Math.max(1, n - 4);
}

function pairKey(text: string, i: number, j: number): number {
  return text.charCodeAt(i) * 65536 + text.charCodeAt(j);
}

export interface Candidate {
  readonly target: number;
  readonly start: number;
  readonly end: number;
  readonly edit: Edit;
}

export class NearMissIndex {
  private readonly postings = new Map<number, { target: number; offset: number }[]>();
  /** Three-character phrases by their outer pair: a middle character changed breaks both of their pairs. */
  private readonly outer = new Map<number, number[]>();

  constructor(private readonly phrases: readonly string[]) {
    phrases.forEach((phrase, target) => {
      if (phrase.length === 3) {
        const key = pairKey(phrase, 0, 2);
        this.outer.set(key, [...(this.outer.get(key) ?? []), target]);
      }
      for (let j = 0; j + 1 < phrase.length; j++) this.post(pairKey(phrase, j, j + 1), target, j);
      for (let j = 0; j + 2 < phrase.length; j++) this.post(pairKey(phrase, j, j + 2), target, j);
    });
  }

  private post(key: number, target: number, offset: number): void {
    const list = this.postings.get(key);
    if (list) {
      if (!list.some((p) => p.target === target && p.offset === offset)) list.push({ target, offset });
    } else this.postings.set(key, [{ target, offset }]);
  }

  /**
   * Every window of the text one edit away from an indexed phrase (exact matches are not
   * candidates). Hits are counted per phrase along the diagonal (text position − offset in the
   * phrase) in typed arrays, not a map: the text is read left to right, so a phrase's hits on one
   * diagonal (±1 for a character dropped or added) come together.
   */
  find(text: string): Candidate[] {
    const size = this.phrases.length;
    const base = new Int32Array(size).fill(-DIAGONAL_SHIFT);
    const count = new Int32Array(size);
    const verified = new Int32Array(size).fill(-DIAGONAL_SHIFT);
    const countedAt = new Int32Array(size).fill(-1);
    const found = new Map<string, Candidate>();
    const hit = (target: number, i: number) => {
      countedAt[target] = i;
      count[target]! += 1;
      const phrase = this.phrases[target]!;
      if (count[target]! < threshold(phrase.length) || verified[target] === base[target]) return;
      verified[target] = base[target]!;
      this.verify(text, target, phrase, base[target]!, found);
    };
    for (let i = 0; i + 1 < text.length; i++) {
      if (this.outer.size > 0 && i + 2 < text.length)
        for (const target of this.outer.get(pairKey(text, i, i + 2)) ?? []) {
          const edit = editAt(text, i, i + 3, this.phrases[target]!);
          if (edit) found.set(`${target}:${i}:${i + 3}`, { target, start: i, end: i + 3, edit });
        }
      const list = this.postings.get(pairKey(text, i, i + 1));
      if (!list) continue;
      // A phrase may hold a pair twice (中央 in 中共中央…中央军委): the posting on the diagonal
      // being counted is counted, and only a phrase with none there starts a new diagonal.
      for (const { target, offset } of list)
        if (countedAt[target] !== i && Math.abs(i - offset - base[target]!) <= 1) hit(target, i);
      for (const { target, offset } of list) {
        if (countedAt[target] === i) continue;
        base[target] = i - offset;
        count[target] = 0;
        hit(target, i);
      }
    }
    return [...found.values()];
  }

  private verify(text: string, target: number, phrase: string, diagonal: number, found: Map<string, Candidate>): void {
    for (const start of [diagonal, diagonal - 1, diagonal + 1]) {
      if (start < 0) continue;
      for (const length of [phrase.length, phrase.length - 1, phrase.length + 1]) {
        const end = start + length;
        if (end > text.length) continue;
        const edit = editAt(text, start, end, phrase);
        if (edit) found.set(`${target}:${start}:${end}`, { target, start, end, edit });
      }
    }
  }
}
