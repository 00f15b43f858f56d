import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { demoApp } from '../helpers/app.js';
import { makeRoleAccounts, multipart, signIn, TEST_PASSWORD, type ApiClient } from '../helpers/backoffice.js';
import { contextFor, testStore, type TestStore } from '../helpers/store.js';

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** A GET over a real connection (the fast path answers pages in memory before the framework sees them). */
function get(base: string, urlPath: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    http
      .get(`${base}${urlPath}`, { headers }, (response) => {
        let body = '';
        response.setEncoding('latin1');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      })
      .on('error', reject);
  });
}

/**
 * The security headers every answer carries, whatever made it (SECURITY.md, V14.4), and what
 * none carries: a framework or server banner, or a CORS grant.
 */
const EVERY_ANSWER = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'SAMEORIGIN',
};
const NEVER = ['x-powered-by', 'server', 'access-control-allow-origin'];
/** Every answer's policy but the back-office shell's: scripts from the site and the theme's one inline script. */
const PUBLIC_CSP =
  "default-src 'self'; script-src 'self' 'sha256-/kDablP+fEfW02YypyeKxcHBx0Fnhjxl63lSfd6/kP4='; " +
  "style-src 'self' 'unsafe-inline'; img-src 'self' data: http: https:; media-src 'self' http: https:; " +
  "object-src 'none'; frame-ancestors 'self'; base-uri 'self'; form-action 'self'";
const ADMIN_CSP =
  "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; frame-ancestors 'self'; " +
  "base-uri 'self'; form-action 'self'";

/** The inline scripts a page runs, hashed as CSP names them. */
function inlineScriptHashes(html: string): string[] {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)]
    .filter(([, attributes = '']) => !/\bsrc\s*=|application\/(ld\+)?json/i.test(attributes))
    .map(([, , body = '']) => `'sha256-${crypto.createHash('sha256').update(body).digest('base64')}'`);
}

describe('security headers on every kind of answer', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let base = '';
  let editor: ApiClient, publisher: ApiClient;
  before(async () => {
    store = await testStore();
    app = await demoApp(store, { app: { loginPerMinute: 1000, writesPerMinute: 1000 } });
    await makeRoleAccounts(contextFor(store));
    [editor, publisher] = await Promise.all([signIn(app, 'editor'), signIn(app, 'publisher')]);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(async () => {
    await app?.close();
    await store?.dispose();
  });

  test('public pages, errors, assets, media, the back office and the API: the same three headers, no banner, no CORS; the API is never cached', async () => {
    const column = await get(base, '/bqdt/');
    const articles = [...new Set(column.body.match(/\/bqdt\/\d{6}\/t\d{8}_\d+\.html/g) ?? [])];
    const [article, withdrawn] = articles as [string, string];
    assert.ok(withdrawn, 'two articles listed in 本区动态');
    const withdrawnId = Number(/_(\d+)\.html$/.exec(withdrawn)?.[1]);
    assert.equal(
      (await publisher.request('POST', `/api/v1/articles/${withdrawnId}/withdraw`, { reason: '测试撤稿' })).statusCode,
      200,
    );
    const domain = (await store.db.selectFrom('site').select('domain').executeTakeFirstOrThrow()).domain;
    const draft = await editor.request('POST', '/api/v1/articles', {
      channelId: (
        await store.db.selectFrom('channel').select('id').where('slug', '=', 'bqdt').executeTakeFirstOrThrow()
      ).id,
      title: '预览稿',
      bodyHtml: '<p>预览</p>',
    });
    const png = await sharp({ create: { width: 40, height: 20, channels: 3, background: '#246' } })
      .png()
      .toBuffer();
    const image = multipart({ alt: '图' }, { name: 'a.png', data: png, type: 'image/png' });
    const media = (
      await editor.request('POST', '/api/v1/media', image.body, { 'content-type': image.contentType })
    ).json<{ url: string }>();
    const asset = fs.readdirSync(app.gazette.context.theme.assetsDir).find((name) => name.endsWith('.css')) ?? '';
    const shell = await get(base, '/admin/');
    const adminAsset = /\/admin\/assets\/[^"]+\.js/.exec(shell.body)?.[0] ?? '';
    const signedIn = { cookie: editor.cookie };
    const etag = String((await get(base, article)).headers.etag);

    const answers: [string, Answer, number][] = [
      ['page through the framework', await get(base, '/'), 200],
      ['page from memory', await get(base, '/'), 200],
      ['page from memory, revalidated', await get(base, article, { 'if-none-match': etag }), 304],
      ['article page', await get(base, article), 200],
      ['feed', await get(base, '/rss.xml'), 200],
      ['a site chosen by /_site/', await get(base, `/_site/${domain}/bqdt/`), 200],
      ['withdrawn article', await get(base, withdrawn), 410],
      ['no such page', await get(base, '/no-such-page.html'), 404],
      ['malformed address', await get(base, '/bqdt/%E0%A4%A'), 404],
      ['search page', await get(base, `/search?q=${encodeURIComponent('党建')}`), 200],
      ['site mode stylesheet', await get(base, '/site-mode.css'), 200],
      ['theme asset', await get(base, `/assets/${asset}`), 200],
      ['uploaded image', await get(base, media.url), 200],
      ['back-office shell', shell, 200],
      ['back-office redirect', await get(base, '/admin'), 302],
      ['back-office asset', await get(base, adminAsset), 200],
      ['preview', await get(base, `/admin/preview/${draft.json<{ id: number }>().id}`, signedIn), 200],
      ['API answer', await get(base, '/api/v1/session', signedIn), 200],
      ['API refusal, signed out', await get(base, '/api/v1/session'), 401],
      ['API refusal, no permission', await get(base, '/api/v1/users', signedIn), 403],
      ['API not found', await get(base, '/api/v1/nothing-here'), 404],
      ['health check', await get(base, '/healthz'), 200],
      ['API description', await get(base, '/api/openapi.json'), 200],
    ];
    const wrong: string[] = [];
    for (const [kind, answer, status] of answers) {
      if (answer.status !== status) wrong.push(`${kind}: status ${answer.status}, not ${status}`);
      for (const [name, value] of Object.entries(EVERY_ANSWER))
        if (answer.headers[name] !== value) wrong.push(`${kind}: ${name} ${String(answer.headers[name])}`);
      for (const name of NEVER) if (answer.headers[name] !== undefined) wrong.push(`${kind}: sends ${name}`);
      const csp = kind === 'back-office shell' ? ADMIN_CSP : PUBLIC_CSP;
      if (answer.headers['content-security-policy'] !== csp)
        wrong.push(`${kind}: content-security-policy ${String(answer.headers['content-security-policy'])}`);
      // Whatever inline script a page holds, its policy lets it run (and nothing else).
      for (const hash of inlineScriptHashes(answer.body))
        if (!csp.includes(hash)) wrong.push(`${kind}: inline script ${hash} is not in its policy`);
      if (kind.startsWith('API') && answer.headers['cache-control'] !== 'no-store')
        wrong.push(`${kind}: cache-control ${String(answer.headers['cache-control'])}`);
      // 14.4.2: an API answer opened in a browser tab is a download, never a page.
      if (kind.startsWith('API') && answer.headers['content-disposition'] !== 'attachment; filename="api.json"')
        wrong.push(`${kind}: content-disposition ${String(answer.headers['content-disposition'])}`);
      // 14.4.1: text of any kind says its character set.
      const type = String(answer.headers['content-type'] ?? '');
      if (/^(text\/|application\/(json|xml|rss\+xml|javascript))/.test(type) && !/; ?charset=utf-8$/i.test(type))
        wrong.push(`${kind}: content-type ${type}`);
    }
    assert.deepEqual(wrong, []);
  });
});

describe('behind a TLS-terminating proxy (GAZETTE_TRUST_PROXY)', () => {
  const HTTPS = { 'x-forwarded-proto': 'https' };
  let store: TestStore;
  let trusting: FastifyInstance;
  let other: FastifyInstance;
  let base = '';
  let otherBase = '';
  before(async () => {
    store = await testStore();
    trusting = await demoApp(store, { app: { trustProxy: '127.0.0.1', loginPerMinute: 1000 } });
    // The same store behind a proxy at another address: what 127.0.0.1 claims is not believed.
    other = await demoApp(store, { pages: false, app: { trustProxy: '10.0.0.1' } });
    await makeRoleAccounts(contextFor(store));
    base = await trusting.listen({ port: 0, host: '127.0.0.1' });
    otherBase = await other.listen({ port: 0, host: '127.0.0.1' });
  });
  after(async () => {
    await trusting?.close();
    await other?.close();
    await store?.dispose();
  });

  test('HTTPS answers carry Strict-Transport-Security and a Secure session cookie; plain HTTP and an untrusted claim get neither', async () => {
    const answers: [string, Answer][] = [
      ['page through the framework', await get(base, '/', HTTPS)],
      ['page from memory', await get(base, '/', HTTPS)],
      ['no such page', await get(base, '/no-such-page.html', HTTPS)],
      ['back-office shell', await get(base, '/admin/', HTTPS)],
      ['API refusal', await get(base, '/api/v1/session', HTTPS)],
      ['malformed address', await get(base, '/bqdt/%E0%A4%A', HTTPS)],
      ['the last of several protocols', await get(base, '/', { 'x-forwarded-proto': 'http, https' })],
    ];
    assert.deepEqual(
      answers.map(([kind, answer]) => [kind, answer.headers['strict-transport-security']]),
      answers.map(([kind]) => [kind, 'max-age=31536000; includeSubDomains']),
    );
    const plain: [string, Answer][] = [
      ['plain HTTP, from memory', await get(base, '/')],
      ['plain HTTP, through the framework', await get(base, '/no-such-page.html')],
      ['a proxy saying http', await get(base, '/', { 'x-forwarded-proto': 'https, http' })],
      ['an untrusted sender claiming HTTPS', await get(otherBase, '/', HTTPS)],
      ['an untrusted sender, from memory', await get(otherBase, '/', HTTPS)],
    ];
    assert.deepEqual(
      plain.map(([kind, answer]) => [kind, answer.headers['strict-transport-security']]),
      plain.map(([kind]) => [kind, undefined]),
    );
    const signIn = async (at: string, headers: Record<string, string>) =>
      (
        await fetch(`${at}/api/v1/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ username: 'editor', password: TEST_PASSWORD }),
        })
      ).headers.getSetCookie()[0] ?? '';
    assert.match(await signIn(base, HTTPS), /; Secure(;|$)/);
    assert.doesNotMatch(await signIn(base, {}), /; Secure(;|$)/);
    assert.doesNotMatch(await signIn(otherBase, HTTPS), /; Secure(;|$)/);
  });
});
