import fc from 'fast-check';

/**
 * Property runs: in `npm test` a fixed seed and a bounded number of runs, so a failure repeats;
 * in `npm run fuzz` (GAZETTE_FUZZ=long) fifty times as many with a random seed, printed first so
 * that any failure can be run again with GAZETTE_FUZZ_SEED. fast-check names the seed and the
 * shrunk counterexample of a failure in its error.
 */
const long = process.env.GAZETTE_FUZZ === 'long';
const chosen = process.env.GAZETTE_FUZZ_SEED;
export const FUZZ_SEED =
  chosen !== undefined && /^-?\d+$/.test(chosen)
    ? Number(chosen)
    : long
      ? (Date.now() ^ (Math.random() * 0x7fffffff)) | 0
      : 20261205;
if (long || chosen !== undefined) console.log(`fuzz seed ${FUZZ_SEED} (GAZETTE_FUZZ_SEED=${FUZZ_SEED} runs it again)`);

export function fuzzRuns(runs: number): fc.Parameters<unknown> {
  return { seed: FUZZ_SEED, numRuns: long ? runs * 50 : runs, endOnFailure: false };
}

/** Any text a reader, an editor or an old CMS might send: every plane of Unicode, controls and lone surrogates included. */
export const anyText = (maxLength: number) =>
  fc.oneof(
    fc.string({ maxLength, unit: 'binary' }),
    fc.string({
      maxLength,
      unit: fc.constantFrom(
        ...'国务院办公厅关于印发通知的（）《》、。，：；“”！？ \n\t<>&"\'/=-_.0123456789abcXYZ'.split(''),
      ),
    }),
    fc.string({ maxLength, unit: 'grapheme' }),
  );
