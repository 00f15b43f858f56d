import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChannelTree, type Site } from '../../src/domain/index.js';
import { frame } from '../../src/publish/pages.js';
import type { HomeBlockModel } from '../../src/publish/home.js';
import { DEMO_SITE } from '../../src/services/index.js';
import { DEFAULT_THEME_DIR, loadTheme, themeEngine } from '../../src/theme/index.js';
import { mainLines } from '../helpers/pages.js';

const SITE: Site = { ...DEMO_SITE, id: 1, timeZone: 'Asia/Shanghai' };

const item = (title: string, url: string, day: string, mark = '') => ({
  title,
  mark,
  url,
  date: day,
  datetime: `${day}T02:00:00.000Z`,
});

const NEWS = item('示范区举办科技活动周', '/bqdt/202511/t20251125_2.html', '2025-11-25');
const DEPT = item('区市场监管局开展食品安全检查', '/zwgk/bmdt/202511/t20251124_4.html', '2025-11-24');
const POLICY = item('关于优化营商环境的若干措施', '/zwgk/zcwj/202511/t20251118_5.html', '2025-11-18', '已废止');

/** A home page with a block of every kind, as home.ts makes them. */
const BLOCKS: HomeBlockModel[] = [
  { kind: 'headline', id: 'headline', title: '头条', item: { ...NEWS, summary: '百余项科技成果集中亮相。' } },
  {
    kind: 'pictures',
    id: 'pictures',
    title: '图片新闻',
    moreUrl: '/tpxw/',
    items: [
      { ...NEWS, picture: { url: '/media/keji.jpg', alt: NEWS.title } },
      { ...DEPT, picture: { url: '/media/shipin.jpg', alt: DEPT.title } },
    ],
  },
  {
    kind: 'tabs',
    id: 'news',
    title: '要闻动态',
    showDates: true,
    tabs: [
      {
        id: 'news-1',
        title: '本区动态',
        url: '/bqdt/',
        items: [NEWS],
        picture: { url: '/media/keji.jpg', alt: NEWS.title, link: NEWS.url, title: NEWS.title },
      },
      { id: 'news-2', title: '通知公告', url: '/tzgg/', items: [], picture: null },
      { id: 'news-3', title: '部门动态', url: '/zwgk/bmdt/', items: [DEPT], picture: null },
    ],
  },
  {
    kind: 'disclosure',
    id: 'disclosure',
    title: '政务公开',
    url: '/zwgk/',
    sections: [
      { title: '部门动态', url: '/zwgk/bmdt/', items: [DEPT] },
      { title: '政策文件', url: '/zwgk/zcwj/', items: [POLICY] },
    ],
    entrances: [
      { title: '政府信息公开目录', url: '/xxgk.html', external: false },
      { title: '依申请公开', url: '/ysqgk/shenqing', external: false },
    ],
  },
  {
    kind: 'services',
    id: 'services',
    title: '办事服务',
    moreUrl: '/zwgk/bszn/',
    entries: [
      { title: '办事指南', url: '/zwgk/bszn/', icon: 'guide', external: false },
      { title: '江苏政务服务网', url: 'https://www.jszwfw.gov.cn/', icon: 'permit', external: true },
    ],
  },
  {
    kind: 'interaction',
    id: 'interaction',
    title: '互动交流',
    moreUrl: '/xinxiang/',
    entrances: [
      { title: '领导信箱', url: '/xinxiang/', external: false, text: '写信反映问题、提出意见建议' },
      { title: '意见征集', url: '/yjzj/', external: false, text: '对政策文件草案发表意见' },
    ],
    letters: [item('关于公交线路调整的建议', '/xinxiang/2.html', '2025-11-27')],
  },
  {
    kind: 'topics',
    id: 'topics',
    title: '专题专栏',
    moreUrl: '/ztzl/',
    items: [
      {
        ...item('优化营商环境', '/ztzl/202512/t20251201_6.html', '2025-12-01'),
        banner: { url: '/media/t.png', alt: '专题横幅' },
      },
      { ...item('学习贯彻党的二十届四中全会精神', '/ztzl/202511/t20251101_7.html', '2025-11-01'), banner: null },
    ],
  },
  {
    kind: 'links',
    id: 'links',
    title: '友情链接',
    groups: [
      { title: '政府网站', links: [{ title: '中国政府网', url: 'https://www.gov.cn/', external: true }] },
      { title: '部门网站', links: [{ title: '示范区水务局', url: '/_site/swj/', external: false }] },
    ],
  },
];

function render(blocks: readonly HomeBlockModel[]): string {
  const view = { site: SITE, tree: new ChannelTree([]) };
  const model = { frame: frame(view, SITE.name, '/', null, {}), blocks };
  const html = loadTheme().render('home', model);
  assert.equal(html, themeEngine(DEFAULT_THEME_DIR).renderFileSync('home', model), 'compiled as LiquidJS renders it');
  return html;
}

test('home.liquid renders every block in order, each readable without JavaScript', () => {
  const html = render(BLOCKS);
  assert.deepEqual(mainLines(html), [
    '示范区人民政府',
    '头条',
    '示范区举办科技活动周',
    '百余项科技成果集中亮相。',
    '2025-11-25',
    '图片新闻',
    '更多',
    '示范区举办科技活动周',
    '区市场监管局开展食品安全检查',
    '要闻动态',
    '本区动态',
    '更多',
    '示范区举办科技活动周 2025-11-25',
    '通知公告',
    '更多',
    '本栏目暂无信息',
    '部门动态',
    '更多',
    '区市场监管局开展食品安全检查 2025-11-24',
    '政务公开',
    '更多',
    '政府信息公开目录',
    '依申请公开',
    '部门动态',
    '区市场监管局开展食品安全检查 2025-11-24',
    '政策文件',
    '关于优化营商环境的若干措施 （已废止） 2025-11-18',
    '办事服务',
    '更多',
    '办事指南',
    '江苏政务服务网',
    '互动交流',
    '更多',
    '领导信箱 写信反映问题、提出意见建议',
    '意见征集 对政策文件草案发表意见',
    '最新答复',
    '关于公交线路调整的建议 2025-11-27',
    '专题专栏',
    '更多',
    '优化营商环境',
    '学习贯彻党的二十届四中全会精神',
    '友情链接',
    '政府网站',
    '中国政府网',
    '部门网站',
    '示范区水务局',
  ]);
  // Its own stylesheet and script, in the head: the script is a file (the CSP runs no inline one).
  assert.ok(
    html.includes('<link rel="stylesheet" href="/assets/home.css">\n<script src="/assets/home.js" defer></script>'),
  );
});

test("图片新闻 is a list of every picture, each with its text; the carousel is home.js's to add", () => {
  const html = render(BLOCKS);
  const carousel = html.slice(
    html.indexOf('<ul class="carousel"'),
    html.indexOf('</ul>', html.indexOf('<ul class="carousel"')),
  );
  assert.deepEqual(
    carousel.split('\n').map((line) => line.trim()),
    [
      '<ul class="carousel" data-carousel>',
      '<li class="slide"><a href="/bqdt/202511/t20251125_2.html"><img src="/media/keji.jpg" alt="示范区举办科技活动周" width="640" height="360"><span class="slide-title" aria-hidden="true">示范区举办科技活动周</span></a></li>',
      '<li class="slide"><a href="/zwgk/bmdt/202511/t20251124_4.html"><img src="/media/shipin.jpg" alt="区市场监管局开展食品安全检查" width="640" height="360" loading="lazy"><span class="slide-title" aria-hidden="true">区市场监管局开展食品安全检查</span></a></li>',
      '',
    ],
  );
});

test('links name their block for screen readers; other sites open normally, with rel="noopener"', () => {
  const html = render(BLOCKS);
  const more = [...html.matchAll(/<a class="more" href="([^"]+)" aria-label="([^"]+)">更多<\/a>/g)].map(
    (m) => `${m[1]} ${m[2]}`,
  );
  assert.deepEqual(more, [
    '/tpxw/ 更多图片新闻',
    '/bqdt/ 更多本区动态',
    '/tzgg/ 更多通知公告',
    '/zwgk/bmdt/ 更多部门动态',
    '/zwgk/ 更多政务公开',
    '/zwgk/bszn/ 更多办事服务',
    '/xinxiang/ 更多互动交流',
    '/ztzl/ 更多专题专栏',
  ]);
  assert.deepEqual(
    [...html.matchAll(/<a href="(https:[^"]+)"([^>]*)>/g)].map((m) => `${m[1]}${m[2]}`),
    ['https://www.jszwfw.gov.cn/ rel="noopener"', 'https://www.gov.cn/ rel="noopener"'],
  );
  assert.ok(!html.includes('target="_blank"'));
  // The 办事服务 icons are decorative: the entry's title names it.
  assert.ok(
    html.includes(
      '<span class="service-icon" aria-hidden="true" data-decorative><img src="/assets/icons/guide.svg" alt="" width="28" height="28"></span><span class="service-title">办事指南</span>',
    ),
  );
});

test('blocks with nothing to show are left out: no 头条, no pictures, no 专题, no link groups', () => {
  const html = render([
    { kind: 'headline', id: 'headline', title: '头条', item: null },
    { kind: 'pictures', id: 'pictures', title: '图片新闻', moreUrl: '', items: [] },
    { kind: 'tabs', id: 'news', title: '要闻动态', showDates: false, tabs: [] },
    { kind: 'topics', id: 'topics', title: '专题专栏', moreUrl: '', items: [] },
    { kind: 'links', id: 'links', title: '友情链接', groups: [] },
  ]);
  assert.deepEqual(mainLines(html), ['示范区人民政府', '要闻动态', '本栏目暂无信息']);
});
