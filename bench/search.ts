import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { openStore, type Store } from '../src/store/index.js';
import { ensureSite, reindexSearch, settleSearchIndex, type ReindexProgress } from '../src/services/index.js';
import { SCHEDULER_TICK_MS } from '../src/cli/scheduler.js';
import { repeat } from '../src/repeat.js';
import { ensureChannelChain } from '../src/services/content/channels.js';
import { loadSiteView } from '../src/publish/index.js';
import {
  backendFor,
  indexDocument,
  normalizeText,
  parseQuery,
  pinyinOf,
  searchSite,
  unindexDocument,
  type SearchScope,
} from '../src/search/index.js';
import { escapeHtml, summarize } from '../src/domain/index.js';
import { fixedClock } from '../src/clock.js';
import { postgresTestStore } from '../test/helpers/store.js';
import { timings } from './publish.js';
import { makeCorpusGenerator, seededRandom } from '../src/services/content/corpus.js';

/**
 * `npm run bench search [-- --articles N --backends sqlite,postgres]`: builds a corpus of
 * generated Chinese articles (~2,000 characters each), indexes it through the same reindex
 * operation the CLI runs, then measures query latency per query class, recall against answers
 * found by scanning every text, and precision of the top 10.
 */

interface Options {
  readonly articles: number;
  readonly bodyChars: number;
  readonly backends: readonly ('sqlite' | 'postgres')[];
  readonly queriesPerClass: number;
  readonly recallQueriesPerClass: number;
}

interface Doc {
  readonly id: number;
  readonly title: string;
  readonly body: string;
}

const NOW = new Date('2025-12-01T01:00:00Z');
const CHANNELS = [
  '本区动态',
  '通知公告',
  '部门动态',
  '政策文件',
  '人事信息',
  '乡镇动态',
  '政策解读',
  '招标公告',
  '民生服务',
  '专题专栏',
];

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
/** What the bench's service calls run with besides the store (media are never written here). */
const ctxBase = { clock: fixedClock(NOW), mediaDir: path.join(os.tmpdir(), 'gazette-bench-media') };

/** The seed of the bench's articles: the corpus is generated again from it to find the true answers. */
const CORPUS_SEED = 20251201;
/**
 * Articles whose text the bench keeps to draw its queries from: every one up to this many, else
 * an even spread. At 1,000,000 articles the texts alone would be 4 GB of strings, the whole heap
 * Node gives a process here; the true answers come from generating the corpus again instead.
 */
const TEXTS_KEPT = 200_000;

interface Corpus {
  readonly siteId: number;
  /** The article id of each generated article, in the order generated. */
  readonly ids: Int32Array;
  /** The texts queries are drawn from (see TEXTS_KEPT). */
  readonly kept: readonly Doc[];
  readonly meanBodyChars: number;
  readonly insertSeconds: number;
}

export async function fillCorpus(store: Store, options: Options): Promise<Corpus> {
  const ctx = { ...ctxBase, store };
  const { site } = await ensureSite(ctx, 'Asia/Shanghai');
  const channelIds: number[] = [];
  for (const name of CHANNELS) channelIds.push((await ensureChannelChain(store.db, site.id, [name], NOW)).channel.id);
  const article = makeCorpusGenerator(CORPUS_SEED);
  const ids = new Int32Array(options.articles);
  const kept: Doc[] = [];
  const keepEvery = Math.ceil(options.articles / TEXTS_KEPT);
  let bodyChars = 0;
  const started = performance.now();
  const BATCH = 1000;
  for (let start = 0; start < options.articles; start += BATCH) {
    const rows = [];
    const texts: { index: number; title: string; body: string }[] = [];
    for (let i = start; i < Math.min(options.articles, start + BATCH); i++) {
      const generated = article(options.bodyChars, NOW.getTime());
      const paragraphs = generated.body.split('\n');
      rows.push({
        siteId: site.id,
        channelId: channelIds[i % channelIds.length] ?? 0,
        title: generated.title,
        subtitle: '',
        source: null,
        author: '',
        responsibleEditor: '',
        publishedAt: new Date(generated.publishedAt).toISOString(),
        bodyHtml: paragraphs.map((p) => `<p class="indent">${escapeHtml(p)}</p>`).join('\n'),
        summary: summarize(generated.body),
        keywords: '',
        coverImage: null,
        attachments: '[]',
        status: 'published',
        viewCount: 0,
        version: 1,
        importKey: null,
        createdAt: NOW.toISOString(),
        updatedAt: NOW.toISOString(),
      });
      bodyChars += generated.body.length;
      if (i % keepEvery === 0) texts.push({ index: i, title: generated.title, body: generated.body });
    }
    const inserted = await store.db.insertInto('article').values(rows).returning('id').execute();
    inserted.forEach((row, k) => (ids[start + k] = row.id));
    for (const text of texts) kept.push({ id: ids[text.index] ?? 0, title: text.title, body: text.body });
  }
  return {
    siteId: site.id,
    ids,
    kept,
    meanBodyChars: Math.round(bodyChars / Math.max(1, options.articles)),
    insertSeconds: (performance.now() - started) / 1000,
  };
}

interface Truth {
  /** The pages whose title or body holds the needle. */
  readonly hits: Set<number>;
  /** Those whose title holds it. */
  readonly inTitle: Set<number>;
}

/**
 * The pages that hold each needle, found by generating the articles again from the same seed
 * (the texts fillCorpus inserted, in the same order) and scanning every title and body, once
 * for all needles. `pages` are the site's other searchable pages, keyed as the caller likes.
 */
function corpusTruth(
  options: Pick<Options, 'articles' | 'bodyChars'>,
  ids: Int32Array,
  pages: readonly { id: number; title: string; body: string }[],
  needles: readonly string[],
): ReadonlyMap<string, Truth> {
  // Each needle once (a query may be drawn twice), keyed as asked, searched normalised.
  const answers = new Map(
    needles.map((needle) => [
      needle,
      { needle: normalizeText(needle), hits: new Set<number>(), inTitle: new Set<number>() },
    ]),
  );
  const scan = (id: number, rawTitle: string, rawBody: string) => {
    const title = normalizeText(rawTitle);
    const body = normalizeText(rawBody);
    for (const answer of answers.values()) {
      if (title.includes(answer.needle)) {
        answer.hits.add(id);
        answer.inTitle.add(id);
      } else if (body.includes(answer.needle)) answer.hits.add(id);
    }
  };
  const article = makeCorpusGenerator(CORPUS_SEED);
  for (let i = 0; i < options.articles; i++) {
    const generated = article(options.bodyChars, NOW.getTime());
    scan(ids[i] ?? 0, generated.title, generated.body);
  }
  for (const page of pages) scan(page.id, page.title, page.body);
  return answers;
}

async function indexSize(store: Store, file: string | null): Promise<number> {
  if (store.dialect === 'sqlite' && file) {
    await sql`pragma wal_checkpoint(truncate)`.execute(store.db);
    return fs.statSync(file).size;
  }
  const row = await sql<{
    bytes: string;
  }>`select (pg_total_relation_size('search_vector') + pg_total_relation_size('search_doc')
    + pg_total_relation_size('search_term'))::text as bytes`.execute(store.db);
  return Number(row.rows[0]?.bytes ?? 0);
}

type QueryClass = '2-char' | '3-char' | '4-char' | 'phrase' | 'pinyin';

export function makeQueries(docs: readonly Doc[], count: number): Record<QueryClass, string[]> {
  const random = seededRandom(7);
  const han = /^\p{Script=Han}+$/u;
  const substring = (length: number, test: (s: string) => boolean): string => {
    for (;;) {
      const doc = docs[Math.floor(random() * docs.length)];
      if (!doc) continue;
      const start = Math.floor(random() * Math.max(1, doc.body.length - length));
      const candidate = doc.body.slice(start, start + length);
      if (candidate.length === length && test(candidate)) return candidate;
    }
  };
  const queries: Record<QueryClass, string[]> = { '2-char': [], '3-char': [], '4-char': [], phrase: [], pinyin: [] };
  for (let i = 0; i < count; i++) {
    queries['2-char'].push(substring(2, (s) => han.test(s)));
    queries['3-char'].push(substring(3, (s) => han.test(s)));
    queries['4-char'].push(substring(4, (s) => han.test(s)));
    // A phrase starts and ends on Han characters: half a number or half a Latin word is not a query.
    queries.phrase.push(
      substring(6 + Math.floor(random() * 5), (s) => /^\p{Script=Han}[^\s]*\p{Script=Han}$/u.test(s)),
    );
    const doc = docs[Math.floor(random() * docs.length)];
    const chars = Array.from(doc?.title ?? '吴江').filter((c) => han.test(c));
    const at = Math.floor(random() * Math.max(1, chars.length - 2));
    queries.pinyin.push(pinyinOf(chars.slice(at, at + 2 + Math.floor(random() * 2)).join('')).syllables.join(''));
  }
  return queries;
}

/** Publishes a second while measuring the update: a busy province-wide platform, and then some. */
const INCREMENTAL_PER_SECOND = 10;

/**
 * The index update a publish makes (one article, in its own transaction, as the publish
 * operation does) and the one a withdrawal makes, timed one by one on the full index, paced
 * as publishing is, while the search index is settled every scheduler tick as the server does.
 */
async function measureIncremental(store: Store, siteId: number, channelId: number, options: Options) {
  const article = makeCorpusGenerator(20251202);
  const add: number[] = [];
  const remove: number[] = [];
  const count = 210;
  const settling = repeat(
    () => settleSearchIndex({ store }),
    SCHEDULER_TICK_MS,
    (error) => console.error('settle failed', error),
  );
  const started = performance.now();
  try {
    for (let i = 0; i < count; i++) {
      const due = started + (i * 1000) / INCREMENTAL_PER_SECOND;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
      const generated = article(options.bodyChars, NOW.getTime());
      const key = `bench-incremental:${i}`;
      const source = {
        key,
        siteId,
        contentType: 'article' as const,
        articleId: null,
        channelId,
        channelName: CHANNELS[0] ?? '',
        channelAncestry: [channelId],
        title: generated.title,
        bodyText: generated.body,
        publishedAt: new Date(generated.publishedAt).toISOString(),
      };
      let t = performance.now();
      await store.db.transaction().execute((trx) => indexDocument(trx, store.dialect, source));
      add.push(performance.now() - t);
      t = performance.now();
      await store.db.transaction().execute((trx) => unindexDocument(trx, store.dialect, key));
      remove.push(performance.now() - t);
    }
  } finally {
    await settling.stop();
  }
  // The first few warm the statement caches: timed, not counted.
  const WARM = 10;
  return {
    samples: count - WARM,
    perSecond: INCREMENTAL_PER_SECOND,
    settleEveryMs: SCHEDULER_TICK_MS,
    publish: timings(add.slice(WARM)),
    withdraw: timings(remove.slice(WARM)),
  };
}

/**
 * A rebuild's progress on stderr, each tenth of the way: at a million articles it runs for
 * hours, and how fast it goes on is what tells whether to wait.
 */
function reportProgress(started: number): (progress: ReindexProgress) => void {
  let reported = 0;
  return ({ done, total }) => {
    const tenth = Math.floor((done * 10) / Math.max(1, total));
    if (tenth <= reported) return;
    reported = tenth;
    const seconds = (performance.now() - started) / 1000;
    console.error(
      `search: indexed ${done} of ${total} pages in ${Math.round(seconds)} s (${Math.round(done / seconds)}/s)`,
    );
  };
}

async function benchBackend(name: 'sqlite' | 'postgres', options: Options) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-bench-search-'));
  const file = path.join(dir, 'gazette.db');
  const scratch = name === 'postgres' ? await postgresTestStore() : null;
  const store = scratch ?? (await openStore({ databaseUrl: null, sqliteFile: file }));
  try {
    const corpus = await fillCorpus(store, options);
    const { siteId } = corpus;
    const sizeBefore = await indexSize(store, name === 'sqlite' ? file : null);
    const started = performance.now();
    const { indexed } = await reindexSearch({ ...ctxBase, store }, siteId, reportProgress(started));
    const indexSeconds = (performance.now() - started) / 1000;
    const sizeAfter = await indexSize(store, name === 'sqlite' ? file : null);
    let relationMiB: Record<string, number> | undefined;
    let analyzeSeconds: number | undefined;
    if (name === 'postgres') {
      // What autovacuum would do on a running server, at once and timed. It may take longer than
      // the 30 s a request may (grams keeps statistics of 1,000 lexemes: 100,000 articles ran past it).
      const analyzing = performance.now();
      await store.db.transaction().execute(async (trx) => {
        await sql`set local statement_timeout = 0`.execute(trx);
        await sql`analyze`.execute(trx);
      });
      analyzeSeconds = round((performance.now() - analyzing) / 1000, 1);
      const sizes = await sql<{
        name: string;
        bytes: string;
      }>`select c.relname as name, pg_total_relation_size(c.oid)::text as bytes
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relname like 'search%' and c.relkind in ('r', 'i')`.execute(store.db);
      relationMiB = Object.fromEntries(sizes.rows.map((r) => [r.name, round(Number(r.bytes) / 1048576, 1)]));
    }

    const view = await loadSiteView(store.db);
    if (!view) throw new Error('no site');
    const scope: SearchScope = { db: store.db, dialect: store.dialect, site: view.site, tree: view.tree };
    const queries = makeQueries(corpus.kept, options.queriesPerClass);
    for (const q of [...queries['2-char'].slice(0, 20), ...queries.pinyin.slice(0, 5)]) await searchSite(scope, { q });

    const latency: Record<string, { p50: number; p99: number; max: number; slowest: string; meanHits: number }> = {};
    for (const [cls, list] of Object.entries(queries)) {
      const times: number[] = [];
      let hits = 0;
      let slowest = { q: '', ms: 0 };
      for (const q of list) {
        const t = performance.now();
        const result = await searchSite(scope, { q });
        const ms = performance.now() - t;
        times.push(ms);
        if (ms > slowest.ms) slowest = { q, ms };
        hits += result.total;
      }
      times.sort((a, b) => a - b);
      latency[cls] = {
        p50: round(percentile(times, 50)),
        p99: round(percentile(times, 99)),
        max: round(times[times.length - 1] ?? 0),
        slowest: slowest.q,
        meanHits: Math.round(hits / list.length),
      };
    }

    // Recall and precision against answers found by scanning every title and body.
    // The site's single-page columns are searchable pages too: a hit on one is no false positive.
    // They are keyed by the negated search_doc id, articles by their own.
    const pages = await store.db
      .selectFrom('searchDoc')
      .select(['id', 'title', 'bodyText'])
      .where('articleId', 'is', null)
      .execute();
    const classes = ['2-char', '3-char', '4-char', 'phrase'] as const;
    const recallQueries = classes.flatMap((cls) => queries[cls].slice(0, options.recallQueriesPerClass));
    const truths = corpusTruth(
      options,
      corpus.ids,
      pages.map((p) => ({ id: -p.id, title: p.title, body: p.bodyText })),
      recallQueries,
    );
    // Every page of the site, not only those a query found: a common term finds most of them.
    const pageOfDoc = new Map(
      (await store.db.selectFrom('searchDoc').select(['id', 'articleId']).where('siteId', '=', siteId).execute()).map(
        (r) => [r.id, r.articleId ?? -r.id],
      ),
    );
    const backend = backendFor(store.dialect);
    const filters = { siteIds: [siteId], channelIds: null, from: null, to: null, contentType: null };
    const quality: Record<
      string,
      { queries: number; recall: number; precisionAt10: number; titleFirstAt10: number | null }
    > = {};
    for (const cls of classes) {
      let found = 0;
      let expected = 0;
      let precisionSum = 0;
      let titleSum = 0;
      let titleQueries = 0;
      const list = queries[cls].slice(0, options.recallQueriesPerClass);
      for (const q of list) {
        const answer = truths.get(q);
        if (!answer) throw new Error(`bench search: no true answer was found for ${q}`);
        const { hits: truth, inTitle } = answer;
        const match = await backend.match(store.db, parseQuery(q), filters, { limit: 10_000_000, offset: 0 });
        const gotPages = new Set(match.docIds.map((id) => pageOfDoc.get(id)));
        for (const id of truth) if (gotPages.has(id)) found++;
        expected += truth.size;
        const top = match.docIds.slice(0, 10).map((id) => pageOfDoc.get(id) ?? 0);
        if (top.length > 0) precisionSum += top.filter((id) => truth.has(id)).length / top.length;
        else precisionSum += truth.size === 0 ? 1 : 0;
        if (inTitle.size >= 10) {
          titleQueries++;
          titleSum += top.filter((id) => inTitle.has(id)).length / 10;
        }
      }
      quality[cls] = {
        queries: list.length,
        recall: expected === 0 ? 1 : round(found / expected, 4),
        precisionAt10: round(precisionSum / list.length, 4),
        titleFirstAt10: titleQueries === 0 ? null : round(titleSum / titleQueries, 4),
      };
    }
    const incremental = await measureIncremental(store, siteId, view.tree.all()[0]?.id ?? 0, options);
    return {
      backend: name,
      articles: options.articles,
      meanBodyChars: corpus.meanBodyChars,
      corpusInsertSeconds: round(corpus.insertSeconds, 1),
      indexedPages: indexed,
      indexSeconds: round(indexSeconds, 1),
      indexArticlesPerSecond: Math.round(indexed / indexSeconds),
      indexBytes: sizeAfter - sizeBefore,
      indexMiB: round((sizeAfter - sizeBefore) / 1048576, 1),
      ...(relationMiB ? { relationMiB, analyzeSeconds } : {}),
      latencyMs: latency,
      quality,
      incrementalIndexMs: incremental,
    };
  } finally {
    if (scratch) await scratch.dispose();
    else await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchSearch(args: readonly string[]): Promise<object> {
  const value = (name: string, fallback: string) => {
    const at = args.indexOf(`--${name}`);
    return at >= 0 ? (args[at + 1] ?? fallback) : fallback;
  };
  const options: Options = {
    articles: Number(value('articles', '100000')),
    bodyChars: Number(value('body-chars', '2000')),
    backends: value('backends', 'sqlite,postgres').split(',') as ('sqlite' | 'postgres')[],
    queriesPerClass: Number(value('queries', '200')),
    recallQueriesPerClass: Number(value('recall-queries', '50')),
  };
  const results = [];
  for (const backend of options.backends) {
    const result = await benchBackend(backend, options);
    console.error(JSON.stringify(result));
    results.push(result);
  }
  return {
    bench: 'search',
    machine: { cpus: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30) },
    options,
    results,
  };
}
