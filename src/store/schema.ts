import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Table shapes as Kysely sees them (camelCase; the CamelCasePlugin maps to snake_case columns). */
export interface SiteTable {
  id: Generated<number>;
  name: string;
  domain: string;
  hostOrganization: string;
  siteCode: string;
  icpRecord: string;
  policeRecord: string;
  address: string;
  contact: string;
  timeZone: string;
  description: string;
  keywords: string;
  createdAt: string;
  updatedAt: string;
}

export interface ChannelTable {
  id: Generated<number>;
  siteId: number;
  parentId: number | null;
  name: string;
  slug: string;
  type: string;
  sortOrder: number;
  description: string;
  keywords: string;
  linkUrl: string | null;
  bodyHtml: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ArticleTable {
  id: Generated<number>;
  siteId: number;
  channelId: number;
  title: string;
  subtitle: string;
  source: string | null;
  author: string;
  responsibleEditor: string;
  publishedAt: string | null;
  bodyHtml: string;
  summary: string;
  keywords: string;
  coverImage: string | null;
  /** JSON array of attachments. */
  attachments: string;
  status: string;
  viewCount: number;
  version: number;
  importKey: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface SearchDocTable {
  id: Generated<number>;
  /** `article:12` or `channel:5` (a single-page column). */
  docKey: string;
  siteId: number;
  contentType: string;
  articleId: number | null;
  channelId: number;
  title: string;
  bodyText: string;
  publishedAt: string;
}

export interface SearchTermTable {
  siteId: number;
  term: string;
  /** How many indexed titles hold the term. */
  df: number;
}

export interface SearchSynonymTable {
  siteId: number;
  term: string;
  synonym: string;
}

export interface SearchStopwordTable {
  siteId: number;
  word: string;
}

export interface Database {
  site: SiteTable;
  channel: ChannelTable;
  article: ArticleTable;
  searchDoc: SearchDocTable;
  searchTerm: SearchTermTable;
  searchSynonym: SearchSynonymTable;
  searchStopword: SearchStopwordTable;
}

export type SiteRow = Selectable<SiteTable>;
export type ChannelRow = Selectable<ChannelTable>;
export type ArticleRow = Selectable<ArticleTable>;
export type NewArticleRow = Insertable<ArticleTable>;
export type ArticleUpdate = Updateable<ArticleTable>;
