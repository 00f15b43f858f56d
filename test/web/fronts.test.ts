import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { addFront, addSite, platformConsole, setDefaultSite, type ServiceContext } from '../../src/services/index.js';
import { fronts, manifest } from '../../src/store/index.js';
import { demoApp } from '../helpers/app.js';
import { contextFor, testStore, type TestStore } from '../helpers/store.js';
import { makeRoleAccounts, makeUser, signIn, type ApiClient } from '../helpers/backoffice.js';

const platform = platformConsole('test');
const PORTAL = { id: 1, name: '示范区人民政府', domain: 'www.example.gov.cn' };
const WATER_HOST = 'swj.example.gov.cn';
const DIFF =
  '--- a/bqdt/index.html\n+++ b/bqdt/index.html\n@@ -1,2 +1,2 @@\n <h1>本区动态</h1>\n-<p>原文</p>\n+<p>被篡改</p>\n';

describe('the fronts API: state and lag of each front, and the tamper events', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let ctx: ServiceContext;
  let tokenDir: string;
  let water: { id: number; name: string; domain: string };
  let latest: number;
  /** Ids of the events stored below, by what they are. */
  const ids = { portalModified: 0, waterAdded: 0, waterRemoved: 0 };
  /** The fronts' ids. */
  const front = { a: 0, b: 0 };
  /** Each event stored below, by its id: the front it came from and what that front sent. */
  const given = new Map<
    number,
    { front: { id: number; name: string }; event: Parameters<typeof fronts.storeEvents>[2][number] }
  >();
  let platformClient: ApiClient;
  let adminClient: ApiClient;
  let editorClient: ApiClient;
  let waterAdminClient: ApiClient;

  before(async () => {
    store = await testStore();
    app = await demoApp(store, { pages: false });
    ctx = { ...contextFor(store), siteId: 1 };
    await makeRoleAccounts(ctx);
    await setDefaultSite(ctx, platform, PORTAL.domain);
    const added = await addSite(ctx, platform, { host: WATER_HOST, name: '示范区水务局' });
    water = { id: added.id, name: added.name, domain: added.domain };
    await makeUser({ ...ctx, siteId: water.id }, 'wateradmin', [{ role: 'admin' }]);

    tokenDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-fronts-api-'));
    const tokenFile = path.join(tokenDir, 'front.token');
    fs.writeFileSync(tokenFile, `${'a1'.repeat(32)}\n`, { mode: 0o600 });
    const a = await addFront(ctx, platform, { name: 'front-a', url: 'http://127.0.0.1:8701', tokenFile });
    const b = await addFront(ctx, platform, {
      name: 'front-b',
      url: 'https://front-b.example.gov.cn:8700',
      tokenFile,
      siteIds: [water.id],
    });

    // Three changes after those the fronts hold: front-a applied the first, front-b none (never read).
    const before = await manifest.latestChange(store.db);
    await manifest.recordPages(store, [
      { path: '/a.html', hash: 'a'.repeat(64), size: 1, updatedAt: '2025-12-01T00:40:00.000Z' },
      { path: '/b.html', hash: 'b'.repeat(64), size: 1, updatedAt: '2025-12-01T00:50:00.000Z' },
      { path: '/c.html', hash: 'c'.repeat(64), size: 1, updatedAt: '2025-12-01T00:55:00.000Z' },
    ]);
    latest = await manifest.latestChange(store.db);
    assert.equal(latest, before + 3);
    await fronts.updateFront(store.db, a.id, {
      ackedSeq: before + 1,
      state: 'ok',
      lastContactAt: '2025-12-01T00:59:30.000Z',
      lastPushAt: '2025-12-01T00:58:00.000Z',
      lastSweepAt: '2025-12-01T00:52:00.000Z',
      sweepEveryMs: 600_000,
    });
    await fronts.updateFront(store.db, b.id, {
      state: 'disk-full',
      lastError: 'no space left for the batch',
      failures: 3,
      nextAttemptAt: '2025-12-01T01:00:08.000Z',
      lastContactAt: '2025-12-01T00:57:00.000Z',
    });
    const event = { quarantine: null, restored: 1 };
    const portalModified = {
      ...event,
      remoteId: 1,
      at: '2025-12-01T00:30:00.000Z',
      siteId: 1,
      path: '/bqdt/',
      file: 'www/1/bqdt/index.html',
      kind: 'modified',
      detail: DIFF,
      quarantine: 'state/quarantine/1-index.html',
    };
    const waterAdded = {
      ...event,
      remoteId: 2,
      at: '2025-12-01T00:40:00.000Z',
      siteId: water.id,
      path: '/shell.php',
      file: `www/${water.id}/shell.php`,
      kind: 'added',
      detail: '出现未发布的文件（12 字节）',
      quarantine: 'state/quarantine/2-shell.php',
    };
    const waterRemoved = {
      ...event,
      remoteId: 1,
      at: '2025-12-01T00:45:00.000Z',
      siteId: water.id,
      path: '/',
      file: `www/${water.id}/index.html`,
      kind: 'removed',
      detail: '文件被删除',
    };
    const frontA = { id: a.id, name: 'front-a' };
    const frontB = { id: b.id, name: 'front-b' };
    const [portalRow, waterAddedRow] = await fronts.storeEvents(store.db, frontA, [portalModified, waterAdded], 2);
    const [waterRemovedRow] = await fronts.storeEvents(store.db, frontB, [waterRemoved], 1);
    front.a = a.id;
    front.b = b.id;
    ids.portalModified = portalRow?.id ?? 0;
    ids.waterAdded = waterAddedRow?.id ?? 0;
    ids.waterRemoved = waterRemovedRow?.id ?? 0;
    given.set(ids.portalModified, { front: frontA, event: portalModified });
    given.set(ids.waterAdded, { front: frontA, event: waterAdded });
    given.set(ids.waterRemoved, { front: frontB, event: waterRemoved });
    assert.ok(ids.portalModified && ids.waterAdded && ids.waterRemoved, 'the events were stored');

    platformClient = await signIn(app, 'platformadmin');
    adminClient = await signIn(app, 'siteadmin');
    editorClient = await signIn(app, 'editor');
    waterAdminClient = await signIn(app, 'wateradmin');
  });
  after(async () => {
    await app?.close();
    await store?.dispose();
    if (tokenDir) fs.rmSync(tokenDir, { recursive: true, force: true });
  });

  /** An event as the API answers it, before anyone handled it: what was stored, with its id and front. */
  const eventOf = (id: number) => {
    const stored = given.get(id);
    assert.ok(stored, `event ${id}`);
    const { front, event } = stored;
    return {
      id,
      frontId: front.id,
      frontName: front.name,
      ...event,
      restored: event.restored === 1,
      handledAt: null,
      handledBy: null,
      note: '',
    };
  };

  const status = (response: { statusCode: number; json<T>(): T }) => [
    response.statusCode,
    response.json<{ code?: string }>().code,
  ];

  test('the platform administrator reads each front: state in its own terms, lag in changes and seconds', async () => {
    const response = await platformClient.request('GET', '/api/v1/fronts');
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(response.json(), {
      items: [
        {
          id: front.a,
          name: 'front-a',
          url: 'http://127.0.0.1:8701',
          allSites: true,
          sites: [PORTAL, water],
          // Stored 'ok', but two changes came since: behind, by the age of the older one (10 min).
          state: 'behind',
          lastError: null,
          ackedSeq: latest - 2,
          latestSeq: latest,
          behind: 2,
          behindSeconds: 600,
          failures: 0,
          nextAttemptAt: null,
          lastContactAt: '2025-12-01T00:59:30.000Z',
          lastPushAt: '2025-12-01T00:58:00.000Z',
          lastSweepAt: '2025-12-01T00:52:00.000Z',
          sweepEveryMs: 600_000,
          unhandledEvents: 2,
          createdAt: '2025-12-01T01:00:00.000Z',
        },
        {
          id: front.b,
          name: 'front-b',
          url: 'https://front-b.example.gov.cn:8700',
          allSites: false,
          sites: [water],
          state: 'disk-full',
          lastError: 'no space left for the batch',
          ackedSeq: null,
          latestSeq: latest,
          behind: latest,
          behindSeconds: 1200,
          failures: 3,
          nextAttemptAt: '2025-12-01T01:00:08.000Z',
          lastContactAt: '2025-12-01T00:57:00.000Z',
          lastPushAt: null,
          lastSweepAt: null,
          sweepEveryMs: null,
          unhandledEvents: 1,
          createdAt: '2025-12-01T01:00:00.000Z',
        },
      ],
    });
  });

  test('only the platform administrator lists the fronts', async () => {
    assert.deepEqual(status(await editorClient.request('GET', '/api/v1/fronts')), [403, 'PERMISSION_DENIED']);
    assert.deepEqual(status(await adminClient.request('GET', '/api/v1/fronts')), [403, 'PERMISSION_DENIED']);
    assert.deepEqual(status(await app.inject('/api/v1/fronts')), [401, 'AUTH_REQUIRED']);
  });

  test("the platform administrator reads every site's events, newest first, or one site's, or the unhandled", async () => {
    const all = await platformClient.request('GET', '/api/v1/fronts/events');
    assert.equal(all.statusCode, 200, all.body);
    assert.deepEqual(all.json(), {
      items: [eventOf(ids.waterRemoved), eventOf(ids.waterAdded), eventOf(ids.portalModified)],
    });
    const one = await platformClient.request('GET', `/api/v1/fronts/events?site=${water.id}`);
    assert.deepEqual(one.json(), { items: [eventOf(ids.waterRemoved), eventOf(ids.waterAdded)] });
    const unhandled = await platformClient.request('GET', '/api/v1/fronts/events?site=1&unhandled=true');
    assert.deepEqual(unhandled.json(), { items: [eventOf(ids.portalModified)] });
  });

  test("a site administrator reads their own site's events only; an editor none", async () => {
    const own = await adminClient.request('GET', '/api/v1/fronts/events');
    assert.equal(own.statusCode, 200, own.body);
    assert.deepEqual(own.json(), { items: [eventOf(ids.portalModified)] });
    const theirs = await waterAdminClient.request('GET', '/api/v1/fronts/events', undefined, {
      'x-gazette-site': String(water.id),
    });
    assert.deepEqual(theirs.json(), { items: [eventOf(ids.waterRemoved), eventOf(ids.waterAdded)] });
    assert.deepEqual(status(await adminClient.request('GET', `/api/v1/fronts/events?site=${water.id}`)), [
      403,
      'PERMISSION_DENIED',
    ]);
    assert.deepEqual(status(await editorClient.request('GET', '/api/v1/fronts/events')), [403, 'PERMISSION_DENIED']);
    assert.deepEqual(status(await platformClient.request('GET', '/api/v1/fronts/events?site=0')), [400, 'BAD_REQUEST']);
  });

  test('marking an event handled keeps who, when and the note, once, audited; the CSRF token and the reach are checked', async () => {
    const url = `/api/v1/fronts/events/${ids.portalModified}/handle`;
    const note = '已核实为外部攻击，已修补上传漏洞';
    const noCsrf = await app.inject({
      method: 'POST',
      url,
      headers: { cookie: adminClient.cookie },
      payload: { note },
    });
    assert.deepEqual(status(noCsrf), [403, 'CSRF_INVALID']);
    assert.deepEqual(status(await editorClient.request('POST', url, { note })), [403, 'PERMISSION_DENIED']);
    // Another site's event is not found for this site's administrator.
    assert.deepEqual(
      status(await adminClient.request('POST', `/api/v1/fronts/events/${ids.waterAdded}/handle`, { note })),
      [404, 'FRONT_EVENT_NOT_FOUND'],
    );
    assert.deepEqual(status(await adminClient.request('POST', '/api/v1/fronts/events/999999/handle', { note })), [
      404,
      'FRONT_EVENT_NOT_FOUND',
    ]);
    assert.deepEqual(status(await adminClient.request('POST', url, { note: '长'.repeat(1001) })), [400, 'BAD_REQUEST']);
    assert.deepEqual(status(await adminClient.request('POST', url, {})), [400, 'BAD_REQUEST']);

    const handled = await adminClient.request('POST', url, { note });
    assert.equal(handled.statusCode, 200, handled.body);
    const expected = {
      ...eventOf(ids.portalModified),
      handledAt: '2025-12-01T01:00:00.000Z',
      handledBy: 'siteadmin',
      note,
    };
    assert.deepEqual(handled.json(), expected);
    // Handled once: a second mark (by the platform administrator) changes nothing.
    const again = await platformClient.request('POST', url, { note: '重复标记' });
    assert.deepEqual([again.statusCode, again.json()], [200, expected]);
    assert.deepEqual((await adminClient.request('GET', '/api/v1/fronts/events?unhandled=true')).json(), { items: [] });
    const audit = await store.db
      .selectFrom('auditLog')
      .select(['action', 'userName', 'targetType', 'targetId'])
      .where('action', '=', 'front.event.handle')
      .execute();
    assert.deepEqual(audit, [
      {
        action: 'front.event.handle',
        userName: 'siteadmin',
        targetType: 'front_event',
        targetId: String(ids.portalModified),
      },
    ]);

    const listed = (await platformClient.request('GET', '/api/v1/fronts')).json<{
      items: { name: string; unhandledEvents: number }[];
    }>();
    assert.deepEqual(
      listed.items.map((f) => [f.name, f.unhandledEvents]),
      [
        ['front-a', 1],
        ['front-b', 1],
      ],
    );
  });

  test('the OpenAPI document describes the three routes', async () => {
    const spec = (await app.inject('/api/openapi.json')).json<{
      paths: Record<string, Record<string, { tags?: string[]; responses: Record<string, unknown> }>>;
    }>();
    const routes = Object.entries(spec.paths)
      .filter(([p]) => p.startsWith('/api/v1/fronts'))
      .flatMap(([p, methods]) =>
        Object.entries(methods).map(([m, op]) => [
          `${m.toUpperCase()} ${p}`,
          op.tags,
          Object.keys(op.responses).sort(),
        ]),
      );
    const errors = ['400', '401', '403', '404', '409', '429'];
    assert.deepEqual(routes, [
      ['GET /api/v1/fronts', ['fronts'], ['200', ...errors]],
      ['GET /api/v1/fronts/events', ['fronts'], ['200', ...errors]],
      ['POST /api/v1/fronts/events/{id}/handle', ['fronts'], ['200', ...errors]],
    ]);
  });
});
