import { CONTENT_TYPE_KEYS, type ContentTypeKey } from '../domain/index.js';
import { normalizeText } from './normalize.js';
import { pinyinOf } from './pinyin.js';
import { gramsOfNormalized, wordsOfNormalized } from './tokenize.js';

/** A single-page column, or an item of one of the content types (an article, a policy…). */
export type ContentType = 'page' | ContentTypeKey;
export const CONTENT_TYPES: readonly ContentType[] = [
  'article',
  'page',
  ...CONTENT_TYPE_KEYS.filter((k) => k !== 'article'),
];

/** A public page as search sees it. */
export interface SearchSource {
  readonly key: string;
  readonly siteId: number;
  readonly contentType: ContentType;
  readonly articleId: number | null;
  /** The article's version when it was read: a rebuild skips a page edited since. */
  readonly articleVersion?: number;
  readonly channelId: number;
  /** The column's name: its pinyin finds the column's pages too. */
  readonly channelName: string;
  /** The column and those above it: a search in a column covers its sub-columns. */
  readonly channelAncestry: readonly number[];
  readonly title: string;
  readonly bodyText: string;
  /** ISO 8601 instant. */
  readonly publishedAt: string;
}

export interface DocumentTokens {
  readonly titleGrams: readonly string[];
  readonly bodyGrams: readonly string[];
  readonly titleWords: readonly string[];
  readonly bodyWords: readonly string[];
  readonly pinyin: readonly string[];
  readonly initials: readonly string[];
  /** Filter tokens (site, columns, content type), so FTS5 filters without a join. */
  readonly scope: readonly string[];
  /**
   * The normalised title and body, a line apart: PostgreSQL checks a Han phrase as a substring
   * of it rather than through the positions of a vector many times its size.
   */
  readonly plain: string;
}

export const scopeToken = {
  site: (id: number) => `site${id}`,
  channel: (id: number) => `ch${id}`,
  type: (type: string) => `type${type}`,
};

/** Stands between the title's and the column name's syllables, so no phrase spans the two. */
export const PINYIN_GAP = '0';

export function tokensOf(
  source: Pick<SearchSource, 'title' | 'bodyText' | 'channelName' | 'siteId' | 'channelAncestry' | 'contentType'>,
): DocumentTokens {
  const title = normalizeText(source.title);
  const body = normalizeText(source.bodyText);
  const titlePinyin = pinyinOf(source.title);
  const channelPinyin = pinyinOf(source.channelName);
  return {
    titleGrams: gramsOfNormalized(title),
    bodyGrams: gramsOfNormalized(body),
    titleWords: wordsOfNormalized(title),
    bodyWords: wordsOfNormalized(body),
    pinyin: [...titlePinyin.syllables, PINYIN_GAP, ...channelPinyin.syllables],
    initials: [...titlePinyin.initials, PINYIN_GAP, ...channelPinyin.initials],
    scope: [
      scopeToken.site(source.siteId),
      ...source.channelAncestry.map(scopeToken.channel),
      scopeToken.type(source.contentType),
    ],
    plain: `${title}\n${body}`,
  };
}

/** Title words worth suggesting in "did you mean": two or more letters or characters. */
export function vocabularyOf(titleWords: readonly string[]): string[] {
  return [...new Set(titleWords.filter((w) => Array.from(w).length >= 2 && !/^\d+$/.test(w)))];
}
