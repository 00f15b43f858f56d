import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChannelTree, diffChannelTrees, type Channel } from '../../src/domain/index.js';

function channel(id: number, parentId: number | null, name: string, slug: string, sortOrder = id): Channel {
  return {
    id,
    siteId: 1,
    parentId,
    name,
    slug,
    type: 'list',
    sortOrder,
    description: '',
    keywords: '',
    linkUrl: null,
    bodyHtml: null,
    reviewLevels: 1,
  };
}

const CHANNELS = [
  channel(1, null, '本区动态', 'bqdt', 10),
  channel(2, null, '政务公开', 'zwgk', 30),
  channel(3, 2, '部门动态', 'bmdt', 10),
  channel(4, 2, '政策文件', 'zcwj', 20),
  channel(5, 4, '政策解读', 'zcjd', 10),
];
const before = new ChannelTree(CHANNELS);
const changed = (id: number, patch: Partial<Channel>) =>
  new ChannelTree(CHANNELS.map((c) => (c.id === id ? { ...c, ...patch } : c)));
/** The diff with its sets as sorted arrays, for comparing whole. */
const diff = (after: ChannelTree) =>
  Object.fromEntries(
    Object.entries(diffChannelTrees(before, after)).map(([k, v]) => [k, v instanceof Set ? [...v].sort() : v]),
  );

test('the same tree changes nothing', () => {
  assert.deepEqual(diff(new ChannelTree(CHANNELS)), {
    navigation: false,
    homeBlocks: false,
    pages: [],
    feeds: [],
    articles: [],
    moved: [],
    gone: [],
    sitemapColumns: false,
  });
});

test("a sub-column renamed: its pages, feeds and articles, its sub-columns' breadcrumbs, the parent's sub-column list", () => {
  assert.deepEqual(diff(changed(4, { name: '政策文件库' })), {
    navigation: false,
    homeBlocks: false,
    pages: [2, 4, 5],
    feeds: [4],
    articles: [4, 5],
    moved: [],
    gone: [],
    sitemapColumns: false,
  });
});

test('a top-level column renamed: the navigation and the home blocks', () => {
  const change = diffChannelTrees(before, changed(2, { name: '信息公开' }));
  assert.equal(change.navigation, true);
  assert.equal(change.homeBlocks, true);
  assert.deepEqual([...change.moved], []);
});

test('a new address moves the column and everything under it; the old pages are gone', () => {
  assert.deepEqual(diff(changed(4, { slug: 'zcfg' })), {
    navigation: false,
    homeBlocks: false,
    pages: [2, 4, 5],
    feeds: [4, 5],
    articles: [4, 5],
    moved: [4, 5],
    gone: [4, 5],
    sitemapColumns: true,
  });
});

test("sub-columns reordered: the parent's list of them and the sitemap's order", () => {
  assert.deepEqual(diff(changed(3, { sortOrder: 25 })), {
    navigation: false,
    homeBlocks: false,
    pages: [2],
    feeds: [],
    articles: [],
    moved: [],
    gone: [],
    sitemapColumns: true,
  });
});

test("a description changes the column's own pages, feeds and articles (their metadata), not its sub-columns", () => {
  assert.deepEqual(diff(changed(4, { description: '规范性文件' })), {
    navigation: false,
    homeBlocks: false,
    pages: [4],
    feeds: [4],
    articles: [4],
    moved: [],
    gone: [],
    sitemapColumns: false,
  });
});

test('a list turned into a link leaves: its pages are gone, the parent lists the link', () => {
  assert.deepEqual(diff(changed(3, { type: 'link', linkUrl: 'https://example.gov.cn/' })), {
    navigation: false,
    homeBlocks: false,
    pages: [2],
    feeds: [],
    articles: [],
    moved: [],
    gone: [3],
    sitemapColumns: true,
  });
});
