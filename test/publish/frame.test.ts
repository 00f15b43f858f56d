import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { parseDocument } from 'htmlparser2';
import { findOne, textContent } from 'domutils';
import type { Element } from 'domhandler';
import { DEFAULT_ACCENT_COLOUR, DEFAULT_MAIN_COLOUR, type SiteLook } from '../../src/domain/index.js';
import {
  buildSite,
  contentTypeOf,
  loadSiteView,
  locatePublicPath,
  lookStylesheet,
  renderPublicPath,
  type PublishRun,
  type SiteView,
} from '../../src/publish/index.js';
import { createChannel, systemActor, updateChannel, type ServiceContext } from '../../src/services/index.js';
import { loadTheme } from '../../src/theme/index.js';
import { demoApp } from '../helpers/app.js';
import { mainLines } from '../helpers/pages.js';
import { testStore, type TestStore } from '../helpers/store.js';

/** The text of the first element of this name, a line per line of markup, blank lines dropped. */
function linesOf(html: string, name: string): string[] {
  const element = findOne((e: Element) => e.name === name, parseDocument(html).children);
  assert.ok(element, `no <${name}>`);
  return textContent(element)
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '');
}

/** The lines of markup from the first line holding `from` up to the first after it holding `to`, trimmed. */
function markupLines(html: string, from: string, to: string): string[] {
  const lines = html.split('\n').map((line) => line.trim());
  const start = lines.findIndex((line) => line.includes(from));
  const end = lines.findIndex((line, i) => i > start && line.includes(to));
  assert.ok(start >= 0 && end > start, `${from} … ${to}`);
  return lines.slice(start, end + 1);
}

/** The masthead's markup up to the link home (the search form after it is the same for every look). */
const masthead = (page: string) => markupLines(page, '<div class="masthead', 'class="site-name');

const LOOK: SiteLook = {
  mainColour: '#1A4D8F',
  accentColour: '#0f3566',
  logo: { url: '/media/2025/12/logo.png', alt: '示范区区徽' },
  banner: { url: '/media/2025/12/banner.jpg', alt: '示范区人民政府' },
  favicon: '/media/2025/12/favicon.png',
  blocks: [],
};

const DEMO_SITE_MAP = [
  '首页 > 网站地图',
  '网站地图',
  '网站栏目',
  '本区动态',
  '通知公告',
  '政务公开',
  '部门动态',
  '政策文件',
  '人事信息',
  '走进本区',
  '政务公开',
  '政府信息公开目录',
  '依申请公开',
  '互动交流',
  '领导信箱',
  '我要写信',
  '意见征集',
  '网上调查',
  '网站服务',
  '站内搜索',
  'RSS 订阅',
  '联系我们',
  '主办单位',
  '示范区人民政府办公室',
  '地址',
  '示范区人民政府大楼（中山路1号）',
  '联系电话',
  '0512-00000000',
  '网上留言',
  '我要写信',
  '无障碍与适老化服务',
  '长者模式：点击每页顶部的“长者模式”按钮，文字和行距加大、对比更强、鼠标指针放大，页面改为单栏；本站各页面都会保持这一设置，再次点击即可关闭。',
  '语音朗读：点击每页顶部的“语音朗读”按钮后，可以朗读全文，指向或用 Tab 键选中的内容也会读出（需要浏览器支持语音合成）。',
  '键盘与读屏：每页的第一个链接“跳到主要内容”可以越过导航；全部功能都可以用键盘操作，图片都有文字说明。本站页面按照 WCAG 2.1 AA 级要求设计。',
  '使用中遇到困难，欢迎通过我要写信告诉我们。',
];

describe('the frame every page shares: masthead, footer, /look.css and 网站地图', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let ctx: ServiceContext;
  let view: SiteView;
  const runs: PublishRun[] = [];
  const theme = loadTheme();
  const admin = systemActor('test');

  before(async () => {
    store = await testStore();
    app = await demoApp(store, { pages: false, app: { onPublished: (run) => void runs.push(run) } });
    ctx = app.gazette.context;
    const loaded = await loadSiteView(store.db);
    assert.ok(loaded);
    view = loaded;
  });
  after(async () => {
    await app?.close();
    await store.dispose();
  });

  const html = async (looked: SiteView, path: string) => {
    const rendered = await renderPublicPath(store.db, theme, looked, path);
    assert.equal(rendered.kind, 'page', path);
    return rendered.kind === 'page' ? rendered.html : '';
  };

  test('the footer: 主办单位, address and contact, 网站标识码 and the records, 网站地图, 联系我们, 找错 and the marks', async () => {
    const page = (await app.inject('/')).body;
    assert.deepEqual(linesOf(page, 'footer'), [
      '网站地图',
      '联系我们',
      '政府信息公开目录',
      '领导信箱',
      '依申请公开',
      '意见征集',
      '网上调查',
      '主办单位：示范区人民政府办公室',
      '地址：示范区人民政府大楼（中山路1号） 联系电话：0512-00000000',
      '网站标识码：3205090001 苏ICP备00000000号 苏公网安备 32050902000000号',
      '政府网站找错',
      '适老化',
      '无障碍',
    ]);
    assert.deepEqual(markupLines(page, '<p><span>网站标识码', '</ul>'), [
      '<p><span>网站标识码：3205090001</span> <a class="record" href="https://beian.miit.gov.cn/" rel="noopener">苏ICP备00000000号</a> <a class="record" href="https://www.beian.gov.cn/portal/registerSystemInfo?recordcode=32050902000000" rel="noopener">苏公网安备 32050902000000号</a></p>',
      '<ul class="footer-marks">',
      '<li><a class="error-report" href="https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteInfo.action?sitecode=3205090001" rel="noopener">政府网站找错</a></li>',
      '<li><a href="/sitemap.html#elder"><img src="/assets/marks/elder.svg" alt="" width="32" height="32"> 适老化</a></li>',
      '<li><a href="/sitemap.html#accessibility"><img src="/assets/marks/accessible.svg" alt="" width="32" height="32"> 无障碍</a></li>',
      '</ul>',
    ]);
    assert.ok(page.includes('<li><a href="/sitemap.html#contact">联系我们</a></li>'));
  });

  test('a site without records or contact details shows none of their lines or links', async () => {
    const bare = { ...view.site, address: '', contact: '', siteCode: '', icpRecord: '', policeRecord: '' };
    const page = await html({ ...view, site: bare }, '/sitemap.html');
    assert.deepEqual(linesOf(page, 'footer').slice(7), ['主办单位：示范区人民政府办公室', '适老化', '无障碍']);
    assert.ok(!page.includes('zfwzzc.www.gov.cn') && !page.includes('beian'));
  });

  test('without a look the masthead is the name on the main colour, with the theme’s favicon and /look.css after site.css', async () => {
    const page = (await app.inject('/')).body;
    assert.deepEqual(masthead(page), [
      '<div class="masthead">',
      '<div class="wrap">',
      '<a class="site-name" href="/">示范区人民政府</a>',
    ]);
    assert.deepEqual(markupLines(page, '<link rel="icon"', '</script>'), [
      '<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">',
      '<link rel="stylesheet" href="/assets/site.css">',
      '<link rel="stylesheet" href="/look.css">',
      '<link rel="stylesheet" href="/site-mode.css">',
      '<script src="/assets/site.js" defer></script>',
    ]);
    assert.deepEqual(linesOf(page, 'header'), [
      '今天是2025年12月01日 星期一',
      '长者模式',
      '语音朗读',
      '朗读全文停止朗读',
      '示范区人民政府',
      '站内搜索',
      '搜索',
    ]);
  });

  test('with a look: the logo beside the name, the banner as the masthead’s picture (decorative: it repeats the name), the favicon', async () => {
    const page = await html({ ...view, look: LOOK }, '/bqdt/');
    assert.deepEqual(masthead(page), [
      '<div class="masthead has-banner">',
      '<img class="masthead-banner decorative" src="/media/2025/12/banner.jpg" alt="">',
      '<div class="wrap">',
      '<a class="site-name has-logo" href="/"><img class="site-logo" src="/media/2025/12/logo.png" alt="示范区区徽"><span>示范区人民政府</span></a>',
    ]);
    assert.ok(page.includes('\n<link rel="icon" href="/media/2025/12/favicon.png">\n'));
  });

  test('a logo whose text is the name stands for it; a banner with text of its own keeps it', async () => {
    const look = {
      ...LOOK,
      logo: { url: '/media/logo.svg', alt: '示范区人民政府' },
      banner: { url: '/media/banner.png', alt: '太浦河畔的示范区' },
    };
    const page = await html({ ...view, look }, '/');
    assert.deepEqual(masthead(page), [
      '<div class="masthead has-banner">',
      '<img class="masthead-banner" src="/media/banner.png" alt="太浦河畔的示范区">',
      '<div class="wrap">',
      '<a class="site-name has-logo" href="/"><img class="site-logo" src="/media/logo.svg" alt="示范区人民政府"></a>',
    ]);
  });

  test('/look.css: the default colours, or the look’s, as text/css', async () => {
    const served = await app.inject('/look.css');
    assert.deepEqual(
      [served.statusCode, served.headers['content-type'], served.body],
      [200, 'text/css; charset=utf-8', `:root{--main:${DEFAULT_MAIN_COLOUR};--accent:${DEFAULT_ACCENT_COLOUR}}\n`],
    );
    assert.equal(lookStylesheet({ ...view, look: LOOK }), ':root{--main:#1a4d8f;--accent:#0f3566}\n');
    // A colour that got past validation somehow never reaches the stylesheet as it is.
    const bad = { ...LOOK, mainColour: 'red;}body{display:none' };
    assert.equal(lookStylesheet({ ...view, look: bad }), `:root{--main:${DEFAULT_MAIN_COLOUR};--accent:#0f3566}\n`);
    assert.deepEqual(await renderPublicPath(store.db, theme, { ...view, look: LOOK }, '/look.css'), {
      kind: 'document',
      body: ':root{--main:#1a4d8f;--accent:#0f3566}\n',
      contentType: 'text/css; charset=utf-8',
    });
  });

  test('content types and routes: /look.css is CSS, /sitemap.html a page; both are known to the link checker', async () => {
    assert.deepEqual(['/look.css', '/sitemap.html', '/sitemap.xml', '/robots.txt'].map(contentTypeOf), [
      'text/css; charset=utf-8',
      'text/html; charset=utf-8',
      'application/xml; charset=utf-8',
      'text/plain; charset=utf-8',
    ]);
    assert.deepEqual(await locatePublicPath(store.db, view, '/look.css'), { kind: 'look' });
    assert.deepEqual(await locatePublicPath(store.db, view, '/sitemap.html'), { kind: 'site-map' });
    const served = await app.inject('/sitemap.html');
    assert.deepEqual([served.statusCode, served.headers['content-type']], [200, 'text/html; charset=utf-8']);
  });

  test('网站地图 lists every column, nested, and the site’s own pages, 联系我们 and the accessibility statement', async () => {
    const page = (await app.inject('/sitemap.html')).body;
    assert.deepEqual(mainLines(page), DEMO_SITE_MAP);
    assert.deepEqual(markupLines(page, '<ul class="site-map-columns">', '</section>'), [
      '<ul class="site-map-columns">',
      '<li><a href="/bqdt/">本区动态</a></li>',
      '<li><a href="/tzgg/">通知公告</a></li>',
      '<li><a href="/zwgk/">政务公开</a><ul>',
      '<li><a href="/zwgk/bmdt/">部门动态</a></li>',
      '<li><a href="/zwgk/zcwj/">政策文件</a></li>',
      '<li><a href="/zwgk/rsxx/">人事信息</a></li></ul></li>',
      '<li><a href="/zjbq/">走进本区</a></li>',
      '</ul>',
      '</section>',
    ]);
    assert.ok(page.includes('<title>网站地图 - 示范区人民政府</title>'));
  });

  test('gazette build writes /look.css and /sitemap.html', async () => {
    await buildSite(app.gazette.publisher.for(1));
    const output = app.gazette.publisher.for(1).output;
    assert.equal(
      (await output.read('/look.css'))?.toString(),
      `:root{--main:${DEFAULT_MAIN_COLOUR};--accent:${DEFAULT_ACCENT_COLOUR}}\n`,
    );
    assert.ok((await output.read('/sitemap.html'))?.toString().includes('<h1>网站地图</h1>'));
  });

  test('a new column (and a link column inside it) renders 网站地图 again; a change it does not show does not', async () => {
    const seen = runs.length;
    const zjbq = view.tree.all().find((c) => c.slug === 'zjbq');
    assert.ok(zjbq);
    const made = await createChannel(ctx, admin, { name: '专题专栏', slug: 'ztzl' });
    await app.gazette.publisher.idle();
    await createChannel(ctx, admin, {
      name: '省政府网站',
      slug: 'szf',
      type: 'link',
      linkUrl: 'https://www.jiangsu.gov.cn/',
      parentId: made.id,
    });
    await app.gazette.publisher.idle();
    assert.deepEqual(
      runs.slice(seen).map((run) => run.pages.get('/sitemap.html')),
      ['written', 'written'],
    );
    const page = (await app.gazette.publisher.for(1).output.read('/sitemap.html'))?.toString() ?? '';
    assert.deepEqual(markupLines(page, '<ul class="site-map-columns">', '</section>').slice(-5), [
      '<li><a href="/zjbq/">走进本区</a></li>',
      '<li><a href="/ztzl/">专题专栏</a><ul>',
      '<li><a href="https://www.jiangsu.gov.cn/" rel="noopener">省政府网站</a></li></ul></li>',
      '</ul>',
      '</section>',
    ]);
    const after = runs.length;
    await updateChannel(ctx, admin, zjbq.id, { description: '本区概况' });
    await app.gazette.publisher.idle();
    assert.ok(runs.length > after, 'the change was published');
    assert.deepEqual(
      runs.slice(after).filter((run) => run.pages.has('/sitemap.html')),
      [],
    );
  });
});
