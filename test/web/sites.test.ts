import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import {
  addSite,
  archiveSite,
  importPage,
  platformConsole,
  removeSite,
  resolveSite,
  setDefaultSite,
  type ServiceContext,
} from '../../src/services/index.js';
import { manifest } from '../../src/store/index.js';
import { siteKeyPrefix } from '../../src/publish/index.js';
import { demoApp } from '../helpers/app.js';
import { testStore, type TestStore } from '../helpers/store.js';
import { makePage } from '../helpers/factories.js';

const PORTAL = 'www.example.gov.cn';
const WATER = 'swj.example.gov.cn';
const platform = platformConsole('test');

const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? '';

describe('two sites on one server, chosen by the Host header', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let ctx: ServiceContext;
  let waterId: number;
  let portalArticle: string;
  let waterArticle: string;

  before(async () => {
    store = await testStore();
    app = await demoApp(store, { app: { siteCacheMs: 0 } });
    ctx = app.gazette.context;
    const portalId = (await resolveSite(store.db)).id;
    waterId = (await addSite(ctx, platform, { host: WATER, name: '示范区水务局', parentHost: PORTAL })).id;
    // Both sites have a 本区动态 at /bqdt/, each with its own article.
    portalArticle = (
      await importPage(
        { ...ctx, siteId: portalId },
        makePage({ title: '门户网站的独有新闻', publishedAt: new Date('2025-11-30T02:00:00Z') }),
      )
    ).path;
    waterArticle = (
      await importPage(
        { ...ctx, siteId: waterId },
        makePage({ title: '水务局的独有新闻', publishedAt: new Date('2025-11-30T03:00:00Z') }),
      )
    ).path;
    await app.gazette.publisher.idle();
  });
  after(async () => {
    await app?.close();
    await store?.dispose();
  });

  const get = (host: string, url: string) => app.inject({ method: 'GET', url, headers: { host } });

  test("the same paths answer each site's own home, column and article pages", async () => {
    assert.deepEqual(
      [titleOf((await get(PORTAL, '/')).body), titleOf((await get(WATER, '/')).body)],
      ['示范区人民政府', '示范区水务局'],
    );
    const portalColumn = (await get(PORTAL, '/bqdt/')).body;
    const waterColumn = (await get(WATER, '/bqdt/')).body;
    assert.ok(portalColumn.includes('门户网站的独有新闻') && !portalColumn.includes('水务局的独有新闻'));
    assert.ok(waterColumn.includes('水务局的独有新闻') && !waterColumn.includes('门户网站的独有新闻'));
    assert.equal((await get(WATER, waterArticle)).statusCode, 200);
    assert.equal(titleOf((await get(WATER, waterArticle)).body), '水务局的独有新闻 - 示范区水务局');
    // Ports and letter case do not change the site.
    assert.equal(titleOf((await get('SWJ.Example.gov.cn:3000', '/')).body), '示范区水务局');
  });

  test("every published path of one site, asked for under the other's host, never answers the first site's page", async () => {
    for (const [from, to, fromId] of [
      [PORTAL, WATER, 1],
      [WATER, PORTAL, waterId],
    ] as const) {
      const prefix = siteKeyPrefix(fromId);
      const paths = (await manifest.sitePagesAfter(store.db, prefix, '', 10_000)).map((row) => row.path);
      assert.ok(paths.length >= 5, `${from} has published pages`);
      const wrong: string[] = [];
      for (const path of paths) {
        const own = await get(from, path);
        const other = await get(to, path);
        if (own.statusCode === 200 && other.statusCode === 200 && own.body === other.body) wrong.push(path);
        const name = from === PORTAL ? '示范区人民政府' : '示范区水务局';
        if (
          other.statusCode === 200 &&
          other.headers['content-type']?.toString().startsWith('text/html') &&
          titleOf(other.body).endsWith(name)
        )
          wrong.push(path);
      }
      assert.deepEqual(wrong, [], `${from}'s pages under ${to}`);
    }
    assert.equal((await get(PORTAL, waterArticle)).statusCode, 404, "the water bureau's article is not the portal's");
    assert.equal((await get(WATER, portalArticle)).statusCode, 404, "the portal's article is not the water bureau's");
  });

  test("search finds only the site's own articles", async () => {
    const water = await app.inject({
      url: `/api/v1/search?q=${encodeURIComponent('独有新闻')}`,
      headers: { host: WATER },
    });
    assert.deepEqual(
      water.json<{ hits: { title: string }[] }>().hits.map((h) => h.title),
      ['水务局的独有新闻'],
    );
    const portal = await app.inject({
      url: `/api/v1/search?q=${encodeURIComponent('独有新闻')}`,
      headers: { host: PORTAL },
    });
    assert.deepEqual(
      portal.json<{ hits: { title: string }[] }>().hits.map((h) => h.title),
      ['门户网站的独有新闻'],
    );
  });

  test("the portal's search includes its sub-sites on request: their pages at their own hosts, named", async () => {
    const search = async (query: string) => {
      const response = await app.inject({
        url: `/api/v1/search?q=${encodeURIComponent('独有新闻')}${query}`,
        headers: { host: PORTAL },
      });
      return {
        status: response.statusCode,
        body: response.json<{
          hits: { title: string; url: string; site?: { id: number; name: string } }[];
          code?: string;
        }>(),
      };
    };
    const all = await search('&site=all');
    assert.deepEqual(all.body.hits.map((h) => [h.title, h.url, h.site ?? null]).sort(), [
      ['水务局的独有新闻', `https://${WATER}${waterArticle}`, { id: waterId, name: '示范区水务局' }],
      ['门户网站的独有新闻', portalArticle, null],
    ]);
    assert.deepEqual(
      (await search(`&site=${waterId}`)).body.hits.map((h) => h.title),
      ['水务局的独有新闻'],
    );
    assert.deepEqual(
      [(await search('&site=999999')).status, (await search('&site=999999')).body.code],
      [400, 'SEARCH_BAD_FILTER'],
    );
    assert.deepEqual((await search('&site=all&channel=1')).status, 400);
    // The water bureau has no sites under it: "all" is itself.
    const fromWater = await app.inject({
      url: `/api/v1/search?q=${encodeURIComponent('独有新闻')}&site=all`,
      headers: { host: WATER },
    });
    assert.deepEqual(
      fromWater.json<{ hits: { title: string }[] }>().hits.map((h) => h.title),
      ['水务局的独有新闻'],
    );
    // The search page offers the choice, and names the sub-site of a hit.
    const page = (
      await app.inject({ url: `/search?q=${encodeURIComponent('独有新闻')}&site=all`, headers: { host: PORTAL } })
    ).body;
    assert.ok(page.includes(`<option value="all" selected>本站及下属站点</option>`));
    assert.ok(page.includes(`<option value="${waterId}">示范区水务局</option>`));
    assert.ok(page.includes(`<a href="https://${WATER}${waterArticle}">`));
    assert.ok(
      !(await app.inject({ url: '/search?q=x', headers: { host: WATER } })).body.includes('id="search-site"'),
      'a site with none under it offers no choice',
    );
  });

  test('an unknown host gets a clear 404 page, or the default site once one is named', async () => {
    const unknown = await get('nowhere.example.org', '/');
    assert.equal(unknown.statusCode, 404);
    assert.match(
      unknown.body,
      /<h1>站点不存在 \(404\)<\/h1><p>域名 nowhere\.example\.org 不属于本平台的任何网站。<\/p>/,
    );
    await setDefaultSite(ctx, platform, PORTAL);
    assert.equal(titleOf((await get('nowhere.example.org', '/')).body), '示范区人民政府');
    await setDefaultSite(ctx, platform, null);
  });

  test('/_site/HOST/… reaches any site without DNS, and its cookie keeps the reader there', async () => {
    const viaPath = await get('localhost', `/_site/${WATER}/bqdt/`);
    assert.equal(viaPath.statusCode, 200);
    assert.ok(viaPath.body.includes('水务局的独有新闻'));
    assert.equal(viaPath.headers['cache-control'], 'private, no-store');
    const cookie = String(viaPath.headers['set-cookie']).split(';')[0] ?? '';
    assert.equal(cookie, `gz_site=${WATER}`);
    const followed = await app.inject({ url: waterArticle, headers: { host: 'localhost', cookie } });
    assert.equal(titleOf(followed.body), '水务局的独有新闻 - 示范区水务局');
    // A host that is a site's own always wins over the cookie.
    assert.equal(titleOf((await app.inject({ url: '/', headers: { host: PORTAL, cookie } })).body), '示范区人民政府');
  });

  test("regression: no request header or cookie makes a host answer another site's page with shared-cache headers", async () => {
    // Warm the page into memory, so the fast path would answer it.
    await get(PORTAL, '/');
    const viaHeader = await app.inject({ url: '/', headers: { host: PORTAL, 'x-gazette-site': String(waterId) } });
    assert.equal(titleOf(viaHeader.body), '示范区人民政府', 'X-Gazette-Site is for the API and the back office only');
    // A site cookie on a host no site holds: the chosen site's page, never kept by a shared cache.
    await get('localhost', `/_site/${WATER}/`);
    const viaCookie = await app.inject({ url: '/', headers: { host: 'localhost', cookie: `gz_site=${WATER}` } });
    assert.equal(titleOf(viaCookie.body), '示范区水务局');
    assert.equal(viaCookie.headers['cache-control'], 'private, no-store');
  });

  test('an archived site is kept and no longer served', async () => {
    await archiveSite(ctx, platform, WATER);
    assert.equal((await get(WATER, '/')).statusCode, 404);
    assert.equal((await get(WATER, waterArticle)).statusCode, 404);
    assert.equal(titleOf((await get(PORTAL, '/')).body), '示范区人民政府');
  });
});

describe('one site: every host reaches it', () => {
  test('localhost and any other name answer the only site', async (t) => {
    const store = await testStore();
    const app = await demoApp(store, { pages: false });
    t.after(async () => {
      await app.close();
      await store.dispose();
    });
    for (const host of ['localhost:3000', '127.0.0.1', 'www.example.gov.cn']) {
      assert.equal(titleOf((await app.inject({ url: '/', headers: { host } })).body), '示范区人民政府', host);
    }
  });
});

describe('a site removed while readers are on it', () => {
  test('answers 404, never a 500, for pages it had in memory and for pages it had not', async (t) => {
    const store = await testStore();
    // The default lookup cache: the server still takes the host for the removed site for a few seconds.
    const app = await demoApp(store, { pages: false });
    t.after(async () => {
      await app.close();
      await store.dispose();
    });
    const ctx = app.gazette.context;
    const town = await addSite(ctx, platform, { host: 'town.example.gov.cn', name: '某某镇' });
    await addSite(ctx, platform, { host: 'other.example.gov.cn', name: '另一个镇' });
    const { path } = await importPage(
      { ...ctx, siteId: town.id },
      makePage({ columns: ['镇村动态'], title: '即将删除的站点的文章' }),
    );
    await app.gazette.publisher.idle();
    const get = (url: string) => app.inject({ url, headers: { host: 'town.example.gov.cn' } });
    assert.equal((await get(path)).statusCode, 200);
    await archiveSite(ctx, platform, 'town.example.gov.cn');
    await removeSite(ctx, platform, 'town.example.gov.cn');
    for (const url of [
      '/zcdt/',
      '/nope/',
      path.replace(/_\d+\.html$/, '_999999.html'),
      '/search?q=文章',
      '/xxgk.html',
      '/api/v1/search?q=文章',
      '/site-mode.css',
      '/rss.xml',
    ]) {
      const answer = await get(url);
      assert.ok(answer.statusCode === 404 || answer.statusCode === 200, `${url}: ${answer.statusCode}`);
      assert.ok(answer.statusCode < 500, url);
    }
    assert.equal((await get(path)).statusCode < 500, true);
  });
});
