import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { demoApp } from '../helpers/app.js';
import { contextFor, testStore, type TestStore } from '../helpers/store.js';
import { makeRoleAccounts, signIn, type ApiClient } from '../helpers/backoffice.js';
import { mainLines } from '../helpers/pages.js';

const TITLE = '示范区2025年科技活动周开幕 百余项成果集中亮相';

describe('头条 and 图片新闻 through the API: GET/PUT /api/v1/articles/:id/marks', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let publisher: ApiClient;
  let editor: ApiClient;
  let id: number;

  before(async () => {
    store = await testStore();
    app = await demoApp(store);
    await makeRoleAccounts(contextFor(store));
    [publisher, editor] = await Promise.all([signIn(app, 'publisher'), signIn(app, 'editor')]);
    const row = await store.db.selectFrom('article').select('id').where('title', '=', TITLE).executeTakeFirstOrThrow();
    id = row.id;
  });
  after(async () => {
    await app?.close();
    await store.dispose();
  });

  /** The lines of the home page's 头条 block, as a reader reads them. */
  async function headlineLines(): Promise<string[]> {
    await app.gazette.publisher.idle();
    const lines = mainLines((await app.inject('/')).body);
    const start = lines.indexOf('头条');
    return start < 0 ? [] : lines.slice(start, start + 4);
  }

  test('anyone who reads the article reads its marks; none at first, and no 头条 on the home page', async () => {
    const read = await editor.request('GET', `/api/v1/articles/${id}/marks`);
    assert.equal(read.statusCode, 200);
    assert.deepEqual(read.json(), { articleId: id, headline: false, picture: false });
    assert.deepEqual(await headlineLines(), []);
  });

  test('an editor without the right to publish is refused with 403; the home page stays as it was', async () => {
    const refused = await editor.request('PUT', `/api/v1/articles/${id}/marks`, { headline: true, picture: false });
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json<{ code: string }>().code, 'PERMISSION_DENIED');
    assert.deepEqual(await headlineLines(), []);
  });

  test('a publisher marks it 头条: the home page leads with it and its summary', async () => {
    const saved = await publisher.request('PUT', `/api/v1/articles/${id}/marks`, { headline: true, picture: false });
    assert.equal(saved.statusCode, 200);
    assert.deepEqual(saved.json(), { articleId: id, headline: true, picture: false });
    assert.deepEqual(await headlineLines(), [
      '头条',
      TITLE,
      '11月18日，以“科技创新 引领未来”为主题的示范区2025年科技活动周在区科技馆开幕。 本届科技周为期7天，设置人工智能、智能制造、绿色低碳等6个展区，集中展示本区企业和高校院所的百余项科技成果，并举办科普讲座、青少年机器人挑战赛等活动2…',
      '2025-11-18',
    ]);
  });

  test('a body that is not two booleans is refused with 400', async () => {
    for (const body of [{ headline: 'yes', picture: false }, { headline: true }]) {
      const refused = await publisher.request('PUT', `/api/v1/articles/${id}/marks`, body);
      assert.equal(refused.statusCode, 400, JSON.stringify(body));
    }
  });

  test('both routes are in the OpenAPI document, with their schemas', async () => {
    const spec = (await app.inject('/api/openapi.json')).json<{
      paths: Record<string, Record<string, { requestBody?: unknown; summary: string }>>;
    }>();
    const marks = spec.paths['/api/v1/articles/{id}/marks'];
    assert.deepEqual(Object.keys(marks ?? {}).sort(), ['get', 'put']);
    assert.ok(marks?.put?.requestBody, 'the PUT documents its body');
  });
});
