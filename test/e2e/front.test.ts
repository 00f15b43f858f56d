import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { tamperVeto } from '../../src/compliance/index.js';
import { startAgent, type Agent } from '../../src/front/agent/index.js';
import { startDistributor, type Distributor } from '../../src/front/distribute.js';
import { nginxConfigOf } from '../../src/cli/front-nginx.js';
import { importFiles, pagesIn } from '../../src/importers/index.js';
import { buildSite, fileOf } from '../../src/publish/index.js';
import {
  addFront,
  createArticle,
  frontEvents,
  handleFrontEvent,
  stepArticle,
  tamperHealth,
  updateArticle,
  type ServiceContext,
} from '../../src/services/index.js';
import { platformConsole } from '../../src/services/platform/index.js';
import { fronts, manifest } from '../../src/store/index.js';
import { loadTheme } from '../../src/theme/index.js';
import { buildApp } from '../../src/web/index.js';
import { launchBrowser, missingInOrder, type Browser } from '../helpers/browser.js';
import { DEMO_PAGES, SEED_PAGE, demoSite } from '../helpers/factories.js';
import { eventually, freePort } from '../helpers/http.js';
import { contextFor, testStore, type TestStore } from '../helpers/store.js';
import { system } from '../helpers/items.js';

/** The day the pages say: the clock starts here and runs on (signatures and backoff need time to pass). */
const PINNED = Date.parse('2025-12-01T09:00:00+08:00');
const DATE_BAR = '今天是2025年12月01日 星期一';

interface Front {
  readonly name: string;
  readonly root: string;
  agent: Agent;
  readonly listen: string;
  nginx: ChildProcess | null;
  base: string;
}

/** A GET with the site's Host (nginx finds the site by it): status and body. */
function get(base: string, urlPath: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${base}${urlPath}`, { headers: { host } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

/** A temp folder nginx's workers (nobody) may read. */
function openTemp(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o755);
  return dir;
}

async function startNginx(front: Front, upstream: string): Promise<void> {
  const prefix = path.join(front.root, 'nginx');
  fs.mkdirSync(prefix, { recursive: true });
  const port = await freePort();
  const conf = path.join(prefix, 'nginx.conf');
  fs.writeFileSync(
    conf,
    nginxConfigOf(['--root', front.root, '--listen', `127.0.0.1:${port}`, '--upstream', upstream]).config,
  );
  const child = spawn('nginx', ['-p', prefix, '-c', conf, '-e', path.join(prefix, 'error.log')], { stdio: 'ignore' });
  front.nginx = child;
  front.base = `http://127.0.0.1:${port}`;
  await eventually(`nginx of ${front.name} listens`, async () => {
    try {
      await get(front.base, '/', 'localhost');
      return true;
    } catch {
      return false;
    }
  });
}

describe('front servers: two fronts, each the agent and a real nginx, fed by the CMS', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let ctx: ServiceContext;
  let distributor: Distributor;
  let browser: Browser;
  let host: string;
  let upstream: string;
  let seedPath: string;
  let channelId: number;
  let tokenFile: string;
  const frontList: Front[] = [];
  const temps: string[] = [];
  const started = Date.now();
  const clock = { now: () => new Date(PINNED + (Date.now() - started)) };

  /** Both fronts have applied every change the manifest holds. */
  async function upToDate(names = frontList.map((f) => f.name)): Promise<void> {
    // The publish run first: its article page is pushed before its lists are even rendered.
    await app.gazette.publisher.idle();
    await eventually(
      `${names.join(', ')} up to date`,
      async () => {
        distributor.runSoon();
        const latest = await manifest.latestChange(store.db);
        const rows = await fronts.listFronts(store.db);
        if (!names.every((name) => (rows.find((row) => row.name === name)?.ackedSeq ?? -1) >= latest)) return false;
        // Up to date only if no run recorded more meanwhile (one queued after the first idle).
        await app.gazette.publisher.idle();
        return (await manifest.latestChange(store.db)) === latest;
      },
      30_000,
    );
  }

  async function publish(title: string): Promise<{ id: number; url: string; version: number }> {
    const draft = await createArticle(ctx, system, { channelId, title, bodyHtml: `<p>${title}的正文。</p>` });
    let view = await stepArticle(ctx, system, draft.id, 'submit');
    while (view.status === 'submitted') view = await stepArticle(ctx, system, draft.id, 'approve');
    view = await stepArticle(ctx, system, draft.id, 'publish');
    assert.ok(view.url);
    return { id: view.id, url: view.url, version: view.version };
  }

  before(async () => {
    store = await testStore();
    const base = { ...contextFor(store, clock) };
    const site = await demoSite(base);
    host = site.domain;
    const outcomes = await importFiles(base, await pagesIn(DEMO_PAGES), site.timeZone);
    const seed = outcomes.find((o) => o.file === SEED_PAGE);
    assert.ok(seed?.ok);
    seedPath = seed.result.path;
    const outputDir = openTemp('gazette-front-cms-');
    temps.push(outputDir);
    distributor = startDistributor({ store, publicDir: outputDir, now: clock.now, everyMs: 200 });
    const pushing = distributor;
    app = await buildApp(
      { ...base, theme: loadTheme(), outputDir },
      { logLevel: 'silent', onPagesChanged: () => pushing.runSoon(), onPagesRecorded: () => pushing.runSoon() },
    );
    ctx = app.gazette.context;
    upstream = await app.listen({ port: 0, host: '127.0.0.1' });
    await buildSite(app.gazette.publisher.for(site.id));
    const column = await store.db
      .selectFrom('channel')
      .select('id')
      .where('slug', '=', 'bqdt')
      .executeTakeFirstOrThrow();
    channelId = column.id;

    const keys = openTemp('gazette-front-keys-');
    temps.push(keys);
    tokenFile = path.join(keys, 'front.token');
    fs.writeFileSync(tokenFile, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
    for (const name of ['front-a', 'front-b']) {
      const root = openTemp(`gazette-${name}-`);
      temps.push(root);
      const listen = `127.0.0.1:${await freePort()}`;
      const agent = await startAgent({ root, listen, tokenFile, now: clock.now });
      frontList.push({ name, root, agent, listen, nginx: null, base: '' });
      await addFront(ctx, platformConsole('test'), { name, url: agent.address, tokenFile });
    }
    await upToDate();
    for (const front of frontList) await startNginx(front, upstream);
    browser = await launchBrowser({ loopbackHosts: [host] });
  });

  after(async () => {
    await browser?.close();
    for (const front of frontList) {
      front.nginx?.kill('SIGTERM');
      await front.agent.close();
    }
    await distributor?.stop();
    await app?.close();
    await store?.dispose();
    for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
  });

  test("the seed page read through each front's nginx: every seed line in order, the pinned day's date bar", async () => {
    const seed = fs.readFileSync(SEED_PAGE, 'utf8');
    for (const front of frontList) {
      // Served from the front's own files (what nginx serves from a file is in the agent's log).
      assert.ok(fs.existsSync(path.join(front.root, 'www', '1', fileOf(seedPath))), `${front.name} holds the page`);
      const page = await browser.context.newPage();
      await page.goto(`http://${host}:${new URL(front.base).port}${seedPath}`);
      const text = await page.evaluate(() => document.body.innerText);
      assert.deepEqual(missingInOrder(seed, text), [], front.name);
      assert.equal(await page.locator('.today').innerText(), DATE_BAR);
      await page.close();
      await eventually(`${front.name} logged the read`, () =>
        Promise.resolve(
          fs.readFileSync(path.join(front.root, 'state', 'access.log'), 'utf8').includes(`1\t200\tGET\t${seedPath}\n`),
        ),
      );
    }
  });

  test('publishing, editing and withdrawing on the CMS reach both fronts', async () => {
    const article = await publish('前端分发测试稿件');
    await upToDate();
    for (const front of frontList) {
      const page = await get(front.base, article.url, host);
      assert.equal(page.status, 200);
      assert.match(page.body, /<h1[^>]*>前端分发测试稿件<\/h1>/);
      assert.match((await get(front.base, '/bqdt/', host)).body, /前端分发测试稿件/);
    }

    await updateArticle(ctx, system, article.id, { version: article.version, title: '前端分发测试稿件（修订）' });
    await upToDate();
    for (const front of frontList)
      assert.match((await get(front.base, article.url, host)).body, /<h1[^>]*>前端分发测试稿件（修订）<\/h1>/);

    await stepArticle(ctx, system, article.id, 'withdraw', { reason: '测试撤稿' });
    await upToDate();
    const cms = await get(upstream, article.url, host);
    assert.notEqual(cms.status, 200);
    for (const front of frontList) {
      assert.equal(fs.existsSync(path.join(front.root, 'www', '1', fileOf(article.url))), false, front.name);
      // No longer a stored page: nginx asks the CMS side, which answers as it does itself.
      const page = await get(front.base, article.url, host);
      assert.equal(page.status, cms.status);
      assert.doesNotMatch((await get(front.base, '/bqdt/', host)).body, /前端分发测试稿件/);
    }
  });

  test('a front that was down catches up, in order, when it returns', async () => {
    const [, b] = frontList as [Front, Front];
    await b.agent.close();
    const first = await publish('前端离线期间稿件一');
    const second = await publish('前端离线期间稿件二');
    await upToDate(['front-a']);
    await eventually('front-b is seen down and retried with backoff', async () => {
      const row = await fronts.findFrontByName(store.db, 'front-b');
      return row?.state === 'down' && row.failures >= 1 && row.nextAttemptAt !== null;
    });
    const behind = await fronts.findFrontByName(store.db, 'front-b');
    assert.ok(behind && behind.ackedSeq < (await manifest.latestChange(store.db)));

    b.agent = await startAgent({ root: b.root, listen: b.listen, tokenFile, now: clock.now });
    await upToDate();
    const row = await fronts.findFrontByName(store.db, 'front-b');
    assert.equal(row?.state, 'ok');
    for (const [article, title] of [
      [first, '前端离线期间稿件一'],
      [second, '前端离线期间稿件二'],
    ] as const)
      assert.match((await get(b.base, article.url, host)).body, new RegExp(`<h1[^>]*>${title}</h1>`));
    // In order: the front's copy of the manifest holds each page at the sequence the CMS gave it.
    const { FrontState } = await import('../../src/front/agent/state.js');
    const { frontLayout } = await import('../../src/front/layout.js');
    const state = new FrontState(frontLayout(b.root));
    try {
      for (const article of [first, second]) {
        const cms = await manifest.findPage(store.db, article.url);
        assert.equal(state.page(article.url)?.seq, cms?.seq);
        assert.equal(state.page(article.url)?.hash, cms?.hash);
      }
      assert.equal(state.seq(), await manifest.latestChange(store.db));
    } finally {
      state.close();
    }
  });

  test('a page overwritten on a front is put back, reported to the CMS, and fails 防篡改 until handled', async () => {
    const [a] = frontList as [Front];
    const file = path.join(a.root, 'www', '1', fileOf(seedPath));
    const expected = fs.readFileSync(file);
    fs.writeFileSync(file, '<html><body>本站已被篡改</body></html>');
    await eventually('the page is put back', () => Promise.resolve(fs.readFileSync(file).equals(expected)), 5_000);
    assert.doesNotMatch((await get(a.base, seedPath, host)).body, /本站已被篡改/);

    // The next push collects the front's events.
    await publish('触发推送的稿件');
    await upToDate();
    const platform = platformConsole('test');
    await eventually('the CMS holds the event', async () =>
      (await frontEvents(ctx, platform, { unhandled: true })).some((e) => e.path === seedPath),
    );
    const [event] = (await frontEvents(ctx, platform, { unhandled: true })).filter((e) => e.path === seedPath);
    assert.ok(event);
    assert.equal(event.kind, 'modified');
    assert.equal(event.frontName, 'front-a');
    assert.match(event.detail, /^\+<html><body>本站已被篡改<\/body><\/html>$/m);

    const site = { id: 1, timeZone: 'Asia/Shanghai' };
    const checked = { store, clock, outputDir: temps[0] ?? '' };
    assert.equal(tamperVeto(await tamperHealth(checked, site, false)).state, 'fail');
    await handleFrontEvent(ctx, platform, event.id, '已核实：测试中的篡改，已自动恢复');
    assert.equal(tamperVeto(await tamperHealth(checked, site, false)).state, 'pass');
  });
});
