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
  type ServiceContext,
} from '../../src/services/index.js';
import { channels, transfer } from '../../src/store/index.js';
import type { PlacementView, SubmissionView } from '../../src/services/index.js';
import { demoApp } from '../helpers/app.js';
import { makeUser, signIn, type ApiClient } from '../helpers/backoffice.js';
import { makePage } from '../helpers/factories.js';
import { testStore, type TestStore } from '../helpers/store.js';

const PORTAL = 'www.example.gov.cn';
const TOWN = 'mmz.example.gov.cn';
const platform = platformConsole('test');

/** The titles a list page links to, with where each link goes, in page order. */
const listed = (html: string) =>
  [...html.matchAll(/<li><a href="([^"]+)">([^<]+)<\/a> <time/g)].map((m) => [m[2], m[1]]);

describe('引用 and 信息报送 between a town site and the portal', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let ctx: ServiceContext;
  let portalId: number;
  let townId: number;
  let bqdt: number;
  let bmdt: number;
  let zjbq: number;
  let townNews: { path: string; id: number };
  let townOther: { path: string; id: number };
  const as: Record<string, ApiClient> = {};

  before(async () => {
    store = await testStore();
    app = await demoApp(store, { app: { siteCacheMs: 0 } });
    ctx = app.gazette.context;
    portalId = (await resolveSite(store.db)).id;
    townId = (
      await addSite(ctx, platform, {
        host: TOWN,
        name: '某某镇',
        hostOrganization: '某某镇人民政府',
        parentHost: PORTAL,
      })
    ).id;
    const townCtx = { ...ctx, siteId: townId };
    const imported = await importPage(
      townCtx,
      makePage({
        columns: ['镇村动态'],
        title: '某某镇开展秋季防火宣传',
        publishedAt: new Date('2025-11-30T01:00:00Z'),
      }),
    );
    townNews = { path: imported.path, id: imported.article.id };
    const other = await importPage(
      townCtx,
      makePage({
        columns: ['镇村动态'],
        title: '某某镇召开经济工作会议',
        publishedAt: new Date('2025-11-30T02:00:00Z'),
      }),
    );
    townOther = { path: other.path, id: other.article.id };
    const portalChannels = await channels.listChannels(store.db, portalId);
    const idOf = (slug: string) => portalChannels.find((c) => c.slug === slug)?.id ?? 0;
    [bqdt, bmdt, zjbq] = [idOf('bqdt'), idOf('bmdt'), idOf('zjbq')];
    const portalCtx = { ...ctx, siteId: portalId };
    await makeUser(portalCtx, 'p-editor', [{ role: 'editor' }]);
    await makeUser(portalCtx, 'p-reviewer', [{ role: 'reviewer' }]);
    await makeUser(portalCtx, 'p-publisher', [{ role: 'publisher' }]);
    await makeUser(portalCtx, 'p-admin', [{ role: 'admin' }]);
    await makeUser(townCtx, 't-editor', [{ role: 'editor' }]);
    await makeUser(townCtx, 't-publisher', [{ role: 'publisher' }]);
    for (const [name, siteId] of [
      ['p-editor', portalId],
      ['p-reviewer', portalId],
      ['p-publisher', portalId],
      ['p-admin', portalId],
      ['t-editor', townId],
      ['t-publisher', townId],
    ] as const) {
      const client = await signIn(app, name);
      as[name] = {
        ...client,
        request: (method, url, body, headers = {}) =>
          client.request(method, url, body, { 'x-gazette-site': String(siteId), ...headers }),
      };
    }
    await app.gazette.publisher.idle();
  });
  after(async () => {
    await app?.close();
    await store?.dispose();
  });

  const page = (host: string, url: string) => app.inject({ method: 'GET', url, headers: { host } });
  const call = async (who: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) => {
    const client = as[who];
    assert.ok(client, who);
    const response = await client.request(method, url, body);
    return { status: response.statusCode, body: response.json<Record<string, unknown>>() };
  };
  const canonical = (path: string) => `https://${TOWN}${path}`;

  test('bad placements are refused with the reason, and leave the store as it was', async () => {
    const before = await transfer.countRows(store.db);
    // A single page holds no articles: 422 naming it.
    const onPage = await call('p-editor', 'POST', '/api/v1/placements', { articleId: townNews.id, channelId: zjbq });
    assert.deepEqual(
      [onPage.status, onPage.body.code, onPage.body.message],
      [422, 'PLACEMENT_NOT_LIST', '栏目“走进本区”是单页栏目，不放文章，不能引用或报送到这里'],
    );
    // The town's editor may not write in the portal's columns: 403.
    const push = await call('t-editor', 'POST', '/api/v1/placements', { articleId: townNews.id, channelId: bqdt });
    assert.deepEqual([push.status, push.body.code], [403, 'PERMISSION_DENIED']);
    const missing = await call('p-editor', 'POST', '/api/v1/placements', {
      articleId: townNews.id,
      channelId: 999_999,
    });
    assert.deepEqual([missing.status, missing.body.code], [404, 'CHANNEL_NOT_FOUND']);
    // A column that is closed to submissions cannot be reached by one: 403; a page: 422; the own site: 422.
    const closed = await call('t-editor', 'POST', '/api/v1/submissions', { articleId: townNews.id, channelId: bqdt });
    assert.deepEqual(
      [closed.status, closed.body.code, closed.body.message],
      [403, 'SUBMISSION_CLOSED', '栏目“本区动态”不接收信息报送'],
    );
    assert.deepEqual(
      (await call('t-editor', 'POST', '/api/v1/submissions', { articleId: townNews.id, channelId: zjbq })).status,
      422,
    );
    const townColumn = (await channels.listChannels(store.db, townId))[0]?.id ?? 0;
    assert.deepEqual(
      (await call('t-editor', 'POST', '/api/v1/submissions', { articleId: townNews.id, channelId: townColumn })).body
        .code,
      'SUBMISSION_SAME_SITE',
    );
    // Another site's article is not the town's to submit.
    const foreign = await call('t-editor', 'POST', '/api/v1/submissions', { articleId: 1, channelId: bmdt });
    assert.deepEqual([foreign.status, foreign.body.code], [404, 'ARTICLE_NOT_FOUND']);
    // Nothing changed but the audit log, which records the one refusal of access (ASVS 7.2.2).
    assert.deepEqual(await transfer.countRows(store.db), { ...before, audit_log: (before.audit_log ?? 0) + 1 });
  });

  test('引用: placed, reviewed and published on the portal, it shows in its list, feed and home block and links to its one page', async () => {
    const placed = await call('p-editor', 'POST', '/api/v1/placements', { articleId: townNews.id, channelId: bqdt });
    assert.equal(placed.status, 201);
    const placement = placed.body as unknown as PlacementView;
    assert.deepEqual(
      [placement.status, placement.live, placement.homeSite.name, placement.channelName, placement.url],
      ['submitted', false, '某某镇', '本区动态', canonical(townNews.path)],
    );
    assert.equal(
      (await call('p-editor', 'POST', '/api/v1/placements', { articleId: townNews.id, channelId: bqdt })).body.code,
      'PLACEMENT_EXISTS',
    );
    // Not on the list until the portal's reviewer and publisher let it through.
    assert.ok(!(await page(PORTAL, '/bqdt/')).body.includes('某某镇开展秋季防火宣传'));
    assert.equal((await call('p-editor', 'POST', `/api/v1/placements/${placement.id}/publish`)).status, 403);
    assert.equal(
      (await call('p-reviewer', 'POST', `/api/v1/placements/${placement.id}/approve`)).body.status,
      'approved',
    );
    const published = await call('p-publisher', 'POST', `/api/v1/placements/${placement.id}/publish`);
    assert.deepEqual([published.body.status, published.body.live], ['published', true]);
    await app.gazette.publisher.idle();

    const list = listed((await page(PORTAL, '/bqdt/')).body);
    assert.deepEqual(
      list[0],
      ['某某镇开展秋季防火宣传', canonical(townNews.path)],
      'the newest entry of 本区动态, linking to the town page',
    );
    assert.ok((await page(PORTAL, '/bqdt/rss.xml')).body.includes(`<link>${canonical(townNews.path)}</link>`));
    assert.ok(
      (await page(PORTAL, '/')).body.includes(`<a href="${canonical(townNews.path)}">某某镇开展秋季防火宣传</a>`),
    );
    // The article's one page stays on the town site; the portal has no copy of it.
    assert.equal((await page(TOWN, townNews.path)).statusCode, 200);
    assert.equal((await page(PORTAL, townNews.path)).statusCode, 404);
    // Search finds it once, on its own site.
    const search = await app.inject({
      url: `/api/v1/search?q=${encodeURIComponent('秋季防火')}&site=all`,
      headers: { host: PORTAL },
    });
    assert.deepEqual(
      search.json<{ hits: { url: string }[] }>().hits.map((h) => h.url),
      [canonical(townNews.path)],
    );
  });

  test('a site may keep its own copy of a placed page, carrying rel=canonical, and go back to linking', async () => {
    const local = `/bqdt/${townNews.path.split('/').slice(-2).join('/')}`;
    const copy = await call('p-admin', 'PATCH' as 'POST', '/api/v1/site', { placedPages: 'copy' });
    assert.deepEqual([copy.status, copy.body.placedPages], [200, 'copy']);
    await app.gazette.publisher.idle();
    assert.deepEqual(listed((await page(PORTAL, '/bqdt/')).body)[0], ['某某镇开展秋季防火宣传', local]);
    const kept = await page(PORTAL, local);
    assert.equal(kept.statusCode, 200);
    assert.ok(kept.body.includes(`<link rel="canonical" href="${canonical(townNews.path)}">`));
    assert.ok(kept.body.includes('<title>某某镇开展秋季防火宣传 - 示范区人民政府</title>'));
    assert.match(kept.body, /来源: (<[^>]+>)*某某镇/);
    // Another site's article is not the portal's at an address it does not show it at.
    assert.equal((await page(PORTAL, `/tzgg/${townNews.path.split('/').slice(-2).join('/')}`)).statusCode, 404);
    const back = await call('p-admin', 'PATCH' as 'POST', '/api/v1/site', { placedPages: 'link' });
    assert.equal(back.body.placedPages, 'link');
    await app.gazette.publisher.idle();
    assert.deepEqual(listed((await page(PORTAL, '/bqdt/')).body)[0], [
      '某某镇开展秋季防火宣传',
      canonical(townNews.path),
    ]);
    assert.equal((await page(PORTAL, local)).statusCode, 404);
    assert.equal((await call('p-editor', 'PATCH' as 'POST', '/api/v1/site', { placedPages: 'copy' })).status, 403);
  });

  test('an edit of the article re-renders the portal pages that show it; withdrawing it takes it off everywhere', async () => {
    const before = (await call('t-publisher', 'GET', `/api/v1/articles/${townNews.id}`)).body;
    const edited = await call('t-publisher', 'PATCH' as 'POST', `/api/v1/articles/${townNews.id}`, {
      title: '某某镇开展冬季防火宣传',
      version: before.version,
    });
    assert.equal(edited.status, 200);
    await app.gazette.publisher.idle();
    assert.deepEqual(listed((await page(PORTAL, '/bqdt/')).body)[0], [
      '某某镇开展冬季防火宣传',
      canonical(townNews.path),
    ]);
    assert.ok((await page(PORTAL, '/')).body.includes('某某镇开展冬季防火宣传'));

    const withdrawn = await call('t-publisher', 'POST', `/api/v1/articles/${townNews.id}/withdraw`, {
      reason: '信息有误',
    });
    assert.equal(withdrawn.status, 200);
    await app.gazette.publisher.idle();
    for (const [host, url] of [
      [PORTAL, '/bqdt/'],
      [PORTAL, '/'],
      [PORTAL, '/bqdt/rss.xml'],
      [PORTAL, '/rss.xml'],
      [TOWN, '/'],
    ] as const) {
      assert.ok(!(await page(host, url)).body.includes('冬季防火'), `${host}${url} no longer shows it`);
    }
    const [placement] = (await call('p-editor', 'GET', '/api/v1/placements')).body.items as PlacementView[];
    assert.deepEqual([placement?.status, placement?.live, placement?.articleStatus], ['published', false, 'withdrawn']);
  });

  test('信息报送: submitted by the town, adopted as a copy that keeps the town as 来源, published by the portal; a second one returned with its reason', async () => {
    const opened = await call('p-admin', 'PUT', `/api/v1/channels/${bmdt}/submissions`, { open: true, points: 2 });
    assert.deepEqual(opened, { status: 200, body: { open: true, points: 2 } });
    assert.deepEqual((await call('t-editor', 'GET', '/api/v1/submissions/targets')).body.items, [
      { site: { id: portalId, name: '示范区人民政府' }, channelId: bmdt, channelName: '部门动态', points: 2 },
    ]);
    const sent = await call('t-editor', 'POST', '/api/v1/submissions', {
      articleId: townOther.id,
      channelId: bmdt,
      note: '请审阅',
    });
    assert.equal(sent.status, 201);
    assert.equal(
      (await call('t-editor', 'POST', '/api/v1/submissions', { articleId: townOther.id, channelId: bmdt })).body.code,
      'SUBMISSION_PENDING',
    );
    const first = sent.body as unknown as SubmissionView;
    assert.deepEqual(
      [first.status, first.fromSite.name, first.site.name, first.channelName, first.note],
      ['pending', '某某镇', '示范区人民政府', '部门动态', '请审阅'],
    );

    const inbox = (await call('p-editor', 'GET', '/api/v1/submissions?box=inbox&status=pending')).body
      .items as SubmissionView[];
    assert.deepEqual(
      inbox.map((s) => [s.id, s.title]),
      [[first.id, '某某镇召开经济工作会议']],
    );
    // The town cannot decide on what it sent.
    assert.equal((await call('t-editor', 'POST', `/api/v1/submissions/${first.id}/adopt`, { as: 'copy' })).status, 404);

    const adopted = (await call('p-editor', 'POST', `/api/v1/submissions/${first.id}/adopt`, { as: 'copy' }))
      .body as unknown as SubmissionView;
    assert.deepEqual(
      [adopted.status, adopted.adoptedAs, adopted.points, adopted.adoptedStatus],
      ['adopted', 'copy', 2, 'draft'],
    );
    assert.equal(
      (await call('p-editor', 'POST', `/api/v1/submissions/${first.id}/return`, { reason: 'x' })).body.code,
      'SUBMISSION_DECIDED',
    );
    const copyId = adopted.copyId ?? 0;
    const copy = (await call('p-editor', 'GET', `/api/v1/articles/${copyId}`)).body;
    assert.deepEqual(
      [copy.title, copy.source, copy.channelId, copy.status],
      ['某某镇召开经济工作会议', '某某镇人民政府', bmdt, 'draft'],
    );
    assert.equal((await call('p-editor', 'POST', `/api/v1/articles/${copyId}/submit`)).body.status, 'submitted');
    assert.equal((await call('p-reviewer', 'POST', `/api/v1/articles/${copyId}/approve`)).body.status, 'approved');
    const live = await call('p-publisher', 'POST', `/api/v1/articles/${copyId}/publish`);
    assert.equal(live.body.status, 'published');
    await app.gazette.publisher.idle();
    const pageText = (await page(PORTAL, String(live.body.url))).body;
    assert.match(pageText, /来源: 某某镇人民政府/);

    // A withdrawn article is not offered; another one is, and is returned.
    assert.equal(
      (await call('t-editor', 'POST', '/api/v1/submissions', { articleId: townNews.id, channelId: bmdt })).body.code,
      'WORKFLOW_INVALID',
    );
    const third = await importPage(
      { ...ctx, siteId: townId },
      makePage({ columns: ['镇村动态'], title: '某某镇举办农民丰收节', publishedAt: new Date('2025-11-30T03:00:00Z') }),
    );
    const second = (
      await call('t-editor', 'POST', '/api/v1/submissions', { articleId: third.article.id, channelId: bmdt })
    ).body as unknown as SubmissionView;
    const noReason = await call('p-editor', 'POST', `/api/v1/submissions/${second.id}/return`, { reason: '  ' });
    assert.deepEqual([noReason.status, noReason.body.code], [400, 'COMMENT_REQUIRED']);
    const returned = (
      await call('p-editor', 'POST', `/api/v1/submissions/${second.id}/return`, { reason: '内容已过时，请更新后再报' })
    ).body as unknown as SubmissionView;
    assert.deepEqual(
      [returned.status, returned.reason, returned.deciderName],
      ['returned', '内容已过时，请更新后再报', 'p-editor'],
    );

    const mine = (await call('t-editor', 'GET', '/api/v1/submissions?box=sent')).body.items as SubmissionView[];
    assert.deepEqual(
      mine.map((s) => [s.title, s.status, s.reason, s.adoptedStatus]),
      [
        ['某某镇举办农民丰收节', 'returned', '内容已过时，请更新后再报', null],
        ['某某镇召开经济工作会议', 'adopted', '', 'published'],
      ],
    );
    const stats = (await call('p-editor', 'GET', '/api/v1/submissions/stats?period=2025-12')).body;
    assert.deepEqual(stats, {
      period: '2025-12',
      from: '2025-11-30T16:00:00.000Z',
      to: '2025-12-31T16:00:00.000Z',
      rows: [
        {
          site: { id: townId, name: '某某镇' },
          submitted: 2,
          adopted: 1,
          returned: 1,
          pending: 0,
          rate: 0.5,
          points: 2,
          rank: 1,
        },
      ],
    });
    assert.deepEqual((await call('p-editor', 'GET', '/api/v1/submissions/stats?period=2024')).body.rows, []);
    assert.equal((await call('p-editor', 'GET', '/api/v1/submissions/stats?period=2025-13')).status, 400);
  });

  test("a removed site's articles leave the portal's lists that showed them", async () => {
    const townCtx = { ...ctx, siteId: townId };
    const last = await importPage(
      townCtx,
      makePage({ columns: ['镇村动态'], title: '某某镇最后一条动态', publishedAt: new Date('2025-11-30T04:00:00Z') }),
    );
    const placed = (
      await call('p-editor', 'POST', '/api/v1/placements', { articleId: last.article.id, channelId: bqdt })
    ).body as unknown as PlacementView;
    await call('p-reviewer', 'POST', `/api/v1/placements/${placed.id}/approve`);
    await call('p-publisher', 'POST', `/api/v1/placements/${placed.id}/publish`);
    await app.gazette.publisher.idle();
    assert.deepEqual(listed((await page(PORTAL, '/bqdt/')).body)[0], ['某某镇最后一条动态', canonical(last.path)]);
    await archiveSite(ctx, platform, TOWN);
    await removeSite(ctx, platform, TOWN);
    await app.gazette.publisher.idle();
    assert.ok(!(await page(PORTAL, '/bqdt/')).body.includes('某某镇最后一条动态'));
    assert.ok(!(await page(PORTAL, '/')).body.includes('某某镇最后一条动态'));
  });
});
