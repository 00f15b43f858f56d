import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { HtmlValidate } from 'html-validate';
import { importPage } from '../../src/services/index.js';
import { inProcessDemo, type InProcessDemo } from '../helpers/app.js';
import { contextFor, type TestStore } from '../helpers/store.js';
import { makePage, phraseCandidates, phraseEstimate, indexSourcesForTest } from '../helpers/factories.js';

describe('search over HTTP', () => {
  let store: TestStore;
  let app: FastifyInstance;

  let demo: InProcessDemo | undefined;

  before(async () => {
    demo = await inProcessDemo();
    ({ store, app } = demo);
    await importPage(
      contextFor(store),
      makePage({
        title: '<b>标签</b> & “引号” 测试',
        bodyHtml: '<p>正文里的 &lt;script&gt; 与 &amp; 符号，李铭出席。</p>',
      }),
    );
  });
  after(() => demo?.close());

  test('GET /api/v1/search answers the documented JSON', async () => {
    const response = await app.inject('/api/v1/search?q=%E6%9D%8E%E9%93%AD&pageSize=1');
    assert.equal(response.statusCode, 200);
    const body = response.json<{
      query: string;
      total: number;
      exact: boolean;
      pages: number;
      hits: Record<string, unknown>[];
      didYouMean: string | null;
    }>();
    assert.equal(body.query, '李铭');
    assert.equal(body.total, 2);
    assert.equal(body.pages, 2);
    assert.equal(body.hits.length, 1);
    assert.deepEqual(Object.keys(body.hits[0]!).sort(), [
      'channel',
      'contentType',
      'date',
      'publishedAt',
      'snippetHtml',
      'title',
      'titleHtml',
      'url',
    ]);
    assert.equal(body.didYouMean, null);
    assert.deepEqual(Object.keys(body).sort(), [
      'didYouMean',
      'exact',
      'hits',
      'page',
      'pageSize',
      'pages',
      'query',
      'total',
    ]);
    assert.equal(body.exact, true);
  });

  test('bad queries get a 400 with a stable code and both languages; never a 500', async () => {
    const cases: [string, string][] = [
      ['/api/v1/search?q=', 'SEARCH_QUERY_EMPTY'],
      ['/api/v1/search', 'BAD_REQUEST'],
      [`/api/v1/search?q=${encodeURIComponent('党'.repeat(201))}`, 'SEARCH_QUERY_TOO_LONG'],
      ['/api/v1/search?q=x&page=0', 'BAD_REQUEST'],
      ['/api/v1/search?q=x&type=video', 'BAD_REQUEST'],
      ['/api/v1/search?q=x&channel=999', 'SEARCH_BAD_FILTER'],
      ['/api/v1/search?q=%22', 'SEARCH_QUERY_EMPTY'],
    ];
    for (const [url, code] of cases) {
      const response = await app.inject(url);
      assert.equal(response.statusCode, 400, url);
      assert.equal(response.json<{ code: string }>().code, code, url);
      assert.ok(response.json<{ message: string }>().message && response.json<{ messageEn: string }>().messageEn, url);
    }
    for (const q of ['NEAR(', 'OR', '*', 'a AND b', '\u0001\u0002李铭', '(((', "' or 1=1 --"]) {
      const response = await app.inject(`/api/v1/search?q=${encodeURIComponent(q)}`);
      assert.ok(response.statusCode === 200 || response.statusCode === 400, `${q}: ${response.statusCode}`);
      assert.doesNotMatch(response.body, /fts5|syntax error|SQLITE/i, q);
    }
  });

  test('/api/openapi.json documents /api/v1/search with its parameters and responses', async () => {
    const spec = (await app.inject('/api/openapi.json')).json<{
      openapi: string;
      paths: {
        '/api/v1/search': {
          get: {
            parameters: { name: string }[];
            responses: Record<
              '200' | '400',
              { content: { 'application/json': { schema: { properties: Record<string, unknown> } } } }
            >;
          };
        };
      };
    }>();
    assert.equal(spec.openapi, '3.0.3');
    const operation = spec.paths['/api/v1/search'].get;
    assert.deepEqual(operation.parameters.map((p: { name: string }) => p.name).sort(), [
      'channel',
      'from',
      'page',
      'pageSize',
      'q',
      'site',
      'to',
      'type',
    ]);
    assert.ok(operation.responses['200'].content['application/json'].schema.properties.hits);
    assert.ok(operation.responses['400'].content['application/json'].schema.properties.code);
  });

  test("unknown API paths answer JSON 404, not the reader's 404 page", async () => {
    const response = await app.inject('/api/v1/nothing');
    assert.equal(response.statusCode, 404);
    assert.equal(response.json<{ code: string }>().code, 'NOT_FOUND');
  });

  test('the search page lists escaped, highlighted results in the site frame', async () => {
    const response = await app.inject('/search?q=%E6%9D%8E%E9%93%AD');
    assert.equal(response.statusCode, 200);
    const html = response.body;
    assert.ok(html.includes('<p class="search-count" role="status">找到 2 条结果，第 1/1 页</p>'));
    assert.ok(html.includes('&lt;b&gt;标签&lt;/b&gt; &amp; “引号” 测试'), 'the title is text');
    assert.ok(html.includes('正文里的 &lt;script&gt; 与 &amp; 符号，<mark>李铭</mark>出席。'));
    assert.ok(html.includes('今天是2025年12月01日 星期一'));
    assert.ok(html.includes('<input id="search-q" name="q" type="search" value="李铭"'));
  });

  test('the search page: empty form, a 400 message for bad input, a did-you-mean link', async () => {
    const empty = await app.inject('/search');
    assert.equal(empty.statusCode, 200);
    assert.doesNotMatch(empty.body, /search-count/);
    const long = await app.inject(`/search?q=${encodeURIComponent('党'.repeat(201))}`);
    assert.equal(long.statusCode, 400);
    assert.ok(long.body.includes('<p class="search-error" role="alert">搜索内容过长（最多 200 个字）</p>'));
    const badPage = await app.inject('/search?q=x&page=abc');
    assert.equal(badPage.statusCode, 400);
    assert.ok(badPage.body.includes('筛选条件 page 无效'));
    const typo = await app.inject(`/search?q=${encodeURIComponent('党键')}`);
    assert.ok(typo.body.includes(`您是不是要找：<a href="/search?q=${encodeURIComponent('党建')}">党建</a>`));
  });

  test('the search page says 约 when the total is an estimate, and the pager goes on past it', async (t) => {
    // 220 candidates for 甲乙丙, 120 of them hits: PostgreSQL counts the first 200 (100 hits).
    const column = await store.db
      .selectFrom('channel')
      .select('id')
      .where('name', '=', '本区动态')
      .executeTakeFirstOrThrow();
    const sources = phraseCandidates({ id: column.id, name: '本区动态' });
    await indexSourcesForTest(t, store, sources);
    const postgres = store.dialect === 'postgres';
    const estimate = postgres ? await phraseEstimate(store) : 120;
    const count = (html: string) => /<p class="search-count" role="status">(.*?)<\/p>/.exec(html)?.[1];
    const q = encodeURIComponent('甲乙丙');
    assert.equal(
      count((await app.inject(`/search?q=${q}`)).body),
      postgres ? `找到约 ${estimate} 条结果，第 1/${Math.ceil(estimate / 10)} 页` : '找到 120 条结果，第 1/12 页',
    );
    const eleventh = (await app.inject(`/search?q=${q}&page=11`)).body;
    const seen = Math.max(estimate, 111);
    assert.equal(
      count(eleventh),
      postgres ? `找到约 ${seen} 条结果，第 11/${Math.ceil(seen / 10)} 页` : '找到 120 条结果，第 11/12 页',
    );
    assert.ok(eleventh.includes(`<a href="/search?q=${q}&amp;page=12" rel="next">下一页</a>`));
    const last = (await app.inject(`/search?q=${q}&page=12`)).body;
    assert.equal(count(last), '找到 120 条结果，第 12/12 页');
    assert.doesNotMatch(last, /rel="next"/);
  });

  test('search pages are valid HTML5', async () => {
    const validator = new HtmlValidate({ extends: ['html-validate:standard'] });
    for (const url of [
      '/search',
      '/search?q=%E6%9D%8E%E9%93%AD',
      `/search?q=${encodeURIComponent('党'.repeat(201))}`,
    ]) {
      const report = await validator.validateString((await app.inject(url)).body);
      assert.deepEqual(
        report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId}: ${m.message}`)),
        [],
        url,
      );
    }
  });
});
