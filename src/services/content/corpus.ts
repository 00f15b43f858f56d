import fs from 'node:fs';
import { createRequire } from 'node:module';

/**
 * Synthetic Chinese text for benchmarks and demo sites: words drawn from jieba's dictionary by
 * frequency (so common words are common, as in real text), in sentences and paragraphs of
 * realistic length, with names, document numbers and Latin words mixed in. Everything is seeded:
 * the same seed gives the same text, so benchmark figures can be compared between runs.
 */

/** mulberry32: small, fast and good enough for text; Math.random cannot be seeded. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Vocabulary {
  readonly words: readonly string[];
  /** Running sum of the words' weights: a binary search turns a uniform draw into a word. */
  readonly cumulative: Float64Array;
}

let vocabulary: Vocabulary | null = null;

/**
 * jieba's dictionary, Han words of 1–4 characters, each weighted by the square root of its
 * frequency: raw frequencies would make the text mostly 的, 了 and 是. Read once per process.
 */
function loadVocabulary(): Vocabulary {
  if (vocabulary) return vocabulary;
  const file = createRequire(import.meta.url).resolve('@node-rs/jieba/dict.txt');
  const words: string[] = [];
  const weights: number[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const [word, freq] = line.split(' ');
    if (!word || !freq || !/^\p{Script=Han}{1,4}$/u.test(word)) continue;
    words.push(word);
    weights.push(Math.sqrt(Number(freq)));
  }
  const cumulative = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((w, i) => (cumulative[i] = sum += w));
  vocabulary = { words, cumulative };
  return vocabulary;
}

/** The first index whose running sum reaches `target`: a weighted draw when `target` is uniform. */
export function weightedIndex(cumulative: Float64Array, target: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cumulative[mid] ?? 0) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国文斌铭宇浩然';
const LATIN = ['API', 'Smart City', '5G', 'GDP', 'PM2.5', 'AI', 'CPI', 'ETC', 'App', 'Wi-Fi'];
// Document numbers (文号) such as 吴政发〔2021〕12号: readers search for them, so the text has some.
const ORGS = ['吴政发', '苏府办', '示政办发', '区委发', '国办发'];

/** Seeded draws of words, names and sentences; the building blocks of every generated text. */
export interface TextSource {
  /** The seeded generator itself, for the caller's own choices. */
  readonly random: () => number;
  pick<T>(list: readonly T[]): T;
  /** A dictionary word, common words more often. */
  word(): string;
  /** A person's name: a surname and one or two given-name characters. */
  personName(): string;
  /** A sentence of 6–19 tokens, mostly words, ending in 。 (or now and then ；). */
  sentence(): string;
}

export function textSource(random: () => number): TextSource {
  const { words, cumulative } = loadVocabulary();
  const total = cumulative[cumulative.length - 1] ?? 1;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const pickChar = (chars: string): string => chars[Math.floor(random() * chars.length)] ?? '';
  const word = (): string => words[weightedIndex(cumulative, random() * total)] ?? '的';
  const personName = (): string => pickChar(SURNAMES) + pickChar(GIVEN) + (random() < 0.5 ? pickChar(GIVEN) : '');
  // One token of a sentence: mostly a word, sometimes a name, a document number, a Latin term
  // or a number, in proportions that keep search benchmarks honest about mixed-script text.
  const token = (): string => {
    const r = random();
    if (r < 0.02) return personName();
    if (r < 0.025) return `${pick(ORGS)}〔${2015 + Math.floor(random() * 11)}〕${1 + Math.floor(random() * 99)}号`;
    if (r < 0.035) return ` ${pick(LATIN)} `;
    if (r < 0.05) return String(Math.floor(random() * 10_000));
    return word();
  };
  const sentence = (): string => {
    const count = 6 + Math.floor(random() * 14);
    let text = '';
    for (let i = 0; i < count; i++) {
      text += token();
      if (random() < 0.12) text += '，';
    }
    return text.replace(/，$/, '') + (random() < 0.9 ? '。' : '；');
  };
  return { random, pick, word, personName, sentence };
}

export interface GeneratedArticle {
  readonly title: string;
  /** Paragraphs separated by newlines. */
  readonly body: string;
  /** Milliseconds since the epoch. */
  readonly publishedAt: number;
}

/**
 * The search benchmark's articles: each of about `bodyChars` characters, published at a random
 * moment in the ten years before `until`. The sequence for a seed never changes, so search
 * figures stay comparable across versions.
 */
export function makeCorpusGenerator(seed: number): (bodyChars: number, until: number) => GeneratedArticle {
  const text = textSource(seededRandom(seed));
  const { random } = text;
  return function article(bodyChars: number, until: number): GeneratedArticle {
    const paragraphs: string[] = [];
    let length = 0;
    while (length < bodyChars) {
      let paragraph = '';
      const sentences = 2 + Math.floor(random() * 5);
      for (let i = 0; i < sentences; i++) paragraph += text.sentence();
      paragraphs.push(paragraph);
      length += paragraph.length;
    }
    let title = '';
    while (title.length < 10 + random() * 16) title += text.word();
    return { title, body: paragraphs.join('\n'), publishedAt: until - Math.floor(random() * 10 * 365 * 86_400_000) };
  };
}
