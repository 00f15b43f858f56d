import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { demoApp } from '../helpers/app.js';
import { makeRoleAccounts, signIn, type ApiClient } from '../helpers/backoffice.js';
import { contextFor, testStore, type TestStore } from '../helpers/store.js';

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
});
