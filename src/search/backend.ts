import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import type { DocumentTokens } from './document.js';
import type { ParsedQuery } from './query.js';

export interface ResolvedFilters {
  /** The sites searched: the site itself, and its sub-sites when the reader asks for them. */
  readonly siteIds: readonly number[];
  /** The channel and its subtree, or null for every channel. */
  readonly channelIds: readonly number[] | null;
  /** ISO instants, inclusive from, exclusive to. */
  readonly from: string | null;
  readonly to: string | null;
  readonly contentType: string | null;
}

export interface MatchPage {
  readonly total: number;
  /** False when total is an estimate (PostgreSQL: a phrase with more candidates than it checks, or a common term). */
  readonly exact: boolean;
  /** search_doc ids, best first. */
  readonly docIds: readonly number[];
}

/** The token index of one dialect: FTS5 or tsvector. Everything else in search is shared. */
export interface SearchBackend {
  write(
    db: Kysely<Database>,
    documents: readonly { readonly docId: number; readonly tokens: DocumentTokens }[],
  ): Promise<void>;
  erase(db: Kysely<Database>, docIds: readonly number[]): Promise<void>;
  match(
    db: Kysely<Database>,
    query: ParsedQuery,
    filters: ResolvedFilters,
    page: { limit: number; offset: number },
  ): Promise<MatchPage>;
  /** Removes every document of the site from the token index (search_doc rows are the caller's). */
  clear(db: Kysely<Database>, siteId: number): Promise<void>;
  /** Batches of a bulk rebuild written at once, each in its own transaction. */
  readonly bulkWriters: number;
  /** Readies the caller's transaction to write one batch of a bulk rebuild. */
  beginBulkWrite(db: Kysely<Database>): Promise<void>;
  /** After a bulk rebuild: folds what the writes left pending into the index proper. */
  settle(db: Kysely<Database>): Promise<void>;
}
