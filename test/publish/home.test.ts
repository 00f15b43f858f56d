import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SiteLook } from '../../src/domain/index.js';
import { loadSiteView, type SiteView } from '../../src/publish/index.js';
import { homePage } from '../../src/publish/home.js';
import type { ServiceContext } from '../../src/services/index.js';
import { BACKENDS, contextFor, type TestStore } from '../helpers/store.js';
import { columnId, homeFixture, type HomeFixture } from '../helpers/home.js';

const item = (title: string, url: string, datetime: string) => ({
  title,
  mark: '',
  url,
  date: datetime.slice(0, 10),
  datetime,
});

const NEWS1 = item('区政府召开常务会议', '/bqdt/202511/t20251120_1.html', '2025-11-20T01:00:00.000Z');
const NEWS2 = item('示范区举办科技活动周', '/bqdt/202511/t20251125_2.html', '2025-11-25T02:00:00.000Z');
const NOTICE = item('关于元旦放假的通知', '/tzgg/202511/t20251126_3.html', '2025-11-26T08:30:00.000Z');
const DEPT = item('区市场监管局开展食品安全检查', '/zwgk/bmdt/202511/t20251124_4.html', '2025-11-24T02:05:00.000Z');
const POLICY = item('关于优化营商环境的若干措施', '/zwgk/zcwj/202511/t20251118_5.html', '2025-11-18T01:00:00.000Z');
const LETTER2 = item('关于公交线路调整的建议', '/xinxiang/2.html', '2025-11-27T07:00:00.000Z');
const LETTER1 = item('关于图书馆开放时间的咨询', '/xinxiang/1.html', '2025-11-21T01:00:00.000Z');
const DISCLOSURE_ENTRANCES = [
  { title: '政府信息公开目录', url: '/xxgk.html', external: false },
  { title: '依申请公开', url: '/ysqgk/shenqing', external: false },
];
const INTERACTION_ENTRANCES = [
  { title: '领导信箱', url: '/xinxiang/', external: false, text: '写信反映问题、提出意见建议' },
  { title: '意见征集', url: '/yjzj/', external: false, text: '对政策文件草案发表意见' },
  { title: '网上调查', url: '/wsdc/', external: false, text: '参与问卷调查' },
];

for (const backend of BACKENDS) {
  describe(`the home page's model on ${backend.name}`, () => {
    let store: TestStore;
    let ctx: ServiceContext;
    let view: SiteView;
    let fixture: HomeFixture;

    before(async () => {
      store = await backend.open();
      ctx = contextFor(store);
      fixture = await homeFixture(ctx);
      view = (await loadSiteView(store.db))!;
    });
    after(() => store.dispose());

    test('the default look for the site: every block, from its columns, marks, 专题 and letters', async () => {
      const model = await homePage(store.db, { site: view.site, tree: view.tree });
      assert.equal(model.frame.title, '示范区人民政府');
      assert.deepEqual(model.blocks, [
        { kind: 'headline', id: 'headline', title: '头条', item: { ...NEWS2, summary: '第2篇文章的正文。' } },
        {
          kind: 'pictures',
          id: 'pictures',
          title: '图片新闻',
          moreUrl: '',
          // 区政府召开常务会议 is marked too, but has no cover image.
          items: [
            { ...NEWS2, picture: { url: '/media/2025/11/keji.jpg', alt: NEWS2.title } },
            { ...DEPT, picture: { url: '/media/2025/11/shipin.jpg', alt: DEPT.title } },
          ],
        },
        {
          kind: 'tabs',
          id: 'news',
          title: '新闻动态',
          showDates: true,
          tabs: [
            { id: 'news-1', title: '本区动态', url: '/bqdt/', items: [NEWS2, NEWS1], picture: null },
            { id: 'news-2', title: '通知公告', url: '/tzgg/', items: [NOTICE], picture: null },
            { id: 'news-3', title: '政务公开', url: '/zwgk/', items: [DEPT, POLICY], picture: null },
          ],
        },
        {
          kind: 'disclosure',
          id: 'disclosure',
          title: '政务公开',
          url: '/zwgk/',
          // 人事信息 has nothing published: it is left out.
          sections: [
            { title: '部门动态', url: '/zwgk/bmdt/', items: [DEPT] },
            { title: '政策文件', url: '/zwgk/zcwj/', items: [POLICY] },
          ],
          entrances: DISCLOSURE_ENTRANCES,
        },
        {
          kind: 'services',
          id: 'services',
          title: '办事服务',
          moreUrl: '',
          entries: [
            { title: '政府信息公开目录', url: '/xxgk.html', icon: 'search', external: false },
            { title: '依申请公开', url: '/ysqgk/shenqing', icon: 'permit', external: false },
            { title: '领导信箱', url: '/xinxiang/', icon: 'social', external: false },
          ],
        },
        {
          kind: 'interaction',
          id: 'interaction',
          title: '互动交流',
          moreUrl: '/xinxiang/',
          entrances: INTERACTION_ENTRANCES,
          letters: [LETTER2, LETTER1],
        },
        {
          kind: 'topics',
          id: 'topics',
          title: '专题专栏',
          moreUrl: '/ztzl/',
          items: [
            {
              ...item('优化营商环境', `/ztzl/202512/t20251201_${fixture.ids.topic}.html`, '2025-12-01T01:00:00.000Z'),
              banner: { url: '/media/2025/11/topic.png', alt: '优化营商环境专题横幅' },
            },
          ],
        },
        { kind: 'links', id: 'links', title: '友情链接', groups: [] },
      ]);
    });

    test("a site's own look: its blocks' settings, in its order; a column it names that is gone is left out", async () => {
      const [bqdt, bmdt, rsxx] = [
        await columnId(ctx, 'bqdt'),
        await columnId(ctx, 'bmdt'),
        await columnId(ctx, 'rsxx'),
      ];
      const look: SiteLook = {
        mainColour: '#1f3a93',
        accentColour: '#14285f',
        logo: null,
        banner: null,
        favicon: null,
        blocks: [
          {
            kind: 'links',
            id: 'friends',
            title: '相关网站',
            groups: [{ title: '上级政府', links: [{ title: '中国政府网', url: 'https://www.gov.cn/' }] }],
          },
          { kind: 'headline', id: 'top', title: '今日头条', channelIds: [bmdt], showSummary: false },
          { kind: 'pictures', id: 'photos', title: '图说示范区', channelIds: [bqdt], count: 1, moreUrl: '/bqdt/' },
          {
            kind: 'tabs',
            id: 'lists',
            title: '动态',
            tabs: [
              { channelId: bqdt, title: '要闻' },
              { channelId: 9999, title: '' },
              { channelId: bmdt, title: '' },
            ],
            count: 1,
            showDates: false,
            pictures: true,
          },
          { kind: 'disclosure', id: 'open', title: '人事', channelId: rsxx, count: 2 },
          {
            kind: 'services',
            id: 'do',
            title: '我要办',
            entries: [{ title: '江苏政务服务网', url: 'https://www.jszwfw.gov.cn/', icon: 'guide' }],
            moreUrl: '',
          },
          { kind: 'interaction', id: 'talk', title: '互动', count: 1 },
          { kind: 'topics', id: 'zt', title: '专题', count: 2, moreUrl: '' },
        ],
      };
      const model = await homePage(store.db, { ...view, look });
      assert.deepEqual(model.blocks, [
        {
          kind: 'links',
          id: 'friends',
          title: '相关网站',
          groups: [{ title: '上级政府', links: [{ title: '中国政府网', url: 'https://www.gov.cn/', external: true }] }],
        },
        // Not marked 头条 in 部门动态: nothing (the template shows no block).
        { kind: 'headline', id: 'top', title: '今日头条', item: null },
        {
          kind: 'pictures',
          id: 'photos',
          title: '图说示范区',
          moreUrl: '/bqdt/',
          items: [{ ...NEWS2, picture: { url: '/media/2025/11/keji.jpg', alt: NEWS2.title } }],
        },
        {
          kind: 'tabs',
          id: 'lists',
          title: '动态',
          showDates: false,
          tabs: [
            {
              id: 'lists-1',
              title: '要闻',
              url: '/bqdt/',
              items: [NEWS2],
              picture: { url: '/media/2025/11/keji.jpg', alt: NEWS2.title, link: NEWS2.url, title: NEWS2.title },
            },
            {
              id: 'lists-3',
              title: '部门动态',
              url: '/zwgk/bmdt/',
              items: [DEPT],
              picture: { url: '/media/2025/11/shipin.jpg', alt: DEPT.title, link: DEPT.url, title: DEPT.title },
            },
          ],
        },
        // A column without sub-columns is its own section; with nothing published, none.
        {
          kind: 'disclosure',
          id: 'open',
          title: '人事',
          url: '/zwgk/rsxx/',
          sections: [],
          entrances: DISCLOSURE_ENTRANCES,
        },
        {
          kind: 'services',
          id: 'do',
          title: '我要办',
          moreUrl: '',
          entries: [{ title: '江苏政务服务网', url: 'https://www.jszwfw.gov.cn/', icon: 'guide', external: true }],
        },
        {
          kind: 'interaction',
          id: 'talk',
          title: '互动',
          moreUrl: '/xinxiang/',
          entrances: INTERACTION_ENTRANCES,
          letters: [LETTER2],
        },
        {
          kind: 'topics',
          id: 'zt',
          title: '专题',
          moreUrl: '',
          items: [
            {
              ...item('优化营商环境', `/ztzl/202512/t20251201_${fixture.ids.topic}.html`, '2025-12-01T01:00:00.000Z'),
              banner: { url: '/media/2025/11/topic.png', alt: '优化营商环境专题横幅' },
            },
          ],
        },
      ]);
    });
  });
}
