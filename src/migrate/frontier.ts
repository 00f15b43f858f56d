// The crawl's frontier: the URLs to visit and what became of each. A real run keeps it in the
// store (migration_urls), so a killed run resumes where it stopped; a dry run keeps it in memory
// and writes nothing.
import type { Kysely } from 'kysely';
import { migrationUrls, type Database, type MigrationUrlRow } from '../store/index.js';
import type { LinkRole } from './types.js';

/** A frontier row's role: a page's link role, or a Hanweb data-proxy request. */
export type FrontierRole = LinkRole | 'proxy';
export type FrontierState = MigrationUrlRow['state'];

export interface FrontierEntry {
  readonly url: string;
  readonly role: FrontierRole;
  readonly text: string;
  readonly depth: number;
  readonly form?: Readonly<Record<string, string>> | null;
}

export interface FrontierOutcome {
  readonly state: Exclude<FrontierState, 'queued'>;
  readonly reason?: string;
  readonly articleId?: number;
  readonly mediaUrl?: string;
  readonly contentHash?: string;
  /** A list page's column (names from the top, after the map): its old URL is redirected there. */
  readonly columns?: readonly string[];
}

export interface Frontier {
  /** Adds the URLs not seen yet; returns how many were new. */
  add(entries: readonly FrontierEntry[]): Promise<number>;
  /** The next queued rows after `afterSeq`, in the order they were added. */
  take(afterSeq: number, limit: number): Promise<MigrationUrlRow[]>;
  finish(url: string, outcome: FrontierOutcome): Promise<void>;
  find(url: string): Promise<MigrationUrlRow | undefined>;
  counts(): Promise<Record<FrontierState, number>>;
  /** A finished crawl run again: every row queued once more, what it led to kept. */
  restart(): Promise<void>;
  /** List pages done whose column is known, after `afterSeq`, in order. */
  lists(afterSeq: number, limit: number): Promise<MigrationUrlRow[]>;
}

export function storeFrontier(db: Kysely<Database>, siteId: number, now: () => Date): Frontier {
  return {
    add: (entries) =>
      migrationUrls.enqueueUrls(
        db,
        siteId,
        entries.map((e) => ({ url: e.url, role: e.role, text: e.text, depth: e.depth, form: e.form ?? null })),
        now(),
      ),
    take: (afterSeq, limit) => migrationUrls.takeQueued(db, siteId, limit, afterSeq),
    finish: (url, outcome) => migrationUrls.finishUrl(db, siteId, url, outcome, now()),
    find: (url) => migrationUrls.findUrl(db, siteId, url),
    counts: () => migrationUrls.countByState(db, siteId),
    restart: () => migrationUrls.requeueAll(db, siteId, now()),
    lists: (afterSeq, limit) => migrationUrls.listColumnPages(db, siteId, afterSeq, limit),
  };
}

/** The dry run's frontier: the same behaviour, in memory. */
export function memoryFrontier(siteId: number, now: () => Date): Frontier {
  const rows = new Map<string, MigrationUrlRow>();
  let seq = 0;
  const add = (entries: readonly FrontierEntry[]): number => {
    let added = 0;
    for (const e of entries) {
      if (rows.has(e.url)) continue;
      rows.set(e.url, {
        siteId,
        url: e.url,
        state: 'queued',
        role: e.role,
        text: e.text,
        depth: e.depth,
        form: e.form ? { ...e.form } : null,
        articleId: null,
        mediaUrl: null,
        contentHash: null,
        columns: null,
        reason: '',
        seq: ++seq,
        updatedAt: now().toISOString(),
      });
      added++;
    }
    return added;
  };
  const finish = (url: string, outcome: FrontierOutcome): void => {
    const row = rows.get(url);
    if (!row) return;
    rows.set(url, {
      ...row,
      state: outcome.state,
      reason: outcome.reason ?? '',
      articleId: outcome.articleId ?? row.articleId,
      mediaUrl: outcome.mediaUrl ?? row.mediaUrl,
      contentHash: outcome.contentHash ?? row.contentHash,
      columns: outcome.columns ?? row.columns,
      updatedAt: now().toISOString(),
    });
  };
  const counts = (): Record<FrontierState, number> => {
    const counted = { queued: 0, done: 0, failed: 0, skipped: 0 };
    for (const row of rows.values()) counted[row.state]++;
    return counted;
  };
  const select = (afterSeq: number, limit: number, wanted: (row: MigrationUrlRow) => boolean) =>
    [...rows.values()].filter((row) => row.seq > afterSeq && wanted(row)).slice(0, limit);
  return {
    add: (entries) => Promise.resolve(add(entries)),
    take: (afterSeq, limit) => Promise.resolve(select(afterSeq, limit, (row) => row.state === 'queued')),
    finish: (url, outcome) => Promise.resolve(finish(url, outcome)),
    find: (url) => Promise.resolve(rows.get(url)),
    counts: () => Promise.resolve(counts()),
    restart: () => {
      for (const [url, row] of rows) rows.set(url, { ...row, state: 'queued' });
      return Promise.resolve();
    },
    lists: (afterSeq, limit) =>
      Promise.resolve(select(afterSeq, limit, (row) => row.state === 'done' && row.columns !== null)),
  };
}
