import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { HtmlValidate } from 'html-validate';
import { importPage, stepArticle, systemActor } from '../../src/services/index.js';
import { parseHtmlPage } from '../../src/importers/index.js';
import { articles } from '../../src/store/index.js';
import { loadTheme } from '../../src/theme/index.js';
import { demoApp, inProcessDemo, type InProcessDemo } from '../helpers/app.js';
import { contextFor, pinnedClock, TEST_BACKEND, testStore, type TestStore } from '../helpers/store.js';
import { makePage } from '../helpers/factories.js';
import { mainLines } from '../helpers/pages.js';

const SEED_TITLE = '百年逐“一”梦 使命“同”担当丨吴江以“融入式党建”新成效向党“表白”';

function metaTags(html: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const m of html.matchAll(/<meta name="([A-Za-z]+)" content="([^"]*)">/g)) if (m[1]) tags[m[1]] = m[2] ?? '';
  return tags;
}

function mainText(html: string): string {
  const main = /<main[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1] ?? '';
  return main
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

describe('public pages', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let seedPath: string;

  let demo: InProcessDemo | undefined;

  before(async () => {
    // Shown view counts exact on every read, for the counter's test.
    demo = await inProcessDemo({ viewsRefreshMs: 0 });
    ({ store, app } = demo);
    const row = await store.db
      .selectFrom('article')
      .select('id')
      .where('title', '=', SEED_TITLE)
      .executeTakeFirstOrThrow();
    seedPath = `/bqdt/202105/t20210520_${row.id}.html`;
  });
  after(() => demo?.close());

  test('GET /healthz answers 200 with the store kind', async () => {
    const response = await app.inject('/healthz');
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { status: 'ok', store: TEST_BACKEND ?? 'sqlite' });
  });

  test('the article page: breadcrumb, title, source and time line, body, tools, neighbours', async () => {
    const response = await app.inject(seedPath);
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'text/html; charset=utf-8');
    const html = response.body;
    assert.ok(html.includes('<p class="today">今天是2025年12月01日 星期一</p>'));
    assert.ok(
      html.includes(
        '<nav class="breadcrumb" aria-label="当前位置"><a href="/">首页</a> <span aria-hidden="true">&gt;</span> <a href="/bqdt/">本区动态</a> <span aria-hidden="true">&gt;</span> <span aria-current="page">正文</span></nav>',
      ),
    );
    assert.ok(html.includes(`<h1 class="article-title" id="article-title">${SEED_TITLE}</h1>`));
    assert.ok(
      html.includes(
        '<span>来源: 本站</span> <span>发布时间:<time datetime="2021-05-20T14:19:00.000Z">2021-05-20 22:19</time></span>',
      ),
    );
    assert.ok(html.includes('<h2>《融•国家战略》</h2>'));
    for (const tool of ['>大</button>', '>中</button>', '>小</button>', '>打印本页</button>', '>关闭窗口</button>'])
      assert.ok(html.includes(tool), tool);
    assert.ok(html.includes('<p>上一篇：没有了</p>'));
    assert.match(
      html,
      /<p>下一篇：<a href="\/bqdt\/202511\/t20251118_\d+\.html" rel="next">示范区2025年科技活动周开幕 百余项成果集中亮相<\/a><\/p>/,
    );
    // 相关文章 lists what the column published just before; the seed is the oldest, so it has none.
    assert.doesNotMatch(html, /related-title/);
    const newer = (await app.inject(html.match(/href="(\/bqdt\/202511\/t20251118_\d+\.html)"/)?.[1] ?? '/')).body;
    assert.match(newer, /<h2 id="related-title">相关文章<\/h2>/);
    assert.ok(newer.includes(SEED_TITLE));
  });

  test('the article page carries the government meta tags', async () => {
    const html = (await app.inject(seedPath)).body;
    const tags = metaTags(html);
    assert.deepEqual(tags, {
      viewport: tags.viewport,
      SiteName: '示范区人民政府',
      SiteDomain: 'www.example.gov.cn',
      SiteIDCode: '3205090001',
      ColumnName: '本区动态',
      ColumnType: '要闻动态',
      ArticleTitle: SEED_TITLE,
      PubDate: '2021-05-20 22:19',
      ContentSource: '示范区人民政府',
      Keywords: '本区动态,要闻',
      Description: tags.Description,
      Url: `https://www.example.gov.cn${seedPath}`,
    });
    assert.ok(tags.Description?.startsWith('习近平总书记在党史学习教育动员大会上强调'));
    assert.ok(tags.Description?.endsWith('…'));
  });

  test('浏览次数 counts each GET; HEAD reads without counting', async () => {
    const views = async (method: 'GET' | 'HEAD' = 'GET') => {
      const response = await app.inject({ method, url: seedPath });
      return method === 'HEAD' ? response.statusCode : Number(/<span>浏览次数: (\d+)<\/span>/.exec(response.body)?.[1]);
    };
    const first = await views();
    assert.equal(await views(), first + 1);
    assert.equal(await views('HEAD'), 200);
    assert.equal(await views(), first + 2);
  });

  test("the date bar is the reader's today, not the day the page was made", async () => {
    const wednesday = await demoApp(store, { clock: pinnedClock('2025-12-03T07:59:00+08:00'), pages: false });
    try {
      const html = (await wednesday.inject(seedPath)).body;
      assert.ok(html.includes('<p class="today">今天是2025年12月03日 星期三</p>'));
    } finally {
      await wednesday.close();
    }
  });

  test("the home page: the default look's blocks for the demo's columns, with the footer", async () => {
    const response = await app.inject('/');
    assert.equal(response.statusCode, 200);
    const html = response.body;
    // No article is marked 头条 or 图片新闻, no 专题, no letter and no link group: those blocks are left out.
    assert.deepEqual(mainLines(html), [
      '示范区人民政府',
      '新闻动态',
      '本区动态',
      '更多',
      '示范区2025年科技活动周开幕 百余项成果集中亮相 2025-11-18',
      '百年逐“一”梦 使命“同”担当丨吴江以“融入式党建”新成效向党“表白” 2021-05-20',
      '通知公告',
      '更多',
      '关于2026年元旦假期有关工作安排的通知 2025-11-28',
      '政务公开',
      '更多',
      // 政务公开's tab gathers its sub-columns' articles, newest first.
      '区市场监管局开展“守护消费”食品安全专项检查 2025-11-26',
      '示范区关于进一步优化营商环境的若干措施 2025-11-20',
      '2025年区属事业单位公开招聘工作人员拟聘用人员公示 2025-11-10',
      '政务公开',
      '更多',
      '政府信息公开目录',
      '依申请公开',
      '部门动态',
      '区市场监管局开展“守护消费”食品安全专项检查 2025-11-26',
      '政策文件',
      '示范区关于进一步优化营商环境的若干措施 2025-11-20',
      '人事信息',
      '2025年区属事业单位公开招聘工作人员拟聘用人员公示 2025-11-10',
      '办事服务',
      '政府信息公开目录',
      '依申请公开',
      '领导信箱',
      '互动交流',
      '更多',
      '领导信箱 写信反映问题、提出意见建议',
      '意见征集 对政策文件草案发表意见',
      '网上调查 参与问卷调查',
    ]);
    for (const footer of [
      '主办单位：示范区人民政府办公室',
      '网站标识码：3205090001',
      '苏ICP备00000000号',
      '苏公网安备 32050902000000号',
    ]) {
      assert.ok(html.includes(footer), footer);
    }
    assert.equal(metaTags(html).SiteIDCode, '3205090001');
  });

  test('channel pages: newest-first lists counted from the oldest end, so old pages never change', async () => {
    // Through the app's own context, so that its publisher hears of each change.
    const ctx = app.gazette.context;
    const settled = () => app.gazette.publisher.idle();
    for (let i = 1; i <= 45; i++) {
      await importPage(
        ctx,
        makePage({
          columns: ['通知公告'],
          title: `分页测试${String(i).padStart(2, '0')}`,
          publishedAt: new Date(Date.UTC(2024, 0, i)),
        }),
      );
    }
    await settled();
    const titles = (html: string) => [...html.matchAll(/<li><a href="[^"]+">([^<]+)<\/a> <time/g)].map((m) => m[1]);
    const numbered = (from: number, to: number) => {
      const list: string[] = [];
      for (let i = from; i >= to; i--) list.push(`分页测试${String(i).padStart(2, '0')}`);
      return list;
    };
    // 46 articles: chunks 1 (oldest 20), 2 (next 20) and 3 (the newest 6). The front page shows the
    // partial newest chunk with the full one before it: 26 articles, none repeated on later pages.
    const front = await app.inject('/tzgg/');
    assert.equal(front.statusCode, 200);
    assert.deepEqual(titles(front.body), ['关于2026年元旦假期有关工作安排的通知', ...numbered(45, 21)]);
    assert.ok(front.body.includes('<a href="/tzgg/index_1.html" rel="next">下一页</a>'));
    assert.ok(front.body.includes('<span class="count">共 46 条</span>'));
    const chunk1 = await app.inject('/tzgg/index_1.html');
    assert.deepEqual(titles(chunk1.body), numbered(20, 1));
    assert.ok(chunk1.body.includes('<a href="/tzgg/">最新</a>'));
    assert.ok(chunk1.body.includes('<a href="/tzgg/index_2.html" rel="prev">上一页</a>'));
    assert.ok(!chunk1.body.includes('rel="next"'));
    assert.ok(chunk1.body.includes('<span class="count">2024-01-01 至 2024-01-20</span>'));
    const chunk3 = await app.inject('/tzgg/index_3.html');
    assert.deepEqual(titles(chunk3.body), ['关于2026年元旦假期有关工作安排的通知', ...numbered(45, 41)]);
    assert.ok(chunk3.body.includes('<a href="/tzgg/" rel="prev">上一页</a>'));
    const past = await app.inject('/tzgg/index_4.html');
    assert.deepEqual([past.statusCode, past.headers.location], [302, '/tzgg/']);

    // A new article changes the front page and the newest chunk only.
    const before = { 1: chunk1.body, 2: (await app.inject('/tzgg/index_2.html')).body };
    await importPage(
      ctx,
      makePage({ columns: ['通知公告'], title: '分页测试新稿', publishedAt: new Date(Date.UTC(2025, 11, 2)) }),
    );
    await settled();
    assert.equal((await app.inject('/tzgg/index_1.html')).body, before[1]);
    assert.equal((await app.inject('/tzgg/index_2.html')).body, before[2]);
    assert.equal(titles((await app.inject('/tzgg/index_3.html')).body)[0], '分页测试新稿');

    // A back-dated article takes its place in time order: every chunk from its own on shifts.
    const old = await importPage(
      ctx,
      makePage({ columns: ['通知公告'], title: '分页测试补录', publishedAt: new Date(Date.UTC(2023, 5, 1)) }),
    );
    await settled();
    assert.deepEqual(titles((await app.inject('/tzgg/index_1.html')).body), [...numbered(19, 1), '分页测试补录']);
    assert.equal(titles((await app.inject('/tzgg/index_2.html')).body)[19], '分页测试20');
    // Withdrawn, it leaves its place and the chunks close up again.
    await stepArticle(ctx, systemActor('test'), old.article.id, 'withdraw', { reason: '补录有误' });
    await settled();
    assert.equal((await app.inject('/tzgg/index_1.html')).body, before[1]);
  });

  test('a parent column lists its sub-columns and their articles; an empty column says so', async () => {
    const zwgk = await app.inject('/zwgk/');
    assert.ok(zwgk.body.includes('<nav class="subnav" aria-label="政务公开子栏目">'));
    assert.ok(zwgk.body.includes('<a href="/zwgk/bmdt/">部门动态</a>'));
    assert.ok(zwgk.body.includes('区市场监管局开展“守护消费”食品安全专项检查'));
    const bmdt = await app.inject('/zwgk/bmdt/');
    assert.ok(
      bmdt.body.includes(
        '<a href="/">首页</a> <span aria-hidden="true">&gt;</span> <a href="/zwgk/">政务公开</a> <span aria-hidden="true">&gt;</span> <a href="/zwgk/bmdt/" aria-current="page">部门动态</a>',
      ),
    );
    await store.db
      .deleteFrom('article')
      .where(
        'channelId',
        '=',
        (await store.db.selectFrom('channel').select('id').where('slug', '=', 'rsxx').executeTakeFirstOrThrow()).id,
      )
      .execute();
    assert.ok((await app.inject('/zwgk/rsxx/')).body.includes('<p class="empty">本栏目暂无信息</p>'));
  });

  test('a single-page column shows its own content', async () => {
    const response = await app.inject('/zjbq/');
    assert.equal(response.statusCode, 200);
    assert.ok(mainText(response.body).includes('示范区位于长江三角洲腹地'));
    assert.equal((await app.inject('/zjbq/index_2.html')).statusCode, 404);
    assert.equal((await app.inject('/zjbq/index_1.html')).statusCode, 404);
  });

  test('text stays text: <, & and quotes in titles and bodies never become markup', async () => {
    const result = await importPage(
      contextFor(store),
      makePage({
        title: `<script>alert("t")</script> A&B 'q'`,
        bodyHtml: '<p>&lt;img src=x onerror=alert(1)&gt; &amp; "引号"</p>',
      }),
    );
    const html = (await app.inject(result.path)).body;
    assert.ok(
      html.includes(
        '<h1 class="article-title" id="article-title">&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt; A&amp;B &#39;q&#39;</h1>',
      ),
    );
    assert.ok(html.includes('<p>&lt;img src=x onerror=alert(1)&gt; &amp; "引号"</p>'));
    assert.ok(!html.includes('<script>alert'));
  });

  test('an old article address redirects to where the article lives now; a withdrawn article is 410, a draft 404', async () => {
    const result = await importPage(contextFor(store), makePage({ columns: ['本区动态'] }));
    const moved = await importPage(contextFor(store), {
      ...makePage({ columns: ['通知公告'] }),
      title: result.article.title,
      publishedAt: new Date(result.article.publishedAt ?? ''),
    });
    assert.equal(moved.article.id, result.article.id);
    const response = await app.inject(result.path);
    assert.equal(response.statusCode, 301);
    assert.equal(response.headers.location, moved.path);
    await articles.updateArticle(store.db, result.article.id, { status: 'withdrawn' }, new Date());
    const gone = await app.inject(moved.path);
    assert.equal(gone.statusCode, 410);
    assert.match(gone.body, /<h1[^>]*>该信息已撤销<\/h1>/);
    await articles.updateArticle(store.db, result.article.id, { status: 'draft' }, new Date());
    assert.equal((await app.inject(moved.path)).statusCode, 404);
  });

  test('unknown and malformed addresses get the 404 page in the site frame', async () => {
    for (const url of [
      '/nope/',
      '/bqdt/202105/t20210520_999999.html',
      '/%E0%A4%A',
      '/wp-login.php',
      '/bqdt/index_0.html',
    ]) {
      const response = await app.inject(url);
      assert.equal(response.statusCode, 404, url);
      assert.ok(response.body.includes('<h1 id="error-title">您访问的页面不存在</h1>'), url);
      assert.ok(response.body.includes('<nav class="channel-nav" aria-label="栏目导航">'), url);
      assert.ok(response.body.includes('今天是2025年12月01日 星期一'), url);
    }
  });

  test('a failure while rendering gets the 500 page in the site frame', async () => {
    const theme = loadTheme();
    const broken = await demoApp(store, {
      pages: false,
      theme: {
        ...theme,
        render: (name, model) => {
          if (name === 'home') throw new Error('template exploded');
          return theme.render(name, model);
        },
      },
    });
    try {
      const response = await broken.inject('/');
      assert.equal(response.statusCode, 500);
      assert.ok(response.body.includes('<h1 id="error-title">服务器暂时无法处理您的请求</h1>'));
      assert.ok(response.body.includes('<nav class="channel-nav" aria-label="栏目导航">'));
      assert.ok(!response.body.includes('template exploded'), 'no internals leak to readers');
    } finally {
      await broken.close();
    }
  });

  test('the theme assets are served with a cache lifetime', async () => {
    const css = await app.inject('/assets/site.css');
    assert.equal(css.statusCode, 200);
    assert.match(String(css.headers['content-type']), /^text\/css/);
    assert.ok(css.body.includes('@media print'));
    assert.equal(css.headers['cache-control'], 'public, max-age=3600');
  });

  test('every page kind is valid HTML5', async () => {
    const validator = new HtmlValidate({ extends: ['html-validate:standard'] });
    for (const url of ['/', '/bqdt/', '/zwgk/', '/zjbq/', seedPath, '/nope']) {
      const report = await validator.validateString((await app.inject(url)).body);
      const messages = report.results.flatMap((r) =>
        r.messages.map((m) => `${m.ruleId}: ${m.message} (line ${m.line})`),
      );
      assert.deepEqual(messages, [], url);
    }
  });

  test('an article page imports back through the HTML importer unchanged', async () => {
    const html = (await app.inject(seedPath)).body;
    const page = parseHtmlPage(html, 'Asia/Shanghai');
    const stored = await store.db
      .selectFrom('article')
      .selectAll()
      .where('title', '=', SEED_TITLE)
      .executeTakeFirstOrThrow();
    assert.deepEqual(page.columns, ['本区动态']);
    assert.equal(page.title, SEED_TITLE);
    assert.equal(page.source, null);
    assert.equal(page.publishedAt.toISOString(), stored.publishedAt);
    assert.equal(page.bodyHtml, stored.bodyHtml);
  });

  test('when the store is gone, /healthz answers 503', async (t) => {
    const other = await testStore();
    t.after(() => other.dispose());
    const lonely = await demoApp(other, { pages: false });
    try {
      await other.dispose();
      const response = await lonely.inject('/healthz');
      assert.equal(response.statusCode, 503);
      assert.equal(response.json<{ code: string }>().code, 'STORE_UNAVAILABLE');
    } finally {
      await lonely.close();
    }
  });
});
