import { describe, test, before, after, type TestContext } from 'node:test';
import { sql } from 'kysely';
import assert from 'node:assert/strict';
import { GazetteError } from '../../src/domain/index.js';
import { importPage, reindexSearch, stepArticle, systemActor, type ImportResult } from '../../src/services/index.js';
import { loadSiteView } from '../../src/publish/index.js';
import { indexDocument, searchLists, searchSite, unindexDocument, type SearchRequest } from '../../src/search/index.js';
import { channels, sites } from '../../src/store/index.js';
import { BACKENDS, contextFor, type TestStore } from '../helpers/store.js';
import {
  COMMON_TERM_PAGES,
  commonTermPages,
  demoSite,
  commonTermTitle,
  commonTermTitled,
  indexSourcesForTest,
  makePage,
  phraseCandidates,
  phraseEstimate,
  planWordPages,
  planWordScore,
  planWordTitle,
} from '../helpers/factories.js';

/** A small corpus whose every answer is known. */
const CORPUS = {
  party: {
    columns: ['本区动态'],
    title: '吴江区召开党建工作会议',
    body: '吴江区委书记李铭出席会议并讲话。会议强调，要扎实推进融入式党建。',
    at: '2025-03-01T02:00:00Z',
  },
  smart: {
    columns: ['政务公开', '部门动态'],
    title: '区数据局发布 Smart City 2.0 指南',
    body: '指南提出 API 接口调用量年增长30%，平台接入设备10,000台。',
    at: '2025-03-02T02:00:00Z',
  },
  policy: {
    columns: ['政务公开', '政策文件'],
    title: '关于印发《优化营商环境若干措施》的通知',
    body: '吴政发〔2024〕12号 各镇人民政府：现将有关措施印发给你们。',
    at: '2025-03-03T02:00:00Z',
  },
  notice: {
    columns: ['通知公告'],
    title: '关于暂停办理业务的公告',
    body: '因系统升级，暂停办理入党建议征集业务一天。',
    at: '2024-06-01T02:00:00Z',
  },
  changshou: {
    columns: ['本区动态'],
    title: '长寿路街道开展志愿服务',
    body: '志愿者走进社区，为老人义诊。',
    at: '2025-03-05T02:00:00Z',
  },
  treesOld: {
    columns: ['本区动态'],
    title: '春季植树活动',
    body: '全区开展春季植树活动。',
    at: '2025-02-01T02:00:00Z',
  },
  treesNew: {
    columns: ['本区动态'],
    title: '春季植树活动',
    body: '全区开展春季植树活动。',
    at: '2025-02-10T02:00:00Z',
  },
  market: {
    columns: ['政务公开', '部门动态'],
    title: '市场监管局检查食品安全',
    body: '坚持党建引领，以党建带队建，以党建促业务。',
    at: '2025-03-04T02:00:00Z',
  },
  traditional: {
    columns: ['本区动态'],
    title: '臺灣同胞參訪團到訪',
    body: '兩岸交流合作座談會在區行政中心舉行。',
    at: '2025-03-06T02:00:00Z',
  },
} as const;

type Key = keyof typeof CORPUS;

for (const backend of BACKENDS) {
  describe(`search on ${backend.name}`, () => {
    let store: TestStore;
    const stored = new Map<Key, ImportResult>();
    const keyOf = new Map<string, Key>();

    const search = async (request: SearchRequest) => {
      // The demo site is the first of the store (a test below adds another for a while).
      const view = await loadSiteView(store.db, 1);
      if (!view) throw new Error('no site');
      return searchSite({ db: store.db, dialect: store.dialect, site: view.site, tree: view.tree }, request);
    };
    /** The corpus keys of the hits, best first. */
    const find = async (q: string, extra: Omit<SearchRequest, 'q'> = {}) =>
      (await search({ q, ...extra })).hits.map((hit) => keyOf.get(hit.url) ?? hit.url);
    const channelId = async (name: string) =>
      (await store.db.selectFrom('channel').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;

    before(async () => {
      store = await backend.open();
      const ctx = contextFor(store);
      await demoSite(ctx);
      for (const [key, doc] of Object.entries(CORPUS) as [Key, (typeof CORPUS)[Key]][]) {
        const result = await importPage(
          ctx,
          makePage({
            columns: [...doc.columns],
            title: doc.title,
            bodyHtml: `<p>${doc.body}</p>`,
            publishedAt: new Date(doc.at),
          }),
        );
        stored.set(key, result);
        keyOf.set(result.path, key);
      }
    });
    after(() => store.dispose());

    test('two-character words find every article that holds them, whole words and title hits first', async () => {
      assert.deepEqual(await find('党建'), ['party', 'market', 'notice']);
    });

    test('a name the segmenter splits (李 / 铭) is found, alone and inside a longer phrase', async () => {
      assert.deepEqual(await find('李铭'), ['party']);
      assert.deepEqual(await find('吴江区委书记李铭'), ['party']);
      assert.deepEqual(await find('区委书记李'), ['party']);
    });

    test('document numbers, whole and in part', async () => {
      assert.deepEqual(await find('吴政发〔2024〕12号'), ['policy']);
      assert.deepEqual(await find('12号'), ['policy']);
      assert.deepEqual(await find('吴政发[2024]12号'), ['policy'], 'other brackets are punctuation too');
    });

    test('mixed Chinese, English and numbers; case and full-width folded', async () => {
      assert.deepEqual(await find('smart city 2.0'), ['smart']);
      assert.deepEqual(await find('ＡＰＩ'), ['smart']);
      assert.deepEqual(await find('10,000台'), ['smart']);
      assert.deepEqual(await find('"city smart"'), [], 'a quoted phrase keeps its order');
    });

    test('pinyin and initials of titles and column names', async () => {
      assert.deepEqual(await find('wujiang'), ['party']);
      assert.deepEqual(await find('wjq'), ['party']);
      assert.deepEqual(await find('changshou'), ['changshou']);
      assert.deepEqual(await find('cslu'), [], 'initials are whole characters: c s l, not "lu"');
      assert.deepEqual(await find('csl'), ['changshou']);
      assert.deepEqual((await find('zhengcewenjian')).sort(), ['policy']);
    });

    test('single characters, traditional characters, exclusion and OR', async () => {
      assert.deepEqual(await find('党'), ['party', 'market', 'notice']);
      assert.deepEqual(await find('台湾'), ['traditional']);
      assert.deepEqual(await find('臺灣 座談'), ['traditional']);
      assert.deepEqual(await find('党建 -吴江'), ['market', 'notice']);
      assert.deepEqual((await find('李铭 OR 营商环境')).sort(), ['party', 'policy']);
      assert.deepEqual(await find('营商环境 OR 李铭 党建'), ['party'], 'every word must match, an OR group as a whole');
    });

    test('channel (with its subtree), date and content-type filters', async () => {
      assert.deepEqual(await find('党建', { channelId: await channelId('政务公开') }), ['market']);
      assert.deepEqual(await find('党建', { channelId: await channelId('部门动态') }), ['market']);
      assert.deepEqual(await find('党建', { channelId: await channelId('本区动态') }), ['party']);
      assert.deepEqual(await find('植树', { from: '2025-02-05' }), ['treesNew']);
      assert.deepEqual(await find('植树', { to: '2025-02-05' }), ['treesOld']);
      // Dates are the site's calendar: 2025-03-01T02:00Z is 10:00 on 1 March in Shanghai.
      assert.deepEqual(await find('党建', { from: '2025-03-01', to: '2025-03-01' }), ['party']);
      assert.deepEqual(await find('党建', { type: 'page' }), []);
      assert.deepEqual(
        await find('长江三角洲', { type: 'page' }),
        ['/zjbq/'],
        'single-page columns are searchable too',
      );
    });

    test('paging walks title hits, then the rest, without repeats or gaps', async () => {
      for (const extra of [{}, { from: '2024-01-01' }] as const) {
        const all = await find('党建', { ...extra, pageSize: 50 });
        const paged: string[] = [];
        for (let page = 1; page <= all.length; page++)
          paged.push(...(await find('党建', { ...extra, pageSize: 1, page })));
        assert.deepEqual(paged, all);
        assert.deepEqual(all, ['party', 'market', 'notice']);
      }
      const excluding = await find('党建 -业务', { pageSize: 50 });
      assert.deepEqual(excluding, ['party']);
    });

    test("another site's pages are never found", async (t) => {
      const { id: _id, ...first } = (await loadSiteView(store.db, 1))!.site;
      const other = await sites.insertSite(
        store.db,
        { ...first, name: '另一个站点', domain: 'other.example.gov.cn' },
        new Date(),
      );
      t.after(() => store.db.deleteFrom('site').where('id', '=', other.id).execute());
      const channel = await channels.insertChannel(
        store.db,
        {
          siteId: other.id,
          parentId: null,
          name: '动态',
          slug: 'dt',
          type: 'list',
          sortOrder: 1,
          description: '',
          keywords: '',
          linkUrl: null,
          bodyHtml: null,
        },
        new Date(),
      );
      t.after(() => store.db.deleteFrom('channel').where('id', '=', channel.id).execute());
      await indexDocument(store.db, store.dialect, {
        key: 'other:1',
        siteId: other.id,
        contentType: 'article',
        articleId: null,
        channelId: channel.id,
        channelName: '动态',
        channelAncestry: [channel.id],
        title: '李铭在另一个站点',
        bodyText: '只在另一个站点出现的独有词汇',
        publishedAt: '2025-03-01T00:00:00.000Z',
      });
      assert.deepEqual(await find('独有词汇'), []);
      assert.deepEqual(await find('李铭'), ['party']);
      await unindexDocument(store.db, store.dialect, 'other:1');
    });

    test('newer first among equally relevant results', async () => {
      assert.deepEqual(await find('植树'), ['treesNew', 'treesOld']);
    });

    /** Indexes a page of the demo site's 本区动态 for one test, removed after it. */
    const indexForTest = async (t: TestContext, key: string, title: string, bodyText: string) => {
      const column = await channelId('本区动态');
      await indexDocument(store.db, store.dialect, {
        key,
        siteId: 1,
        contentType: 'page',
        articleId: null,
        channelId: column,
        channelName: '本区动态',
        channelAncestry: [column],
        title,
        bodyText,
        publishedAt: '2025-03-07T00:00:00.000Z',
      });
      t.after(() => unindexDocument(store.db, store.dialect, key));
    };

    test('regression: a phrase is found after its first bigram has stood more than 256 times', async (t) => {
      // PostgreSQL keeps 256 positions of a lexeme: the phrase's 国办 at the 301st place had none.
      await indexForTest(t, 'test:repeats', '文件汇编', `${'国办，'.repeat(300)}国办发〔2024〕1号`);
      assert.deepEqual(
        (await search({ q: '国办发' })).hits.map((h) => h.title),
        ['文件汇编'],
      );
      assert.deepEqual((await search({ q: '文件汇编 -国办发' })).hits, [], 'and excluded by it');
    });

    test('a phrase at the end of a long page (past 16,383 tokens) is found, and one across a line break is not', async (t) => {
      await indexForTest(
        t,
        'test:long',
        '长篇报告',
        `${'一二三四五六七八九十'.repeat(1700)}，年度发展规划纲要\n规划纲要`,
      );
      assert.deepEqual(
        (await search({ q: '发展规划纲要' })).hits.map((h) => h.title),
        ['长篇报告'],
      );
      assert.deepEqual((await search({ q: '纲要规划' })).hits, []);
    });

    test('a phrase with more candidates than are counted: every hit in order, the total exact or 约', async (t) => {
      // 220 pages hold 甲乙 and 乙丙. Newest first, the first 200 alternate between 甲乙丙 and the
      // two apart; the oldest 20 all hold it: 120 hits. PostgreSQL checks 200 of the candidates
      // and scales the share that hold (约), until paging reaches the end.
      const column = await channelId('本区动态');
      const sources = phraseCandidates({ id: column, name: '本区动态' });
      await indexSourcesForTest(t, store, sources);
      const hits = [
        ...Array.from({ length: 100 }, (_, k) => 218 - 2 * k),
        ...Array.from({ length: 20 }, (_, k) => 19 - k),
      ];
      const titles = (from: number, to: number) => hits.slice(from, to).map((i) => `通知${i}`);
      const postgres = backend.name === 'postgres';
      const estimate = postgres ? await phraseEstimate(store) : 120;
      const shape = (r: Awaited<ReturnType<typeof search>>) => [r.total, r.exact, r.pages, r.hits.map((h) => h.title)];
      const expected = (total: number, titles: string[], pageSize = 10) => [
        total,
        !postgres,
        Math.ceil(total / pageSize),
        titles,
      ];
      assert.deepEqual(shape(await search({ q: '甲乙丙' })), expected(estimate, titles(0, 10)));
      // Page 11 knows a hit follows it, so the pager goes on past the estimate.
      assert.deepEqual(
        shape(await search({ q: '甲乙丙', page: 11 })),
        expected(postgres ? Math.max(estimate, 111) : 120, titles(100, 110)),
      );
      assert.deepEqual(shape(await search({ q: '甲乙丙', page: 12 })), [120, true, 12, titles(110, 120)]);
      assert.deepEqual(
        shape(await search({ q: '甲乙丙', page: 2, pageSize: 50 })),
        expected(estimate, titles(50, 100), 50),
      );
      // Every hit, once, in rank order.
      const all: string[] = [];
      for (let p = 1; p <= 12; p++) all.push(...(await search({ q: '甲乙丙', page: p })).hits.map((h) => h.title));
      assert.deepEqual(all, titles(0, 120));
      // Past the end: nothing, and at most as many hits as the offset.
      assert.deepEqual(
        shape(await search({ q: '甲乙丙', page: 14 })),
        expected(postgres ? Math.min(estimate, 130) : 120, []),
      );
      // Under the cap, and with the phrase excluded, exact again.
      assert.deepEqual(shape(await search({ q: '甲乙丙 通知19' })), [1, true, 1, ['通知19']]);
      assert.equal((await search({ q: '乙丙 -甲乙丙' })).total, 100);
      // In an OR group the phrase's candidates are checked as one group: all 220 hold.
      assert.deepEqual(shape(await search({ q: '甲乙丙 OR 乙丙三组', pageSize: 50 })).slice(0, 3), [220, !postgres, 5]);
    });

    test('a common term: title hits first, then whole words, then newest first; the total 约 from statistics', async (t) => {
      // On PostgreSQL, with statistics, the first pages come from a walk newest first and the
      // total is the planner's estimate (within 5 %); a page past the walk's bound (500 pages)
      // or past the whole-word pages goes to the full ranking, exact. SQLite is always exact.
      const column = await channelId('本区动态');
      await indexSourcesForTest(t, store, commonTermPages({ id: column, name: '本区动态' }));
      if (backend.name === 'postgres') await sql`analyze search_doc, search_vector`.execute(store.db);
      const postgres = backend.name === 'postgres';
      const newestFirst = Array.from({ length: COMMON_TERM_PAGES }, (_, i) => COMMON_TERM_PAGES - 1 - i);
      const titled = newestFirst.filter(commonTermTitled);
      const rest = (digits: (d: number) => boolean) =>
        newestFirst.filter((i) => digits(i % 10) && !commonTermTitled(i));
      const check = async (q: string, ranked: number[], page: number, walked: boolean) => {
        const result = await search({ q, page });
        const titles = ranked.slice((page - 1) * 10, page * 10).map(commonTermTitle);
        assert.deepEqual(
          [result.exact, result.pages, result.hits.map((h) => h.title)],
          [!(postgres && walked), Math.ceil(result.total / 10), titles],
          `${q}, page ${page}`,
        );
        if (postgres && walked)
          assert.ok(Math.abs(result.total - ranked.length) <= ranked.length * 0.05, `${q}: ${result.total}`);
        else assert.equal(result.total, ranked.length, q);
      };
      // 议预: no whole word; the titles, then every other hit.
      const yiyu = [...titled, ...rest((d) => d >= 2)];
      for (const page of [1, 2, 3]) await check('议预', yiyu, page, true);
      await check('议预', yiyu, 60, false);
      // 预算: the titles (whole word too), the whole word newest first, then the fragments (预算法).
      const yusuan = [...titled, ...rest((d) => d >= 2), ...rest((d) => d === 1)];
      for (const page of [1, 2]) await check('预算', yusuan, page, true);
      await check('预算', yusuan, 60, false);
      await check('预算', yusuan, 125, false);
    });

    test('a word in hundreds of pages: titles, then its pages newest first, then the fragments', async (t) => {
      // On PostgreSQL the word's pages are read as ids: the titles are ranked with them (pages
      // 1–15), then the word's other pages are walked newest first (pages 16 to 99; page 60 is
      // past what a walk reading each page's words examines). The last page of them wants one
      // more, a fragment, and goes to the full ranking, exact, as every page after it does
      // (pages 100 and 150). SQLite ranks every page, exactly.
      const column = await channelId('本区动态');
      await indexSourcesForTest(t, store, planWordPages({ id: column, name: '本区动态' }));
      if (backend.name === 'postgres') await sql`analyze search_doc, search_vector`.execute(store.db);
      const postgres = backend.name === 'postgres';
      const ranked = Array.from({ length: COMMON_TERM_PAGES }, (_, i) => i).sort(
        (a, b) => planWordScore(b) - planWordScore(a) || b - a,
      );
      for (const [page, walked] of [
        [1, true],
        [15, true],
        [16, true],
        [60, true],
        [99, true],
        [100, false],
        [150, false],
      ] as const) {
        // In a transaction of its own: a store keeps the statistics' shares for a minute, and
        // the test before this one read them before these pages were analysed.
        const result = await store.db.transaction().execute(async (trx) => {
          const view = await loadSiteView(trx, 1);
          if (!view) throw new Error('no site');
          return searchSite({ db: trx, dialect: store.dialect, site: view.site, tree: view.tree }, { q: '预案', page });
        });
        assert.deepEqual(
          [result.exact, result.pages, result.hits.map((h) => h.title)],
          [
            !(postgres && walked),
            Math.ceil(result.total / 10),
            ranked.slice((page - 1) * 10, page * 10).map(planWordTitle),
          ],
          `page ${page}`,
        );
        if (postgres && walked)
          assert.ok(Math.abs(result.total - ranked.length) <= ranked.length * 0.05, `page ${page}: ${result.total}`);
        else assert.equal(result.total, ranked.length, `page ${page}`);
      }
    });

    if (backend.name === 'postgres')
      test("a search inside the caller's transaction leaves its settings as they were", async () => {
        const view = (await loadSiteView(store.db, 1))!;
        await store.db.transaction().execute(async (trx) => {
          const scope = { db: trx, dialect: store.dialect, site: view.site, tree: view.tree };
          // The caller's own settings, not the server's defaults, are what come back.
          await sql`set local random_page_cost = 3`.execute(trx);
          await sql`set local enable_seqscan = off`.execute(trx);
          assert.deepEqual(
            (await searchSite(scope, { q: '李铭' })).hits.map((h) => h.title),
            ['吴江区召开党建工作会议'],
          );
          const setting = await sql<{ seqscan: string; randomPageCost: string }>`select
            current_setting('enable_seqscan') as seqscan, current_setting('random_page_cost') as random_page_cost`.execute(
            trx,
          );
          assert.deepEqual(setting.rows, [{ seqscan: 'off', randomPageCost: '3' }]);
        });
      });

    if (backend.name === 'postgres')
      test('a page indexed before the plain text was kept is still found by its phrases', async (t) => {
        await indexForTest(t, 'test:legacy', '春季植树节活动', '各街道组织居民参加义务植树活动。');
        await sql`update search_vector set plain = '' from search_doc d
          where d.id = search_vector.doc_id and d.doc_key = 'test:legacy'`.execute(store.db);
        assert.deepEqual(
          (await search({ q: '义务植树活动' })).hits.map((h) => h.title),
          ['春季植树节活动'],
        );
        assert.deepEqual((await search({ q: '义务活动' })).hits, []);
      });

    test('results carry highlighted, escaped title and snippet, date and channel', async () => {
      const result = await search({ q: '李铭' });
      assert.equal(result.total, 1);
      assert.deepEqual(result.hits[0], {
        title: '吴江区召开党建工作会议',
        titleHtml: '吴江区召开党建工作会议',
        url: stored.get('party')?.path,
        snippetHtml: '吴江区委书记<mark>李铭</mark>出席会议并讲话。会议强调，要扎实推进融入式党建。',
        publishedAt: '2025-03-01T02:00:00.000Z',
        date: '2025-03-01',
        channel: { id: await channelId('本区动态'), name: '本区动态' },
        contentType: 'article',
      });
      const traditional = await search({ q: '台湾' });
      assert.equal(traditional.hits[0]?.titleHtml, '<mark>臺灣</mark>同胞參訪團到訪');
    });

    test('did you mean: a frequent title word one edit or one homophone away', async () => {
      const typo = await search({ q: '党键' });
      assert.equal(typo.total, 0);
      assert.equal(typo.didYouMean, '党建');
      assert.equal((await search({ q: '无江' })).didYouMean, '吴江');
      assert.equal((await search({ q: '無江' })).didYouMean, '吴江', 'a traditional-character query is corrected too');
      assert.equal((await search({ q: '量子纠缠' })).didYouMean, null);
      assert.equal((await search({ q: '李铭' })).didYouMean, null);
    });

    test("the site's synonyms and stop words", async () => {
      const site = await loadSiteView(store.db);
      assert.deepEqual(await find('投资环境'), []);
      await searchLists.addSynonyms(store.db, site!.site.id, ['营商环境', '投资环境']);
      assert.deepEqual(await find('投资环境'), ['policy']);
      assert.deepEqual(await find('的 李铭'), ['party'], '的 is a default stop word');
      await searchLists.removeStopWord(store.db, site!.site.id, '的');
      assert.deepEqual(await find('的 李铭'), []);
    });

    test('bad input: a clear error for empty and over-long queries, sensible results for the rest', async () => {
      const refuses = async (request: SearchRequest, code: string) =>
        assert.rejects(
          search(request),
          (error: unknown) => error instanceof GazetteError && error.code === code && error.status === 400,
        );
      await refuses({ q: '' }, 'SEARCH_QUERY_EMPTY');
      await refuses({ q: '"' }, 'SEARCH_QUERY_EMPTY');
      await refuses({ q: '*' }, 'SEARCH_QUERY_EMPTY');
      await refuses({ q: '党'.repeat(201) }, 'SEARCH_QUERY_TOO_LONG');
      await refuses({ q: '党建', channelId: 99_999 }, 'SEARCH_BAD_FILTER');
      await refuses({ q: '党建', from: '2025-13-01' }, 'SEARCH_BAD_FILTER');
      await refuses({ q: '党建', from: '2025-03-02', to: '2025-03-01' }, 'SEARCH_BAD_FILTER');
      await refuses({ q: '党建', type: 'video' }, 'SEARCH_BAD_FILTER');
      await refuses({ q: '党建', page: 0 }, 'SEARCH_BAD_FILTER');
      assert.deepEqual(await find('李\u0000铭\u0007'), ['party']);
      assert.deepEqual(await find('NEAR(李铭'), []);
      assert.deepEqual(await find('李铭 NEAR('), []);
      assert.deepEqual(await find('李铭*'), ['party']);
      assert.deepEqual(await find('OR'), []);
      assert.deepEqual(await find('李铭 OR'), ['party']);
      assert.deepEqual(await find('"李铭'), ['party']);
      assert.deepEqual(await find("李铭' ; drop table article; --"), []);
      assert.equal((await search({ q: '党建', page: 500 })).hits.length, 0);
    });

    test('an article is gone from search the moment it is withdrawn, and an edit replaces its words', async () => {
      const ctx = contextFor(store);
      const party = stored.get('party')!;
      await stepArticle(ctx, systemActor('test'), party.article.id, 'withdraw', { reason: '测试撤稿' });
      assert.deepEqual(await find('李铭'), []);
      assert.deepEqual(await find('党建'), ['market', 'notice']);

      const market = CORPUS.market;
      await importPage(
        ctx,
        makePage({
          columns: [...market.columns],
          title: market.title,
          bodyHtml: '<p>抽检蔬菜水果200批次。</p>',
          publishedAt: new Date(market.at),
        }),
      );
      assert.deepEqual(await find('党建'), ['notice']);
      assert.deepEqual(await find('蔬菜'), ['market']);
    });

    test('reindex rebuilds the same answers and drops what is no longer public', async () => {
      const site = (await loadSiteView(store.db))!.site;
      await store.db
        .deleteFrom('searchDoc')
        .where('docKey', '=', `article:${stored.get('notice')!.article.id}`)
        .execute();
      const progress: number[] = [];
      const { indexed } = await reindexSearch(contextFor(store), site.id, ({ done }) => progress.push(done));
      assert.equal(
        indexed,
        Object.keys(CORPUS).length - 1 + 1,
        'every published article but the withdrawn one, and the page column',
      );
      assert.equal(progress[progress.length - 1], indexed);
      assert.deepEqual(await find('党建'), ['notice']);
      assert.deepEqual(await find('李铭'), []);
    });

    if (backend.name === 'postgres')
      test('a reindex leaves no entries pending in the GIN indexes, which every query would scan', async () => {
        const site = (await loadSiteView(store.db))!.site;
        await reindexSearch(contextFor(store), site.id);
        const left = await sql<{ name: string; pages: number }>`select c.relname as name,
            gin_clean_pending_list(c.oid::regclass)::int as pages
          from pg_index i join pg_class c on c.oid = i.indexrelid join pg_am a on a.oid = c.relam
          where i.indrelid = 'search_vector'::regclass and a.amname = 'gin' order by c.relname`.execute(store.db);
        assert.deepEqual(left.rows, [
          { name: 'search_vector_grams', pages: 0 },
          { name: 'search_vector_initials', pages: 0 },
          { name: 'search_vector_pinyin', pages: 0 },
          { name: 'search_vector_title', pages: 0 },
          { name: 'search_vector_words', pages: 0 },
        ]);
      });
  });
}
