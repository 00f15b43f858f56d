import { lazyModule } from '../../lazy.js';
import type { Readings } from './types.js';

/** pinyin-pro holds 16 MB of dictionary: loaded the first time a homophone is asked about. */
const pinyinPro = lazyModule<typeof import('pinyin-pro')>('pinyin-pro');
const cache = new Map<string, readonly string[]>();

/** Every toneless reading of a character (多音字 have several), so 曾 matches both zeng and ceng. */
export const pinyinReadings: Readings = (char) => {
  let readings = cache.get(char);
  if (!readings) {
    const all = pinyinPro().pinyin(char, { toneType: 'none', type: 'array', multiple: true, v: true });
    readings = [...new Set(all.filter((s) => /^[a-z]+$/.test(s)))];
    cache.set(char, readings);
  }
  return readings;
};
