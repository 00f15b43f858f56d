import { lazyModule } from '../lazy.js';

// OpenCC's tables are loaded on first use: a command that never normalises text starts without them.
// Typed here: the package's own declarations import './core' without an extension, which
// NodeNext resolution cannot follow, so their types arrive as `any`.
interface OpenCC {
  Converter(options: { from: 'hk'; to: 'cn' }): (text: string) => string;
}
const openCC = lazyModule<OpenCC>('opencc-js/t2cn');
let converter: ((text: string) => string) | undefined;
const toSimplified = (text: string): string => (converter ??= openCC().Converter({ from: 'hk', to: 'cn' }))(text);

/**
 * The one text normalisation for indexing and for queries, so that both sides agree:
 * NFKC folds full-width letters, digits and punctuation to half-width; letters are lower-cased;
 * traditional characters are folded to simplified (OpenCC's tables); control characters go.
 */

// C0/C1 controls, zero-width characters and bidi overrides; they only hide text from matching.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060\ufeff]/g;

export function normalizeText(text: string): string {
  return toSimplified(text.normalize('NFKC').replace(INVISIBLE, '').toLowerCase());
}

export function stripControlCharacters(text: string): string {
  return text.replace(INVISIBLE, '');
}
