import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importPage } from '../../src/services/index.js';
import { articles } from '../../src/store/index.js';
import { ViewCounter } from '../../src/web/view-counter.js';
import { demoApp } from '../helpers/app.js';
import { contextFor, testStore } from '../helpers/store.js';
import { makePage } from '../helpers/factories.js';

const shown = (html: string) => Number(/<span>浏览次数: (\d+)<\/span>/.exec(html)?.[1]);

test('浏览次数 counts in memory, shows stored + pending, writes in one batch, and loses nothing on close', async () => {
  const store = await testStore();
  // No timed flush: the test flushes by hand (a timer firing between a read of the stored count
  // and the record of a read shows one response a count short on a loaded machine).
  const app = await demoApp(store, { pages: false, app: { viewsRefreshMs: 0, viewFlushMs: 3_600_000 } });
  const { article, path } = await importPage(contextFor(store), makePage());
  const stored = async () => (await articles.findArticle(store.db, article.id))?.viewCount;

  assert.equal(shown((await app.inject(path)).body), 1);
  assert.equal(shown((await app.inject(path)).body), 2);
  assert.equal(await stored(), 0, 'no write per read');
  assert.equal((await app.inject({ method: 'HEAD', url: path })).statusCode, 200);
  assert.equal(shown((await app.inject(path)).body), 3, 'a HEAD request is not a read');

  await app.viewCounter.flush();
  assert.equal(await stored(), 3);
  assert.equal(app.viewCounter.pendingFor(article.id), 0);
  assert.equal(shown((await app.inject(path)).body), 4);

  await app.close();
  assert.equal(await stored(), 4, 'a graceful stop writes what was pending');
  await store.dispose();
});

test('a flush that fails keeps its counts for the next one', async () => {
  const store = await testStore();
  const counter = new ViewCounter(store.db);
  counter.record(7);
  counter.record(7);
  await store.dispose();
  await assert.rejects(counter.flush());
  assert.equal(counter.pendingFor(7), 2);
});
