import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crawl, type CrawlTally } from '../../src/migrate/crawl.js';
import { memoryFrontier, type Frontier } from '../../src/migrate/frontier.js';
import { DEFAULT_FILE_LIMITS, EMPTY_COLUMN_MAP } from '../../src/migrate/index.js';
import { demoSite } from '../helpers/factories.js';
import { openTestSource } from '../helpers/migrate.js';
import { plainMirror } from '../helpers/mirrors.js';
import { serveMirror } from '../helpers/mirror-server.js';
import { contextFor, pinnedClock, testStore } from '../helpers/store.js';

/**
 * A frontier that shows one article row late, as PostgreSQL shows a row whose statement drew its
 * seq before another worker's but committed after it: the row is left out of every take until
 * a take has returned a row after it, and so moved the crawl's cursor past it.
 */
function lateFrontier(inner: Frontier, articleUrls: ReadonlySet<string>) {
  let late: { url: string; seq: number } | null = null;
  let chosen = false;
  const seen = { passedOver: false };
  const frontier: Frontier = {
    ...inner,
    async add(entries) {
      const added = await inner.add(entries);
      // An article with rows after it in the same batch: a take will return those first.
      const at = chosen ? -1 : entries.findIndex((e) => articleUrls.has(e.url));
      if (at >= 0 && at < entries.length - 1) {
        const row = await inner.find(entries[at]?.url ?? '');
        if (row) late = { url: row.url, seq: row.seq };
        chosen = true;
      }
      return added;
    },
    async take(afterSeq, limit) {
      const rows = await inner.take(afterSeq, limit);
      const hidden = late;
      if (!hidden) return rows;
      const shown = rows.filter((row) => row.url !== hidden.url);
      if (shown.some((row) => row.seq > hidden.seq)) {
        seen.passedOver = rows.length > shown.length;
        late = null;
      }
      return shown;
    },
  };
  return { frontier, seen };
}

const counted = (tally: CrawlTally) => ({
  imported: tally.imported,
  skipped: Object.fromEntries(tally.skipped),
  articlesFailed: tally.articlesFailed,
  failures: tally.failures.map((f) => `${f.url}: ${f.reason}`).sort(),
});

test('regression: an article row seen after the cursor passed its seq is still crawled', async (t) => {
  const mirror = plainMirror();
  const server = await serveMirror(mirror);
  const store = await testStore();
  const source = await openTestSource(server.origin, 1);
  t.after(async () => {
    await source.close();
    await store.dispose();
    await server.close();
  });
  const base = contextFor(store, pinnedClock());
  const site = await demoSite(base);
  const ctx = { ...base, siteId: site.id };
  const options = {
    dryRun: true,
    since: null,
    columnMap: EMPTY_COLUMN_MAP,
    concurrency: 1,
    fileLimits: DEFAULT_FILE_LIMITS,
  };
  const now = () => base.clock.now();
  const articleUrls = new Set(mirror.articles.map((a) => `${server.origin}${a.oldUrls[0] ?? ''}`));

  const inOrder = await crawl(ctx, source, memoryFrontier(site.id, now), options, () => undefined);
  const late = lateFrontier(memoryFrontier(site.id, now), articleUrls);
  const withLateRow = await crawl(ctx, source, late.frontier, options, () => undefined);

  assert.equal(late.seen.passedOver, true, 'the late row was left out of a take that went past it');
  assert.ok(inOrder.imported > 0);
  assert.deepEqual(counted(withLateRow), counted(inOrder));
});
