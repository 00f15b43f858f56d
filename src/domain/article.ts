import { toLocal } from './time.js';
import type { ContentTypeKey, FieldValues } from './content-types/fields.js';

/** Where an article is in its life. Only `published` articles reach readers. */
export type ArticleStatus = 'draft' | 'submitted' | 'approved' | 'published' | 'withdrawn';
export const ARTICLE_STATUSES: readonly ArticleStatus[] = ['draft', 'submitted', 'approved', 'published', 'withdrawn'];

export interface Attachment {
  readonly name: string;
  readonly url: string;
  readonly size: number | null;
}

export interface Article {
  readonly id: number;
  readonly siteId: number;
  readonly channelId: number;
  readonly title: string;
  readonly subtitle: string;
  /** 来源; null means the site itself (printed 本站). */
  readonly source: string | null;
  readonly author: string;
  /** 责任编辑 */
  readonly responsibleEditor: string;
  /** ISO 8601 instant (UTC) shown to readers as 发布时间; null until first published. */
  readonly publishedAt: string | null;
  /** Sanitised HTML. */
  readonly bodyHtml: string;
  readonly summary: string;
  /** Comma-separated, as in the Keywords meta tag. */
  readonly keywords: string;
  readonly coverImage: string | null;
  readonly attachments: readonly Attachment[];
  readonly status: ArticleStatus;
  readonly viewCount: number;
  /** Bumped by every save, for optimistic concurrency. */
  readonly version: number;
  /** Identity of an imported page, so importing it again updates this article. */
  readonly importKey: string | null;
  /** The account that wrote it (null for imported pages and deleted accounts). */
  readonly createdBy: number | null;
  /** Review levels passed since it was last submitted. */
  readonly reviewLevel: number;
  /** Why it was taken off the site (撤稿), when it was. */
  readonly withdrawReason: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** The item's content type: 'article' for every article written before types existed. */
  readonly contentType: ContentTypeKey;
  /** Its typed values (none for a plain article). */
  readonly fields: FieldValues;
  /** What lists show beside its title, from its values (已废止 on a repealed policy); '' for nothing. */
  readonly listMark: string;
}

export type ArticleFields = Omit<
  Article,
  | 'id'
  | 'viewCount'
  | 'version'
  | 'createdAt'
  | 'updatedAt'
  | 'reviewLevel'
  | 'withdrawReason'
  | 'contentType'
  | 'fields'
  | 'listMark'
> &
  Partial<Pick<Article, 'reviewLevel' | 'withdrawReason' | 'contentType' | 'fields' | 'listMark'>>;

/** The word printed for an article whose source is the site itself. */
export const OWN_SOURCE = '本站';

export function sourceLabel(article: Pick<Article, 'source'>): string {
  return article.source ?? OWN_SOURCE;
}

/**
 * Public URL path of a published article, in the form Chinese portals use:
 * `/bqdt/202105/t20210520_1.html` (channel path, month folder, day and id).
 */
export function articlePath(
  channelPath: string,
  article: Pick<Article, 'id' | 'publishedAt' | 'createdAt'>,
  timeZone: string,
): string {
  const l = toLocal(new Date(article.publishedAt ?? article.createdAt), timeZone);
  const mm = String(l.month).padStart(2, '0');
  const dd = String(l.day).padStart(2, '0');
  return `${channelPath}${l.year}${mm}/t${l.year}${mm}${dd}_${article.id}.html`;
}

const ARTICLE_PATH = /^((?:\/[a-z0-9-]+)+\/)(\d{6})\/t(\d{8})_(\d{1,12})\.html$/;

/** The channel path and article id named by a URL path, or null if it is not an article URL. */
export function parseArticlePath(urlPath: string): { channelPath: string; id: number } | null {
  const m = ARTICLE_PATH.exec(urlPath);
  if (!m || !m[1] || !m[4]) return null;
  return { channelPath: m[1], id: Number(m[4]) };
}

/** The first sentences of the body text, for Description meta and list teasers. */
export function summarize(text: string, maxChars = 120): string {
  const folded = text.replace(/[\s\u00a0\u3000]+/g, ' ').trim();
  const chars = Array.from(folded);
  return chars.length <= maxChars ? folded : `${chars.slice(0, maxChars).join('')}…`;
}
