import { GazetteError } from '../../domain/index.js';
import {
  ENTRY_FLAGS,
  ENTRY_KINDS,
  SEVERITIES,
  type DictionaryEntry,
  type EntryFlag,
  type EntryKind,
  type Severity,
} from './types.js';

/**
 * The dictionary file: UTF-8, one entry a line, tab-separated:
 *   phrase  kind  severity  suggestion  note  [flags]
 * Blank lines and lines starting with # are comments. A bad line is refused as `file:line: reason`.
 */
export function parseDictionary(text: string, file: string): DictionaryEntry[] {
  const entries: DictionaryEntry[] = [];
  const seen = new Map<string, number>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) return;
    const entry = parseLine(raw, `${file}:${line}`, (reason) => refuse(file, line, reason));
    const key = `${entry.kind}\t${entry.phrase}`;
    const earlier = seen.get(key);
    if (earlier !== undefined)
      refuse(file, line, {
        zh: `“${entry.phrase}”（${entry.kind}）与第 ${earlier} 行重复`,
        en: `"${entry.phrase}" (${entry.kind}) repeats line ${earlier}`,
      });
    seen.set(key, line);
    entries.push(entry);
  });
  return entries;
}

type Reason = { zh: string; en: string };

function refuse(file: string, line: number, reason: Reason): never {
  throw new GazetteError('WORDING_DICTIONARY_INVALID', { reason }, { file, line });
}

function parseLine(raw: string, source: string, fail: (reason: Reason) => never): DictionaryEntry {
  const columns = raw.split('\t');
  if (columns.length < 5 || columns.length > 6)
    fail({
      zh: `应有 5 或 6 列（以制表符分隔），实有 ${columns.length} 列`,
      en: `expected 5 or 6 tab-separated columns, found ${columns.length}`,
    });
  const [phrase = '', kind = '', severity = '', suggestion = '', note = '', flagText = ''] = columns.map((c) =>
    c.trim(),
  );
  return checkEntry(
    {
      phrase,
      kind,
      severity,
      suggestion,
      note,
      flags: flagText === '' ? [] : flagText.split(',').map((f) => f.trim()),
    },
    source,
    fail,
  );
}

export interface RawEntry {
  readonly phrase: string;
  readonly kind: string;
  readonly severity: string;
  readonly suggestion: string;
  readonly note: string;
  readonly flags: readonly string[];
}

/** The rules every entry meets, from the file or from the site's own list. */
export function checkEntry(raw: RawEntry, source: string, fail: (reason: Reason) => never): DictionaryEntry {
  const { phrase, suggestion } = raw;
  if (phrase === '') fail({ zh: '词条为空', en: 'the phrase is empty' });
  if (/\s/.test(phrase)) fail({ zh: `词条“${phrase}”含空白字符`, en: `the phrase "${phrase}" contains white space` });
  if (phrase.length > 100) fail({ zh: '词条超过 100 个字', en: 'the phrase is longer than 100 characters' });
  if (!(ENTRY_KINDS as readonly string[]).includes(raw.kind))
    fail({
      zh: `类型“${raw.kind}”无效（可选：${ENTRY_KINDS.join('、')}）`,
      en: `unknown kind "${raw.kind}" (one of ${ENTRY_KINDS.join(', ')})`,
    });
  if (!(SEVERITIES as readonly string[]).includes(raw.severity))
    fail({
      zh: `级别“${raw.severity}”无效（可选：${SEVERITIES.join('、')}）`,
      en: `unknown severity "${raw.severity}" (one of ${SEVERITIES.join(', ')})`,
    });
  const kind = raw.kind as EntryKind;
  if ((kind === 'wrong' || kind === 'outdated') && suggestion === '')
    fail({ zh: `“${phrase}”须给出正确写法`, en: `"${phrase}" needs a suggestion (the right form)` });
  if ((kind === 'wrong' || kind === 'outdated') && suggestion === phrase)
    fail({ zh: `“${phrase}”的正确写法与其相同`, en: `the suggestion for "${phrase}" is the phrase itself` });
  if (kind === 'formula' && formulaMembers(suggestion).length < 2)
    fail({
      zh: `提法“${phrase}”须在建议列列出至少两项（以“、”分隔）`,
      en: `formula "${phrase}" needs at least two members in the suggestion column, separated by 、`,
    });
  for (const flag of raw.flags) {
    if (!(ENTRY_FLAGS as readonly string[]).includes(flag))
      fail({
        zh: `选项“${flag}”无效（可选：${ENTRY_FLAGS.join('、')}）`,
        en: `unknown flag "${flag}" (one of ${ENTRY_FLAGS.join(', ')})`,
      });
  }
  return {
    phrase,
    kind,
    severity: raw.severity as Severity,
    suggestion,
    note: raw.note,
    flags: raw.flags as EntryFlag[],
    source,
  };
}

/** The members of a formula, in their fixed order: 、-separated, or |-separated when a member has a 、 itself. */
export function formulaMembers(suggestion: string): string[] {
  return suggestion
    .split(suggestion.includes('|') ? '|' : '、')
    .map((m) => m.trim())
    .filter((m) => m !== '');
}

/**
 * The shipped entries with the site's own on top: a site entry replaces the shipped entry of the
 * same phrase and kind; a disabled site entry removes every shipped entry of its phrase.
 */
export function mergeEntries(
  shipped: readonly DictionaryEntry[],
  site: readonly (DictionaryEntry & { readonly enabled: boolean })[],
): DictionaryEntry[] {
  const disabled = new Set(site.filter((e) => !e.enabled).map((e) => e.phrase));
  const replaced = new Set(site.filter((e) => e.enabled).map((e) => `${e.kind}\t${e.phrase}`));
  const kept = shipped.filter((e) => !disabled.has(e.phrase) && !replaced.has(`${e.kind}\t${e.phrase}`));
  return [...kept, ...site.filter((e) => e.enabled).map(({ enabled: _enabled, ...entry }) => entry)];
}
