import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { addUnit, solvePowChallenge, type PowChallenge } from '../../src/services/index.js';
import { demoApp } from '../helpers/app.js';
import { contextFor, testStore, type TestStore } from '../helpers/store.js';
import { actorFor, makeRoleAccounts, signIn } from '../helpers/backoffice.js';
import { letterCount, letterInput } from '../helpers/letters.js';

const json = { 'content-type': 'application/json' };

describe('letters over HTTP: the public contract and the back office', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let unitId: number;
  let accounts: Awaited<ReturnType<typeof makeRoleAccounts>>;

  before(async () => {
    store = await testStore();
    app = await demoApp(store, { pages: false });
    const ctx = contextFor(store);
    accounts = await makeRoleAccounts(ctx);
    unitId = (await addUnit(ctx, actorFor(accounts.admin), { name: '区民政局' })).id;
  });
  after(async () => {
    await app.close();
    await store.dispose();
  });

  async function solved(): Promise<string> {
    const response = await app.inject('/api/v1/public/challenge');
    return solvePowChallenge(response.json<PowChallenge>());
  }

  test('GET /api/v1/public/challenge answers an ALTCHA challenge, never cached', async () => {
    const response = await app.inject('/api/v1/public/challenge');
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['cache-control'], 'no-store');
    const body = response.json<Record<string, unknown>>();
    assert.deepEqual(Object.keys(body).sort(), ['algorithm', 'challenge', 'maxnumber', 'salt', 'signature']);
    assert.equal(body.algorithm, 'SHA-256');
    assert.match(String(body.challenge), /^[0-9a-f]{64}$/);
    assert.equal(body.maxnumber, 50_000);
  });

  test('GET /api/v1/public/letter-desk: the types, limits and units of the default desk', async () => {
    const response = await app.inject('/api/v1/public/letter-desk');
    assert.deepEqual(response.json(), {
      name: '领导信箱',
      open: true,
      closedReason: null,
      types: [
        { type: 'consult', name: '咨询', days: 5 },
        { type: 'complaint', name: '投诉', days: 10 },
        { type: 'suggestion', name: '建议', days: 10 },
        { type: 'help', name: '求助', days: 5 },
        { type: 'report', name: '举报', days: 10 },
      ],
      titleMin: 10,
      titleMax: 50,
      bodyMax: 1000,
      attachmentsMax: 3,
      attachmentMb: 10,
      units: [{ id: unitId, name: '区民政局', siteId: 1, siteName: '示范区人民政府' }],
    });
  });

  test('POST /api/v1/public/letters answers 201 with the query code and password; the writer follows it with X-Case-Password', async () => {
    const sent = await app.inject({
      method: 'POST',
      url: '/api/v1/public/letters',
      headers: json,
      payload: { ...letterInput({ unitId }), altcha: await solved() },
    });
    assert.equal(sent.statusCode, 201, sent.body);
    const receipt = sent.json<{ queryCode: string; password: string }>();
    assert.deepEqual(Object.keys(receipt), ['queryCode', 'password']);

    const follow = await app.inject({
      url: `/api/v1/public/letters/${receipt.queryCode}`,
      headers: { 'x-case-password': receipt.password },
    });
    assert.equal(follow.statusCode, 200);
    assert.equal(follow.headers['cache-control'], 'no-store');
    assert.deepEqual(follow.json(), {
      queryCode: receipt.queryCode,
      type: 'consult',
      title: '关于松陵镇中山路路灯不亮的咨询',
      status: 'received',
      statusName: '待审查',
      receivedAt: '2025-12-01T01:00:00.000Z',
      acceptedAt: null,
      dueDay: null,
      answeredAt: null,
      replyUnit: null,
      reply: null,
      rejectReason: null,
      rating: null,
      canRate: false,
      steps: [{ step: 'submit', name: '提交', at: '2025-12-01T01:00:00.000Z' }],
      replyAttachments: [],
    });
    const wrongPassword = await app.inject({
      url: `/api/v1/public/letters/${receipt.queryCode}`,
      headers: { 'x-case-password': 'WRONG234' },
    });
    const wrongCode = await app.inject({
      url: '/api/v1/public/letters/20251201XXXXXX',
      headers: { 'x-case-password': receipt.password },
    });
    assert.deepEqual([wrongPassword.statusCode, wrongPassword.body], [wrongCode.statusCode, wrongCode.body]);
    assert.deepEqual(wrongCode.json(), {
      code: 'CASE_NOT_FOUND',
      message: '查询码或查询密码不正确',
      messageEn: 'No case matches this query code and password',
    });

    // The office sees it, routes it, and reads the writer's phone (audited).
    const office = await signIn(app, 'office');
    const list = (await office.request('GET', '/api/v1/letters')).json<{ items: { id: number; unit: unknown }[] }>();
    assert.equal(list.items.length, 1);
    const id = list.items[0]?.id ?? 0;
    assert.equal((await office.request('POST', `/api/v1/letters/${id}/accept`, {})).statusCode, 200);
    const assigned = await office.request('POST', `/api/v1/letters/${id}/assign`, { unitId });
    assert.deepEqual(
      [
        assigned.statusCode,
        assigned.json<{ status: string; dueDay: string }>().status,
        assigned.json<{ dueDay: string }>().dueDay,
      ],
      [200, 'assigned', '2025-12-08'],
    );
    const personal = await office.request('GET', `/api/v1/letters/${id}/personal`);
    assert.deepEqual(personal.json(), {
      name: '张三丰',
      phone: '13812345678',
      email: 'zhang@example.com',
      address: '江苏省苏州市吴江区松陵镇中山路88号',
    });
    assert.equal(personal.headers['cache-control'], 'no-store');
  });

  test('a unit’s members are chosen among the site’s handlers; anyone else is refused naming the member', async () => {
    const admin = await signIn(app, 'siteadmin');
    const candidates = await admin.request('GET', '/api/v1/case-units/candidates');
    assert.deepEqual(candidates.json(), { items: [{ userId: accounts.handler.id, name: 'handler' }] });
    const refused = await admin.request('PATCH', `/api/v1/case-units/${unitId}`, {
      members: [{ userId: accounts.editor.id, leader: false }],
    });
    assert.equal(refused.statusCode, 400);
    assert.deepEqual(refused.json(), {
      code: 'CASE_FIELD_INVALID',
      message: '成员（第1项）承办人员填写有误：editor 在本站没有“承办”角色',
      messageEn: 'Field members[0].userId is invalid: editor holds no handler (承办) role on this site',
    });
    const saved = await admin.request('PATCH', `/api/v1/case-units/${unitId}`, {
      members: [{ userId: accounts.handler.id, leader: true }],
    });
    assert.deepEqual(saved.json<{ members: unknown }>().members, [
      { userId: accounts.handler.id, name: 'handler', leader: true },
    ]);
    const cleared = await admin.request('PATCH', `/api/v1/case-units/${unitId}`, { members: [] });
    assert.equal(cleared.statusCode, 200);
  });

  test('bad letters get 400 naming the field, a failed challenge 400, and nothing is stored', async () => {
    const count = () => letterCount(store.db);
    const before = await count();
    const post = async (payload: Record<string, unknown>) => {
      const response = await app.inject({ method: 'POST', url: '/api/v1/public/letters', headers: json, payload });
      return [response.statusCode, response.json<{ code: string; messageEn: string }>()] as const;
    };
    const { name: _name, ...noName } = letterInput({ phone: '13911112222' });
    void _name;
    const [status, missing] = await post({ ...noName, altcha: await solved() });
    assert.deepEqual(
      [status, missing.code, missing.messageEn],
      [400, 'BAD_REQUEST', "Bad request: body must have required property 'name'"],
    );
    const [longStatus, long] = await post({
      ...letterInput({ title: '长'.repeat(60), phone: '13911112223' }),
      altcha: await solved(),
    });
    assert.deepEqual(
      [longStatus, long.code, long.messageEn],
      [400, 'CASE_FIELD_INVALID', 'Field title is invalid: the title needs 10–50 characters (it has 60)'],
    );
    const [powStatus, pow] = await post({ ...letterInput({ phone: '13911112224' }), altcha: 'e30=' });
    assert.deepEqual([powStatus, pow.code], [400, 'CHALLENGE_FAILED']);
    const [trapStatus, trap] = await post({
      ...letterInput({ phone: '13911112225' }),
      altcha: await solved(),
      website: 'x',
    });
    assert.deepEqual([trapStatus, trap.code], [400, 'CHALLENGE_FAILED']);
    assert.equal(await count(), before);
  });

  test('without GAZETTE_DATA_KEY the desk says why and a letter gets 503 DATA_KEY_MISSING', async () => {
    const keyless = await testStore();
    const closed = await demoApp(keyless, { pages: false, context: { dataKeys: null } });
    try {
      const desk = (await closed.inject('/api/v1/public/letter-desk')).json<{ open: boolean; closedReason: string }>();
      assert.deepEqual(
        [desk.open, desk.closedReason],
        [false, '网上信箱暂不可用：服务器未配置个人信息加密密钥（GAZETTE_DATA_KEY）'],
      );
      const challenge = (await closed.inject('/api/v1/public/challenge')).json<PowChallenge>();
      const response = await closed.inject({
        method: 'POST',
        url: '/api/v1/public/letters',
        headers: json,
        payload: { ...letterInput(), altcha: solvePowChallenge(challenge) },
      });
      assert.deepEqual([response.statusCode, response.json<{ code: string }>().code], [503, 'DATA_KEY_MISSING']);
    } finally {
      await closed.close();
      await keyless.dispose();
    }
  });

  test('OpenAPI documents the public letter contract with its field names', async () => {
    const spec = (await app.inject('/api/openapi.json')).json<{
      paths: Record<
        string,
        Record<
          string,
          { requestBody?: { content: Record<string, { schema: { properties: object; required: string[] } }> } }
        >
      >;
    }>();
    const body = spec.paths['/api/v1/public/letters']?.post?.requestBody?.content['application/json']?.schema;
    assert.deepEqual(Object.keys(body?.properties ?? {}), [
      'type',
      'title',
      'body',
      'name',
      'phone',
      'email',
      'address',
      'unitId',
      'agreePublish',
      'showName',
      'altcha',
      'challengeToken',
      'challengeAnswer',
      'website',
    ]);
    assert.deepEqual(body?.required, ['type', 'title', 'body', 'name', 'phone', 'agreePublish', 'showName']);
    assert.deepEqual(
      Object.keys(spec.paths)
        .filter((p) => p.includes('/public/'))
        .sort(),
      [
        '/api/v1/public/challenge',
        '/api/v1/public/consultations',
        '/api/v1/public/consultations/{id}',
        '/api/v1/public/consultations/{id}/attachments/{attachmentId}',
        '/api/v1/public/consultations/{id}/comments',
        '/api/v1/public/hotline/callback',
        '/api/v1/public/info-requests',
        '/api/v1/public/info-requests/{queryCode}',
        '/api/v1/public/info-requests/{queryCode}/reply-document',
        '/api/v1/public/letter-desk',
        '/api/v1/public/letter-stats',
        '/api/v1/public/letters',
        '/api/v1/public/letters/{queryCode}',
        '/api/v1/public/letters/{queryCode}/attachments/{attachmentId}',
        '/api/v1/public/letters/{queryCode}/rating',
        '/api/v1/public/surveys',
        '/api/v1/public/surveys/{id}',
        '/api/v1/public/surveys/{id}/answers',
        '/api/v1/public/surveys/{id}/results',
      ],
    );
  });
});
