import { performance } from 'node:perf_hooks';
import { WordingChecker, pinyinReadings, shippedEntries } from '../src/compliance/wording/index.js';
import { makeCorpusGenerator } from '../src/services/content/corpus.js';
import { segment } from '../src/search/index.js';
import { measureFalsePositives, measureRecall } from './wording-recall.js';

/**
 * `npm run bench check [-- --runs 200 --chars 10000]`: the wording check (错敏词) of a generated
 * article of about 10,000 characters, government prose with planted errors (a leader's name
 * with a homophone, an institution with a character dropped, a formula out of order, outdated
 * names), against the shipped dictionary.
 */
const PLANTED = [
  '会议传达学习了习进平总书记的重要讲话精神。',
  '国家市场监督管总局、国家卫生建康委员会联合印发通知。',
  '要坚定理论自信、道路自信、制度自信、文化自信。',
  '原国家旅游局和国家工商行政管理总局的职责已划转。',
  '坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神。',
  '全国人民代表大会常务委员会、中国人民政治协商会议全国委员会有关负责同志出席。',
];

function option(args: readonly string[], name: string, fallback: number): number {
  const at = args.indexOf(`--${name}`);
  const value = at === -1 ? fallback : Number(args[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} takes a whole number ≥ 1`);
  return value;
}

/** Paragraphs of generated prose with a planted sentence after every few, to `chars` characters. */
function article(chars: number): string {
  const generate = makeCorpusGenerator(11);
  const paragraphs = generate(chars, Date.UTC(2025, 11, 1)).body.split('\n');
  const out: string[] = [];
  let length = 0;
  for (let i = 0; length < chars && i < paragraphs.length; i++) {
    const paragraph = `${paragraphs[i]}${PLANTED[i % PLANTED.length]}`;
    out.push(paragraph);
    length += paragraph.length;
  }
  return out.join('\n').slice(0, chars);
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const round = (ms: number) => Math.round(ms * 1000) / 1000;

export function benchCheck(args: readonly string[]): Promise<object> {
  const runs = option(args, 'runs', 200);
  const chars = option(args, 'chars', 10_000);
  const loadStart = performance.now();
  const entries = shippedEntries();
  const loadMs = performance.now() - loadStart;
  const buildStart = performance.now();
  const checker = new WordingChecker(entries, pinyinReadings, segment);
  const buildMs = performance.now() - buildStart;
  const text = article(chars);
  const first = performance.now();
  const findings = checker.check({ title: '区政府召开常务会议', body: text });
  const firstMs = performance.now() - first;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    checker.check({ title: '区政府召开常务会议', body: text });
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const bySeverity: Record<string, number> = {};
  const byKind: Record<string, number> = {};
  for (const f of findings) {
    bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
    byKind[f.kind] = (byKind[f.kind] ?? 0) + 1;
  }
  const recallStart = performance.now();
  const recall = measureRecall(checker, entries);
  const falsePositives = measureFalsePositives(checker, entries, option(args, 'clean-chars', 300_000));
  const measureSeconds = round((performance.now() - recallStart) / 1000);
  return Promise.resolve({
    recall,
    falsePositives,
    targets: {
      seriousRecallPct: 99,
      seriousRecallMet: recall.overall.seriousPct >= 99,
      falsePositivesPerHundredThousand: 1,
      falsePositivesMet: falsePositives.total.perHundredThousand <= 1,
    },
    measureSeconds,
    dictionaryEntries: entries.length,
    dictionaryLoadMs: round(loadMs),
    automatonBuildMs: round(buildMs),
    automatonStates: checker.states,
    articleChars: text.length,
    runs,
    firstCheckMs: round(firstMs),
    p50Ms: round(percentile(times, 50)),
    p99Ms: round(percentile(times, 99)),
    meanMs: round(times.reduce((a, b) => a + b, 0) / times.length),
    findings: findings.length,
    findingsBySeverity: bySeverity,
    findingsByKind: byKind,
  });
}
