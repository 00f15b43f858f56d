import { lazyModule } from '../lazy.js';
import { normalizeText } from './normalize.js';

/**
 * Pinyin for titles and channel names, so readers can type `wujiang` or `wjq` for 吴江区.
 * Place names whose characters read differently in the name than elsewhere are listed here
 * (pinyin-pro's guess for 长寿 is zhang shou); a site adds its own with addPlaceNames.
 */
const PLACE_NAMES: Record<string, string> = {
  长寿: 'cháng shòu',
  乐清: 'yuè qīng',
  单县: 'shàn xiàn',
  六安: 'lù ān',
  蚌埠: 'bèng bù',
  丽水: 'lí shuǐ',
  铅山: 'yán shān',
  番禺: 'pān yú',
  东阿: 'dōng ē',
  台州: 'tāi zhōu',
  天台: 'tiān tāi',
  涡阳: 'guō yáng',
  洪洞: 'hóng tóng',
  大埔: 'dà bù',
  繁峙: 'fán shì',
  莘县: 'shēn xiàn',
  尉氏: 'yù shì',
  吴江: 'wú jiāng',
};

/** pinyin-pro (16 MB of dictionary), loaded on first use with the place names in it. */
const pinyinPro = lazyModule<typeof import('pinyin-pro')>('pinyin-pro', (module) => module.customPinyin(PLACE_NAMES));
const pinyin: (typeof import('pinyin-pro'))['pinyin'] = ((
  ...args: Parameters<(typeof import('pinyin-pro'))['pinyin']>
) => (pinyinPro().pinyin as (...a: unknown[]) => unknown)(...args)) as (typeof import('pinyin-pro'))['pinyin'];

export function addPlaceNames(names: Record<string, string>): void {
  Object.assign(PLACE_NAMES, names);
  pinyinPro().customPinyin(PLACE_NAMES);
}

/** Syllables and initials of the Han characters in a text, in order (other characters skipped). */
export function pinyinOf(text: string): { syllables: string[]; initials: string[] } {
  const normalized = normalizeText(text);
  const han = Array.from(normalized)
    .filter((c) => /\p{Script=Han}/u.test(c))
    .join('');
  if (han === '') return { syllables: [], initials: [] };
  const syllables = pinyin(han, { toneType: 'none', type: 'array', v: true }).filter((s) => /^[a-z]+$/.test(s));
  return { syllables, initials: syllables.map((s) => s[0] ?? '') };
}

let syllableSet: Set<string> | null = null;

/** Every toneless syllable pinyin-pro knows (with a vowel: m, n and ng are not typed as words). */
function knownSyllables(): Set<string> {
  if (!syllableSet) {
    let all = '';
    for (let code = 0x4e00; code <= 0x9fa5; code++) all += String.fromCharCode(code);
    syllableSet = new Set(
      pinyin(all, { toneType: 'none', type: 'array', v: true }).filter((s) => /^[a-z]*[aeiouv][a-z]*$/.test(s)),
    );
  }
  return syllableSet;
}

/**
 * Splits typed pinyin into syllables (`wujiangqu` → wu jiang qu), preferring fewer, longer
 * syllables (`xian` stays one); an apostrophe forces a break (`xi'an`). Null if it is not pinyin.
 */
export function splitPinyin(input: string): string[] | null {
  const text = input.toLowerCase().replace(/ü/g, 'v');
  if (!/^[a-z']+$/.test(text)) return null;
  const parts = text.split("'").filter((p) => p !== '');
  const syllables = knownSyllables();
  const result: string[] = [];
  for (const part of parts) {
    // best[i]: the fewest syllables covering part[0..i), or null.
    const best: (string[] | null)[] = [[]];
    for (let end = 1; end <= part.length; end++) {
      best[end] = null;
      for (let start = Math.max(0, end - 6); start < end; start++) {
        const prefix = best[start];
        const piece = part.slice(start, end);
        if (prefix && syllables.has(piece) && (!best[end] || prefix.length + 1 < best[end]!.length)) {
          best[end] = [...prefix, piece];
        }
      }
    }
    const split = best[part.length];
    if (!split) return null;
    result.push(...split);
  }
  return result.length > 0 ? result : null;
}
