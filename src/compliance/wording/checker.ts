import { Automaton, type Match } from './automaton.js';
import { formulaMembers } from './dictionary.js';
import { NearMissIndex, oneEdit, type Edit } from './near-miss.js';
import type { CheckTexts, DictionaryEntry, Field, Finding, FindingKind, Readings, Severity } from './types.js';

type Role =
  | { readonly type: 'entry'; readonly entry: DictionaryEntry }
  | { readonly type: 'member'; readonly formula: number; readonly index: number };

/** A finding before its occurrence is counted. */
type Draft = Omit<Finding, 'occurrence' | 'field'>;

interface Formula {
  readonly entry: DictionaryEntry;
  readonly members: readonly string[];
}

const HAN = /^\p{Script=Han}+$/u;
/** What may stand between the members of a formula written as a list. */
const LIST_GAP = /^[、，,；;\s和与及以]{0,3}$/u;
/** Characters that prose puts between the words of a name all the time (乡村要振兴, 中国特色的社会主义). */
const FUNCTION_CHARS = '的地得了着过和与及或是在要将把被对为也都就又而并之其所以';
/** Shortest phrase whose near misses are looked for (shorter ones are ordinary words too often). */
const NEAR_MIN = 4;

/** Kinds whose exact occurrence is correct text that hides near misses and listed forms inside it. */
const GOOD_KINDS = new Set(['canonical', 'allow', 'leader', 'title', 'formula']);

/**
 * The compiled dictionary: one automaton over every phrase and formula member, and the near-miss
 * index over the canonical phrases. Build once per dictionary version; `check` is then linear in the
 * text plus what it finds.
 */
export class WordingChecker {
  private readonly patterns: string[] = [];
  private readonly roles: Role[][] = [];
  private readonly automaton: Automaton;
  private readonly nearTargets: DictionaryEntry[];
  private readonly nearIndex: NearMissIndex;
  private readonly formulas: Formula[];
  private readonly leaders: DictionaryEntry[];

  constructor(
    readonly entries: readonly DictionaryEntry[],
    private readonly readings: Readings,
  ) {
    const ids = new Map<string, number>();
    const add = (phrase: string, role: Role) => {
      let id = ids.get(phrase);
      if (id === undefined) {
        id = this.patterns.length;
        ids.set(phrase, id);
        this.patterns.push(phrase);
        this.roles.push([]);
      }
      this.roles[id]!.push(role);
    };
    for (const entry of entries) add(entry.phrase, { type: 'entry', entry });
    this.formulas = entries
      .filter((e) => e.kind === 'formula')
      .map((entry) => ({ entry, members: formulaMembers(entry.suggestion) }));
    this.formulas.forEach((f, formula) =>
      f.members.forEach((member, index) => add(member, { type: 'member', formula, index })),
    );
    this.automaton = new Automaton(this.patterns);
    this.nearTargets = entries.filter((e) => nearMissable(e));
    this.nearIndex = new NearMissIndex(this.nearTargets.map((e) => e.phrase));
    this.leaders = entries.filter((e) => e.kind === 'leader');
  }

  get states(): number {
    return this.automaton.states;
  }

  /** Findings in the title, the summary and the body text, in that order. */
  check(texts: CheckTexts): Finding[] {
    const fields: [Field, string | undefined][] = [
      ['title', texts.title],
      ['summary', texts.summary],
      ['body', texts.body],
    ];
    return fields.flatMap(([field, text]) =>
      text
        ? this.checkText(text).map((d) => ({ ...d, field, occurrence: occurrencesBefore(text, d.text, d.start) }))
        : [],
    );
  }

  private checkText(text: string): Draft[] {
    const matches = this.automaton.scan(text);
    const covered = coverage(
      text.length,
      matches.filter((m) => this.roles[m.pattern]!.some(isGood)),
    );
    const inGood = (start: number, end: number) => start < covered.length && covered[start]! >= end;
    const listed = this.listed(matches, inGood);
    const order = this.order(text, matches);
    const leaders = this.leaderSlips(text, matches);
    const near = this.nearMisses(text, inGood);
    return settle([...listed, ...order], [...leaders, ...near]);
  }

  /** Listed wrong and outdated forms, unless inside a correct phrase (文化部门) or a longer listed form. */
  private listed(matches: readonly Match[], inGood: (s: number, e: number) => boolean): Draft[] {
    const drafts: Draft[] = [];
    for (const match of matches) {
      if (inGood(match.start, match.end)) continue;
      for (const role of this.roles[match.pattern]!) {
        if (role.type !== 'entry' || (role.entry.kind !== 'wrong' && role.entry.kind !== 'outdated')) continue;
        const { entry } = role;
        const kind: FindingKind = entry.kind === 'wrong' ? 'wrong' : 'outdated';
        const why =
          kind === 'wrong'
            ? `“${entry.phrase}”是错误写法，应为“${entry.suggestion}”`
            : `“${entry.phrase}”已不再使用，现为“${entry.suggestion}”`;
        drafts.push({
          start: match.start,
          end: match.end,
          text: entry.phrase,
          kind,
          severity: entry.severity,
          suggestion: entry.suggestion,
          entry: entry.phrase,
          reason: withNote(why, entry.note),
        });
      }
    }
    return drafts.filter(
      (d) => !drafts.some((o) => o !== d && o.start <= d.start && o.end >= d.end && o.end - o.start > d.end - d.start),
    );
  }

  /** Members of a formula listed together out of their fixed order (理论自信、道路自信…). */
  private order(text: string, matches: readonly Match[]): Draft[] {
    const byFormula = new Map<number, { start: number; end: number; index: number }[]>();
    for (const match of [...matches].sort((a, b) => a.start - b.start)) {
      for (const role of this.roles[match.pattern]!) {
        if (role.type !== 'member') continue;
        const list = byFormula.get(role.formula) ?? [];
        list.push({ start: match.start, end: match.end, index: role.index });
        byFormula.set(role.formula, list);
      }
    }
    const drafts: Draft[] = [];
    for (const [formulaId, found] of byFormula) {
      const formula = this.formulas[formulaId]!;
      for (const group of listGroups(text, found)) {
        if (
          group.length < minimumList(formula.members) ||
          group.every((m, i) => i === 0 || group[i - 1]!.index < m.index)
        )
          continue;
        const start = group[0]!.start;
        const end = group[group.length - 1]!.end;
        const suggestion = formula.members.join(formula.entry.suggestion.includes('|') ? '，' : '、');
        drafts.push({
          start,
          end,
          text: text.slice(start, end),
          kind: 'order',
          severity: formula.entry.severity,
          suggestion,
          entry: formula.entry.phrase,
          reason: withNote(`“${formula.entry.phrase}”各项顺序有误，应为：${suggestion}`, formula.entry.note),
        });
      }
    }
    return drafts;
  }

  /** A leader's name one character off right before or after a title (习近平 written 习近萍 next to 总书记). */
  private leaderSlips(text: string, matches: readonly Match[]): Draft[] {
    if (this.leaders.length === 0) return [];
    const lengths = [...new Set(this.leaders.map((l) => l.phrase.length))];
    const drafts = new Map<string, Draft>();
    for (const match of matches) {
      const title = this.roles[match.pattern]!.find((r) => r.type === 'entry' && r.entry.kind === 'title');
      if (!title || title.type !== 'entry') continue;
      const strong = title.entry.flags.includes('strong');
      for (const length of lengths) {
        for (const start of [match.start - length, match.end]) {
          const window = text.slice(Math.max(0, start), start + length);
          if (start < 0 || window.length !== length || !HAN.test(window) || drafts.has(`${start}`)) continue;
          if (this.leaders.some((l) => l.phrase === window)) continue;
          for (const leader of this.leaders) {
            const edit = oneEdit(window, leader.phrase);
            if (!edit || !this.leaderSlip(edit, leader.phrase, strong)) continue;
            drafts.set(`${start}`, {
              start,
              end: start + length,
              text: window,
              kind: 'near-miss',
              severity: leader.severity,
              suggestion: leader.phrase,
              entry: leader.phrase,
              reason: withNote(
                `领导人姓名疑似写错（${describe(edit, leader.phrase)}），应为“${leader.phrase}”`,
                leader.note,
              ),
            });
            break;
          }
        }
      }
    }
    return [...drafts.values()];
  }

  private leaderSlip(edit: Edit, name: string, strong: boolean): boolean {
    if (edit.type === 'transposition') return name.length >= 3;
    if (edit.type !== 'substitution' || !HAN.test(edit.char)) return false;
    return this.homophone(edit.char, name[edit.at]!) || (strong && name.length >= 3);
  }

  private nearMisses(text: string, inGood: (s: number, e: number) => boolean): Draft[] {
    const drafts: Draft[] = [];
    for (const candidate of this.nearIndex.find(text)) {
      const entry = this.nearTargets[candidate.target]!;
      const window = text.slice(candidate.start, candidate.end);
      // 学习习近平…: the window is the phrase with the character before it, not a slip.
      if (
        inGood(candidate.start, candidate.end) ||
        window.includes(entry.phrase) ||
        !this.counts(candidate.edit, entry)
      )
        continue;
      drafts.push({
        start: candidate.start,
        end: candidate.end,
        text: window,
        kind: 'near-miss',
        severity: entry.severity,
        suggestion: entry.phrase,
        entry: entry.phrase,
        reason: withNote(`疑似“${entry.phrase}”的误写（${describe(candidate.edit, entry.phrase)}）`, entry.note),
      });
    }
    // Several phrases may explain one window: keep the longest phrase's finding.
    return drafts.sort((a, b) => b.entry.length - a.entry.length);
  }

  /**
   * Whether an edit of a phrase is a finding. Changes at the ends are ordinary text too often
   * (浙江全省, 石家庄是) unless the entry says otherwise; a substitution by a character that sounds
   * different needs a long phrase, a homophone a phrase of four or more; an added function
   * character (的, 要) is prose, not a slip.
   */
  private counts(edit: Edit, entry: DictionaryEntry): boolean {
    const n = entry.phrase.length;
    const ends = entry.flags.includes('ends');
    const min = entry.flags.includes('near') ? 3 : NEAR_MIN;
    const inside = (at: number) => ends || (at > 0 && at < n - 1);
    switch (edit.type) {
      case 'substitution':
        if (!HAN.test(edit.char) || !inside(edit.at)) return false;
        return this.homophone(edit.char, entry.phrase[edit.at]!) ? n >= min : n >= 6;
      case 'transposition':
        return n >= min && (ends || (edit.at >= 1 && edit.at + 1 <= n - 2));
      case 'deletion':
        return n >= Math.max(min, 5) && inside(edit.at);
      case 'insertion':
        if (!HAN.test(edit.char) || FUNCTION_CHARS.includes(edit.char)) return false;
        return n >= Math.max(min, 5) && (ends || (edit.at >= 1 && edit.at <= n - 2));
    }
  }

  private homophone(a: string, b: string): boolean {
    const ra = this.readings(a);
    const rb = this.readings(b);
    return ra.some((r) => rb.includes(r));
  }
}

function nearMissable(entry: DictionaryEntry): boolean {
  if (entry.flags.includes('nonear') || (entry.kind !== 'canonical' && entry.kind !== 'formula')) return false;
  return entry.phrase.length >= (entry.flags.includes('near') ? 3 : NEAR_MIN) && HAN.test(entry.phrase);
}

function isGood(role: Role): boolean {
  return role.type === 'member' || GOOD_KINDS.has(role.entry.kind);
}

/** covered[s] = the furthest end of a correct phrase starting at or before s: [s, e) lies inside one iff covered[s] >= e. */
function coverage(length: number, spans: readonly Match[]): Int32Array {
  const covered = new Int32Array(length).fill(-1);
  for (const span of spans) if (span.start < length) covered[span.start] = Math.max(covered[span.start]!, span.end);
  for (let i = 1; i < length; i++) covered[i] = Math.max(covered[i]!, covered[i - 1]!);
  return covered;
}

/**
 * How many members make a list worth checking: two of long members; of one- or two-character
 * members (民主、自由 are ordinary words), three, or four of a formula of more than five.
 */
function minimumList(members: readonly string[]): number {
  if (!members.some((m) => m.length <= 2)) return 2;
  return members.length > 5 ? 4 : 3;
}

/** Runs of members written as one list: only separators (、，和…) between one and the next. */
function listGroups<T extends { start: number; end: number }>(text: string, found: readonly T[]): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  for (const member of found) {
    const last = current[current.length - 1];
    if (last && member.start >= last.end && LIST_GAP.test(text.slice(last.end, member.start))) current.push(member);
    else if (!last || member.start >= last.end) {
      if (current.length > 0) groups.push(current);
      current = [member];
    }
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

function describe(edit: Edit, phrase: string): string {
  switch (edit.type) {
    case 'substitution':
      return `“${phrase[edit.at]}”写成了“${edit.char}”`;
    case 'transposition':
      return `“${phrase[edit.at]}${phrase[edit.at + 1]}”顺序颠倒`;
    case 'deletion':
      return `漏了“${phrase[edit.at]}”`;
    case 'insertion':
      return `多了“${edit.char}”`;
  }
}

function withNote(reason: string, note: string): string {
  return note ? `${reason}（${note}）` : reason;
}

const SEVERITY_RANK: Record<Severity, number> = { serious: 0, suspect: 1, custom: 2 };

/** Listed forms and order findings stand; a near miss is dropped where another finding already is. */
function settle(firm: Draft[], near: Draft[]): Draft[] {
  const kept: Draft[] = [];
  const overlaps = (d: Draft) => kept.some((k) => k.start < d.end && d.start < k.end);
  for (const draft of firm)
    if (!kept.some((k) => k.start === draft.start && k.end === draft.end && k.entry === draft.entry)) kept.push(draft);
  for (const draft of [...near].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]))
    if (!overlaps(draft)) kept.push(draft);
  return kept.sort((a, b) => a.start - b.start || a.end - b.end);
}

function occurrencesBefore(text: string, needle: string, start: number): number {
  let count = 0;
  for (let at = text.indexOf(needle); at !== -1 && at < start; at = text.indexOf(needle, at + 1)) count++;
  return count;
}
