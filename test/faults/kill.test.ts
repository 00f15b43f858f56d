import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore, type Store, type StoreLocation } from '../../src/store/index.js';
import { BIN, newTestSite, runCli, startServer, type TestSite } from '../helpers/cli.js';
import { api, eventually, signIn, text } from '../helpers/http.js';
import { assertWhole, manifestMismatches, siteWith } from '../helpers/sites.js';
import { newDatabase, TEST_BACKEND } from '../helpers/store.js';

/**
 * SIGKILL part way through each long piece of work, then start again: every page served is
 * whole, the store is consistent, and the interrupted work is finished or cleanly absent.
 * (`gazette build` killed part way: test/cli/build.test.ts.)
 */

const NOW = '2025-12-01T09:00:00+08:00';
const PASSWORD = 'Faults-Test-2025';
/** Pages in the killed import. */
const PAGES = 120;

/** Starts `gazette ARGS…` and SIGKILLs it once `ready` holds; fails if it ends first. */
async function killWhen(
  args: readonly string[],
  env: Record<string, string>,
  ready: (stderr: string) => boolean | Promise<boolean>,
): Promise<{ stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return killChildWhen(child, ready);
}

async function killChildWhen(
  child: ChildProcess,
  ready: (stderr: string) => boolean | Promise<boolean>,
): Promise<{ stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const closed = once(child, 'close');
  const started = Date.now();
  while (child.exitCode === null && child.signalCode === null) {
    if (await ready(stderr)) {
      child.kill('SIGKILL');
      break;
    }
    if (Date.now() - started > 60_000) {
      child.kill('SIGKILL');
      assert.fail(`the moment to kill did not come within 60 s:\n${stdout}\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await closed;
  assert.equal(child.signalCode, 'SIGKILL', `killed part way, not finished first:\n${stdout}\n${stderr}`);
  return { stdout, stderr };
}

/** The manifest's hash of every page, by path. */
async function manifestHashes(store: Store): Promise<Map<string, string>> {
  const rows = await store.db.selectFrom('pageManifest').select(['path', 'hash']).execute();
  return new Map(rows.map((r) => [r.path, r.hash]));
}

async function pendingTasks(store: Store): Promise<number> {
  return (await store.db.selectFrom('publishTask').select('id').execute()).length;
}

/** Ready when a publish run has written some pages and has not finished. */
function publishRunUnderWay(store: Store, before: Map<string, string>): () => Promise<boolean> {
  return async () => {
    const now = await manifestHashes(store);
    const changed = [...now].filter(([p, hash]) => before.get(p) !== hash).length;
    return changed >= 5 && (await pendingTasks(store)) > 0;
  };
}

/**
 * After the kill: a server started again finishes the publish tasks left behind at its first
 * check (their process is gone), and the output store then equals a full build: `gazette
 * build` writes nothing, and the manifest matches every file. `settled` reads the restarted
 * server once its tasks are done (one start of the server, not another after the build).
 */
async function restartAndSettle(
  site: TestSite,
  env: Record<string, string>,
  store: Store,
  settled: (url: string) => Promise<void> = () => Promise.resolve(),
): Promise<void> {
  const output = path.join(site.dataDir, 'public');
  const server = await startServer(env);
  try {
    await eventually('the restarted server finished the tasks', async () => (await pendingTasks(store)) === 0, 60_000);
    await settled(server.url);
  } finally {
    const exited = once(server.child, 'exit');
    server.child.kill('SIGTERM');
    await exited;
  }
  const build = await runCli(['build'], env);
  assert.equal(build.code, 0, build.stderr);
  assert.match(build.stdout, /^built \d+ pages in [\d.]+ s \(\d+ pages\/s\): 0 written, \d+ unchanged/);
  assertWhole(output);
  assert.deepEqual(await manifestMismatches(store.db, output), []);
}

async function builtSite(t: TestContext, articles: number): Promise<{ site: TestSite; env: Record<string, string> }> {
  const site = await siteWith(articles, 'gazette-kill-');
  t.after(() => site.dispose());
  const env = { ...site.env, GAZETTE_NOW: NOW };
  const built = await runCli(['build'], env);
  assert.equal(built.code, 0, built.stderr);
  return { site, env };
}

async function openFor(t: TestContext, location: StoreLocation): Promise<Store> {
  const store = await openStore(location);
  t.after(() => store.close());
  return store;
}

describe(`SIGKILL part way, then a restart (${TEST_BACKEND ?? 'sqlite'})`, () => {
  test('a server killed during a publish run: started again, it finishes the run; the pages equal a full build', async (t) => {
    // 200 articles: the rename's run renders some 240 pages, a second or more, where the poll
    // below looks every 10 ms; each more article is only more rendering in every later step.
    const { site, env } = await builtSite(t, 200);
    const made = await runCli(['user', 'add', 'chief', '--role', 'admin', '--keep-password'], env, `${PASSWORD}\n`);
    assert.equal(made.code, 0, made.stderr);
    const store = await openFor(t, site.location);
    const server = await startServer(env);
    t.after(() => void (server.child.exitCode === null && server.child.kill('SIGKILL')));
    const session = await signIn(server.url, 'chief', PASSWORD);
    const channels = await api<{ items: { id: number; slug: string }[] }>(
      server.url,
      session,
      'GET',
      '/api/v1/channels',
    );
    const column = channels.body.items.find((c) => c.slug === 'bqdt');
    assert.ok(column);
    const before = await manifestHashes(store);
    // A column renamed: every page shows the navigation, so the run renders them all. The
    // answer may come only after the run (SQLite renders on the same thread): it is not waited for.
    const renamed = api(server.url, session, 'PATCH', `/api/v1/channels/${column.id}`, { name: '本区要闻' }).catch(
      () => null,
    );
    await killChildWhen(server.child, publishRunUnderWay(store, before));
    await renamed;

    assert.ok((await pendingTasks(store)) > 0, "the killed run's task is still in the store");
    assertWhole(path.join(site.dataDir, 'public'));
    await restartAndSettle(site, env, store, async (url) => {
      const front = await text(`${url}/bqdt/index_3.html`);
      assert.equal(front.status, 200);
      assert.ok(
        front.body.includes('>本区要闻<') && !front.body.includes('>本区动态<'),
        'the rename reached the pages',
      );
    });
  });

  test('an import killed part way: whole articles or none, a second import completes it, the pages equal a full build', async (t) => {
    // 150 articles: every page is rendered again for the new column, while the import goes on.
    const { site, env } = await builtSite(t, 150);
    const store = await openFor(t, site.location);
    const pagesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-kill-pages-'));
    t.after(() => fs.rmSync(pagesDir, { recursive: true, force: true }));
    const files: string[] = [];
    for (let i = 1; i <= PAGES; i++) {
      const file = path.join(pagesDir, `page-${String(i).padStart(2, '0')}.txt`);
      // The first names a column the site lacks: it appears in every page's navigation.
      const column = i === 1 ? '应急管理' : '本区动态';
      const at = `${String(10 + Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`;
      fs.writeFileSync(
        file,
        `首页 > ${column} > 正文\n中断导入第${i}篇\n来源: 本站       发布时间:2025-11-20 ${at}\n\n     中断导入第${i}篇的正文。\n`,
      );
      files.push(file);
    }
    // Killed with some pages imported and others not, and the publishing of the first under way.
    const imported = async () =>
      (await store.db.selectFrom('article').select('id').where('title', 'like', '中断导入第%').execute()).length;
    await killWhen(['import', ...files], env, async () => {
      const count = await imported();
      return count >= 1 && count < PAGES && (await pendingTasks(store)) > 0;
    });

    // Each article is in the store whole, with its revision and audit entry, or not at all.
    const stored = await store.db
      .selectFrom('article')
      .select(['id', 'title', 'bodyHtml'])
      .where('title', 'like', '中断导入第%')
      .execute();
    assert.ok(stored.length >= 1 && stored.length < PAGES, `${stored.length} of ${PAGES} imported before the kill`);
    for (const article of stored) assert.match(article.bodyHtml, /的正文。/);
    const revisions = await store.db
      .selectFrom('articleRevision')
      .select('articleId')
      .where(
        'articleId',
        'in',
        stored.map((a) => a.id),
      )
      .execute();
    assert.equal(revisions.length, stored.length, 'one revision per imported article');
    const audit = await runCli(['audit', 'verify'], env);
    assert.equal(audit.code, 0, audit.stdout + audit.stderr);
    assertWhole(path.join(site.dataDir, 'public'));

    const rerun = await runCli(['import', ...files], env);
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.equal(rerun.stdout.trim().split('\n').length, PAGES);
    const titles = await store.db
      .selectFrom('article')
      .select('title')
      .where('title', 'like', '中断导入第%')
      .orderBy('id')
      .execute();
    assert.deepEqual(
      titles.map((a) => a.title).sort(),
      files.map((_, i) => `中断导入第${i + 1}篇`).sort(),
      'each page once: the second import updated what the first had stored',
    );
    await restartAndSettle(site, env, store);
  });

  test('a migrate-store killed part way leaves the target empty; run again, it copies and verifies', async (t) => {
    // 2,000 articles: copied 500 at a time, the copy says 25 % long before it ends.
    const source = await siteWith(2000, 'gazette-kill-migrate-');
    t.after(() => source.dispose());
    const from = source.location.databaseUrl ?? `sqlite:${source.location.sqliteFile}`;
    // Into the other kind of store: PostgreSQL from SQLite, SQLite from PostgreSQL.
    let to: string;
    let target: StoreLocation;
    if (source.location.databaseUrl) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-kill-target-'));
      t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
      target = { databaseUrl: null, sqliteFile: path.join(dir, 'gazette.db') };
      to = `sqlite:${target.sqliteFile}`;
    } else {
      const database = await newDatabase('gazette_kill');
      t.after(() => database.drop());
      target = { databaseUrl: database.url, sqliteFile: '' };
      to = database.url;
    }
    await killWhen(['migrate-store', '--from', from, '--to', to], source.env, (stderr) =>
      /copy article: [1-9]\d%/.test(stderr),
    );
    {
      const store = await openStore(target);
      try {
        const rows = await store.db.selectFrom('article').select('id').execute();
        const sites = await store.db.selectFrom('site').select('id').execute();
        assert.deepEqual([rows.length, sites.length], [0, 0], 'the killed copy left nothing in the target');
      } finally {
        await store.close();
      }
    }
    const again = await runCli(['migrate-store', '--from', from, '--to', to], source.env);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, /\narticle +2000\n/);
    assert.match(again.stdout, /\nverified\n$/);
  });

  test('a restore killed part way leaves the store empty; run again, it restores and verifies', async (t) => {
    const source = await siteWith(2000, 'gazette-kill-backup-');
    t.after(() => source.dispose());
    const file = path.join(source.dataDir, 'site.backup');
    const backup = await runCli(['backup', file], source.env);
    assert.equal(backup.code, 0, backup.stdout + backup.stderr);
    const target = await newTestSite('gazette-kill-restore-');
    t.after(() => target.dispose());
    await killWhen(['restore', file], target.env, (stderr) => /restore article: [1-9]\d%/.test(stderr));
    {
      const store = await openStore(target.location);
      try {
        const rows = await store.db.selectFrom('article').select('id').execute();
        assert.equal(rows.length, 0, 'the killed restore left nothing in the store');
      } finally {
        await store.close();
      }
    }
    const again = await runCli(['restore', file], target.env);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, /\nverified\n$/);
    assert.deepEqual(
      fs.readdirSync(target.dataDir).filter((name) => name.startsWith('.media-restore-')),
      [],
      "the killed restore's staging folder is gone",
    );
  });
});
