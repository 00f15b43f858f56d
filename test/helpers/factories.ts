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
  return Array.from({ length: PHRASE_CANDIDATES }, (_, i) =>
    setPage(
      `candidates:${i}`,
      i,
      { channel, siteId },
      `通知${i}`,
      holdsPhrase(i) ? '会议印发甲乙丙方案。' : '甲乙两组，乙丙三组。',
    ),
  );
}

/** The i-th page of a set made for one test: a single-page search source, a minute after the one before it (from 2024-01-01). */
function setPage(
  key: string,
  i: number,
  where: { channel: { id: number; name: string }; siteId: number },
  title: string,
  bodyText: string,
): SearchSource {
  return {
    key: `test:${key}`,
    siteId: where.siteId,
    contentType: 'page',
    articleId: null,
    channelId: where.channel.id,
    channelName: where.channel.name,
    channelAncestry: [where.channel.id],
    title,
    bodyText,
    publishedAt: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
  };
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

/**
 * 1,500 pages of a column (one a minute from 2024-01-01), more than PostgreSQL ranks as a set
 * (WALK_MIN_ESTIMATE, WALK_MAX_HEAD). By the last digit of their number:
 * - 0: neither term;
 * - 1: 预算 as a fragment (预算法);
 * - 2 to 9: the word 预算 whole, and 议预 (across the words 审议 and 预算).
 *
 * Six titles (the pages 3, 253, … 1,253) hold both terms too.
 */
export const COMMON_TERM_PAGES = 1500;
const commonTermBody = (i: number) =>
  i % 10 === 0 ? '本期其他工作进展。' : i % 10 === 1 ? '本期修订预算法。' : '本期审议预算草案。';
/** Whether page i's title holds both terms. */
export const commonTermTitled = (i: number) => i % 250 === 3;
export const commonTermTitle = (i: number) => (commonTermTitled(i) ? `审议预算简报${i}` : `简报${i}`);
export function commonTermPages(channel: { id: number; name: string }, siteId = 1): SearchSource[] {
  return Array.from({ length: COMMON_TERM_PAGES }, (_, i) =>
    setPage(`common:${i}`, i, { channel, siteId }, commonTermTitle(i), commonTermBody(i)),
  );
}

/**
 * 1,500 pages that all hold 预案. 150 titles (every tenth page from 7) hold it, half as the word
 * (预案简报: 7, 27, 47, …), half as a fragment (干预案件简报, with a text that holds it as a
 * fragment too, so that bm25 on SQLite ranks these titles as the tiers do). The other texts hold
 * the word whole (修订预案) where the page's number is under 19 modulo 30, else a fragment
 * (干预案件): 925 pages hold the word in all. The titles and whole-word pages (1,075) are more
 * than PostgreSQL ranks as one set, the word in fewer than the statistics call common (1,000):
 * its pages are read as ids. Ranked: the 150 titles, then 850 pages of the word, then fragments.
 */
export const planWordTitled = (i: number) => i % 10 === 7;
const planWordFragmentTitle = (i: number) => planWordTitled(i) && i % 20 !== 7;
export const planWordWhole = (i: number) => i % 30 < 19 && !planWordFragmentTitle(i);
export const planWordTitle = (i: number) =>
  !planWordTitled(i) ? `简报${i}` : planWordFragmentTitle(i) ? `干预案件简报${i}` : `预案简报${i}`;
/** The rank of page i for 预案: a title hit 4, the word whole (in its title or its text) 2. */
export const planWordScore = (i: number) =>
  (planWordTitled(i) ? 4 : 0) + (planWordWhole(i) || (planWordTitled(i) && !planWordFragmentTitle(i)) ? 2 : 0);
export function planWordPages(channel: { id: number; name: string }, siteId = 1): SearchSource[] {
  return Array.from({ length: COMMON_TERM_PAGES }, (_, i) =>
    setPage(
      `plan:${i}`,
      i,
      { channel, siteId },
      planWordTitle(i),
      planWordWhole(i) ? '本期修订预案。' : '本期干预案件。',
    ),
  );
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
