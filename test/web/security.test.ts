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
import { base32Decode, importPage, totpCode } from '../../src/services/index.js';
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

/** SECURITY.md's items on sessions, proofs of identity and second factors (V2, V3, V4), each with its own clock or settings. */
describe('sessions, re-authentication and second factors over HTTP (SECURITY.md)', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let now = new Date('2025-12-01T01:00:00Z');
  const clock = { now: () => now };
  const advance = (minutes: number) => {
    now = new Date(now.getTime() + minutes * 60_000);
  };
  before(async () => {
    store = await testStore();
    // The default policy: administrative accounts need a second factor.
    app = await demoApp(store, { clock, pages: false, context: { adminMfa: undefined } });
    await makeRoleAccounts(contextFor(store, clock));
  });
  after(async () => {
    await app?.close();
    await store?.dispose();
  });

  /** Signs in from a browser named by its User-Agent. */
  async function signInAs(username: string, userAgent: string, totp?: string): Promise<ApiClient> {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { 'user-agent': userAgent },
      payload: { username, password: TEST_PASSWORD, ...(totp && { totp }) },
    });
    assert.equal(response.statusCode, 200, response.body);
    const cookie = String(response.headers['set-cookie']).split(';')[0] ?? '';
    const csrfToken = response.json<{ csrfToken: string }>().csrfToken;
    return {
      cookie,
      csrfToken,
      request: (method, url, body, headers = {}) =>
        app.inject({
          method,
          url,
          headers: { cookie, 'x-csrf-token': csrfToken, ...headers },
          ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
        }),
    };
  }

  const lastAudit = (count: number) =>
    store.db
      .selectFrom('auditLog')
      .select(['action', 'userName', 'details'])
      .orderBy('seq', 'desc')
      .limit(count)
      .execute()
      .then((rows) => rows.reverse().map((row) => ({ ...row, details: JSON.parse(row.details) as unknown })));

  test('3.3.4: a user lists their sessions, ends one, and signs out everywhere else; nobody ends another user’s', async () => {
    const laptop = await signInAs('editor', 'Mozilla/5.0 (Windows NT 10.0) Chrome/131.0');
    advance(1);
    const phone = await signInAs('editor', 'Mozilla/5.0 (iPhone) Safari/604.1');
    advance(1);
    const office = await signInAs('editor', 'Mozilla/5.0 (X11; Linux) Firefox/133.0');
    const listed = await laptop.request('GET', '/api/v1/sessions');
    const items = listed.json<{ items: { ref: string }[] }>().items;
    assert.deepEqual(listed.json(), {
      items: [
        {
          ref: items[0]?.ref,
          ip: '127.0.0.1',
          userAgent: 'Mozilla/5.0 (Windows NT 10.0) Chrome/131.0',
          createdAt: '2025-12-01T01:00:00.000Z',
          // Listing is a use: two minutes idle, so the clock is brought up to date.
          lastSeenAt: '2025-12-01T01:02:00.000Z',
          current: true,
        },
        {
          ref: items[1]?.ref,
          ip: '127.0.0.1',
          userAgent: 'Mozilla/5.0 (X11; Linux) Firefox/133.0',
          createdAt: '2025-12-01T01:02:00.000Z',
          lastSeenAt: '2025-12-01T01:02:00.000Z',
          current: false,
        },
        {
          ref: items[2]?.ref,
          ip: '127.0.0.1',
          userAgent: 'Mozilla/5.0 (iPhone) Safari/604.1',
          createdAt: '2025-12-01T01:01:00.000Z',
          lastSeenAt: '2025-12-01T01:01:00.000Z',
          current: false,
        },
      ],
    });
    for (const item of items) assert.match(item.ref, /^[0-9a-f]{16}$/);
    assert.equal(listed.body.includes(laptop.cookie.split('=')[1] ?? '-'), false, 'no token in the list');

    // Someone else's session is not theirs to end.
    const reviewer = await signInAs('reviewer', 'Mozilla/5.0 Edge/131.0');
    const theirs = reviewer.request('GET', '/api/v1/sessions');
    const reviewerRef = (await theirs).json<{ items: { ref: string }[] }>().items[0]?.ref ?? '';
    assert.deepEqual((await laptop.request('DELETE', `/api/v1/sessions/${reviewerRef}`)).json(), {
      code: 'SESSION_NOT_FOUND',
      message: `会话 ${reviewerRef} 不存在或已结束`,
      messageEn: `Session ${reviewerRef} does not exist or has ended`,
    });
    assert.equal((await reviewer.request('GET', '/api/v1/session')).statusCode, 200);

    assert.equal((await laptop.request('DELETE', `/api/v1/sessions/${items[2]?.ref}`)).statusCode, 204);
    assert.equal((await phone.request('GET', '/api/v1/session')).statusCode, 401, 'the phone is signed out');
    assert.deepEqual((await laptop.request('DELETE', '/api/v1/sessions')).json(), { ended: 1 });
    assert.deepEqual(
      [
        (await office.request('GET', '/api/v1/session')).statusCode,
        (await laptop.request('GET', '/api/v1/session')).statusCode,
      ],
      [401, 200],
    );
    assert.deepEqual(await lastAudit(2), [
      { action: 'auth.session-ended', userName: 'editor', details: { current: false, ref: items[2]?.ref } },
      { action: 'auth.sessions-ended', userName: 'editor', details: { count: 1 } },
    ]);
  });

  test('3.7.1: enrolling a second factor and creating or changing accounts need the password given in the last 15 minutes', async () => {
    const security = await signInAs(ROLE_ACCOUNTS.security, 'Chrome');
    // The security administrator enrols first (4.3.1), while the sign-in is fresh.
    const enrolment = (await security.request('POST', '/api/v1/session/totp')).json<{ secret: string }>();
    const code = totpCode(base32Decode(enrolment.secret), now);
    assert.equal((await security.request('POST', '/api/v1/session/totp/confirm', { code })).statusCode, 204);
    const editor = await store.db
      .selectFrom('userAccount')
      .select('id')
      .where('username', '=', 'editor')
      .executeTakeFirstOrThrow();
    const unlock = () => security.request('PATCH', `/api/v1/users/${editor.id}`, { unlock: true });
    assert.equal((await unlock()).statusCode, 200);
    advance(16);
    const refused = {
      code: 'REAUTH_REQUIRED',
      message: '此操作须重新输入密码确认身份（每 15 分钟一次）',
      messageEn: 'Enter your password again to confirm it is you (once every 15 minutes)',
    };
    assert.deepEqual((await unlock()).json(), refused);
    const create = { username: 'newhire', displayName: '新同事', password: 'Quiet-Harbour-Lantern-7', roles: [] };
    assert.deepEqual((await security.request('POST', '/api/v1/users', create)).json(), refused);
    assert.deepEqual((await security.request('POST', '/api/v1/session/totp')).json(), refused);
    assert.equal((await security.request('GET', '/api/v1/users')).statusCode, 200, 'reading needs no new proof');

    const wrong = await security.request('POST', '/api/v1/session/confirm', { password: 'Wrong-Password-1' });
    assert.equal(wrong.json<{ code: string }>().code, 'PASSWORD_CURRENT_WRONG');
    const failures = await store.db
      .selectFrom('userAccount')
      .select('failedLogins')
      .where('username', '=', ROLE_ACCOUNTS.security)
      .executeTakeFirstOrThrow();
    assert.equal(failures.failedLogins, 1, 'a wrong password counts towards the lock');
    assert.equal(
      (await security.request('POST', '/api/v1/session/confirm', { password: TEST_PASSWORD })).statusCode,
      204,
    );
    assert.equal((await unlock()).statusCode, 200);
    assert.equal((await security.request('POST', '/api/v1/users', create)).statusCode, 201);
    assert.deepEqual(
      (await lastAudit(3)).map((entry) => entry.action),
      ['auth.password-confirmed', 'user.update', 'user.create'],
    );
  });

  test('4.3.1: an administrative account can do nothing but enrol its second factor until it is on', async () => {
    const flags: [string, boolean][] = [];
    for (const username of Object.values(ROLE_ACCOUNTS).filter((name) => name !== ROLE_ACCOUNTS.security)) {
      const client = await signInAs(username, 'Chrome');
      flags.push([
        username,
        (await client.request('GET', '/api/v1/session')).json<{ mustEnrolSecondFactor: boolean }>()
          .mustEnrolSecondFactor,
      ]);
    }
    assert.deepEqual(flags, [
      ['editor', false],
      ['reviewer', false],
      ['publisher', false],
      ['siteadmin', true],
      ['auditor', false],
      ['platformadmin', true],
      ['office', false],
      ['handler', false],
    ]);
    const admin = await signInAs('siteadmin', 'Chrome');
    const refused = {
      code: 'SECOND_FACTOR_REQUIRED',
      message: '管理类账号须先启用两步验证（动态验证码）才能继续使用',
      messageEn: 'An administrative account must turn on two-step verification (one-time codes) before going on',
    };
    assert.deepEqual((await admin.request('GET', '/api/v1/articles')).json(), refused);
    assert.deepEqual((await admin.request('GET', '/api/v1/channels')).json(), refused);
    const enrolment = (await admin.request('POST', '/api/v1/session/totp')).json<{ secret: string }>();
    advance(1);
    const code = totpCode(base32Decode(enrolment.secret), now);
    assert.equal((await admin.request('POST', '/api/v1/session/totp/confirm', { code })).statusCode, 204);
    assert.equal(
      (await admin.request('GET', '/api/v1/session')).json<{ mustEnrolSecondFactor: boolean }>().mustEnrolSecondFactor,
      false,
    );
    assert.equal((await admin.request('GET', '/api/v1/articles')).statusCode, 200);
    // From now on its sign-in asks for a code.
    const again = await app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username: 'siteadmin', password: TEST_PASSWORD },
    });
    assert.equal(again.json<{ code: string }>().code, 'AUTH_TOTP_REQUIRED');
  });
});

describe('2.2.1 behind a proxy (SECURITY.md)', () => {
  let store: TestStore;
  let trusting: FastifyInstance;
  before(async () => {
    store = await testStore();
    trusting = await demoApp(store, { pages: false, app: { trustProxy: '127.0.0.1', loginPerMinute: 3 } });
  });
  after(async () => {
    await trusting?.close();
    await store?.dispose();
  });

  test('2.2.1: behind a trusted proxy, the sign-in limit counts each client (X-Forwarded-For), not the proxy', async () => {
    const attempt = (client: string) =>
      trusting
        .inject({
          method: 'POST',
          url: '/api/v1/session',
          headers: { 'x-forwarded-for': client },
          payload: { username: 'nobody', password: 'Wrong-Password-1' },
        })
        .then((answer) => answer.statusCode);
    const first: number[] = [];
    for (let i = 0; i < 4; i++) first.push(await attempt('203.0.113.7'));
    assert.deepEqual(first, [401, 401, 401, 429]);
    assert.equal(await attempt('203.0.113.8'), 401, 'another client behind the same proxy is not limited');
    // A chain: the client is the address the trusted proxy saw, not what the client wrote first.
    assert.equal(await attempt('203.0.113.7, 203.0.113.9'), 401);
    assert.equal(await attempt('203.0.113.7, 203.0.113.9'), 401);
    assert.equal(await attempt('198.51.100.1, 203.0.113.9'), 401);
    assert.equal(await attempt('203.0.113.9'), 429, 'the forged first entry did not hide 203.0.113.9');
  });
});
