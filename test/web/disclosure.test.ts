import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import {
  importPage,
  setDisclosure,
  stepArticle,
  createArticle,
  currentSite,
  type Actor,
  type ServiceContext,
} from '../../src/services/index.js';
import { demoApp } from '../helpers/app.js';
import { contextFor, testStore, type TestStore } from '../helpers/store.js';
import { makePage } from '../helpers/factories.js';
import { actorFor, makeRoleAccounts, signIn, type ApiClient } from '../helpers/backoffice.js';

const CODE_A = '113205090141600114';
const CODE_B = '91350100M000100Y43';

/** The titles listed in the catalogue's table, in order. */
function listedTitles(html: string): string[] {
  const table = /<table class="disclosure-list">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  return [...table.matchAll(/<td><a href="[^"]+">([^<]+)<\/a><\/td>/g)].map((m) => m[1] ?? '');
}

/** The metadata table of an article page as [heading, value] pairs. */
function metadataRows(html: string): string[][] | null {
  const table = /<table class="disclosure-meta">([\s\S]*?)<\/table>/.exec(html)?.[1];
  return table === undefined
    ? null
    : [...table.matchAll(/<tr><th scope="row">([^<]+)<\/th><td>([^<]*)<\/td><\/tr>/g)].map((m) => [
        m[1] ?? '',
        m[2] ?? '',
      ]);
}

describe('信息公开 on the web: API, article page, catalogue', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let ctx: ServiceContext;
  let publisher: Actor;
  let client: ApiClient;
  const paths = new Map<string, string>();
  const ids = new Map<string, number>();

  before(async () => {
    store = await testStore();
    app = await demoApp(store, { pages: false });
    ctx = contextFor(store);
    const accounts = await makeRoleAccounts(ctx);
    publisher = actorFor(accounts.publisher);
    client = await signIn(app, 'publisher');
    const plan: [string, string, string, string, string, string][] = [
      // title, published at, topic, organisation, code, 文号
      ['财政预算公开', '2025-03-01T02:00:00Z', '财政、金融、审计', '示范区财政局', CODE_B, '示财〔2025〕1号'],
      ['教育招生公告', '2025-05-01T02:00:00Z', '科技、教育', '示范区教育局', CODE_A, '示教〔2025〕7号'],
      ['政府工作报告', '2024-02-01T02:00:00Z', '综合政务', '示范区人民政府办公室', CODE_A, '示政发〔2024〕1号'],
      ['财政决算', '2024-08-01T02:00:00Z', '财政、金融、审计', '示范区财政局', CODE_B, ''],
      ['已撤销公开', '2025-04-01T02:00:00Z', '财政、金融、审计', '示范区财政局', CODE_B, ''],
    ];
    for (const [title, at, topic, organization, organizationCode, documentNo] of plan) {
      const { article, path } = await importPage(ctx, makePage({ title, publishedAt: new Date(at) }));
      paths.set(title, path);
      ids.set(title, article.id);
      if (title === '财政预算公开') continue; // set through the API below
      await setDisclosure(ctx, publisher, article.id, { topic, organization, organizationCode, documentNo });
    }
    await stepArticle(ctx, publisher, ids.get('已撤销公开') ?? 0, 'withdraw', { reason: '过期' });
    await importPage(ctx, makePage({ title: '未公开的新闻', publishedAt: new Date('2025-06-01T02:00:00Z') }));
    const bqdt = (await currentSite(store.db)).tree.all().find((c) => c.slug === 'bqdt')?.id ?? 0;
    const draft = await createArticle(ctx, publisher, { channelId: bqdt, title: '草稿公开', bodyHtml: '<p>x</p>' });
    await setDisclosure(ctx, publisher, draft.id, { topic: '财政、金融、审计', organizationCode: CODE_A });
  });
  after(async () => {
    await app?.close();
    await store.dispose();
  });

  test('marking a published article re-renders its page with the metadata table; removing it takes the table away', async () => {
    const path = paths.get('财政预算公开') ?? '';
    assert.equal(metadataRows((await app.inject(path)).body), null);
    const put = await client.request('PUT', `/api/v1/articles/${ids.get('财政预算公开')}/disclosure`, {
      topic: '财政、金融、审计',
      organization: '示范区财政局',
      organizationCode: CODE_B,
      documentNo: '示财〔2025〕1号',
      writtenOn: '2025-02-27',
    });
    assert.equal(put.statusCode, 200, put.body);
    const indexNo = put.json<{ indexNo: string }>().indexNo;
    assert.match(indexNo, new RegExp(`^${CODE_B}/2025-\\d{5}$`));
    const page = (await app.inject(path)).body;
    assert.deepEqual(metadataRows(page), [
      ['索引号', indexNo],
      ['发布机构', '示范区财政局'],
      ['文号', '示财〔2025〕1号'],
      ['成文日期', '2025-02-27'],
      ['发布日期', '2025-03-01'],
      ['主题分类', '财政、金融、审计'],
      ['公开方式', '主动公开'],
    ]);
    assert.match(page, /<caption>政府信息公开<\/caption>/);
    assert.match(page, /<link rel="stylesheet" href="\/assets\/disclosure.css">/);
    const got = await client.request('GET', `/api/v1/articles/${ids.get('财政预算公开')}/disclosure`);
    assert.equal(got.json<{ disclosure: { indexNo: string } }>().disclosure.indexNo, indexNo);
    const removed = await client.request('DELETE', `/api/v1/articles/${ids.get('财政预算公开')}/disclosure`);
    assert.equal(removed.statusCode, 204);
    assert.equal(metadataRows((await app.inject(path)).body), null);
    assert.equal(
      (await client.request('DELETE', `/api/v1/articles/${ids.get('财政预算公开')}/disclosure`)).statusCode,
      404,
    );
    // Marked again: the same article gets a new number, the old one stays retired.
    const again = await client.request('PUT', `/api/v1/articles/${ids.get('财政预算公开')}/disclosure`, {
      topic: '财政、金融、审计',
      organization: '示范区财政局',
      organizationCode: CODE_B,
      documentNo: '示财〔2025〕1号',
    });
    assert.notEqual(again.json<{ indexNo: string }>().indexNo, indexNo);
  });

  test('bad metadata is a 400 that names the field', async () => {
    const response = await client.request('PUT', `/api/v1/articles/${ids.get('财政决算')}/disclosure`, {
      topic: '综合政务',
      organizationCode: 'ABC',
    });
    assert.equal(response.statusCode, 400);
    const body = response.json<{ code: string; message: string; messageEn: string }>();
    assert.equal(body.code, 'FIELD_INVALID');
    assert.equal(body.message, '字段 organizationCode 无效：统一社会信用代码应为 18 位（现为 3 位）');
    const topic = await client.request('PUT', `/api/v1/articles/${ids.get('财政决算')}/disclosure`, { topic: '财政' });
    assert.equal(topic.json<{ messageEn: string }>().messageEn, 'Invalid topic: "财政" is not one of the 主题分类');
  });

  test('the catalogue lists published disclosed articles, newest first, and each filter narrows exactly', async () => {
    const cases: [string, string[]][] = [
      ['', ['教育招生公告', '财政预算公开', '财政决算', '政府工作报告']],
      ['?topic=' + encodeURIComponent('财政、金融、审计'), ['财政预算公开', '财政决算']],
      ['?organization=' + encodeURIComponent('示范区教育局'), ['教育招生公告']],
      ['?year=2024', ['财政决算', '政府工作报告']],
      ['?q=' + encodeURIComponent('示政发'), ['政府工作报告']],
      ['?q=' + encodeURIComponent('决算'), ['财政决算']],
      ['?year=2025&topic=' + encodeURIComponent('财政、金融、审计'), ['财政预算公开']],
      ['?q=' + encodeURIComponent('100%'), []],
    ];
    for (const [query, titles] of cases) {
      const response = await app.inject(`/xxgk.html${query}`);
      assert.equal(response.statusCode, 200, query);
      assert.deepEqual(listedTitles(response.body), titles, query);
      assert.match(response.body, new RegExp(`共 ${titles.length} 条`), query);
    }
    const page = (await app.inject('/xxgk.html')).body;
    assert.match(page, /<caption>公开信息列表<\/caption>/);
    assert.match(
      page,
      /<th scope="col">索引号<\/th><th scope="col">标题<\/th><th scope="col">文号<\/th><th scope="col">发布机构<\/th><th scope="col">主题分类<\/th><th scope="col">发布日期<\/th>/,
    );
    assert.match(page, /<option value="示范区财政局">示范区财政局<\/option>/);
    assert.match(page, new RegExp(`<a href="${paths.get('政府工作报告')}">政府工作报告</a>`));
    assert.match(page, /<a href="\/xxgk.html">政府信息公开目录<\/a>/);
  });

  test('a filter that cannot be one answers 400 on the page', async () => {
    const response = await app.inject('/xxgk.html?year=20x5');
    assert.equal(response.statusCode, 400);
    assert.match(
      response.body,
      /<p class="search-error" role="alert">筛选条件 year 无效：“20x5”不是 1990–2100 之间的数<\/p>/,
    );
    assert.equal((await app.inject('/xxgk.html?topic=' + encodeURIComponent('财政'))).statusCode, 400);
  });

  test('the annual report over the API', async () => {
    const response = await client.request('GET', '/api/v1/disclosure/report?year=2024');
    assert.equal(response.statusCode, 200);
    const report = response.json<{ total: number; withdrawn: number; byOrganization: unknown[] }>();
    assert.deepEqual([report.total, report.withdrawn], [2, 0]);
    assert.deepEqual(report.byOrganization, [
      { organization: '示范区人民政府办公室', organizationCode: CODE_A, total: 1, withdrawn: 0 },
      { organization: '示范区财政局', organizationCode: CODE_B, total: 1, withdrawn: 0 },
    ]);
    assert.equal((await client.request('GET', '/api/v1/disclosure/report?year=1999')).statusCode, 400);
  });
});
