import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { pino } from 'pino';
import { loadTheme } from '../../src/theme/index.js';
import { OutputStore, Publisher } from '../../src/publish/index.js';
import { importPage } from '../../src/services/index.js';
import { startScheduler } from '../../src/cli/scheduler.js';
import { demoSite, makePage } from '../helpers/factories.js';
import { BACKENDS, contextFor, type TestStore } from '../helpers/store.js';

/** The pages each GIN index of the search vectors had pending (merging them as it counts). */
async function pendingPages(store: TestStore) {
  const rows = await sql<{ name: string; pages: number }>`select c.relname as name,
      gin_clean_pending_list(c.oid::regclass)::int as pages
    from pg_index i join pg_class c on c.oid = i.indexrelid join pg_am a on a.oid = c.relam
    where i.indrelid = 'search_vector'::regclass and a.amname = 'gin' order by c.relname`.execute(store.db);
  return Object.fromEntries(rows.rows.map((r) => [r.name, r.pages]));
}

// SQLite's index has nothing pending: this is PostgreSQL's alone (and its pass's).
const postgres = BACKENDS.find((b) => b.name === 'postgres');
if (postgres)
  describe("the scheduler's tick on PostgreSQL", () => {
    let store: TestStore;
    const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-scheduler-'));
    before(async () => {
      store = await postgres.open();
    });
    after(async () => {
      await store?.dispose();
      fs.rmSync(outputDir, { recursive: true, force: true });
    });

    test('merges what publishes left pending in the search indexes, so no publish pays for it', async () => {
      const ctx = { ...contextFor(store), theme: loadTheme(), outputDir };
      await demoSite(ctx);
      await pendingPages(store);
      const page = (i: number) =>
        makePage({
          columns: ['本区动态'],
          title: `第${i}次区政府常务会议召开`,
          bodyHtml: `<p>会议研究了第${i}项议题。</p>`,
        });
      for (let i = 1; i <= 3; i++) await importPage(ctx, page(i));
      // What the tick would merge is there before it (counting it merges it, so once more after).
      assert.ok(Object.values(await pendingPages(store)).every((pages) => pages > 0));
      for (let i = 4; i <= 6; i++) await importPage(ctx, page(i));
      const publisher = new Publisher(store, ctx.theme, new OutputStore(outputDir), ctx.clock);
      // The scheduler ticks at once when started; stop() waits for that tick to finish.
      await startScheduler(ctx, publisher, pino({ level: 'silent' }), 60_000).stop();
      assert.deepEqual(await pendingPages(store), {
        search_vector_grams: 0,
        search_vector_initials: 0,
        search_vector_pinyin: 0,
        search_vector_title: 0,
        search_vector_words: 0,
      });
    });
  });
