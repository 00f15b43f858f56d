import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { addSite, importPage, platformConsole, resolveSite } from '../../src/services/index.js';
import { redirects } from '../../src/store/index.js';
import { demoApp } from '../helpers/app.js';
import { testStore, type TestStore } from '../helpers/store.js';
import { makePage } from '../helpers/factories.js';

const PORTAL = 'www.example.gov.cn';
const WATER = 'swj.example.gov.cn';
const NOW = new Date('2025-12-01T01:00:00.000Z');

/** What a request answers, as far as a redirect is concerned. */
interface Answer {
  readonly status: number;
  readonly location: string | null;
  readonly cache: string | null;
}

describe('old URLs of a migrated site answer 301 to their new place', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let article = '';
  let articleId = 0;

  before(async () => {
    store = await testStore();
    app = await demoApp(store, { app: { siteCacheMs: 0 } });
    const ctx = app.gazette.context;
    const portal = (await resolveSite(store.db)).id;
    const water = (
      await addSite(ctx, platformConsole('test'), { host: WATER, name: '示范区水务局', parentHost: PORTAL })
    ).id;
    const imported = await importPage(
      { ...ctx, siteId: portal },
      makePage({ title: '迁移过来的文章', publishedAt: new Date('2021-05-20T01:30:00Z') }),
    );
    article = imported.path;
    articleId = imported.article.id;
    await app.gazette.publisher.idle();
    await redirects.putRedirects(
      store.db,
      portal,
      [
        { oldPath: '/NewsView.aspx?NewsID=123', target: article, kind: 'article' },
        // As the old site wrote it: Chinese in the path, and GBK escapes.
        { oldPath: '/xwzx/通知公告/index.html', target: '/bqdt/', kind: 'list' },
        { oldPath: '/xxgk/%CD%A8%D6%AA/index.html', target: '/bqdt/', kind: 'list' },
        { oldPath: '/xxgk/P020210520_1.doc', target: '/media/file/3f/关于 放假.doc', kind: 'file' },
        // An old TRS address reads like one of Gazette's, with another article's id in it.
        { oldPath: `/xwzx/bqdt/202105/t20210520_${articleId}.html`, target: '/bqdt/', kind: 'article' },
        // Gazette has pages at these: they win.
        { oldPath: '/bqdt/', target: '/elsewhere/', kind: 'list' },
        { oldPath: article, target: '/elsewhere/', kind: 'article' },
        { oldPath: '/assets/old.css', target: '/elsewhere/', kind: 'file' },
      ],
      NOW,
    );
    await redirects.putRedirects(
      store.db,
      water,
      [{ oldPath: '/swj/NewsView.aspx?NewsID=9', target: '/bqdt/', kind: 'article' }],
      NOW,
    );
  });
  after(async () => {
    await app?.close();
    await store?.dispose();
  });

  const answer = async (host: string, url: string, method: 'GET' | 'HEAD' = 'GET'): Promise<Answer> => {
    const response = await app.inject({ method, url, headers: { host } });
    const header = (name: string) => {
      const value = response.headers[name];
      return value === undefined ? null : String(value);
    };
    return {
      status: response.statusCode,
      location: response.statusCode === 200 ? null : header('location'),
      cache: response.statusCode === 301 ? header('cache-control') : null,
    };
  };
  const moved = (location: string): Answer => ({ status: 301, location, cache: 'public, max-age=3600' });

  test('the exact old path with its query, a Chinese path written either way, GBK escapes', async () => {
    assert.deepEqual(
      [
        await answer(PORTAL, '/NewsView.aspx?NewsID=123'),
        await answer(PORTAL, '/NewsView.aspx?NewsID=123', 'HEAD'),
        await answer(PORTAL, '/xwzx/%E9%80%9A%E7%9F%A5%E5%85%AC%E5%91%8A/index.html'),
        await answer(PORTAL, '/xxgk/%CD%A8%D6%AA/index.html'),
        // Another letter case of a single old path: as the exported nginx map answers it.
        await answer(PORTAL, '/newsview.aspx?newsid=123'),
        // A header holds no Chinese: the target goes percent-encoded.
        await answer(PORTAL, '/xxgk/P020210520_1.doc'),
      ],
      [
        moved(article),
        moved(article),
        moved('/bqdt/'),
        moved('/bqdt/'),
        moved(article),
        moved('/media/file/3f/%E5%85%B3%E4%BA%8E%20%E6%94%BE%E5%81%87.doc'),
      ],
    );
  });

  test("an old address shaped like Gazette's leads where the migration said, not to the article of that id", async () => {
    assert.deepEqual(await answer(PORTAL, `/xwzx/bqdt/202105/t20210520_${articleId}.html`), moved('/bqdt/'));
    // Without a recorded old path, Gazette's own guess stands: the article of that id.
    assert.deepEqual(await answer(PORTAL, `/xwzx/bqdt/202001/t20200101_${articleId}.html`), {
      status: 301,
      location: article,
      cache: null,
    });
  });

  test('a Gazette page always wins over a redirect; its own paths are never looked up', async () => {
    assert.deepEqual(
      [await answer(PORTAL, '/bqdt/'), await answer(PORTAL, article), await answer(PORTAL, '/assets/old.css')],
      [
        { status: 200, location: null, cache: null },
        { status: 200, location: null, cache: null },
        { status: 404, location: null, cache: null },
      ],
    );
  });

  test("unknown old paths are not found, and a site never answers another site's old paths", async () => {
    assert.deepEqual(
      [
        await answer(PORTAL, '/NewsView.aspx?NewsID=124'),
        await answer(PORTAL, '/NewsView.aspx'),
        await answer(PORTAL, '/swj/NewsView.aspx?NewsID=9'),
        await answer(WATER, '/NewsView.aspx?NewsID=123'),
        await answer(WATER, '/swj/NewsView.aspx?NewsID=9'),
      ],
      [
        { status: 404, location: null, cache: null },
        { status: 404, location: null, cache: null },
        { status: 404, location: null, cache: null },
        { status: 404, location: null, cache: null },
        moved('/bqdt/'),
      ],
    );
  });
});
