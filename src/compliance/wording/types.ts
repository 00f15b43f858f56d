/**
 * What the wording check (错敏词) knows and what it reports. Plain data: the engine does no I/O.
 */

/**
 * canonical: the right form (its near misses are findings); wrong / outdated: a form to replace;
 * formula: a fixed formula whose members (in the suggestion, 、-separated) must keep their order;
 * leader: a leader's name (one character off next to a title is serious); title: a leader's title;
 * allow: a phrase that is fine and hides the findings inside it (文化部门 is not the old 文化部).
 */
export const ENTRY_KINDS = ['canonical', 'wrong', 'outdated', 'formula', 'leader', 'title', 'allow'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/** serious blocks submission; suspect warns; custom is the site's own list (warns). */
export const SEVERITIES = ['serious', 'suspect', 'custom'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * Per-entry switches: nonear (no near-miss detection), near (near misses even when shorter than
 * the default minimum), ends (a near miss may change the first or last character), strong (a
 * title next to which any one-character change of a leader's name counts, not only homophones).
 */
export const ENTRY_FLAGS = ['nonear', 'near', 'ends', 'strong'] as const;
export type EntryFlag = (typeof ENTRY_FLAGS)[number];

export interface DictionaryEntry {
  readonly phrase: string;
  readonly kind: EntryKind;
  readonly severity: Severity;
  readonly suggestion: string;
  readonly note: string;
  readonly flags: readonly EntryFlag[];
  /** Where it comes from: `dictionary.tsv:12` or `site:7`. */
  readonly source: string;
}

export const FINDING_KINDS = ['wrong', 'outdated', 'near-miss', 'order'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export const FIELDS = ['title', 'summary', 'body'] as const;
export type Field = (typeof FIELDS)[number];

export interface Finding {
  readonly field: Field;
  /** Offsets (UTF-16 code units) in the field's text; for the body, in the text of its HTML. */
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** How many times `text` occurs in the field's text before this one (to place it in an editor). */
  readonly occurrence: number;
  readonly kind: FindingKind;
  readonly severity: Severity;
  readonly suggestion: string;
  /** The dictionary phrase the finding is about. */
  readonly entry: string;
  /** Why, in Chinese, for the editor. */
  readonly reason: string;
}

/** The texts to check: the body already turned from HTML into text. */
export interface CheckTexts {
  readonly title?: string;
  readonly summary?: string;
  readonly body?: string;
}

/** Toneless readings of one character (several for 多音字); [] for a character without pinyin. */
export type Readings = (char: string) => readonly string[];
