import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ImportedPage } from '../../src/importers/index.js';
import { ensureSite, type ServiceContext } from '../../src/services/index.js';
import type { Site } from '../../src/domain/index.js';
import type { TestContext } from 'node:test';
import { sql } from 'kysely';
import { indexDocuments, unindexDocuments, type SearchSource } from '../../src/search/index.js';
import type { Store } from '../../src/store/index.js';
import { EXACT_COUNT_CAP } from '../../src/search/postgres.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DEMO_PAGES = path.join(ROOT, 'demo', 'pages');
export const SEED_PAGE = path.join(DEMO_PAGES, '01-bqdt-rongrushi-dangjian.txt');
export const FIXTURE_PAGES = path.join(ROOT, 'test', 'fixtures', 'pages');
export const VARIANT_PAGES = path.join(ROOT, 'test', 'fixtures', 'variants');

let counter = 0;

/** An imported page with sensible defaults; each call makes a distinct article. */
export function makePage(overrides: Partial<ImportedPage> = {}): ImportedPage {
  counter++;
  return {
    columns: ['本区动态'],
    columnsLine: null,
    title: `测试文章${counter}`,
    subtitle: '',
    source: null,
    author: '',
    responsibleEditor: '',
    publishedAt: new Date(Date.UTC(2025, 0, 1, 0, counter)),
    bodyHtml: `<p class="indent">第${counter}篇文章的正文。</p>`,
    keywords: '',
    ...overrides,
  };
}

/** The demo site with its columns and no articles. */
export async function demoSite(ctx: ServiceContext): Promise<Site> {
  return (await ensureSite(ctx, 'Asia/Shanghai')).site;
}

/**
 * 220 pages of a column that hold 甲乙 and 乙丙 (one a minute from 2024-01-01): newest first,
 * the first 200 alternate between the phrase 甲乙丙 and the two apart, and the oldest 20 all
 * hold it. 120 hits, and more candidates than PostgreSQL counts exactly (EXACT_COUNT_CAP).
 */
const PHRASE_CANDIDATES = 220;
const holdsPhrase = (i: number) => i < 20 || i % 2 === 0;

export function phraseCandidates(channel: { id: number; name: string }, siteId = 1): SearchSource[] {
  return Array.from({ length: PHRASE_CANDIDATES }, (_, i) => ({
    key: `test:candidates:${i}`,
    siteId,
    contentType: 'page' as const,
    articleId: null,
    channelId: channel.id,
    channelName: channel.name,
    channelAncestry: [channel.id],
    title: `通知${i}`,
    bodyText: holdsPhrase(i) ? '会议印发甲乙丙方案。' : '甲乙两组，乙丙三组。',
    publishedAt: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
  }));
}

/**
 * What PostgreSQL estimates for 甲乙丙 over phraseCandidates: the share of holders among the
 * EXACT_COUNT_CAP (200) candidates first in hashint4(id) order, scaled to all of them.
 */
export async function phraseEstimate(store: Store): Promise<number> {
  const sample = await sql<{ docKey: string }>`select doc_key from search_doc
    where doc_key like 'test:candidates:%' order by hashint4(id) limit ${EXACT_COUNT_CAP}`.execute(store.db);
  const held = sample.rows.filter((r) => holdsPhrase(Number(r.docKey.split(':')[2])));
  return Math.round((PHRASE_CANDIDATES * held.length) / EXACT_COUNT_CAP);
}

/** Indexes search documents for one test, removed after it (pass or fail). */
export async function indexSourcesForTest(
  t: TestContext,
  store: Store,
  sources: readonly SearchSource[],
): Promise<void> {
  await indexDocuments(store.db, store.dialect, sources);
  t.after(() =>
    unindexDocuments(
      store.db,
      store.dialect,
      sources.map((s) => s.key),
    ),
  );
}
