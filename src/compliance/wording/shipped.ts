import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GazetteError } from '../../domain/index.js';
import { parseDictionary } from './dictionary.js';
import type { DictionaryEntry } from './types.js';

/** The dictionary files shipped in the repository: hand-kept entries, then the generated place names. */
export const SHIPPED_FILES = ['dictionary.tsv', 'places.tsv'].map((name) =>
  fileURLToPath(new URL(`./${name}`, import.meta.url)),
);

let shipped: DictionaryEntry[] | null = null;

/** Read and validated once per process; a bad line stops it with `file:line: reason`. */
export function shippedEntries(): readonly DictionaryEntry[] {
  shipped ??= loadDictionaryFiles(SHIPPED_FILES);
  return shipped;
}

/** Several files as one dictionary: an entry repeated in a later file is refused there too. */
export function loadDictionaryFiles(files: readonly string[]): DictionaryEntry[] {
  const entries = files.flatMap((file) => parseDictionary(fs.readFileSync(file, 'utf8'), file));
  const seen = new Map<string, string>();
  for (const entry of entries) {
    const key = `${entry.kind}\t${entry.phrase}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      const at = entry.source.lastIndexOf(':');
      const reason = {
        zh: `“${entry.phrase}”（${entry.kind}）与 ${earlier} 重复`,
        en: `"${entry.phrase}" (${entry.kind}) repeats ${earlier}`,
      };
      throw new GazetteError(
        'WORDING_DICTIONARY_INVALID',
        { reason },
        { file: entry.source.slice(0, at), line: Number(entry.source.slice(at + 1)) },
      );
    }
    seen.set(key, entry.source);
  }
  return entries;
}
