import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { currentSite, type ServiceContext } from '../../src/services/index.js';
import { demoApp } from '../helpers/app.js';
import { contextFor, testStore, type TestStore } from '../helpers/store.js';
import { makeRoleAccounts, signIn, ROLE_ACCOUNTS, type ApiClient } from '../helpers/backoffice.js';

describe('wording check over HTTP', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let ctx: ServiceContext;
  let editor: ApiClient,
    reviewer: ApiClient,
    publisher: ApiClient,
    admin: ApiClient,
    security: ApiClient,
    auditor: ApiClient;
  let channelId: number;

  before(async () => {
    store = await testStore();
    ctx = contextFor(store);
    app = await demoApp(store, { app: { loginPerMinute: 1000, writesPerMinute: 1000 } });
    await makeRoleAccounts(ctx);
    [editor, reviewer, publisher, admin, security, auditor] = (await Promise.all(
      (['editor', 'reviewer2', 'publisher', 'siteadmin', 'secadmin', 'auditor'] as const).map((name) =>
        signIn(app, name),
      ),
    )) as [ApiClient, ApiClient, ApiClient, ApiClient, ApiClient, ApiClient];
    channelId = (await currentSite(store.db)).tree.all().find((c) => c.slug === 'bqdt')?.id ?? 0;
    assert.equal(ROLE_ACCOUNTS.security, 'secadmin');
  });
  after(async () => {
    await app?.close();
    await store.dispose();
  });

  test('POST /api/v1/wording/check answers the findings with their places', async () => {
    const response = await editor.request('POST', '/api/v1/wording/check', {
      title: '国家旅游局通知',
      bodyHtml: '<p>坚定<strong>理论自信</strong>、道路自信、制度自信、文化自信。</p>',
    });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), {
      findings: [
        {
          field: 'title',
          start: 0,
          end: 5,
          text: '国家旅游局',
          occurrence: 0,
          kind: 'outdated',
          severity: 'suspect',
          suggestion: '文化和旅游部',
          entry: '国家旅游局',
          reason: '“国家旅游局”已不再使用，现为“文化和旅游部”（2018年机构改革）',
        },
        {
          field: 'body',
          start: 2,
          end: 21,
          text: '理论自信、道路自信、制度自信、文化自信',
          occurrence: 0,
          kind: 'order',
          severity: 'serious',
          suggestion: '道路自信、理论自信、制度自信、文化自信',
          entry: '四个自信',
          reason: '“四个自信”各项顺序有误，应为：道路自信、理论自信、制度自信、文化自信（固定提法）',
        },
      ],
    });
  });

  test("a leader's name written wrong: the save shows it, submit answers 422, only the security administrator overrides", async () => {
    const created = await editor.request('POST', '/api/v1/articles', {
      channelId,
      title: '传达学习会议精神',
      bodyHtml: '<p>会议传达学习了习进平总书记的重要讲话精神。</p>',
    });
    assert.equal(created.statusCode, 201);
    const article = created.json<{
      id: number;
      version: number;
      wordingFindings: { field: string; text: string; severity: string }[];
    }>();
    assert.deepEqual(
      article.wordingFindings.map((f) => [f.field, f.text, f.severity]),
      [
        ['summary', '习进平', 'serious'],
        ['body', '习进平', 'serious'],
      ],
    );

    const blocked = await editor.request('POST', `/api/v1/articles/${article.id}/submit`, {});
    assert.equal(blocked.statusCode, 422);
    const body = blocked.json<{
      code: string;
      message: string;
      findings: { field: string; text: string; suggestion: string; start: number }[];
    }>();
    assert.equal(body.code, 'WORDING_SERIOUS');
    assert.equal(body.message, '存在严重表述错误，须修改或由安全管理员审核放行：“习进平”→“习近平”');
    assert.deepEqual(
      body.findings.map((f) => [f.field, f.text, f.suggestion, f.start]),
      [
        ['summary', '习进平', '习近平', 7],
        ['body', '习进平', '习近平', 7],
      ],
    );

    for (const client of [editor, admin, publisher]) {
      const denied = await client.request('POST', `/api/v1/articles/${article.id}/wording-override`, {
        reason: '原文如此',
      });
      assert.equal(denied.statusCode, 403);
      assert.equal(denied.json<{ code: string }>().code, 'PERMISSION_DENIED');
    }
    const noReason = await security.request('POST', `/api/v1/articles/${article.id}/wording-override`, { reason: '' });
    assert.equal(noReason.statusCode, 400);
    const override = await security.request('POST', `/api/v1/articles/${article.id}/wording-override`, {
      reason: '引用原件',
    });
    assert.equal(override.statusCode, 201);
    assert.deepEqual(
      override.json<{ findings: { text: string }[] }>().findings.map((f) => f.text),
      ['习进平', '习进平'],
    );

    const submitted = await editor.request('POST', `/api/v1/articles/${article.id}/submit`, {});
    assert.equal(submitted.statusCode, 200);
    assert.equal(submitted.json<{ status: string }>().status, 'submitted');

    const audit = await auditor.request('GET', '/api/v1/audit?action=article.wording-override');
    const entries = audit.json<{ items: { targetId: string; userName: string; details: { reason: string } }[] }>()
      .items;
    assert.deepEqual(
      entries.map((e) => [e.targetId, e.userName, e.details.reason]),
      [[String(article.id), 'secadmin', '引用原件']],
    );
  });

  test('the dictionary entries: admins change them, readers list them, others are refused', async () => {
    const denied = await editor.request('POST', '/api/v1/wording/entries', {
      phrase: '管委会',
      kind: 'wrong',
      severity: 'custom',
      suggestion: '管理委员会',
    });
    assert.equal(denied.statusCode, 403);
    const created = await admin.request('POST', '/api/v1/wording/entries', {
      phrase: '示范区管委会',
      kind: 'wrong',
      severity: 'custom',
      suggestion: '示范区管理委员会',
    });
    assert.equal(created.statusCode, 201);
    const { id } = created.json<{ id: number }>();
    const bad = await admin.request('POST', '/api/v1/wording/entries', {
      phrase: '两个 词',
      kind: 'canonical',
      severity: 'custom',
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json<{ message: string }>().message, '字段 phrase 无效：词条“两个 词”含空白字符');

    const check = async () =>
      (await reviewer.request('POST', '/api/v1/wording/check', { bodyHtml: '<p>示范区管委会召开会议</p>' }))
        .json<{ findings: { severity: string; text: string }[] }>()
        .findings.map((f) => `${f.severity} ${f.text}`);
    assert.deepEqual(await check(), ['custom 示范区管委会']);
    const patched = await admin.request('PATCH', `/api/v1/wording/entries/${id}`, { severity: 'suspect' });
    assert.equal(patched.statusCode, 200);
    assert.deepEqual(await check(), ['suspect 示范区管委会']);
    assert.equal(
      (await editor.request('PATCH', `/api/v1/wording/entries/${id}`, { severity: 'serious' })).statusCode,
      403,
    );

    const listed = await reviewer.request('GET', '/api/v1/wording/entries?source=site');
    assert.deepEqual(
      listed.json<{ items: { phrase: string; severity: string }[] }>().items.map((e) => [e.phrase, e.severity]),
      [['示范区管委会', 'suspect']],
    );
    assert.equal((await auditor.request('GET', '/api/v1/wording/entries')).statusCode, 403);

    assert.equal((await editor.request('DELETE', `/api/v1/wording/entries/${id}`)).statusCode, 403);
    assert.equal((await admin.request('DELETE', `/api/v1/wording/entries/${id}`)).statusCode, 204);
    assert.deepEqual(await check(), []);
    assert.equal((await admin.request('DELETE', `/api/v1/wording/entries/${id}`)).statusCode, 404);
  });

  test('OpenAPI documents the 422 with its findings and the findings on a save', async () => {
    const spec = (await app.inject('/api/openapi.json')).json<{
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    }>();
    const submit = spec.paths['/api/v1/articles/{id}/submit']?.post?.responses;
    assert.ok(submit && '422' in submit, 'submit documents 422');
    assert.match(JSON.stringify(submit['422']), /"findings"/);
    assert.ok(!('422' in (spec.paths['/api/v1/articles/{id}/approve']?.post?.responses ?? {})));
    assert.match(JSON.stringify(spec.paths['/api/v1/articles']?.post?.responses['201']), /"wordingFindings"/);
  });
});
