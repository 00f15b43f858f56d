import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ChannelTree, parseArticlePath } from '../../src/domain/index.js';
import { channels, openStore, type Store } from '../../src/store/index.js';
import type { MigrationReport } from '../../src/migrate/index.js';
import { BIN, newTestSite, runCli, type TestSite } from '../helpers/cli.js';
import { hanwebMirror, plainMirror, trsMirror, writeMirror } from '../helpers/mirrors.js';
import { serveMirror, type MirrorServer } from '../helpers/mirror-server.js';
import { TEST_BACKEND } from '../helpers/store.js';

async function site(t: TestContext): Promise<TestSite> {
  const made = await newTestSite('gazette-migrate-');
  t.after(() => made.dispose());
  return made;
}

async function served(t: TestContext, mirror = hanwebMirror()): Promise<MirrorServer> {
  const server = await serveMirror(mirror);
  t.after(() => server.close());
  return server;
}

async function opened(t: TestContext, location: TestSite['location']): Promise<Store> {
  const store = await openStore(location);
  t.after(() => store.close());
  return store;
}

async function count(store: Store, table: 'article' | 'redirects' | 'migrationUrls' | 'media'): Promise<number> {
  const row = await store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * What a migration left in a store, without the ids a run hands out: each article by its title
 * (time, column, body, files), and each old path with what it leads to.
 */
async function migratedContent(store: Store) {
  const all = await store.db.selectFrom('article').selectAll().orderBy('title').execute();
  const siteId = all[0]?.siteId ?? 0;
  const tree = new ChannelTree(await channels.listChannels(store.db, siteId));
  const titleOf = new Map(all.map((a) => [a.id, a.title]));
  const media = await store.db.selectFrom('media').select(['storageKey', 'originalName', 'sha256']).execute();
  const mediaOf = new Map(media.map((m) => [`/media/${m.storageKey}`, `${m.originalName} ${m.sha256}`]));
  const neutral = (target: string) => {
    const article = parseArticlePath(target);
    if (article) return `article ${titleOf.get(article.id) ?? '?'}`;
    return mediaOf.get(decodeURIComponent(target)) ?? target;
  };
  const redirects = await store.db
    .selectFrom('redirects')
    .select(['oldPath', 'target', 'kind'])
    .orderBy('oldPath')
    .execute();
  return {
    articles: all.map((a) => ({
      title: a.title,
      publishedAt: a.publishedAt,
      column: tree.path(a.channelId),
      source: a.source,
      body: a.bodyHtml.replace(/(href|src)="([^"]+)"/g, (_, attr: string, url: string) => `${attr}="${neutral(url)}"`),
      attachments: JSON.parse(a.attachments) as unknown,
    })),
    redirects: redirects.map((r) => `${r.oldPath} → ${r.kind} ${neutral(r.target)}`),
  };
}

/** Starts `gazette migrate-site ARGS…` and SIGKILLs it once the store holds `articles` articles. */
async function killAfter(target: TestSite, args: readonly string[], articles: number): Promise<void> {
  const child = spawn(process.execPath, [BIN, 'migrate-site', ...args], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...target.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const closed = once(child, 'close');
  const started = Date.now();
  while (child.exitCode === null) {
    const store = await openStore(target.location).catch(() => null);
    const stored = store ? await count(store, 'article').catch(() => 0) : 0;
    await store?.close();
    if (stored >= articles) {
      child.kill('SIGKILL');
      break;
    }
    if (Date.now() - started > 60_000) {
      child.kill('SIGKILL');
      assert.fail(`no ${articles} articles within 60 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await closed;
  assert.equal(child.signalCode, 'SIGKILL', `killed part way, not finished first:\n${output}`);
}

describe(`gazette migrate-site (${TEST_BACKEND ?? 'sqlite'})`, () => {
  test('a source that cannot be reached exits 2 with the reason, and leaves the store as it was', async (t) => {
    const target = await site(t);
    const listener = http.createServer().listen(0, '127.0.0.1');
    await once(listener, 'listening');
    const port = (listener.address() as AddressInfo).port;
    await new Promise((resolve) => listener.close(resolve));
    const run = await runCli(['migrate-site', `http://127.0.0.1:${port}/`], { ...target.env, GAZETTE_LANG: 'en' });
    assert.deepEqual(
      [run.code, run.stderr],
      [2, `gazette: The site to migrate, http://127.0.0.1:${port}, cannot be reached: connection refused\n`],
    );
    assert.equal(await count(await opened(t, target.location), 'migrationUrls'), 0);
  });

  test('a source that is not a site exits 2 naming what its home page answered', async (t) => {
    const target = await site(t);
    const server = http.createServer((_req, res) =>
      res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>404</h1>'),
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    t.after(() => new Promise((resolve) => server.close(resolve)));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const run = await runCli(['migrate-site', origin], { ...target.env, GAZETTE_LANG: 'en' });
    assert.deepEqual(
      [run.code, run.stderr],
      [2, `gazette: ${origin}/ is not a site that can be migrated: its home page answers HTTP 404\n`],
    );
    const missing = await runCli(['migrate-site', path.join(target.dataDir, 'nothing-here')], {
      ...target.env,
      GAZETTE_LANG: 'en',
    });
    assert.equal(missing.code, 2, missing.stderr);
    assert.match(missing.stderr, /^gazette: .*nothing-here/);
  });

  test('--dry-run shows the column tree and the report, and writes nothing', async (t) => {
    const target = await site(t);
    const server = await served(t, trsMirror());
    const reportFile = path.join(target.dataDir, 'plan.json');
    const run = await runCli(['migrate-site', server.origin, '--dry-run', '--rate', '0', '--report', reportFile], {
      ...target.env,
      GAZETTE_LANG: 'en',
    });
    assert.equal(run.code, 1, run.stderr);
    const lines = run.stdout.split('\n');
    assert.deepEqual(lines.slice(0, 3), [
      '政务公开 > 政策文件  3 articles',
      '新闻中心 > 本区动态  5 articles (new)',
      '新闻中心 > 通知公告  2 articles (new)',
    ]);
    const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as MigrationReport;
    assert.deepEqual(
      [report.dryRun, report.family, report.counts.articlesImported, report.counts.articlesFailed],
      [true, 'trs', 10, 3],
    );
    const store = await opened(t, target.location);
    assert.deepEqual(
      [
        await count(store, 'article'),
        await count(store, 'redirects'),
        await count(store, 'migrationUrls'),
        await count(store, 'media'),
      ],
      [0, 0, 0, 0],
    );
  });

  test('--map merges a column; the report is written; exit 1 names each failed article', async (t) => {
    const target = await site(t);
    const server = await served(t, trsMirror());
    const map = path.join(target.dataDir, 'columns.tsv');
    fs.writeFileSync(map, '# 通知公告 of 新闻中心 becomes 公示公告, at the top level\n/xwzx/tzgg/\t公示公告\n');
    const reportFile = path.join(target.dataDir, 'report.json');
    const run = await runCli(['migrate-site', server.origin, '--rate', '0', '--map', map, '--report', reportFile], {
      ...target.env,
      GAZETTE_LANG: 'en',
    });
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as MigrationReport;
    assert.deepEqual(report.columns, [
      { path: '公示公告', created: true, articles: 2 },
      { path: '政务公开 > 政策文件', created: false, articles: 3 },
      { path: '新闻中心 > 本区动态', created: true, articles: 5 },
    ]);
    const failed = report.failures.map((f) => `failed ${f.url}: ${f.reason}`);
    assert.equal(failed.length, 3);
    for (const line of failed) assert.ok(run.stdout.includes(`${line}\n`), line);
  });

  test('a run killed with SIGKILL and resumed equals a clean run; a third run changes nothing', async (t) => {
    const server = await served(t);
    const clean = await site(t);
    const first = await runCli(['migrate-site', server.origin, '--rate', '0'], clean.env);
    assert.equal(first.code, 0, first.stderr);
    const killed = await site(t);
    // The third article page is held unanswered: the run cannot finish before it is killed.
    server.holdAfter(new Set(hanwebMirror().articles.map((a) => a.oldUrls[0] ?? '')), 2);
    await killAfter(killed, [server.origin, '--rate', '0', '--concurrency', '1'], 2);
    server.release();
    const resumed = await runCli(['migrate-site', server.origin, '--rate', '0', '--resume'], killed.env);
    assert.equal(resumed.code, 0, resumed.stderr);
    const cleanStore = await opened(t, clean.location);
    const killedStore = await opened(t, killed.location);
    const expected = await migratedContent(cleanStore);
    assert.ok(expected.articles.length > 5);
    assert.deepEqual(await migratedContent(killedStore), expected);
    const again = await runCli(['migrate-site', server.origin, '--rate', '0'], killed.env);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(await migratedContent(killedStore), expected);
  });

  test('a saved copy (a wget mirror in a folder) migrates like the live site', async (t) => {
    const target = await site(t);
    const mirror = plainMirror();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-mirror-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    await writeMirror(mirror, dir);
    const run = await runCli(['migrate-site', dir, '--origin', 'http://www.example-old.gov.cn'], {
      ...target.env,
      GAZETTE_LANG: 'en',
    });
    assert.equal(run.code, 0, run.stderr);
    const store = await opened(t, target.location);
    const titles = (await store.db.selectFrom('article').select('title').orderBy('title').execute()).map(
      (a) => a.title,
    );
    assert.deepEqual(titles, mirror.articles.map((a) => a.title).sort());
    for (const article of mirror.articles)
      for (const oldUrl of article.oldUrls) {
        const row = await store.db
          .selectFrom('redirects')
          .select('kind')
          .where('oldPath', '=', oldUrl)
          .executeTakeFirst();
        assert.equal(row?.kind, 'article', oldUrl);
      }
  });
});
