import fs from 'node:fs';
import path from 'node:path';
import {
  FUNCTION_CHARS,
  nearKey,
  pinyinReadings,
  type DictionaryEntry,
  type EntryKind,
  type WordingChecker,
} from '../src/compliance/wording/index.js';
import { makeCorpusGenerator } from '../src/services/content/corpus.js';
import { segment } from '../src/search/index.js';
import { BENCH_DIR, round } from './support.js';

/**
 * The wording check's recall on one-character slips of the shipped dictionary's serious
 * entries (canonical names, formulas, leaders, titles), each inside a sentence, and its false
 * positives on clean text (issue 21, gap 3). A slip is found when a finding overlaps it, and
 * found as serious when that finding is serious.
 */

export const MUTATION_KINDS = ['homophone', 'near-homophone', 'look-alike', 'deletion', 'insertion', 'swap'] as const;
export type MutationKind = (typeof MUTATION_KINDS)[number];

/** The kinds of serious entry whose slips are counted. */
const MEASURED_KINDS: readonly EntryKind[] = ['canonical', 'formula', 'leader', 'title'];

/**
 * Groups of characters that look alike (形近字), the ones typists and OCR confuse in official
 * prose. A seed list, not a full confusion set: slips by look are counted only where a
 * character of an entry is in a group here.
 */
const LOOK_ALIKE = [
  '己已巳',
  '未末',
  '士土',
  '戊戌戍',
  '贝见',
  '人入八',
  '日曰',
  '大太犬',
  '天夭',
  '王玉主',
  '干千于',
  '刀力',
  '石右',
  '午牛',
  '候侯',
  '拔拨',
  '辨辩辫瓣',
  '崇祟',
  '鸟乌',
  '冶治',
  '徒徙',
  '析折',
  '茶荼',
  '免兔',
  '市巿',
  '撤撒',
  '杨扬',
  '历厉',
  '休体',
  '代伐',
  '今令',
  '田由甲申',
  '白自',
  '目且',
  '官宫',
  '会合',
  '区匹',
  '民氏',
  '主玉',
  '央夹',
  '务各',
  '国固',
  '员贝',
  '委季',
  '党觉',
  '共兵',
  '和种',
  '华毕',
  '政故',
  '协办',
  '局司',
  '省眚',
  '常堂',
  '军车',
  '法汰',
  '检捡俭验',
  '监鉴',
  '察祭',
  '院阮',
  '部郎',
  '济挤',
  '设没',
  '建健',
  '社杜',
  '特持',
  '思恩',
  '想相',
  '义又叉',
  '新亲',
  '时对',
  '进近',
  '平干',
  '书韦',
  '记纪',
  '席度',
  '理埋',
  '总忽',
];

interface Mutation {
  readonly kind: MutationKind;
  readonly text: string;
}

/** Level-1 characters of GB 2312 (the 3,755 common ones), in their order: the substitutes a typist's input method offers. */
function commonCharacters(): string[] {
  const decoder = new TextDecoder('gb2312');
  const chars: string[] = [];
  for (let row = 0xb0; row <= 0xd7; row++)
    for (let col = 0xa1; col <= 0xfe; col++) {
      const char = decoder.decode(new Uint8Array([row, col]));
      if (/^\p{Script=Han}$/u.test(char)) chars.push(char);
    }
  return chars;
}

/** Every one-character slip of a phrase, by kind, each at most `perPosition` times per position and kind. */
export class Mutator {
  private readonly byReading = new Map<string, string[]>();
  private readonly byNearKey = new Map<string, string[]>();
  private readonly lookAlike = new Map<string, string[]>();
  private readonly fillers: string[];

  constructor(private readonly perPosition = 4) {
    const common = commonCharacters();
    for (const char of common)
      for (const reading of pinyinReadings(char)) {
        const same = this.byReading.get(reading) ?? [];
        same.push(char);
        this.byReading.set(reading, same);
        const key = nearKey(reading);
        const near = this.byNearKey.get(key) ?? [];
        near.push(char);
        this.byNearKey.set(key, near);
      }
    for (const group of LOOK_ALIKE)
      for (const char of group)
        this.lookAlike.set(char, [...new Set([...(this.lookAlike.get(char) ?? []), ...group.replace(char, '')])]);
    // Inserted characters: common ones that are not the function words prose puts between words.
    this.fillers = common.slice(0, 40).filter((c) => !FUNCTION_CHARS.includes(c));
  }

  mutations(phrase: string): Mutation[] {
    const out: Mutation[] = [];
    const chars = [...phrase];
    // A "slip" that leaves the phrase whole (中中华人民共和国: 中 doubled before it) is a character
    // beside the phrase, not a slip inside it, and prose does that (在实践中中国…).
    const put = (kind: MutationKind, text: string) => {
      if (!text.includes(phrase)) out.push({ kind, text });
    };
    const at = (i: number, char: string) => chars.map((c, j) => (j === i ? char : c)).join('');
    for (const [i, char] of chars.entries()) {
      const readings = pinyinReadings(char);
      const homophones = [...new Set(readings.flatMap((r) => this.byReading.get(r) ?? []))].filter((c) => c !== char);
      const near = [...new Set(readings.flatMap((r) => this.byNearKey.get(nearKey(r)) ?? []))].filter(
        (c) => c !== char && !homophones.includes(c),
      );
      for (const c of spread(homophones, this.perPosition)) put('homophone', at(i, c));
      for (const c of spread(near, this.perPosition)) put('near-homophone', at(i, c));
      for (const c of this.lookAlike.get(char) ?? []) put('look-alike', at(i, c));
      put('deletion', chars.filter((_, j) => j !== i).join(''));
      if (i > 0) {
        // A character typed twice, and a stray common one.
        put('insertion', [...chars.slice(0, i), chars[i - 1]!, ...chars.slice(i)].join(''));
        const filler = this.fillers[(i * 7 + chars.length) % this.fillers.length]!;
        put('insertion', [...chars.slice(0, i), filler, ...chars.slice(i)].join(''));
      }
      if (i + 1 < chars.length && chars[i] !== chars[i + 1])
        put('swap', [...chars.slice(0, i), chars[i + 1]!, chars[i]!, ...chars.slice(i + 2)].join(''));
    }
    return out;
  }
}

/** Up to n items spread over the list (deterministic: the same choice every run). */
function spread<T>(items: readonly T[], n: number): T[] {
  if (items.length <= n) return [...items];
  return Array.from({ length: n }, (_, k) => items[Math.floor((k * items.length) / n)]!);
}

/** Who holds each title of the shipped dictionary, for the sentence a title is measured in. */
const HOLDERS: Readonly<Record<string, string>> = {
  总书记: '习近平',
  国家主席: '习近平',
  中央军委主席: '习近平',
  主席: '习近平',
  同志: '习近平',
  总理: '李强',
  委员长: '赵乐际',
  国家副主席: '韩正',
  副主席: '韩正',
  副总理: '丁薛祥',
  书记: '李希',
};

/** The sentence an entry is written in: a leader's name before a title, a title on its own, the rest in prose. */
function sentence(entry: DictionaryEntry, title: string): [string, string] {
  if (entry.kind === 'leader') return ['会议传达学习了', `${title}的重要讲话精神。`];
  // A title after the name of someone who holds it (习近平副主席 would rightly be flagged).
  if (entry.kind === 'title') return [`会议传达学习了${HOLDERS[entry.phrase] ?? '习近平'}`, '的重要讲话精神。'];
  return ['会议强调，要坚持', '，推动各项工作落到实处。'];
}

interface Tally {
  cases: number;
  found: number;
  serious: number;
}

export interface RecallReport {
  readonly entries: number;
  readonly cases: number;
  readonly skippedAsCorrect: number;
  /** Slips that are words of the language (jieba's lexicon). */
  readonly skippedAsWords: number;
  readonly recall: Record<string, Record<string, { cases: number; foundPct: number; seriousPct: number }>>;
  readonly overall: { cases: number; foundPct: number; seriousPct: number };
  readonly missedExamples: readonly string[];
}

const pct = (n: number, of: number) => (of === 0 ? 100 : round((n / of) * 100, 2));

export function measureRecall(checker: WordingChecker, entries: readonly DictionaryEntry[]): RecallReport {
  const mutator = new Mutator();
  const good = new Set(entries.filter((e) => e.kind !== 'wrong' && e.kind !== 'outdated').map((e) => e.phrase));
  const title = entries.find((e) => e.kind === 'title')?.phrase ?? '';
  const measured = entries.filter((e) => e.severity === 'serious' && MEASURED_KINDS.includes(e.kind));
  const tallies = new Map<string, Tally>();
  const missed: string[] = [];
  let skipped = 0;
  let skippedWords = 0;
  for (const entry of measured) {
    for (const mutation of mutator.mutations(entry.phrase)) {
      // A slip that makes another correct phrase is no slip: the dictionary decides, and a word
      // of the language (jieba's lexicon: 外交 for 外交部, 科学技术 for 科学技术部) is one too.
      if (good.has(mutation.text)) {
        skipped++;
        continue;
      }
      if (segment(mutation.text).length === 1) {
        skippedWords++;
        continue;
      }
      const [before, after] = sentence(entry, title);
      const body = `${before}${mutation.text}${after}`;
      const start = before.length;
      const end = start + mutation.text.length;
      const findings = checker.check({ body }).filter((f) => f.start < end && f.end > start);
      for (const key of [`${entry.kind}|${mutation.kind}`, `${entry.kind}|all`, `all|${mutation.kind}`, 'all|all']) {
        const tally = tallies.get(key) ?? { cases: 0, found: 0, serious: 0 };
        tally.cases++;
        if (findings.length > 0) tally.found++;
        if (findings.some((f) => f.severity === 'serious')) tally.serious++;
        tallies.set(key, tally);
      }
      if (!findings.some((f) => f.severity === 'serious') && missed.length < 40)
        missed.push(
          `${entry.kind} ${mutation.kind}: ${entry.phrase} → ${mutation.text}${findings.length ? ' (suspect only)' : ''}`,
        );
    }
  }
  const recall: RecallReport['recall'] = {};
  for (const [key, tally] of tallies) {
    const [kind = '', mutation = ''] = key.split('|');
    recall[kind] ??= {};
    recall[kind][mutation] = {
      cases: tally.cases,
      foundPct: pct(tally.found, tally.cases),
      seriousPct: pct(tally.serious, tally.cases),
    };
  }
  const all = tallies.get('all|all') ?? { cases: 0, found: 0, serious: 0 };
  return {
    entries: measured.length,
    cases: all.cases,
    skippedAsCorrect: skipped,
    skippedAsWords: skippedWords,
    recall,
    overall: { cases: all.cases, foundPct: pct(all.found, all.cases), seriousPct: pct(all.serious, all.cases) },
    missedExamples: missed,
  };
}

export interface FalsePositiveReport {
  readonly sources: Record<
    string,
    { chars: number; findings: number; perHundredThousand: number; listedFormsDrawn: number; examples: string[] }
  >;
  readonly total: { chars: number; findings: number; perHundredThousand: number };
}

/** The article bodies of the demo pages (page-text format: the body follows the first blank line). */
function demoBodies(): string[] {
  const dir = path.resolve(BENCH_DIR, '..', 'demo', 'pages');
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.txt'))
    .sort()
    .map((name) => {
      const text = fs.readFileSync(path.join(dir, name), 'utf8');
      return text.slice(text.indexOf('\n\n') + 2);
    });
}

export function measureFalsePositives(
  checker: WordingChecker,
  entries: readonly DictionaryEntry[],
  generatedChars: number,
): FalsePositiveReport {
  const title = entries.find((e) => e.kind === 'title')?.phrase ?? '';
  const inContext = entries
    .filter((e) => e.kind !== 'wrong' && e.kind !== 'outdated')
    .map((e) => {
      const [before, after] = sentence(e, title);
      return `${before}${e.phrase}${after}`;
    });
  const generate = makeCorpusGenerator(20261205);
  const generated: string[] = [];
  for (let chars = 0; chars < generatedChars;) {
    const body = generate(20_000, Date.UTC(2025, 11, 1)).body;
    generated.push(body);
    chars += body.length;
  }
  const sources: FalsePositiveReport['sources'] = {};
  const listed = new Set(entries.filter((e) => e.kind === 'wrong' || e.kind === 'outdated').map((e) => e.phrase));
  for (const [name, texts] of [
    ['entries in context', inContext],
    ['demo pages', demoBodies()],
    ['generated prose', generated],
  ] as const) {
    let chars = 0;
    let count = 0;
    let drawn = 0;
    const examples: string[] = [];
    for (const text of texts) {
      chars += text.length;
      // The generator draws words from jieba's dictionary, which holds some listed wrong and
      // outdated forms (瞎子, 地税局): found, they are right, and counted apart.
      const all = checker.check({ body: text });
      const findings = all.filter((f) => !((f.kind === 'wrong' || f.kind === 'outdated') && listed.has(f.text)));
      drawn += all.length - findings.length;
      count += findings.length;
      for (const f of findings.slice(0, 3))
        if (examples.length < 10) examples.push(`${f.severity} ${f.kind}: ${f.text} → ${f.suggestion}`);
    }
    sources[name] = {
      chars,
      findings: count,
      perHundredThousand: round((count / chars) * 100_000, 2),
      listedFormsDrawn: drawn,
      examples,
    };
  }
  const chars = Object.values(sources).reduce((sum, s) => sum + s.chars, 0);
  const findings = Object.values(sources).reduce((sum, s) => sum + s.findings, 0);
  return { sources, total: { chars, findings, perHundredThousand: round((findings / chars) * 100_000, 2) } };
}
