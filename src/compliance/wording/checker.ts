import { Automaton, type Match } from './automaton.js';
import { formulaMembers } from './dictionary.js';
import { NearMissIndex, oneEdit, type Edit } from './near-miss.js';
import type { CheckTexts, DictionaryEntry, Field, Finding, FindingKind, Readings, Severity } from './types.js';

type Role =
  | { readonly type: 'entry'; readonly entry: DictionaryEntry }
  | { readonly type: 'member'; readonly formula: number; readonly index: number };

/** The words around a window, with the stretch of text that was cut into them. */
interface WordsAround {
  readonly from: number;
  readonly to: number;
  readonly spans: readonly (readonly [number, number])[];
}

/** A finding before its occurrence is counted. */
type Draft = Omit<Finding, 'occurrence' | 'field'>;

interface Formula {
  readonly entry: DictionaryEntry;
  readonly members: readonly string[];
}

const HAN = /^\p{Script=Han}+$/u;
const HAN_LIST = /^[\p{Script=Han}、]+$/u;
/** What may stand between the members of a formula written as a list. */
const LIST_GAP = /^[、，,；;\s和与及以]{0,3}$/u;
/** Characters that prose puts between the words of a name all the time (乡村要振兴, 中国特色的社会主义). */
export const FUNCTION_CHARS = '的地得了着过和与及或是在要将把被对为也都就又而并之其所以';
/** The last characters of the names of bodies: 部 and 局, 厅, 委… name bodies of different levels. */
const ORG_SUFFIXES = '部局厅处委办署院会司所室站队团府';
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
  private readonly titles: DictionaryEntry[];
  /** Window lengths a leader's name may take next to a title (one character short to one long), longest first. */
  private readonly nameLengths: number[];

  constructor(
    readonly entries: readonly DictionaryEntry[],
    private readonly readings: Readings,
    /** Words of a text (jieba's): where a slipped name stands as words of its own, and where it is part of other words. */
    private readonly segment: (text: string) => readonly string[],
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
    this.titles = entries.filter((e) => e.kind === 'title');
    // Longest first: 习近近平 beside a title is the name with a character added, not 近平 short of one.
    this.nameLengths = [
      ...new Set(this.leaders.flatMap((l) => [l.phrase.length - 1, l.phrase.length, l.phrase.length + 1])),
    ]
      .filter((n) => n >= 2)
      .sort((a, b) => b - a);
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
    const leaders = [...this.leaderSlips(text, matches, inGood), ...this.titleSlips(text, matches)];
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
  private leaderSlips(text: string, matches: readonly Match[], inGood: (s: number, e: number) => boolean): Draft[] {
    if (this.leaders.length === 0) return [];
    const lengths = this.nameLengths;
    const sides = new Set<string>();
    const drafts = new Map<string, Draft>();
    for (const match of matches) {
      const title = this.roles[match.pattern]!.find((r) => r.type === 'entry' && r.entry.kind === 'title');
      if (!title || title.type !== 'entry') continue;
      const strong = title.entry.flags.includes('strong');
      for (const length of lengths) {
        for (const [side, start] of [
          [`before ${match.start}`, match.start - length],
          [`after ${match.end}`, match.end],
        ] as const) {
          const window = text.slice(Math.max(0, start), start + length);
          if (start < 0 || window.length !== length || !HAN.test(window) || drafts.has(`${start}`) || sides.has(side))
            continue;
          if (this.leaders.some((l) => l.phrase === window)) continue;
          // Part of a name or title written right (丁薛祥副总理: 薛祥 is not 丁薛祥 with a character dropped).
          if (inGood(start, start + length) || this.overlapsGood(matches, start, start + length)) continue;
          for (const leader of this.leaders) {
            const edit = oneEdit(window, leader.phrase);
            if (!edit || !this.leaderSlip(edit, leader.phrase, strong)) continue;
            // A name one character short or long: only where the window stands as words of its own.
            if (edit.type === 'deletion' || edit.type === 'insertion') {
              if (!this.standsAlone(this.wordsAround(text, start, start + length), start, start + length)) continue;
              if (this.segment(window).length === 1) continue;
            }
            sides.add(side);
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

  /** Whether a window overlaps a correctly written name, title or phrase without being inside it. */
  private overlapsGood(matches: readonly Match[], start: number, end: number): boolean {
    return matches.some(
      (m) =>
        m.start < end && start < m.end && !(m.start <= start && m.end >= end) && this.roles[m.pattern]!.some(isGood),
    );
  }

  private leaderSlip(edit: Edit, name: string, strong: boolean): boolean {
    switch (edit.type) {
      case 'transposition':
        return name.length >= 2;
      case 'deletion':
        return name.length >= 3;
      case 'insertion':
        return HAN.test(edit.char) && name.length >= 2 && (!FUNCTION_CHARS.includes(edit.char) || doubled(edit, name));
      case 'substitution':
        if (!HAN.test(edit.char)) return false;
        return this.soundsAlike(edit.char, name[edit.at]!) || (strong && name.length >= 3);
    }
  }

  /**
   * A title one character off right after a leader's name (习近平总书纪): a homophone or a
   * near-homophone in a title, a character dropped, added or swapped, where the window stands
   * as words of its own in the sentence.
   */
  private titleSlips(text: string, matches: readonly Match[]): Draft[] {
    const titles = this.titles;
    const drafts: Draft[] = [];
    for (const match of matches) {
      if (!this.roles[match.pattern]!.some((r) => r.type === 'entry' && r.entry.kind === 'leader')) continue;
      const start = match.end;
      let found: Draft | null = null;
      for (const title of titles) {
        for (const length of [title.phrase.length - 1, title.phrase.length, title.phrase.length + 1]) {
          const window = text.slice(start, start + length);
          if (length < 1 || window.length !== length || !HAN.test(window)) continue;
          if (titles.some((t) => text.startsWith(t.phrase, start))) break;
          const edit = oneEdit(window, title.phrase);
          if (!edit || !this.titleSlip(edit, title.phrase)) continue;
          if (
            !this.standsAlone(this.wordsAround(text, start, start + length), start, start + length) ||
            (length > 1 && this.segment(window).length === 1)
          )
            continue;
          if (!found || found.entry.length < title.phrase.length)
            found = {
              start,
              end: start + length,
              text: window,
              kind: 'near-miss',
              severity: title.severity,
              suggestion: title.phrase,
              entry: title.phrase,
              reason: withNote(
                `领导人职务疑似写错（${describe(edit, title.phrase)}），应为“${title.phrase}”`,
                title.note,
              ),
            };
        }
      }
      if (found) drafts.push(found);
    }
    return drafts;
  }

  private titleSlip(edit: Edit, title: string): boolean {
    switch (edit.type) {
      case 'transposition':
        return true;
      case 'deletion':
        return title.length >= 3;
      case 'insertion':
        return HAN.test(edit.char) && (!FUNCTION_CHARS.includes(edit.char) || doubled(edit, title));
      case 'substitution':
        return HAN.test(edit.char) && (this.soundsAlike(edit.char, title[edit.at]!) || title.length >= 3);
    }
  }

  /** Homophones, or near-homophones (zh/z, ch/c, sh/s, n/l, -n/-ng confused). */
  private soundsAlike(a: string, b: string): boolean {
    const ra = this.readings(a);
    const rb = this.readings(b);
    return ra.some((r) => rb.includes(r) || rb.some((s) => nearKey(s) === nearKey(r)));
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
        !(
          this.counts(candidate.edit, entry) ||
          this.seriousSlip(candidate.edit, entry, text, candidate.start, candidate.end)
        )
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

  /**
   * A serious phrase slipped anywhere, ends included, when the slipped window stands as words of
   * its own in the sentence: jieba cuts the text at its start and at its end. A window that cuts
   * through a longer word is other text (中共中山市委 is not 中共中央 with a character dropped).
   */
  private seriousSlip(edit: Edit, entry: DictionaryEntry, text: string, start: number, end: number): boolean {
    if (entry.severity !== 'serious' || entry.phrase.length < 3) return false;
    if ((edit.type === 'substitution' || edit.type === 'insertion') && !HAN.test(edit.char)) return false;
    // An added 的 or 要 is prose; the same character typed twice (和和) is a slip.
    const phrase = entry.phrase;
    if (edit.type === 'insertion' && FUNCTION_CHARS.includes(edit.char) && !doubled(edit, phrase)) return false;
    const window = text.slice(start, end);
    // A short name's first or last character changed is a name and the next word (江苏和, 上海在).
    const n = phrase.length;
    const atEdge =
      edit.type === 'insertion'
        ? false
        : edit.type === 'transposition'
          ? edit.at === 0 || edit.at + 1 === n - 1
          : edit.at === 0 || edit.at >= n - 1;
    // Three characters: a slip at an end only when it sounds like the character it replaced
    // (外交堡 for 外交部); another character there is the name and the next word (江苏和).
    if (n <= 3 && edit.type === 'deletion') return false;
    // …and a character added inside is a word between (浙江两省), unless it is a neighbour typed twice.
    if (n <= 3 && edit.type === 'insertion' && !doubled(edit, phrase)) return false;
    if (n <= 3 && atEdge && !(edit.type === 'substitution' && this.soundsAlike(edit.char, phrase[edit.at]!)))
      if (edit.type !== 'transposition') return false;
    // Four characters or fewer: a character that sounds different is another word or another
    // person (李刚同志 is not 李强同志 slipped).
    if (n <= 4 && edit.type === 'substitution' && !this.soundsAlike(edit.char, phrase[edit.at]!)) return false;
    // A body of another level or kind (人力资源和社会保障局 beside …部): a different name, not a slip.
    if (edit.type === 'substitution' && edit.at === entry.phrase.length - 1 && ORG_SUFFIXES.includes(edit.char))
      return false;
    // A word of its own (科学技术 beside 科学技术部, 三位一体 beside 五位一体) is not a slip.
    const words = this.segment(window);
    if (words.length === 1) return false;
    const around = this.wordsAround(text, start, end);
    if (!this.standsAlone(around, start, end)) return false;
    // Near an end of a short name, the changed character must stand alone: one that makes a word
    // with its neighbour is other text (中共中山市委), a slip rarely does (外交簿). A long name
    // slipped is a slip wherever the character lands (中华人民共和蔼国).
    if (n >= 5) return true;
    const changed = edit.type === 'deletion' || edit.type === 'transposition' ? -1 : start + edit.at;
    const nearEnd = edit.type === 'insertion' ? edit.at <= 1 || edit.at >= n - 1 : edit.at === 0 || edit.at >= n - 1;
    if (changed < 0 || !nearEnd || this.aloneAt(around, changed)) return true;
    // …unless it sounds like the character it replaced (四个全免 for 四个全面).
    return edit.type === 'substitution' && this.soundsAlike(edit.char, phrase[edit.at]!);
  }

  /** jieba's words of the text around [start, end) (eight characters either side), as [start, end) spans of the text. */
  private wordsAround(text: string, start: number, end: number): WordsAround {
    const from = Math.max(0, start - 8);
    const to = Math.min(text.length, end + 8);
    const spans: [number, number][] = [];
    let at = from;
    for (const token of this.segment(text.slice(from, to))) {
      spans.push([at, at + token.length]);
      at += token.length;
    }
    return { from, to, spans };
  }

  /** Whether [start, end) begins and ends where words do (or at the edge of what was cut). */
  private standsAlone(around: WordsAround, start: number, end: number): boolean {
    const cuts = new Set<number>([around.from, ...around.spans.map(([, e]) => e)]);
    return (start === around.from || cuts.has(start)) && (end === around.to || cuts.has(end));
  }

  /** Whether the character at `at` is a word of its own. */
  private aloneAt(around: WordsAround, at: number): boolean {
    const word = around.spans.find(([s, e]) => at >= s && at < e);
    return !word || word[1] - word[0] === 1;
  }

  private homophone(a: string, b: string): boolean {
    const ra = this.readings(a);
    const rb = this.readings(b);
    return ra.some((r) => rb.includes(r));
  }
}

/** An insertion that types a neighbouring character again (和和). */
function doubled(edit: Edit & { type: 'insertion' }, phrase: string): boolean {
  return phrase[edit.at - 1] === edit.char || phrase[edit.at] === edit.char;
}

/** A reading with zh/z, ch/c, sh/s and n/l merged and -ng finals as -n: what speakers of many dialects confuse. */
export function nearKey(reading: string): string {
  const [, initial = '', final = ''] = /^(zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw]?)(.*)$/.exec(reading) ?? [];
  const merged = ({ zh: 'z', ch: 'c', sh: 's', n: 'l' } as Record<string, string>)[initial] ?? initial;
  return `${merged}-${final.replace(/ng$/, 'n')}`;
}

function nearMissable(entry: DictionaryEntry): boolean {
  if (entry.flags.includes('nonear') || (entry.kind !== 'canonical' && entry.kind !== 'formula')) return false;
  const min = entry.flags.includes('near') || entry.severity === 'serious' ? 3 : NEAR_MIN;
  // A serious phrase may be a list (中共中央总书记、国家主席、中央军委主席习近平).
  return (
    entry.phrase.length >= min &&
    (HAN.test(entry.phrase) || (entry.severity === 'serious' && HAN_LIST.test(entry.phrase)))
  );
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
