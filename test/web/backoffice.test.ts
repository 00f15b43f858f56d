import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import type { FastifyInstance } from 'fastify';
import { currentSite, type ServiceContext } from '../../src/services/index.js';
import { demoApp } from '../helpers/app.js';
import { contextFor, testStore, type TestStore } from '../helpers/store.js';
import { makeRoleAccounts, makeUser, multipart, signIn, TEST_PASSWORD } from '../helpers/backoffice.js';

describe('back office over HTTP', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let ctx: ServiceContext;
  let channelId: number;

  before(async () => {
    store = await testStore();
    ctx = contextFor(store);
    app = await demoApp(store, { app: { loginPerMinute: 1000 } });
    await makeRoleAccounts(ctx);
    channelId = (await currentSite(store.db)).tree.all().find((c) => c.slug === 'bqdt')?.id ?? 0;
  });
  after(async () => {
    await app?.close();
    await store.dispose();
  });

  test('sign-in sets an HttpOnly, SameSite=Strict session cookie and answers the CSRF token', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username: 'editor', password: TEST_PASSWORD },
    });
    assert.equal(response.statusCode, 200);
    const cookie = String(response.headers['set-cookie']);
    assert.match(cookie, /^gz_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    const body = response.json<{
      csrfToken: string;
      user: { username: string; roles: unknown[] };
      permissions: string[];
    }>();
    assert.match(body.csrfToken, /^[\w-]{32}$/);
    assert.equal(body.user.username, 'editor');
    assert.deepEqual(body.user.roles, [{ role: 'editor', channelId: null }]);
    assert.deepEqual(body.permissions, [
      'article.create',
      'article.delete',
      'article.edit',
      'article.read',
      'article.submit',
      'channel.read',
      'health.read',
      'media.read',
      'media.upload',
      'wording.read',
    ]);
    const stored = await store.db.selectFrom('session').select('id').execute();
    const token = cookie.split(';')[0]?.split('=')[1] ?? '';
    assert.ok(!stored.some((s) => s.id === token), 'only a hash of the token is stored');
  });

  test('wrong passwords: 401, then 423 when the account locks; the audit log records each', async () => {
    await makeUser(ctx, 'locky', [{ role: 'editor' }]);
    const attempt = (password: string) =>
      app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 'locky', password } });
    for (let i = 1; i <= 4; i++) {
      const r = await attempt('wrong-password');
      assert.deepEqual([r.statusCode, r.json<{ code: string }>().code], [401, 'AUTH_INVALID']);
    }
    const fifth = await attempt('wrong-password');
    assert.deepEqual([fifth.statusCode, fifth.json<{ code: string }>().code], [423, 'AUTH_LOCKED']);
    const right = await attempt(TEST_PASSWORD);
    assert.equal(right.statusCode, 423, 'locked even with the right password');
    const actions = await store.db
      .selectFrom('auditLog')
      .select('action')
      .where('userName', '=', 'locky')
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      actions.map((a) => a.action),
      [
        'auth.login-failed',
        'auth.login-failed',
        'auth.login-failed',
        'auth.login-failed',
        'auth.locked',
        'auth.login-while-locked',
      ],
    );
  });

  test('guessing the current password from a session locks the account and ends its sessions', async () => {
    await makeUser(ctx, 'guesser', [{ role: 'editor' }]);
    const client = await signIn(app, 'guesser');
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await client.request('POST', '/api/v1/session/password', {
        currentPassword: `guess-${i}`,
        newPassword: 'Another-Pass-2025',
      });
      codes.push(r.json<{ code: string }>().code);
    }
    assert.deepEqual(codes, [
      'PASSWORD_CURRENT_WRONG',
      'PASSWORD_CURRENT_WRONG',
      'PASSWORD_CURRENT_WRONG',
      'PASSWORD_CURRENT_WRONG',
      'AUTH_LOCKED',
    ]);
    assert.equal((await client.request('GET', '/api/v1/session')).statusCode, 401);
    const again = await app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username: 'guesser', password: TEST_PASSWORD },
    });
    assert.equal(again.statusCode, 423);
    const last = await store.db
      .selectFrom('auditLog')
      .select(['action', 'details'])
      .where('userName', '=', 'guesser')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    assert.deepEqual([last.action, JSON.parse(last.details)], ['auth.login-while-locked', { passwordRight: true }]);
  });

  test("a write without the CSRF token, or with another session's, is refused 403 CSRF_INVALID", async () => {
    const editor = await signIn(app, 'editor');
    const other = await signIn(app, 'reviewer');
    const payload = { channelId, title: 'CSRF', bodyHtml: '<p>x</p>' };
    const missing = await app.inject({
      method: 'POST',
      url: '/api/v1/articles',
      headers: { cookie: editor.cookie },
      payload,
    });
    assert.deepEqual([missing.statusCode, missing.json<{ code: string }>().code], [403, 'CSRF_INVALID']);
    const foreign = await app.inject({
      method: 'POST',
      url: '/api/v1/articles',
      headers: { cookie: editor.cookie, 'x-csrf-token': other.csrfToken },
      payload,
    });
    assert.deepEqual([foreign.statusCode, foreign.json<{ code: string }>().code], [403, 'CSRF_INVALID']);
    assert.equal((await store.db.selectFrom('article').select('id').where('title', '=', 'CSRF').execute()).length, 0);
    const ok = await editor.request('POST', '/api/v1/articles', payload);
    assert.equal(ok.statusCode, 201);
  });

  test('a first password must be changed before anything else', async () => {
    await makeUser(ctx, 'newbie', [{ role: 'editor' }], { mustChangePassword: true });
    const client = await signIn(app, 'newbie');
    const blocked = await client.request('GET', '/api/v1/articles');
    assert.deepEqual([blocked.statusCode, blocked.json<{ code: string }>().code], [403, 'PASSWORD_CHANGE_REQUIRED']);
    assert.equal(
      (await client.request('GET', '/api/v1/session')).json<{ user: { mustChangePassword: boolean } }>().user
        .mustChangePassword,
      true,
    );
    const weak = await client.request('POST', '/api/v1/session/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'short',
    });
    assert.deepEqual([weak.statusCode, weak.json<{ code: string }>().code], [400, 'PASSWORD_WEAK']);
    assert.equal(weak.json<{ messageEn: string }>().messageEn, 'The password is too weak: at least 10 characters');
    const changed = await client.request('POST', '/api/v1/session/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'Brand-New-Pass-9',
    });
    assert.equal(changed.statusCode, 204);
    assert.equal((await client.request('GET', '/api/v1/articles')).statusCode, 200);
  });

  test('signing out ends the session', async () => {
    const client = await signIn(app, 'editor');
    const out = await client.request('DELETE', '/api/v1/session');
    assert.equal(out.statusCode, 204);
    assert.match(String(out.headers['set-cookie']), /^gz_session=;/);
    const after = await client.request('GET', '/api/v1/session');
    assert.deepEqual([after.statusCode, after.json<{ code: string }>().code], [401, 'AUTH_REQUIRED']);
  });

  test('a stale save answers 409 with the current article and the changed fields', async () => {
    const editor = await signIn(app, 'editor');
    const created = (
      await editor.request('POST', '/api/v1/articles', { channelId, title: '冲突', bodyHtml: '<p>一</p>' })
    ).json<{ id: number; version: number }>();
    const first = await editor.request('PATCH', `/api/v1/articles/${created.id}`, {
      version: created.version,
      bodyHtml: '<p>二</p>',
    });
    assert.equal(first.statusCode, 200);
    const stale = await editor.request('PATCH', `/api/v1/articles/${created.id}`, {
      version: created.version,
      title: '冲突（旧）',
    });
    assert.equal(stale.statusCode, 409);
    const body = stale.json<{
      code: string;
      current: { version: number; bodyHtml: string };
      changed: string[];
      message: string;
    }>();
    assert.equal(body.code, 'ARTICLE_VERSION_CONFLICT');
    assert.equal(body.current.version, created.version + 1);
    assert.equal(body.current.bodyHtml, '<p>二</p>');
    assert.deepEqual(body.changed, ['bodyHtml', 'summary']);
    assert.match(body.message, /第 1 版.*第 2 版/);
  });

  test('uploads: images in web sizes, attachments downloaded under a safe name, lying extensions refused', async () => {
    const editor = await signIn(app, 'editor');
    const png = await sharp({ create: { width: 1200, height: 600, channels: 3, background: '#246' } })
      .png()
      .toBuffer();
    const image = multipart({ alt: '蓝色图片' }, { name: 'blue.png', data: png, type: 'image/png' });
    const uploaded = await editor.request('POST', '/api/v1/media', image.body, { 'content-type': image.contentType });
    assert.equal(uploaded.statusCode, 201, uploaded.body);
    const media = uploaded.json<{
      kind: string;
      width: number | null;
      height: number | null;
      alt: string;
      url: string;
      variants: { width: number; url: string }[];
    }>();
    assert.deepEqual([media.kind, media.width, media.height, media.alt], ['image', 1200, 600, '蓝色图片']);
    assert.deepEqual(
      media.variants.map((v: { width: number }) => v.width),
      [480, 960],
    );
    const served = await app.inject(media.url);
    assert.equal(served.statusCode, 200);
    assert.equal(served.headers['content-type'], 'image/png');
    assert.equal((await sharp(served.rawPayload).metadata()).width, 960);

    const noAlt = multipart({}, { name: 'blue.png', data: png });
    const refusedAlt = await editor.request('POST', '/api/v1/media', noAlt.body, { 'content-type': noAlt.contentType });
    assert.deepEqual([refusedAlt.statusCode, refusedAlt.json<{ code: string }>().code], [400, 'MEDIA_ALT_REQUIRED']);

    const liar = multipart({}, { name: '通知.pdf', data: png, type: 'application/pdf' });
    const refused = await editor.request('POST', '/api/v1/media', liar.body, { 'content-type': liar.contentType });
    assert.deepEqual([refused.statusCode, refused.json<{ code: string }>().code], [415, 'MEDIA_TYPE_MISMATCH']);
    assert.equal(refused.json<{ message: string }>().message, '文件内容（image/png）与扩展名 .pdf 不符');

    const pdf = multipart(
      {},
      {
        name: 'C:\\temp\\关于<征求意见>的通知?.pdf',
        data: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'),
      },
    );
    const attached = await editor.request('POST', '/api/v1/media', pdf.body, { 'content-type': pdf.contentType });
    assert.equal(attached.statusCode, 201, attached.body);
    assert.equal(attached.json<{ originalName: string }>().originalName, '关于征求意见的通知.pdf');
    const download = await app.inject(attached.json<{ url: string }>().url);
    assert.equal(download.statusCode, 200);
    assert.equal(
      download.headers['content-disposition'],
      `attachment; filename*=UTF-8''${encodeURIComponent('关于征求意见的通知.pdf')}`,
    );
  });

  test('preview shows the draft as the real article page, never indexed', async () => {
    const editor = await signIn(app, 'editor');
    const created = (
      await editor.request('POST', '/api/v1/articles', {
        channelId,
        title: '预览中的稿件',
        bodyHtml: '<p>草稿正文</p>',
      })
    ).json<{ id: number }>();
    const preview = await editor.request('GET', `/admin/preview/${created.id}`);
    assert.equal(preview.statusCode, 200);
    assert.equal(preview.headers['x-robots-tag'], 'noindex, nofollow');
    assert.match(preview.body, /<h1[^>]*>预览中的稿件<\/h1>/);
    assert.match(preview.body, /草稿正文/);
    assert.match(preview.body, /首页.*本区动态.*正文/s);
    const publicPage = await app.inject(`/bqdt/202512/t20251201_${created.id}.html`);
    assert.equal(publicPage.statusCode, 404, 'a draft is not public');
  });

  test('the back office is served at /admin/ and documented in /api/openapi.json', async () => {
    const shell = await app.inject('/admin/articles/12');
    assert.equal(shell.statusCode, 200);
    assert.match(shell.body, /<script type="module"[^>]* src="\/admin\/assets\/[^"]+\.js"/);
    assert.equal(shell.headers['cache-control'], 'no-store');
    const spec = (await app.inject('/api/openapi.json')).json<{
      paths: {
        '/api/v1/articles/{id}/approve': { post?: unknown };
        '/api/v1/articles/{id}': {
          patch: { responses: { '409': { content: { 'application/json': { schema: { anyOf: unknown[] } } } } } };
        };
      };
      components: { securitySchemes: Record<string, unknown> };
    }>();
    assert.ok(spec.paths['/api/v1/articles/{id}/approve'].post);
    assert.deepEqual(Object.keys(spec.components.securitySchemes).sort(), ['csrf', 'session']);
    assert.deepEqual(
      spec.paths['/api/v1/articles/{id}'].patch.responses['409'].content['application/json'].schema.anyOf.length,
      2,
    );
  });
});

describe('sign-in rate limit', () => {
  test('the eleventh sign-in from one address within a minute gets 429 RATE_LIMITED', async () => {
    const store = await testStore();
    const app = await demoApp(store, { pages: false });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 11; i++) {
        const r = await app.inject({
          method: 'POST',
          url: '/api/v1/session',
          payload: { username: 'nobody', password: 'whatever-123' },
        });
        codes.push(r.statusCode);
        if (i === 10) assert.equal(r.json<{ code: string }>().code, 'RATE_LIMITED');
      }
      assert.deepEqual(codes, [...Array<number>(10).fill(401), 429]);
    } finally {
      await app.close();
      await store.dispose();
    }
  });
});
