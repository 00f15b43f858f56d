import { isDeepStrictEqual } from 'node:util';
import { afterEach, beforeEach, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startAgent } from '../../src/front/agent/index.js';
import { startDistributor, type Distributor, type DistributorOptions } from '../../src/front/distribute.js';
import { frontLayout } from '../../src/front/layout.js';
import { loadFrontTls } from '../../src/front/client.js';
import type { FrontState, PushHeader, TamperEvent } from '../../src/front/protocol.js';
import { OutputStore } from '../../src/publish/index.js';
import {
  addFront,
  addSite,
  computeHealthReport,
  frontEvents,
  handleFrontEvent,
  importPage,
  listFronts,
  platformConsole,
  type Actor,
  type FrontEventView,
  type Mailer,
  type ServiceContext,
} from '../../src/services/index.js';
import type { OutgoingMail } from '../../src/services/cases/mailer.js';
import { GazetteError, type ErrorCode, type Site } from '../../src/domain/index.js';
import { articles, fronts, manifest } from '../../src/store/index.js';
import { loadTheme } from '../../src/theme/index.js';
import { demoSite, makePage } from '../helpers/factories.js';
import { contextFor, testStore, type TestStore } from '../helpers/store.js';
import { makeUser } from '../helpers/backoffice.js';
import { demoApp } from '../helpers/app.js';
import { eventually } from '../helpers/http.js';
import { makeCertificates } from '../helpers/certificates.js';
import { expectedTree, frontCall, FRONT_TOKEN, htmlPage, sha256, treeOf } from '../helpers/front-agent.js';
import { startFakeFront, type FakeFront, type Fault } from '../helpers/fake-front.js';

const platform = platformConsole('test');
const START = new Date('2025-12-01T01:00:00.000Z');

describe('分发: every change of the manifest reaches the front servers, in order', () => {
  let store: TestStore;
  let ctx: ServiceContext;
  let now: Date;
  let dir: string;
  let publicDir: string;
  let tokenFile: string;
  let portal: Site;
  let bureau: Site;
  /** The pages as the CMS has published them, by manifest key. */
  let published: Map<string, Buffer>;

  beforeEach(async () => {
    store = await testStore();
    now = START;
    ctx = contextFor(store, { now: () => now });
    portal = await demoSite(ctx);
    bureau = await addSite(ctx, platform, { host: 'jyj.example.gov.cn', name: '示范区教育局' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-distribute-'));
    publicDir = path.join(dir, 'public');
    tokenFile = path.join(dir, 'front.token');
    fs.writeFileSync(tokenFile, `${FRONT_TOKEN}\n`);
    published = new Map();
  });
  afterEach(async () => {
    await store.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const later = (ms: number) => {
    now = new Date(now.getTime() + ms);
  };

  /** A page published as the publisher does it: its files in the output store, then its manifest row. */
  async function publish(key: string, body: Buffer): Promise<void> {
    await new OutputStore(publicDir).write(key, body);
    await manifest.recordPage(store, {
      path: key,
      hash: sha256(body),
      size: body.length,
      updatedAt: now.toISOString(),
    });
    published.set(key, body);
  }

  async function withdraw(key: string): Promise<void> {
    await new OutputStore(publicDir).remove(key);
    await manifest.forgetPage(store, key, now);
    published.delete(key);
  }

  /** A distributor driven by the test (its own timer is slow), stopped after the test. */
  function distributor(t: TestContext, options: Partial<DistributorOptions> = {}): Distributor {
    const started = startDistributor({ store, publicDir, now: () => now, everyMs: 60_000, ...options });
    t.after(() => started.stop());
    return started;
  }

  async function round(d: Distributor): Promise<void> {
    d.runSoon();
    await d.settled();
  }

  async function fake(t: TestContext): Promise<FakeFront> {
    const front = await startFakeFront({ token: FRONT_TOKEN, now: () => now });
    t.after(() => front.stop());
    return front;
  }

  const row = async (name: string) => {
    const found = await fronts.findFrontByName(store.db, name);
    assert.ok(found, `front ${name} exists`);
    return found;
  };

  /** A header as the fake front received it, with the pages' keys and seqs (hashes are checked by the front). */
  const brief = (header: PushHeader) => ({
    fromSeq: header.fromSeq,
    toSeq: header.toSeq,
    pages: header.pages.map((page) => `${page.seq} ${page.key}${page.hash === '' ? ' (removed)' : ''}`),
    sites: header.sites?.map((site) => `${site.id} ${site.hosts.join(' ')} ${site.timeZone}`),
  });

  const SITES = ['1 www.example.gov.cn Asia/Shanghai', '2 jyj.example.gov.cn Asia/Shanghai'];

  test('a publish reaches the real agent: written, changed and removed pages, exactly as served files', async (t) => {
    const root = path.join(dir, 'front');
    const agent = await startAgent({ root, tokenFile, listen: '127.0.0.1:0', now: () => now });
    t.after(() => agent.close());
    const d = distributor(t);
    // Added while the distributor runs: the next round finds it.
    await addFront(ctx, platform, { name: 'front1', url: agent.address, tokenFile });
    await publish('/', htmlPage('首页'));
    await publish('/bqdt/', htmlPage('本区动态'));
    await publish(
      '/rss.xml',
      Buffer.from('<?xml version="1.0"?><rss><channel><title>本区动态</title></channel></rss>\n'),
    );
    await publish('/site_2/tzgg/', htmlPage('通知公告'));
    await round(d);
    const www = frontLayout(root).www;
    assert.deepEqual(treeOf(www), expectedTree(published));

    await publish('/bqdt/', htmlPage('本区动态（更新）'));
    await withdraw('/rss.xml');
    await round(d);
    assert.deepEqual(treeOf(www), expectedTree(published));
    const state = (await frontCall<FrontState>(agent.address, 'GET', '/_front/state', undefined, { now })).body;
    assert.equal(state.seq, await manifest.latestChange(store.db));
    assert.deepEqual(
      state.sites.map((site) => `${site.id} ${site.hosts.join(' ')} ${site.timeZone}`),
      SITES,
    );
    const [status] = await listFronts(ctx, platform);
    assert.deepEqual(
      status && {
        state: status.state,
        ackedSeq: status.ackedSeq,
        behind: status.behind,
        behindSeconds: status.behindSeconds,
        lastPushAt: status.lastPushAt,
        lastError: status.lastError,
        failures: status.failures,
        sites: status.sites.map((site) => site.domain),
      },
      {
        state: 'ok',
        ackedSeq: 6,
        behind: 0,
        behindSeconds: null,
        lastPushAt: START.toISOString(),
        lastError: null,
        failures: 0,
        sites: ['www.example.gov.cn', 'jyj.example.gov.cn'],
      },
    );
  });

  test('a publish through the app wakes the distributor: the article reaches the real agent, as the output store holds it', async (t) => {
    const root = path.join(dir, 'front');
    const agent = await startAgent({ root, tokenFile, listen: '127.0.0.1:0', now: () => now });
    t.after(() => agent.close());
    // A one-site platform of its own: the demo app's.
    const own = await testStore();
    t.after(() => own.dispose());
    let d: Distributor | null = null;
    const app = await demoApp(own, {
      pages: false,
      clock: { now: () => now },
      app: { onPagesChanged: () => d?.runSoon() },
    });
    t.after(() => app.close());
    const appCtx = app.gazette.context;
    await addFront(appCtx, platform, { name: 'front1', url: agent.address, tokenFile });
    const started = startDistributor({ store: own, publicDir: appCtx.outputDir, now: () => now, everyMs: 60_000 });
    t.after(() => started.stop());
    d = started;
    await started.settled();
    const { article } = await importPage(appCtx, makePage({ title: '区政府召开常务会议', publishedAt: START }));
    await app.gazette.publisher.idle();
    const latest = await manifest.latestChange(own.db);
    // The timer is a minute: only the publish's own call can bring the front up to date this soon.
    await eventually(
      'the front applies the publish',
      async () =>
        (await frontCall<FrontState>(agent.address, 'GET', '/_front/state', undefined, { now })).body.seq === latest,
      5_000,
    );
    const output = new OutputStore(appCtx.outputDir);
    const stored = async () => {
      const pages = new Map<string, Buffer>();
      for (const page of await manifest.pagesAfter(own.db, '', 10_000))
        pages.set(page.path, (await output.read(page.path)) ?? Buffer.alloc(0));
      return pages;
    };
    // The article's page is pushed first and its lists after: the front ends up with all of them.
    await eventually(
      'the front holds what the output store holds',
      async () => isDeepStrictEqual(treeOf(frontLayout(root).www), expectedTree(await stored())),
      5_000,
    );
    const pages = await stored();
    assert.ok(pages.has(`/bqdt/202512/t20251201_${article.id}.html`));
    assert.deepEqual(treeOf(frontLayout(root).www), expectedTree(pages));
  });

  test('batches go out in manifest order, each page at its newest version, the sites with the first', async (t) => {
    const front = await fake(t);
    await addFront(ctx, platform, { name: 'front1', url: front.url, tokenFile });
    await publish('/a/', htmlPage('A'));
    await publish('/b/', htmlPage('B'));
    await publish('/c/', htmlPage('C'));
    await publish('/a/', htmlPage('A2'));
    const d = distributor(t);
    await round(d);
    await withdraw('/b/');
    await publish('/site_2/d/', htmlPage('D'));
    await round(d);
    assert.deepEqual(brief(front.pushes[0] as PushHeader), {
      fromSeq: 0,
      toSeq: 4,
      pages: ['2 /b/', '3 /c/', '4 /a/'],
      sites: SITES,
    });
    // On PostgreSQL the withdrawal's notification may start a round before the next publish: one
    // batch or two, the changes follow each other.
    const rest = front.pushes.slice(1);
    assert.deepEqual(
      rest.flatMap((push) => brief(push).pages),
      ['5 /b/ (removed)', '6 /site_2/d/'],
    );
    for (const [i, push] of rest.entries()) assert.equal(push.fromSeq, (front.pushes[i] as PushHeader).toSeq);
    assert.equal(front.seq, 6);
    assert.deepEqual([...front.pages.keys()].sort(), ['/a/', '/c/', '/site_2/d/']);
    assert.deepEqual(front.pages.get('/a/'), htmlPage('A2'));
    // A new host of a site is sent with the next push, even with no page to push.
    await store.db.insertInto('siteHost').values({ host: 'edu.example.gov.cn', siteId: bureau.id }).execute();
    await round(d);
    assert.deepEqual(front.pushes.slice(1 + rest.length).map(brief), [
      {
        fromSeq: 6,
        toSeq: 6,
        pages: [],
        sites: [SITES[0], '2 jyj.example.gov.cn edu.example.gov.cn Asia/Shanghai'],
      },
    ]);
  });

  test('a front that is down is retried with growing backoff and catches up in order when it returns', async (t) => {
    const root = path.join(dir, 'front');
    const open = (listen: string) => startAgent({ root, tokenFile, listen, now: () => now });
    let agent = await open('127.0.0.1:0');
    const port = new URL(agent.address).port;
    t.after(() => agent.close());
    await addFront(ctx, platform, { name: 'front1', url: agent.address, tokenFile });
    const d = distributor(t);
    await publish('/a/', htmlPage('A'));
    await round(d);
    assert.equal((await row('front1')).ackedSeq, 1);

    await agent.close();
    await publish('/b/', htmlPage('B'));
    await publish('/a/', htmlPage('A2'));
    const attempts: [string, number, string | null][] = [];
    for (const wait of [0, 2_000, 4_000, 8_000]) {
      later(wait);
      await round(d);
      // Waiting out the backoff: another round changes nothing.
      await round(d);
      const front = await row('front1');
      attempts.push([front.state, front.failures, front.nextAttemptAt]);
      assert.match(front.lastError ?? '', /ECONNREFUSED/);
    }
    const at = (ms: number) => new Date(START.getTime() + ms).toISOString();
    assert.deepEqual(attempts, [
      ['down', 1, at(2_000)],
      ['down', 2, at(2_000 + 4_000)],
      ['down', 3, at(6_000 + 8_000)],
      ['down', 4, at(14_000 + 16_000)],
    ]);
    assert.equal((await listFronts(ctx, platform))[0]?.behind, 2);

    agent = await open(`127.0.0.1:${port}`);
    later(16_000);
    await round(d);
    const back = await row('front1');
    assert.deepEqual(
      [back.state, back.failures, back.nextAttemptAt, back.lastError, back.ackedSeq],
      ['ok', 0, null, null, 3],
    );
    assert.deepEqual(treeOf(frontLayout(root).www), expectedTree(published));
  });

  test('a 409 resyncs from the front’s own sequence: a front restored from an older copy gets what it lacks', async (t) => {
    const front = await fake(t);
    await addFront(ctx, platform, { name: 'front1', url: front.url, tokenFile });
    for (const name of ['a', 'b', 'c']) await publish(`/${name}/`, htmlPage(name));
    front.events = [tamperEvent(1, '/a/'), tamperEvent(2, '/b/')];
    const d = distributor(t);
    await round(d);
    await fronts.updateFront(store.db, (await row('front1')).id, { viewsBatch: 5 });
    // The front comes back from a copy of its folder taken after the first page: it has seq 1, and
    // its event log starts again.
    front.seq = 1;
    front.pages.delete('/b/');
    front.pages.delete('/c/');
    front.events = [tamperEvent(1, '/c/')];
    front.requests.length = 0;
    await publish('/d/', htmlPage('d'));
    await round(d);
    assert.deepEqual(front.requests.slice(0, 3), ['POST /_front/push', 'GET /_front/state', 'POST /_front/push']);
    assert.deepEqual(front.pushes.slice(1).map(brief), [
      { fromSeq: 1, toSeq: 4, pages: ['2 /b/', '3 /c/', '4 /d/'], sites: undefined },
    ]);
    assert.deepEqual([...front.pages.keys()].sort(), ['/a/', '/b/', '/c/', '/d/']);
    const after = await row('front1');
    assert.deepEqual([after.ackedSeq, after.viewsBatch, after.eventCursor], [4, 0, 1]);
    // The events from before keep their evidence under numbers of their own; the new one is stored.
    const events = await frontEvents(ctx, platform);
    assert.deepEqual(
      events.map((e) => [e.remoteId, e.path]),
      [
        [1, '/c/'],
        [-(events[1]?.id ?? 0), '/b/'],
        [-(events[2]?.id ?? 0), '/a/'],
      ],
    );
  });

  test('a front serving only one site gets only its pages, and its sequence still moves past the others', async (t) => {
    const root = path.join(dir, 'front');
    const agent = await startAgent({ root, tokenFile, listen: '127.0.0.1:0', now: () => now });
    t.after(() => agent.close());
    await addFront(ctx, platform, { name: 'edu', url: agent.address, tokenFile, siteIds: [bureau.id] });
    const d = distributor(t);
    await publish('/', htmlPage('首页'));
    await publish('/site_2/', htmlPage('教育局首页'));
    await publish('/site_2/tzgg/', htmlPage('通知公告'));
    await publish('/bqdt/', htmlPage('本区动态'));
    await round(d);
    const own = new Map([...published].filter(([key]) => key.startsWith('/site_2/')));
    assert.deepEqual(treeOf(frontLayout(root).www), expectedTree(own));
    const state = (await frontCall<FrontState>(agent.address, 'GET', '/_front/state', undefined, { now })).body;
    assert.deepEqual([state.seq, state.pages, state.sites.map((site) => site.id)], [4, 2, [bureau.id]]);
    assert.deepEqual(
      (await listFronts(ctx, platform)).map((f) => [f.name, f.allSites, f.sites.map((s) => s.domain), f.behind]),
      [['edu', false, ['jyj.example.gov.cn'], 0]],
    );
  });

  test('several distributors on one store push a front one batch after another, never twice', async (t) => {
    const front = await fake(t);
    await addFront(ctx, platform, { name: 'front1', url: front.url, tokenFile });
    const many = [distributor(t), distributor(t), distributor(t)];
    for (let i = 1; i <= 6; i++) {
      await publish(`/p${i}/`, htmlPage(`p${i}`));
      for (const d of many) d.runSoon();
    }
    await Promise.all(many.map((d) => d.settled()));
    assert.deepEqual(
      front.pushes.flatMap((push) => push.pages.map((page) => page.seq)),
      [1, 2, 3, 4, 5, 6],
    );
    for (const [i, push] of front.pushes.entries()) assert.equal(push.fromSeq, front.pushes[i - 1]?.toSeq ?? 0);
    assert.equal(front.seq, 6);
  });

  test('events are collected once, mailed once, and handled by who may', async (t) => {
    const front = await fake(t);
    const mails: OutgoingMail[] = [];
    const mailer: Mailer = {
      send: (mail) => {
        mails.push(mail);
        return Promise.resolve();
      },
      close: () => {},
    };
    const boss = await makeUser(ctx, 'platformboss', [{ role: 'platform' }]);
    const admin = await makeUser({ ...ctx, siteId: bureau.id }, 'eduadmin', [{ role: 'admin' }]);
    await makeUser({ ...ctx, siteId: bureau.id }, 'eduadmin2', [{ role: 'admin' }]);
    for (const [id, email] of [
      [boss.id, 'boss@example.gov.cn'],
      [admin.id, 'edu@example.gov.cn'],
    ] as const)
      await store.db.updateTable('userAccount').set({ email }).where('id', '=', id).execute();
    const at = '2025-12-01T00:59:00.000Z';
    front.events = [
      {
        id: 1,
        at,
        file: '1/bqdt/index.html',
        siteId: portal.id,
        path: '/bqdt/',
        kind: 'modified',
        detail: '--- 1/bqdt/index.html\n+++ 1/bqdt/index.html\n@@ -1 +1 @@\n-<h1>本区动态</h1>\n+<h1>hacked</h1>\n',
        quarantine: '1-index.html',
        restored: true,
      },
      {
        id: 2,
        at,
        file: '2/evil.php',
        siteId: bureau.id,
        path: '/evil.php',
        kind: 'added',
        detail: 'a file nobody published (12 bytes)',
        quarantine: '2-evil.php',
        restored: false,
      },
    ];
    await addFront(ctx, platform, { name: 'front1', url: front.url, tokenFile });
    const d = distributor(t, { mailer, adminUrl: 'https://oa.example.gov.cn/admin/' });
    await round(d);
    later(31_000);
    await round(d);
    // As if the front answered the same events again (another instance's collection): stored once.
    await fronts.updateFront(store.db, (await row('front1')).id, { eventCursor: 0 });
    later(31_000);
    await round(d);
    assert.deepEqual(
      front.requests.filter((r) => r.includes('events')),
      ['GET /_front/events', 'GET /_front/events'],
    );
    const listed = await frontEvents(ctx, platform);
    const brief = (events: FrontEventView[]) =>
      events.map((e) => [e.frontName, e.remoteId, e.siteId, e.path, e.kind, e.restored, e.handledAt, e.note]);
    assert.deepEqual(brief(listed), [
      ['front1', 2, bureau.id, '/evil.php', 'added', false, null, ''],
      ['front1', 1, portal.id, '/bqdt/', 'modified', true, null, ''],
    ]);
    assert.equal(listed[1]?.detail, front.events[0]?.detail);
    assert.deepEqual(
      mails.map((mail) => [mail.to.address, mail.subject]),
      [
        ['boss@example.gov.cn', '【网页防篡改】前端服务器发现篡改（示范区人民政府，1起）'],
        ['boss@example.gov.cn', '【网页防篡改】前端服务器发现篡改（示范区教育局，1起）'],
        ['edu@example.gov.cn', '【网页防篡改】前端服务器发现篡改（示范区教育局，1起）'],
      ],
    );
    assert.equal(
      mails[2]?.text,
      [
        'eduadmin，您好：',
        '',
        '前端服务器上 示范区教育局 的页面发现以下 1 起篡改，已自动处置：',
        '',
        `1. ${at}  front1  /evil.php`,
        '   出现未发布的文件：2/evil.php',
        '   已移除，原文件隔离在 2-evil.php',
        '',
        '请核查原因并在后台“前端服务器”中标记为已处理：https://oa.example.gov.cn/admin/fronts。未处理的事件使网站健康检查的“网页防篡改”项不合格。',
        '本邮件由系统自动发送，请勿回复。',
        '',
      ].join('\n'),
    );

    // The bureau's administrator sees and handles the bureau's events only; an editor none.
    const eduAdmin: Actor = {
      userId: admin.id,
      userName: 'eduadmin',
      grants: [{ role: 'admin', channelId: null }],
      ip: null,
    };
    const onBureau = { ...ctx, siteId: bureau.id };
    assert.deepEqual(brief(await frontEvents(onBureau, eduAdmin)), [brief(listed)[0]]);
    const portalEvent = listed[1]?.id ?? 0;
    await refused(handleFrontEvent(onBureau, eduAdmin, portalEvent, 'x'), 'FRONT_EVENT_NOT_FOUND');
    await refused(frontEvents(onBureau, eduAdmin, { siteId: portal.id }), 'PERMISSION_DENIED');
    const editor: Actor = { userId: null, userName: 'editor', grants: [{ role: 'editor', channelId: null }], ip: null };
    await refused(frontEvents(onBureau, editor), 'PERMISSION_DENIED');
    later(60_000);
    const handled = await handleFrontEvent(onBureau, eduAdmin, listed[0]?.id ?? 0, '  误上传的测试文件，已删除  ');
    assert.deepEqual(
      [handled.handledAt, handled.handledBy, handled.note],
      [now.toISOString(), 'eduadmin', '误上传的测试文件，已删除'],
    );
    // Handled once: a second call changes nothing.
    later(1_000);
    assert.deepEqual(await handleFrontEvent(ctx, platform, listed[0]?.id ?? 0, 'again'), handled);
    assert.deepEqual(brief(await frontEvents(ctx, platform, { unhandled: true })), [brief(listed)[1]]);
    const audit = await store.db
      .selectFrom('auditLog')
      .select(['action', 'targetId', 'details', 'userName'])
      .where('action', '=', 'front.event.handle')
      .execute();
    assert.deepEqual(audit, [
      {
        action: 'front.event.handle',
        targetId: String(listed[0]?.id),
        details: JSON.stringify({
          front: 'front1',
          kind: 'added',
          note: '误上传的测试文件，已删除',
          path: '/evil.php',
          site: bureau.id,
        }),
        userName: 'eduadmin',
      },
    ]);
  });

  test('views are added once, even when an answer or an acknowledgement is lost; pushed pages carry the count', async (t) => {
    const front = await fake(t);
    const { article } = await importPage({ ...ctx, siteId: portal.id }, makePage({ title: '浏览次数' }));
    await articles.addViews(store.db, article.id, 40);
    const key = `/bqdt/202512/t20251201_${article.id}.html`;
    await addFront(ctx, platform, { name: 'front1', url: front.url, tokenFile });
    const d = distributor(t);
    await publish(key, htmlPage('浏览次数'));
    await round(d);
    assert.equal(front.views.get(key), 40);

    front.read(portal.id, key, 5);
    front.read(portal.id, '/bqdt/', 3);
    // Views calls in turn: the front makes the batch and its answer is lost; the same batch comes
    // again and is added; the call that acknowledges it is cut before the front reads it.
    const plan: (Fault | null)[] = ['drop-after', null, 'drop'];
    front.fault = (route) => (route === 'views' ? (plan.shift() ?? null) : null);
    const views = async () => (await articles.findArticle(store.db, article.id))?.viewCount;
    const seen = async () => {
      const front1 = await row('front1');
      return [front1.state, front1.viewsBatch, await views()];
    };
    later(31_000);
    await round(d);
    assert.deepEqual(await seen(), ['down', 0, 40]);
    later(2_000);
    await round(d);
    assert.deepEqual(await seen(), ['down', 1, 45]);
    later(4_000);
    await round(d);
    assert.deepEqual([...(await seen()), front.batches], ['ok', 1, 45, []]);
    // A batch already added (another instance took it) adds nothing.
    const id = (await row('front1')).id;
    assert.equal(
      await fronts.addViewsBatch(store.db, id, 1, [{ articleId: article.id, siteId: portal.id, count: 5 }], null),
      false,
    );
    assert.equal(await views(), 45);
  });

  test('over mutual TLS: pushed with the CMS’s client certificate, refused at the handshake without it', async (t) => {
    const certs = makeCertificates(dir);
    const root = path.join(dir, 'front');
    const agent = await startAgent({
      root,
      tokenFile,
      listen: '127.0.0.1:0',
      now: () => now,
      tls: { cert: certs.serverCert, key: certs.serverKey, ca: certs.ca },
    });
    t.after(() => agent.close());
    await addFront(ctx, platform, { name: 'front1', url: agent.address, tokenFile });
    await publish('/', htmlPage('首页'));
    const anonymous = distributor(t, { tls: loadFrontTls({ GAZETTE_FRONT_TLS_CA: certs.ca }) });
    await round(anonymous);
    await anonymous.stop();
    const refused = await row('front1');
    assert.deepEqual([refused.state, refused.ackedSeq], ['down', -1]);
    const tls = loadFrontTls({
      GAZETTE_FRONT_TLS_CERT: certs.clientCert,
      GAZETTE_FRONT_TLS_KEY: certs.clientKey,
      GAZETTE_FRONT_TLS_CA: certs.ca,
    });
    later(2_000);
    await round(distributor(t, { tls }));
    assert.deepEqual([(await row('front1')).state, (await row('front1')).ackedSeq], ['ok', 1]);
    assert.deepEqual(treeOf(frontLayout(root).www), expectedTree(published));
    assert.throws(
      () => loadFrontTls({ GAZETTE_FRONT_TLS_CERT: certs.clientCert }),
      (error: unknown) =>
        error instanceof GazetteError &&
        error.messageIn('zh') ===
          '配置项 GAZETTE_FRONT_TLS_KEY 无效：GAZETTE_FRONT_TLS_CERT and GAZETTE_FRONT_TLS_KEY are set together',
    );
  });

  test('a full disk, a wrong token and a rotated token file', async (t) => {
    const front = await fake(t);
    await addFront(ctx, platform, { name: 'front1', url: front.url, tokenFile });
    const d = distributor(t);
    front.fault = (route) => (route === 'push' ? 507 : null);
    await publish('/a/', htmlPage('A'));
    await round(d);
    assert.deepEqual(
      [(await row('front1')).state, (await row('front1')).lastError],
      ['disk-full', 'POST /_front/push: 507 fault'],
    );
    front.fault = null;
    fs.writeFileSync(tokenFile, 'short\n');
    later(2_000);
    await round(d);
    assert.deepEqual(
      [(await row('front1')).state, (await row('front1')).lastError],
      [
        'refused',
        `前端服务器令牌文件 ${tokenFile} 无法使用：the token must be one word of at least 32 characters (e.g. openssl rand -hex 32)`,
      ],
    );
    fs.writeFileSync(tokenFile, `${'ab'.repeat(32)}\n`);
    later(4_000);
    await round(d);
    assert.deepEqual(
      [(await row('front1')).state, (await row('front1')).lastError],
      ['refused', 'POST /_front/push: 401 signature'],
    );
    // Both sides rotated: picked up at the next round, with no restart.
    front.token = 'ab'.repeat(32);
    later(8_000);
    await round(d);
    assert.deepEqual([(await row('front1')).state, (await row('front1')).ackedSeq, front.seq], ['ok', 1, 1]);
  });

  test('a page whose stored bytes do not match the manifest is not pushed: the pages before it are', async (t) => {
    const front = await fake(t);
    await addFront(ctx, platform, { name: 'front1', url: front.url, tokenFile });
    await publish('/a/', htmlPage('A'));
    await publish('/b/', htmlPage('B'));
    await publish('/c/', htmlPage('C'));
    fs.writeFileSync(path.join(publicDir, 'b', 'index.html'), 'defaced');
    const d = distributor(t, { outputGraceMs: 0 });
    await round(d);
    assert.deepEqual(front.pushes.map(brief), [{ fromSeq: 0, toSeq: 1, pages: ['1 /a/'], sites: SITES }]);
    const stopped = await row('front1');
    assert.deepEqual(
      [stopped.state, stopped.lastError, stopped.failures],
      ['behind', '本站输出的 /b/ 与清单哈希不符，未推送：请运行 gazette verify-output --repair', 1],
    );
    // Repaired as verify-output does it (written again, recorded as a new change): the rest follows.
    await publish('/b/', htmlPage('B'));
    later(2_000);
    await round(d);
    assert.deepEqual(front.pushes.slice(1).map(brief), [
      { fromSeq: 1, toSeq: 4, pages: ['3 /c/', '4 /b/'], sites: undefined },
    ]);
  });

  test('the health report’s 防篡改 item: fails on an unhandled event, an unreached front or a late sweep', async (t) => {
    const front = await fake(t);
    front.lastSweepAt = START.toISOString();
    const health = async (siteId: number) => {
      const report = await computeHealthReport({ ...ctx, siteId, theme: loadTheme(), outputDir: publicDir });
      const item = report.vetoes.find((v) => v.id === 'tamper');
      return item && [item.state, item.detail, item.items, item.todo];
    };
    // No front: the CMS serves the site; a quick run does not hash its output.
    assert.deepEqual(await health(portal.id), [
      'not-checked',
      '本站由 CMS 直接提供（未配置前端服务器）；输出文件与清单的校验随每晚的全面检查进行，也可随时运行 gazette verify-output',
      [],
      '',
    ]);
    await addFront(ctx, platform, { name: 'front1', url: front.url, tokenFile });
    const d = distributor(t);
    await round(d);
    assert.deepEqual(await health(portal.id), [
      'pass',
      '本站由 1 台前端服务器提供（front1）：均在 5 分钟内联系上，全量校验按时进行，没有未处理的篡改事件',
      [],
      '',
    ]);
    front.events = [
      {
        id: 1,
        at: START.toISOString(),
        file: '1/index.html',
        siteId: portal.id,
        path: '/',
        kind: 'modified',
        detail: '-a\n+b\n',
        quarantine: '1-index.html',
        restored: true,
      },
    ];
    later(31_000);
    await round(d);
    assert.deepEqual(await health(portal.id), [
      'fail',
      '本站由 1 台前端服务器提供（front1）：1 起篡改事件未处理',
      ['2025-12-01 09:00 front1 /：文件被改动（1/index.html）'],
      '核查篡改原因，并在后台“前端服务器”中将事件标记为已处理',
    ]);
    // The other site has no event.
    assert.equal((await health(bureau.id))?.[0], 'pass');
    const [event] = await frontEvents(ctx, platform);
    await handleFrontEvent(ctx, platform, event?.id ?? 0, '已核查');
    assert.equal((await health(portal.id))?.[0], 'pass');
    // Six minutes without contact, and a sweep older than twice ten minutes and five.
    later(6 * 60_000);
    const late = await health(portal.id);
    assert.deepEqual(late?.slice(0, 3), [
      'fail',
      '本站由 1 台前端服务器提供（front1）：1 台前端服务器近 5 分钟未联系上',
      ['front1：最近联系于 2025-12-01 09:00'],
    ]);
    later(20 * 60_000);
    await round(d);
    assert.deepEqual(await health(portal.id), [
      'fail',
      '本站由 1 台前端服务器提供（front1）：1 台前端服务器未按时全量校验',
      ['front1：最近一次全量校验于 2025-12-01 09:00，应每 10 分钟一次'],
      '检查前端服务器的防篡改代理是否按时全量校验',
    ]);
  });
});

function tamperEvent(id: number, path: string): TamperEvent {
  return {
    id,
    at: START.toISOString(),
    file: `1${path}index.html`,
    siteId: 1,
    path,
    kind: 'modified',
    detail: '-a\n+b\n',
    quarantine: `${id}-index.html`,
    restored: true,
  };
}

async function refused(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  await assert.rejects(promise, (error: unknown) => error instanceof GazetteError && error.code === code);
}
