import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import { PassThrough } from 'node:stream';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { demoApp } from '../helpers/app.js';
import { makeRoleAccounts, ROLE_ACCOUNTS, signIn, TEST_PASSWORD, type ApiClient } from '../helpers/backoffice.js';
import { contextFor, testStore, type TestStore } from '../helpers/store.js';
import { makePage } from '../helpers/factories.js';
import { importPage } from '../../src/services/index.js';
import { PASSWORD_PROBLEM_TEXT } from '../../src/domain/index.js';

/** SECURITY.md's items that a request shows, each named by its ASVS number. */
describe('ASVS checks over HTTP (SECURITY.md)', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let editor: ApiClient;
  before(async () => {
    store = await testStore();
    app = await demoApp(store);
    await makeRoleAccounts(contextFor(store));
    editor = await signIn(app, 'editor');
  });
  after(async () => {
    await app?.close();
    await store?.dispose();
  });

  test('2.2.1: the 121st write in a minute from one session answers 429 RATE_LIMITED, with Retry-After', async () => {
    // A session of its own: the limit is per session.
    const writer = await signIn(app, 'editor');
    const statuses: number[] = [];
    for (let i = 0; i < 120; i++)
      statuses.push((await writer.request('POST', '/api/v1/articles/2147483647/submit', {})).statusCode);
    assert.deepEqual(statuses, Array<number>(120).fill(404));
    const limited = await writer.request('POST', '/api/v1/articles/2147483647/submit', {});
    assert.equal(limited.statusCode, 429);
    assert.equal(limited.json<{ code: string }>().code, 'RATE_LIMITED');
    assert.match(String(limited.headers['retry-after']), /^\d+$/);
    // Reading is not limited, nor is another session.
    assert.equal((await writer.request('GET', '/api/v1/session')).statusCode, 200);
    assert.equal((await editor.request('POST', '/api/v1/articles/2147483647/submit', {})).statusCode, 404);
  });

  test('4.3.2: no folder of uploads, theme assets or the back office is listed (403), and no dotfile is served', async () => {
    const media = app.gazette.context.mediaDir;
    fs.mkdirSync(path.join(media, 'img'), { recursive: true });
    fs.writeFileSync(path.join(media, '.secret'), 'not for readers');
    fs.writeFileSync(path.join(media, 'img', '.env'), 'KEY=1');
    const answers = await Promise.all(
      ['/media/', '/media/img/', '/assets/', '/admin/assets/', '/media/.secret', '/media/img/.env'].map(
        async (url) => [url, (await app.inject(url)).statusCode] as const,
      ),
    );
    assert.deepEqual(answers, [
      ['/media/', 403],
      ['/media/img/', 403],
      ['/assets/', 403],
      ['/admin/assets/', 403],
      ['/media/.secret', 404],
      ['/media/img/.env', 404],
    ]);
  });

  test('5.5.3: a JSON body with __proto__ or constructor.prototype is refused with 400, not merged', async () => {
    for (const payload of [
      '{"channelId":1,"title":"原型","bodyHtml":"<p>x</p>","__proto__":{"admin":true}}',
      '{"channelId":1,"title":"原型","bodyHtml":"<p>x</p>","constructor":{"prototype":{"admin":true}}}',
    ]) {
      const answer = await app.inject({
        method: 'POST',
        url: '/api/v1/articles',
        headers: { cookie: editor.cookie, 'x-csrf-token': editor.csrfToken, 'content-type': 'application/json' },
        payload,
      });
      assert.equal(answer.statusCode, 400, answer.body);
      assert.equal(answer.json<{ code: string }>().code, 'BAD_REQUEST');
    }
    assert.equal(({} as { admin?: boolean }).admin, undefined);
  });

  test('13.2.1 / 14.5.1: methods no route takes answer 404, never 200, on pages, the back office and the API', async () => {
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const answers: string[] = [];
    for (const url of ['/', '/bqdt/', '/admin/', '/api/v1/articles', '/healthz'])
      for (const method of ['TRACE', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
        if (url === '/api/v1/articles' && method === 'PUT') continue;
        // Over a real connection: TRACE is no method the in-process injector or fetch will send.
        const status = await new Promise<number>((resolve, reject) =>
          http
            .request(`${base}${url}`, { method }, (response) => {
              response.resume();
              resolve(response.statusCode ?? 0);
            })
            .on('error', reject)
            .end(),
        );
        answers.push(`${method} ${url} ${status}`);
      }
    assert.deepEqual(
      answers.filter((line) => !/ 40[45]$/.test(line)),
      [],
    );
  });
  test("2.5.6: an administrator's new password for an account ends its sessions, asks for a change at sign-in, and is audited without the password", async () => {
    const target = await signIn(app, 'reviewer');
    const security = await signIn(app, ROLE_ACCOUNTS.security);
    const me = (await target.request('GET', '/api/v1/session')).json<{ user: { id: number } }>();
    const secret = 'Reset-By-Security-2025';
    const reset = await security.request('PATCH', `/api/v1/users/${me.user.id}`, { password: secret });
    assert.equal(reset.statusCode, 200, reset.body);
    assert.equal((await target.request('GET', '/api/v1/session')).statusCode, 401, 'the old session is over');
    const again = await signIn(app, 'reviewer', secret);
    assert.equal(
      (await again.request('GET', '/api/v1/session')).json<{ user: { mustChangePassword: boolean } }>().user
        .mustChangePassword,
      true,
    );
    const entry = await store.db
      .selectFrom('auditLog')
      .select(['action', 'details'])
      .where('action', '=', 'user.update')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    assert.deepEqual(JSON.parse(entry.details), { passwordReset: true });
    const everything = await store.db.selectFrom('auditLog').select('details').execute();
    assert.deepEqual(
      everything.filter((row) => row.details.includes(secret)),
      [],
      'no audit entry holds the password',
    );
  });

  test('2.1.7: a password on the common list, or built from a common one, is refused with PASSWORD_WEAK and creates nothing', async () => {
    const security = await signIn(app, ROLE_ACCOUNTS.security);
    const create = (password: string) =>
      security.request('POST', '/api/v1/users', { username: 'newcomer', displayName: '新同事', password, roles: [] });
    for (const password of ['Password123!', 'Qwerty123456!', 'Woaini1314!'])
      assert.deepEqual((await create(password)).json(), {
        code: 'PASSWORD_WEAK',
        message: `密码不符合要求：${PASSWORD_PROBLEM_TEXT['too-guessable'].zh}`,
        messageEn: `The password is too weak: ${PASSWORD_PROBLEM_TEXT['too-guessable'].en}`,
      });
    assert.equal(
      await store.db.selectFrom('userAccount').select('id').where('username', '=', 'newcomer').executeTakeFirst(),
      undefined,
    );
    assert.equal((await create('Quiet-Harbour-Lantern-7')).statusCode, 201);
  });

  test('5.2.5: Liquid in a title or body is text on the page, never run by the theme', async () => {
    const ctx = app.gazette.context;
    const imported = await importPage(
      ctx,
      makePage({
        title: '模板注入{{ 7 | times: 7 }}{% assign x = 1 %}',
        bodyHtml: '<p>正文{{ site.name }}{% if true %}是{% endif %}</p>',
      }),
    );
    await app.gazette.publisher.idle();
    const page = await app.inject(imported.path);
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes('模板注入{{ 7 | times: 7 }}{% assign x = 1 %}'), 'the title as written');
    assert.ok(page.body.includes('正文{{ site.name }}{% if true %}是{% endif %}'), 'the body as written');
    assert.ok(!page.body.includes('模板注入49'));
  });

  test('2.1.10: no forced rotation: a session goes on, and no change is asked, a year after the password was set', async () => {
    const client = await signIn(app, 'publisher');
    const me = (await client.request('GET', '/api/v1/session')).json<{ user: { id: number } }>();
    await store.db
      .updateTable('userAccount')
      .set({ passwordChangedAt: '2024-11-30T00:00:00.000Z' })
      .where('id', '=', me.user.id)
      .execute();
    const session = await client.request('GET', '/api/v1/session');
    assert.equal(session.statusCode, 200);
    assert.equal(session.json<{ user: { mustChangePassword: boolean } }>().user.mustChangePassword, false);
    const again = await signIn(app, 'publisher');
    assert.equal(
      (await again.request('GET', '/api/v1/session')).json<{ user: { mustChangePassword: boolean } }>().user
        .mustChangePassword,
      false,
    );
  });

  test('4.1.5: a back-office route that declares no permission, or an unknown one, is refused when it is registered', async (t) => {
    const fresh = await demoApp(store, { pages: false });
    t.after(() => fresh.close());
    assert.throws(
      () => fresh.get('/api/v1/undeclared', () => 1),
      /^Error: route GET \/api\/v1\/undeclared declares no permission$/,
    );
    assert.throws(
      () => fresh.get('/api/v1/unknown', { config: { permission: 'made.up' as never } }, () => 1),
      /^Error: route \/api\/v1\/unknown declares an unknown permission made\.up$/,
    );
  });

  test('5.1.2: fields a body may not set (status, version, siteId, createdBy) change nothing', async () => {
    const channelId = (
      await store.db.selectFrom('channel').select('id').where('slug', '=', 'bqdt').executeTakeFirstOrThrow()
    ).id;
    const made = await editor.request('POST', '/api/v1/articles', {
      channelId,
      title: '批量赋值',
      bodyHtml: '<p>正文</p>',
      status: 'published',
      siteId: 99,
      createdBy: 1,
    });
    assert.equal(made.statusCode, 201, made.body);
    const article = made.json<{ id: number; version: number; status: string }>();
    assert.equal(article.status, 'draft');
    const patched = await editor.request('PATCH', `/api/v1/articles/${article.id}`, {
      version: article.version,
      title: '批量赋值二',
      status: 'published',
      siteId: 99,
      reviewLevel: 9,
    });
    assert.equal(patched.statusCode, 200, patched.body);
    const row = await store.db
      .selectFrom('article')
      .select(['title', 'status', 'siteId', 'reviewLevel', 'createdBy'])
      .where('id', '=', article.id)
      .executeTakeFirstOrThrow();
    const me = (await editor.request('GET', '/api/v1/session')).json<{ user: { id: number } }>();
    assert.deepEqual(row, { title: '批量赋值二', status: 'draft', siteId: 1, reviewLevel: 0, createdBy: me.user.id });
  });

  test('13.1.5: a JSON route refuses text/plain, a form and multipart; only the upload route reads multipart', async () => {
    const answers: string[] = [];
    for (const [type, payload] of [
      ['text/plain', '{"channelId":1,"title":"纯文本","bodyHtml":"<p>x</p>"}'],
      ['application/x-www-form-urlencoded', 'channelId=1&title=%E8%A1%A8%E5%8D%95&bodyHtml=x'],
      [
        'multipart/form-data; boundary=X',
        '--X\\r\\nContent-Disposition: form-data; name="title"\\r\\n\\r\\nx\\r\\n--X--\\r\\n',
      ],
    ] as const)
      for (const url of ['/api/v1/articles', '/api/v1/articles/1/submit']) {
        const answer = await app.inject({
          method: 'POST',
          url,
          headers: { cookie: editor.cookie, 'x-csrf-token': editor.csrfToken, 'content-type': type },
          payload,
        });
        answers.push(`${type.split(';')[0]} ${url} ${answer.statusCode}`);
      }
    assert.deepEqual(
      answers.filter((line) => !/ (400|415)$/.test(line)),
      [],
    );
  });
});

describe('what the log keeps (SECURITY.md V7)', () => {
  test('7.1.1: no password, session cookie or CSRF token reaches the log, at info level with every API call logged', async (t) => {
    const store = await testStore();
    t.after(() => store.dispose());
    const log = new PassThrough();
    let logged = '';
    log.on('data', (chunk: Buffer) => (logged += chunk.toString()));
    const app = await demoApp(store, { pages: false, app: { logLevel: 'info', logStream: log } });
    t.after(() => app.close());
    await makeRoleAccounts(contextFor(store));
    const editor = await signIn(app, 'editor');
    await editor.request('GET', '/api/v1/session');
    await editor.request('POST', '/api/v1/articles', { channelId: 1, title: '日志测试', bodyHtml: '<p>x</p>' });
    await app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username: 'editor', password: 'Wrong-Password-1' },
    });
    const session = editor.cookie.split('=')[1] ?? '';
    assert.ok(session.length > 10 && logged.includes('/api/v1/session'), 'the API calls are in the log');
    for (const secret of [TEST_PASSWORD, 'Wrong-Password-1', session, editor.csrfToken])
      assert.equal(logged.includes(secret), false, `the log holds ${secret.slice(0, 4)}…`);
  });
});
