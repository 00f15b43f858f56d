import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { verifyAuditChain } from '../../src/services/index.js';
import { MOURNING_CSS } from '../../src/web/site-mode.js';
import { demoApp, pathOfTitle } from '../helpers/app.js';
import { contextFor, testStore, type TestStore } from '../helpers/store.js';
import { makeRoleAccounts, signIn, ROLE_ACCOUNTS, type ApiClient } from '../helpers/backoffice.js';

describe('site settings: grey mode for days of mourning (哀悼日置灰)', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let admin: ApiClient;
  let articlePath: string;

  before(async () => {
    store = await testStore();
    app = await demoApp(store, { app: { loginPerMinute: 1000, writesPerMinute: 1000 } });
    await makeRoleAccounts(contextFor(store));
    admin = await signIn(app, ROLE_ACCOUNTS.admin);
    articlePath = await pathOfTitle(app, '示范区关于进一步优化营商环境的若干措施');
  });
  after(async () => {
    await app?.close();
    await store.dispose();
  });

  const stylesheet = () => app.inject('/site-mode.css');

  test('GET /api/v1/site shows the setting, off on a new site; the stylesheet is then empty', async () => {
    const site = (await admin.request('GET', '/api/v1/site')).json<Record<string, unknown>>();
    assert.deepEqual(Object.keys(site).sort(), [
      'id',
      'interpretationDueDays',
      'mediaQuotaMb',
      'mourning',
      'name',
      'placedPages',
      'timeZone',
    ]);
    assert.equal(site.interpretationDueDays, 3);
    assert.equal(site.placedPages, 'link');
    assert.equal(site.name, '示范区人民政府');
    assert.equal(site.mourning, false);
    const css = await stylesheet();
    assert.equal(css.statusCode, 200);
    assert.equal(css.body, '');
    assert.equal(css.headers['content-type'], 'text/css; charset=utf-8');
    assert.equal(css.headers['cache-control'], 'public, no-cache');
    assert.equal(css.headers.etag, '"site-mode-normal"');
  });

  test('every page kind links the stylesheet', async () => {
    for (const url of ['/', '/bqdt/', '/zjbq/', articlePath, '/search?q=%E8%90%A5%E5%95%86', '/nope']) {
      const body = (await app.inject(url)).body;
      assert.ok(body.includes('<link rel="stylesheet" href="/site-mode.css">'), url);
    }
  });

  test('the administrator turns it on: the stylesheet greys every page at once, no page is re-rendered, the change is audited', async () => {
    const pageBefore = await app.inject(articlePath);
    const home = await app.inject('/');
    const manifestBefore = await store.db
      .selectFrom('pageManifest')
      .select(['path', 'hash', 'updatedAt'])
      .orderBy('path')
      .execute();
    assert.ok(
      manifestBefore.some((row) => row.path === articlePath),
      'the article page is published',
    );

    const patched = await admin.request('PATCH', '/api/v1/site', { mourning: true });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json<{ mourning: boolean }>().mourning, true);
    assert.equal((await admin.request('GET', '/api/v1/site')).json<{ mourning: boolean }>().mourning, true);

    const css = await stylesheet();
    assert.equal(css.body, MOURNING_CSS);
    assert.match(css.body, /html\{-webkit-filter:grayscale\(1\);filter:grayscale\(1\)\}/);
    assert.equal(css.headers.etag, '"site-mode-mourning"');

    // The pages themselves are the same bytes: only the linked stylesheet changed.
    assert.equal((await app.inject(articlePath)).headers.etag, pageBefore.headers.etag);
    assert.equal((await app.inject('/')).headers.etag, home.headers.etag);
    assert.deepEqual(
      await store.db.selectFrom('pageManifest').select(['path', 'hash', 'updatedAt']).orderBy('path').execute(),
      manifestBefore,
    );

    const entry = await store.db
      .selectFrom('auditLog')
      .select(['action', 'userName', 'targetType', 'details'])
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    assert.deepEqual(
      { ...entry, details: JSON.parse(entry.details) as unknown },
      {
        action: 'site.mourning',
        userName: ROLE_ACCOUNTS.admin,
        targetType: 'site',
        details: { mourning: true, was: false },
      },
    );
    assert.equal((await verifyAuditChain(store.db)).ok, true);
  });

  test('a browser holding the stylesheet revalidates it: 304 while unchanged, the new one after a change', async () => {
    await admin.request('PATCH', '/api/v1/site', { mourning: true });
    const unchanged = await app.inject({ url: '/site-mode.css', headers: { 'if-none-match': '"site-mode-mourning"' } });
    assert.equal(unchanged.statusCode, 304);
    assert.equal(unchanged.body, '');
    await admin.request('PATCH', '/api/v1/site', { mourning: false });
    const changed = await app.inject({ url: '/site-mode.css', headers: { 'if-none-match': '"site-mode-mourning"' } });
    assert.equal(changed.statusCode, 200);
    assert.equal(changed.body, '');
    assert.equal(changed.headers.etag, '"site-mode-normal"');
  });

  test('only the site administrator may change it; others get 403 and nothing changes', async () => {
    for (const role of ['editor', 'publisher', 'security', 'auditor'] as const) {
      const client = await signIn(app, ROLE_ACCOUNTS[role]);
      const response = await client.request('PATCH', '/api/v1/site', { mourning: true });
      assert.equal(response.statusCode, 403, role);
      assert.equal(response.json<{ code: string }>().code, 'PERMISSION_DENIED');
    }
    assert.equal((await stylesheet()).body, '');
    const anonymous = await app.inject({ method: 'PATCH', url: '/api/v1/site', payload: { mourning: true } });
    assert.equal(anonymous.statusCode, 401);
  });

  test('bad bodies are refused with 400 naming the field', async () => {
    for (const body of [{ mourning: 'yes' }, {}, { name: '改名' }]) {
      const response = await admin.request('PATCH', '/api/v1/site', body);
      assert.equal(response.statusCode, 400, JSON.stringify(body));
      assert.equal(response.json<{ code: string }>().code, 'BAD_REQUEST');
    }
    const wrongType = await admin.request('PATCH', '/api/v1/site', { mourning: 'yes' });
    assert.match(wrongType.json<{ message: string }>().message, /mourning/);
    assert.equal((await stylesheet()).body, '');
  });

  test('the 政策解读 limit: the administrator sets 1 to 30 working days, audited; others may not', async () => {
    const set = await admin.request('PATCH', '/api/v1/site', { interpretationDueDays: 5 });
    assert.equal(set.statusCode, 200, set.body);
    assert.equal(set.json<{ interpretationDueDays: number }>().interpretationDueDays, 5);
    assert.equal(
      (await admin.request('GET', '/api/v1/site')).json<{ interpretationDueDays: number }>().interpretationDueDays,
      5,
    );
    for (const interpretationDueDays of [0, 31, 2.5, -1, 'three']) {
      const refused = await admin.request('PATCH', '/api/v1/site', { interpretationDueDays });
      assert.deepEqual(
        [interpretationDueDays, refused.statusCode, refused.json<{ code: string }>().code],
        [interpretationDueDays, 400, 'BAD_REQUEST'],
      );
      assert.match(refused.json<{ message: string }>().message, /interpretationDueDays/);
    }
    const editor = await signIn(app, ROLE_ACCOUNTS.editor);
    assert.equal((await editor.request('PATCH', '/api/v1/site', { interpretationDueDays: 10 })).statusCode, 403);
    assert.equal(
      (await admin.request('GET', '/api/v1/site')).json<{ interpretationDueDays: number }>().interpretationDueDays,
      5,
    );
    const entry = await store.db
      .selectFrom('auditLog')
      .select(['action', 'userName', 'targetType', 'details'])
      .where('action', '=', 'site.interpretation-due-days')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    assert.deepEqual(
      { ...entry, details: JSON.parse(entry.details) as unknown },
      {
        action: 'site.interpretation-due-days',
        userName: ROLE_ACCOUNTS.admin,
        targetType: 'site',
        details: { interpretationDueDays: 5, was: 3 },
      },
    );
    const spec = (await app.inject('/api/openapi.json')).json<{
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>>;
    }>();
    const body = spec.paths['/api/v1/site']?.patch?.requestBody?.content['application/json']?.schema as {
      properties: Record<string, { minimum?: number; maximum?: number; type?: string }>;
    };
    const documented = body.properties.interpretationDueDays;
    assert.deepEqual([documented?.type, documented?.minimum, documented?.maximum], ['integer', 1, 30]);
  });
});
