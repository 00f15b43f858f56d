import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ChannelTree,
  DEFAULT_ACCENT_COLOUR,
  DEFAULT_MAIN_COLOUR,
  defaultLook,
  validateLook,
  type Channel,
} from '../../src/domain/index.js';

let nextId = 0;
function column(name: string, slug: string, fields: Partial<Channel> = {}): Channel {
  nextId++;
  return {
    id: nextId,
    siteId: 1,
    parentId: null,
    name,
    slug,
    type: 'list',
    sortOrder: nextId * 10,
    description: '',
    keywords: '',
    linkUrl: null,
    bodyHtml: null,
    reviewLevels: 1,
    ...fields,
  };
}

test('a district portal: tabs of its first three top-level lists, 政务公开 on the first with sub-columns, entrances to what it has', () => {
  nextId = 0;
  const bqdt = column('本区动态', 'bqdt');
  const tzgg = column('通知公告', 'tzgg');
  const zwgk = column('政务公开', 'zwgk');
  const bmdt = column('部门动态', 'bmdt', { parentId: zwgk.id });
  const zcwj = column('政策文件', 'zcwj', { parentId: zwgk.id, contentType: 'policy' });
  const bszn = column('办事指南', 'bszn', { parentId: zwgk.id, contentType: 'guide' });
  const ztzl = column('专题专栏', 'ztzl', { parentId: zwgk.id, contentType: 'topic' });
  const page = column('走进本区', 'zjbq', { type: 'page' });
  const fourth = column('媒体聚焦', 'mtjj');
  const tree = new ChannelTree([bqdt, tzgg, zwgk, bmdt, zcwj, bszn, ztzl, page, fourth]);
  const look = defaultLook(tree);
  assert.deepEqual(look, {
    mainColour: DEFAULT_MAIN_COLOUR,
    accentColour: DEFAULT_ACCENT_COLOUR,
    logo: null,
    banner: null,
    favicon: null,
    blocks: [
      { kind: 'headline', id: 'headline', title: '头条', channelIds: [], showSummary: true },
      { kind: 'pictures', id: 'pictures', title: '图片新闻', channelIds: [], count: 5, moreUrl: '' },
      {
        kind: 'tabs',
        id: 'news',
        title: '新闻动态',
        tabs: [
          { channelId: bqdt.id, title: '' },
          { channelId: tzgg.id, title: '' },
          { channelId: zwgk.id, title: '' },
        ],
        count: 8,
        showDates: true,
        pictures: false,
      },
      { kind: 'disclosure', id: 'disclosure', title: '政务公开', channelId: zwgk.id, count: 3 },
      {
        kind: 'services',
        id: 'services',
        title: '办事服务',
        entries: [
          { title: '办事指南', url: '/zwgk/bszn/', icon: 'guide' },
          { title: '政府信息公开目录', url: '/xxgk.html', icon: 'search' },
          { title: '依申请公开', url: '/ysqgk/shenqing', icon: 'permit' },
          { title: '政策文件库', url: '/zcwjk/', icon: 'enterprise' },
          { title: '领导信箱', url: '/xinxiang/', icon: 'social' },
        ],
        moreUrl: '/zwgk/bszn/',
      },
      { kind: 'interaction', id: 'interaction', title: '互动交流', count: 5 },
      { kind: 'topics', id: 'topics', title: '专题专栏', count: 3, moreUrl: '/zwgk/ztzl/' },
      { kind: 'links', id: 'links', title: '友情链接', groups: [] },
    ],
  });
  // It is a look the back office would accept as it is.
  assert.deepEqual(validateLook(JSON.parse(JSON.stringify(look)), tree), look);
});

test('a site of pages and links only: no tabs, no 政务公开; the blocks that need no column stay', () => {
  nextId = 0;
  const about = column('机构概况', 'jggk', { type: 'page' });
  const away = column('政务服务', 'zwfw', { type: 'link', linkUrl: 'https://www.jszwfw.gov.cn/' });
  // A list column with no list below it: a tab, but no 政务公开 block.
  const news = column('工作动态', 'gzdt');
  const tree = new ChannelTree([about, away]);
  assert.deepEqual(
    defaultLook(tree).blocks.map((b) => b.kind),
    ['headline', 'pictures', 'services', 'interaction', 'topics', 'links'],
  );
  const withNews = defaultLook(new ChannelTree([about, away, news]));
  assert.deepEqual(
    withNews.blocks.map((b) => b.kind),
    ['headline', 'pictures', 'tabs', 'services', 'interaction', 'topics', 'links'],
  );
  assert.deepEqual(
    withNews.blocks.find((b) => b.kind === 'services'),
    {
      kind: 'services',
      id: 'services',
      title: '办事服务',
      entries: [
        { title: '政府信息公开目录', url: '/xxgk.html', icon: 'search' },
        { title: '依申请公开', url: '/ysqgk/shenqing', icon: 'permit' },
        { title: '领导信箱', url: '/xinxiang/', icon: 'social' },
      ],
      moreUrl: '',
    },
  );
});
