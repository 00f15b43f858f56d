import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

/**
 * A module loaded on first use instead of at start-up. The Chinese dictionaries (jieba, pinyin)
 * hold tens of megabytes; a server that only serves published pages never needs them.
 */
export function lazyModule<T>(name: string, setUp?: (module: T) => void): () => T {
  let loaded: T | undefined;
  return () => {
    if (loaded === undefined) {
      loaded = load(name) as T;
      setUp?.(loaded);
    }
    return loaded;
  };
}
