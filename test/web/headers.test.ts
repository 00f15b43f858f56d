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
import { loadTheme, type Theme } from '../../src/theme/index.js';
import { addSite, platformConsole } from '../../src/services/index.js';

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** A request over a real connection (the fast path answers pages in memory before the framework sees them). */
function send(
  base: string,
  method: string,
  urlPath: string,
  headers: Record<string, string>,
  body = '',
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    http
      .request(`${base}${urlPath}`, { method, headers }, (response) => {
        let text = '';
        response.setEncoding('latin1');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
      })
      .on('error', reject)
      .end(body);
  });
}

function get(base: string, urlPath: string, headers: Record<string, string> = {}): Promise<Answer> {
  return send(base, 'GET', urlPath, headers);
}

/** A failed sign-in, as JSON. */
function badSignIn(base: string, host: string): Promise<Answer> {
  const body = JSON.stringify({ username: 'editor', password: 'Wrong-Password-1' });
  return send(base, 'POST', '/api/v1/session', { host, 'content-type': 'application/json' }, body);
}

/** The theme with its home page broken: reading `/` is a failure nobody meant, a 500. */
function homeBrokenTheme(): Theme {
  const theme = loadTheme();
  return {
    ...theme,
    render: (name, model) => {
      if (name === 'home') throw new Error('template exploded');
      return theme.render(name, model);
    },
  };
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
  // Failures, on a platform of their own: a broken home page, an API route that throws, one
  // sign-in a minute, and a second site (with two, a host that names neither is unknown).
  let failingStore: TestStore;
  let failing: FastifyInstance;
  let failingBase = '';
  let failingHost = '';
  before(async () => {
    store = await testStore();
    app = await demoApp(store, { app: { loginPerMinute: 1000, writesPerMinute: 1000 } });
    await makeRoleAccounts(contextFor(store));
    [editor, publisher] = await Promise.all([signIn(app, 'editor'), signIn(app, 'publisher')]);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    failingStore = await testStore();
    failing = await demoApp(failingStore, { pages: false, theme: homeBrokenTheme(), app: { loginPerMinute: 1 } });
    failing.get('/api/v1/walk-fault', { config: { permission: 'public' } }, () => {
      throw new Error('SELECT secret FROM user_account');
    });
    failingHost = (await failingStore.db.selectFrom('site').select('domain').executeTakeFirstOrThrow()).domain;
    await addSite(contextFor(failingStore), platformConsole('test'), {
      host: 'other.example.gov.cn',
      name: '另一个站点',
    });
    failingBase = await failing.listen({ port: 0, host: '127.0.0.1' });
  });
  after(async () => {
    await app?.close();
    await store?.dispose();
    await failing?.close();
    await failingStore?.dispose();
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
    const pdf = multipart(
      {},
      {
        name: '通知.pdf',
        data: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'),
        type: 'application/pdf',
      },
    );
    const attachment = (
      await editor.request('POST', '/api/v1/media', pdf.body, { 'content-type': pdf.contentType })
    ).json<{ url: string }>();
    // The failing platform allows one sign-in a minute: the second is refused by the rate limit.
    await badSignIn(failingBase, failingHost);
    const limited = await badSignIn(failingBase, failingHost);
    const asset = fs.readdirSync(app.gazette.context.theme.assetsDir).find((name) => name.endsWith('.css')) ?? '';
    const shell = await get(base, '/admin/');
    const adminAsset = /\/admin\/assets\/[^"]+\.js/.exec(shell.body)?.[0] ?? '';
    const signedIn = { cookie: editor.cookie };
    // The home page, not an article: an article's body carries its view count, so its ETag
    // changes whenever the count is filled in again (after VIEWS_REFRESH_MS, or when the manifest
    // watcher drops the page from memory a moment after the withdrawal's run): a 200 is then right.
    const etag = String((await get(base, '/')).headers.etag);

    const answers: [string, Answer, number][] = [
      ['page through the framework', await get(base, '/'), 200],
      ['page from memory', await get(base, '/'), 200],
      ['page from memory, revalidated', await get(base, '/', { 'if-none-match': etag }), 304],
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
      ['attachment download', await get(base, attachment.url), 200],
      ['unknown host', await get(failingBase, '/', { host: 'no-such-site.example' }), 404],
      ['page failing with 500', await get(failingBase, '/', { host: failingHost }), 500],
      ['back-office shell', shell, 200],
      ['back-office redirect', await get(base, '/admin'), 302],
      ['back-office asset', await get(base, adminAsset), 200],
      ['preview', await get(base, `/admin/preview/${draft.json<{ id: number }>().id}`, signedIn), 200],
      ['API answer', await get(base, '/api/v1/session', signedIn), 200],
      ['API refusal, signed out', await get(base, '/api/v1/session'), 401],
      ['API refusal, no permission', await get(base, '/api/v1/users', signedIn), 403],
      ['API not found', await get(base, '/api/v1/nothing-here'), 404],
      ['API failing with 500', await get(failingBase, '/api/v1/walk-fault'), 500],
      ['API rate limited', limited, 429],
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
      // 12.3.4 / 12.5.2: an attachment is a download under its safe name, never shown in place.
      if (
        kind === 'attachment download' &&
        answer.headers['content-disposition'] !== `attachment; filename*=UTF-8''${encodeURIComponent('通知.pdf')}`
      )
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

  test('HTTPS answers carry Strict-Transport-Security and a __Host- Secure session cookie; plain HTTP and an untrusted claim get neither', async () => {
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
    // ASVS 3.4.4: over HTTPS the cookie is a __Host- one (Secure, Path=/, no Domain: no other host can plant it).
    const secure = await signIn(base, HTTPS);
    assert.match(secure, /^__Host-gz_session=[\w-]{43}; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
    assert.match(await signIn(base, {}), /^gz_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    assert.match(await signIn(otherBase, HTTPS), /^gz_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    const token = secure.split(';')[0]?.split('=')[1] ?? '';
    const session = (cookie: string, headers: Record<string, string>) =>
      fetch(`${base}/api/v1/session`, { headers: { cookie, ...headers } }).then((answer) => answer.status);
    assert.deepEqual(
      [
        await session(`__Host-gz_session=${token}`, HTTPS),
        await session(`gz_session=${token}`, HTTPS),
        await session(`__Host-gz_session=${token}`, {}),
      ],
      [200, 401, 401],
      'over HTTPS only the __Host- cookie is read, and only over HTTPS',
    );
  });
});
