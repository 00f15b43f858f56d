import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import {
  addUnit,
  raiseLetterAlerts,
  stepLetter,
  submitLetter,
  updateUnit,
  type ServiceContext,
} from '../../src/services/index.js';
import { demoApp } from '../helpers/app.js';
import { contextFor, testStore, type TestStore } from '../helpers/store.js';
import { actorFor, makeRoleAccounts, makeUser, signIn, type ApiClient } from '../helpers/backoffice.js';
import { letterIdOf, letterInput, solvedPow } from '../helpers/letters.js';

describe('GET /api/v1/letter-alerts: the dashboard’s deadline alerts, as each reader may see them', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let ctx: ServiceContext;
  let now = new Date('2025-08-01T10:00:00+08:00');
  const letters: Record<'A' | 'B' | 'C', { id: number; queryCode: string }> = {
    A: { id: 0, queryCode: '' },
    B: { id: 0, queryCode: '' },
    C: { id: 0, queryCode: '' },
  };
  const units = { water: 0, schools: 0 };

  async function letter(key: 'A' | 'B' | 'C', title: string, type: 'help' | 'complaint', phone: string) {
    const receipt = await submitLetter(
      ctx,
      { ...letterInput({ title, type, phone }), altcha: await solvedPow(ctx) },
      `203.0.113.${phone.slice(-2)}`,
    );
    letters[key] = { id: await letterIdOf(store.db, receipt.queryCode), queryCode: receipt.queryCode };
  }

  /** The id of the alert of this kind raised for the letter. */
  async function alertId(key: 'A' | 'B' | 'C', alert: string): Promise<number> {
    const row = await store.db
      .selectFrom('letterAlert')
      .select('id')
      .where('letterId', '=', letters[key].id)
      .where('alert', '=', alert)
      .executeTakeFirstOrThrow();
    return row.id;
  }

  before(async () => {
    store = await testStore();
    const clock = { now: () => now };
    app = await demoApp(store, { pages: false, clock });
    ctx = { ...contextFor(store, clock), siteId: 1 };
    const accounts = await makeRoleAccounts(ctx);
    const admin = actorFor(accounts.admin);
    const office = actorFor(accounts.office);
    const handler2 = await makeUser(ctx, 'handler2', [{ role: 'handler' }]);
    units.water = (await addUnit(ctx, admin, { name: '区水务局' })).id;
    units.schools = (await addUnit(ctx, admin, { name: '区教育局' })).id;
    await updateUnit(ctx, admin, units.water, { members: [{ userId: accounts.handler.id, leader: true }] });
    await updateUnit(ctx, admin, units.schools, { members: [{ userId: handler2.id, leader: true }] });

    // B: unanswered since 1 August; A: 区水务局's, due 16 October; C: 区教育局's, due 27 October.
    await letter('B', '关于黎里镇老街排水不畅的求助', 'help', '13912345601');
    now = new Date('2025-09-26T10:00:00+08:00');
    await letter('A', '关于同里镇河道漂浮垃圾的投诉', 'complaint', '13912345602');
    await stepLetter(ctx, office, letters.A.id, 'accept', {});
    await stepLetter(ctx, office, letters.A.id, 'assign', { unitId: units.water });
    now = new Date('2025-10-13T10:00:00+08:00');
    await letter('C', '关于松陵实验小学门口交通拥堵的投诉', 'complaint', '13912345603');
    await stepLetter(ctx, office, letters.C.id, 'accept', {});
    await stepLetter(ctx, office, letters.C.id, 'assign', { unitId: units.schools });
    // The watch on 14 October (B at 60 days, A at 80%) and on 20 October (B at 80 days, A due, C at 50%).
    now = new Date('2025-10-14T09:00:00+08:00');
    await raiseLetterAlerts(store.db, now);
    now = new Date('2025-10-20T09:00:00+08:00');
    await raiseLetterAlerts(store.db, now);
  });
  after(async () => {
    await app?.close();
    await store?.dispose();
  });

  const itemOf = async (key: 'A' | 'B' | 'C', alert: string, raisedAt: string) => {
    const fixed = {
      A: { title: '关于同里镇河道漂浮垃圾的投诉', unit: { id: units.water, name: '区水务局' }, dueDay: '2025-10-16' },
      B: { title: '关于黎里镇老街排水不畅的求助', unit: null, dueDay: null },
      C: {
        title: '关于松陵实验小学门口交通拥堵的投诉',
        unit: { id: units.schools, name: '区教育局' },
        dueDay: '2025-10-27',
      },
    }[key];
    const labels: Record<string, { zh: string; en: string }> = {
      'deadline-50': { zh: '办理期限已过半', en: 'Half of the time to answer has passed' },
      'deadline-100': { zh: '已到办理期限', en: 'The due day has come' },
      'veto-80': { zh: '已80天未答复，满3个月即单项否决', en: 'Unanswered for 80 days: the 3-month veto is near' },
    };
    return {
      id: await alertId(key, alert),
      letterId: letters[key].id,
      siteId: 1,
      queryCode: letters[key].queryCode,
      title: fixed.title,
      unit: fixed.unit,
      dueDay: fixed.dueDay,
      alert,
      label: labels[alert],
      raisedAt,
    };
  };
  const get = async (client: ApiClient) => {
    const response = await client.request('GET', '/api/v1/letter-alerts');
    return { status: response.statusCode, body: response.json<unknown>() };
  };

  test('the office and the site administrator: every letter of the site, newest first, the latest alert of each kind', async () => {
    const expected = {
      status: 200,
      body: {
        items: [
          await itemOf('C', 'deadline-50', '2025-10-20T01:00:00.000Z'),
          await itemOf('A', 'deadline-100', '2025-10-20T01:00:00.000Z'),
          await itemOf('B', 'veto-80', '2025-10-20T01:00:00.000Z'),
        ],
      },
    };
    assert.deepEqual(await get(await signIn(app, 'office')), expected);
    assert.deepEqual(await get(await signIn(app, 'siteadmin')), expected);
  });

  test('a handler: only the letters of their units', async () => {
    assert.deepEqual(await get(await signIn(app, 'handler')), {
      status: 200,
      body: { items: [await itemOf('A', 'deadline-100', '2025-10-20T01:00:00.000Z')] },
    });
    assert.deepEqual(await get(await signIn(app, 'handler2')), {
      status: 200,
      body: { items: [await itemOf('C', 'deadline-50', '2025-10-20T01:00:00.000Z')] },
    });
  });

  test('an answered letter leaves the dashboard; an editor may not read the alerts', async () => {
    const handler = await signIn(app, 'handler2');
    const replied = await handler.request('POST', `/api/v1/letters/${letters.C.id}/reply`, {
      reply: '<p>已协调交警加强疏导。</p>',
    });
    assert.equal(replied.statusCode, 200, replied.body);
    // In review the reply is not yet the answer: the alert stands.
    assert.deepEqual(await get(handler), {
      status: 200,
      body: { items: [await itemOf('C', 'deadline-50', '2025-10-20T01:00:00.000Z')] },
    });
    await handler.request('POST', `/api/v1/letters/${letters.C.id}/approve`, {});
    await (await signIn(app, 'office')).request('POST', `/api/v1/letters/${letters.C.id}/approve`, {});
    assert.deepEqual(await get(handler), { status: 200, body: { items: [] } });
    assert.deepEqual(await get(await signIn(app, 'editor')), {
      status: 403,
      body: { code: 'PERMISSION_DENIED', message: '没有权限：case.read', messageEn: 'Not allowed: case.read' },
    });
  });
});

describe('an account’s e-mail address: set by the user, or by the security administrator; checked', () => {
  let store: TestStore;
  let app: FastifyInstance;

  before(async () => {
    store = await testStore();
    app = await demoApp(store, { pages: false });
    await makeRoleAccounts(contextFor(store));
  });
  after(async () => {
    await app?.close();
    await store?.dispose();
  });

  test('PUT /api/v1/session/email: the user’s own address, 400 naming the field when it is not one', async () => {
    const handler = await signIn(app, 'handler');
    const bad = await handler.request('PUT', '/api/v1/session/email', { email: 'li at example.gov.cn' });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(bad.json(), {
      code: 'FIELD_INVALID',
      message: '字段 email 无效：不是有效的电子邮箱地址（例如 wang@example.gov.cn）',
      messageEn: 'Invalid email: not an e-mail address (e.g. wang@example.gov.cn)',
    });
    for (const email of ['a,b@example.gov.cn', 'li@example', '李@example.gov.cn', 'li@example.gov.cn\r\nBcc: x@y.cn'])
      assert.equal((await handler.request('PUT', '/api/v1/session/email', { email })).statusCode, 400, email);
    const set = await handler.request('PUT', '/api/v1/session/email', { email: ' li@example.gov.cn ' });
    assert.equal(set.statusCode, 200, set.body);
    assert.equal(set.json<{ email: string }>().email, 'li@example.gov.cn');
    const session = await handler.request('GET', '/api/v1/session');
    assert.equal(session.json<{ user: { email: string } }>().user.email, 'li@example.gov.cn');
    const removed = await handler.request('PUT', '/api/v1/session/email', { email: '' });
    assert.equal(removed.json<{ email: string | null }>().email, null);
  });

  test('PATCH and POST /api/v1/users: the security administrator sets it, checked the same way', async () => {
    const security = await signIn(app, 'secadmin');
    const list = await security.request('GET', '/api/v1/users');
    const office = list
      .json<{ items: { id: number; username: string }[] }>()
      .items.find((u) => u.username === 'office');
    const bad = await security.request('PATCH', `/api/v1/users/${office?.id}`, { email: 'wang@' });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json<{ code: string }>().code, 'FIELD_INVALID');
    assert.match(bad.json<{ message: string }>().message, /^字段 email 无效/);
    const set = await security.request('PATCH', `/api/v1/users/${office?.id}`, { email: 'wang@example.gov.cn' });
    assert.equal(set.json<{ email: string }>().email, 'wang@example.gov.cn');
    const made = await security.request('POST', '/api/v1/users', {
      username: 'zhoucb',
      displayName: '周承办',
      password: 'Initial-Pass-2025',
      roles: [{ role: 'handler', channelId: null }],
      email: 'zhou@example.gov.cn',
    });
    assert.equal(made.statusCode, 201, made.body);
    assert.equal(made.json<{ email: string }>().email, 'zhou@example.gov.cn');
    const refused = await security.request('POST', '/api/v1/users', {
      username: 'wucb',
      displayName: '吴承办',
      password: 'Initial-Pass-2025',
      roles: [{ role: 'handler', channelId: null }],
      email: 'wu@@example.gov.cn',
    });
    assert.equal(refused.statusCode, 400);
    assert.equal(refused.json<{ code: string }>().code, 'FIELD_INVALID');
  });
});
