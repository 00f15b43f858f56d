import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OutputStore, Publisher } from '../../src/publish/index.js';
import { GazetteError } from '../../src/domain/index.js';
import { importPage, type ContentEvent, type ServiceContext } from '../../src/services/index.js';
import { publishTasks } from '../../src/store/index.js';
import { loadTheme } from '../../src/theme/index.js';
import { contextFor, pinnedClock, testStore, type TestStore } from '../helpers/store.js';
import { demoSite, makePage } from '../helpers/factories.js';

/** A pid no process has now: one of a child that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  assert.equal(child.status, 0);
  return child.pid;
}

describe('the outbox: a change and the publish tasks that publish it commit together', () => {
  let store: TestStore;
  let ctx: ServiceContext;
  let outputDir: string;
  const heard: [ContentEvent, number | undefined][] = [];

  before(async () => {
    store = await testStore();
    outputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-outbox-'));
    // A durable sink whose process "dies" before it publishes anything: it only notes what it was told.
    ctx = {
      ...contextFor(store),
      events: { durable: true, emit: (event, taskId) => void heard.push([event, taskId]) },
    };
    await demoSite(ctx);
  });
  after(async () => {
    await store.close();
    fs.rmSync(outputDir, { recursive: true, force: true });
  });

  test('a committed import leaves its task in the store, claimed by this process, and names it to the sink', async () => {
    const imported = await importPage(ctx, makePage({ title: '先落库后发布' }));
    const tasks = await store.db.selectFrom('publishTask').selectAll().execute();
    const event: ContentEvent = {
      type: 'article.published',
      siteId: imported.article.siteId,
      articleId: imported.article.id,
      channelId: imported.article.channelId,
    };
    assert.deepEqual(
      tasks.map((t) => [JSON.parse(t.event) as unknown, t.claimedBy]),
      [[event, publishTasks.THIS_INSTANCE]],
    );
    assert.deepEqual(heard, [[event, tasks[0]?.id]]);
  });

  test('a change that fails writes no task', async () => {
    const before = await store.db.selectFrom('publishTask').select('id').execute();
    await assert.rejects(
      importPage(ctx, makePage({ columns: ['走进本区'], title: '投进单页栏目' })),
      (error: unknown) => error instanceof GazetteError && error.code === 'IMPORT_COLUMN_NOT_LIST',
    );
    assert.deepEqual(await store.db.selectFrom('publishTask').select('id').execute(), before);
  });

  test('regression: a publish committed just before its process died is published by the next (no page lost)', async () => {
    const [task] = await store.db.selectFrom('publishTask').selectAll().execute();
    assert.ok(task);
    // The task as a killed process on this host leaves it: its pid runs no more, its lease is fresh.
    await store.db
      .updateTable('publishTask')
      .set({ claimedBy: `${os.hostname()}:${deadPid()}` })
      .where('id', '=', task.id)
      .execute();
    const site = await demoSite(ctx);
    const publisher = new Publisher(store, loadTheme(), new OutputStore(outputDir), pinnedClock(), {
      siteId: site.id,
    });
    assert.equal(await publisher.recoverAbandoned(), 1);
    assert.deepEqual(publisher.failures, []);
    assert.deepEqual(await store.db.selectFrom('publishTask').select('id').execute(), []);
    const pages = fs.readdirSync(path.join(outputDir, 'bqdt'), { recursive: true }).map(String);
    const articlePage = pages.find((name) => name.endsWith('.html') && name !== 'index.html');
    assert.ok(articlePage, `the article's page is written (found ${pages.join(', ')})`);
    assert.match(fs.readFileSync(path.join(outputDir, 'bqdt', articlePage), 'utf8'), /先落库后发布/);
  });
});

describe('abandoned publish tasks', () => {
  let store: TestStore;
  before(async () => {
    store = await testStore();
  });
  after(() => store.close());

  test('are those out of their lease, and those of a process on this host that runs no more; never a live one', async () => {
    const now = new Date('2025-12-01T01:00:00Z');
    const fresh = now.toISOString();
    const stale = new Date(now.getTime() - publishTasks.TASK_LEASE_MS - 1).toISOString();
    const host = os.hostname();
    const rows = [
      { claimedBy: `${host}:${deadPid()}`, claimedAt: fresh, taken: true },
      { claimedBy: publishTasks.THIS_INSTANCE, claimedAt: fresh, taken: false },
      { claimedBy: `${host}:1`, claimedAt: fresh, taken: false },
      { claimedBy: 'another-host:4242', claimedAt: fresh, taken: false },
      { claimedBy: 'another-host:4242', claimedAt: stale, taken: true },
      { claimedBy: publishTasks.THIS_INSTANCE, claimedAt: stale, taken: true },
    ];
    const ids: number[] = [];
    for (const [i, row] of rows.entries()) {
      const inserted = await store.db
        .insertInto('publishTask')
        .values({ event: `{"n":${i}}`, createdAt: fresh, claimedAt: row.claimedAt, claimedBy: row.claimedBy })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(inserted.id);
    }
    const abandoned = await publishTasks.abandonedTasks(store.db, now, 100);
    assert.deepEqual(
      abandoned.map((t) => t.id),
      ids.filter((_, i) => rows[i]?.taken),
    );
  });
});
