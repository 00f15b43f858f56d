import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChannelTree, columnTypeOf, isValidSlug, slugFromName, type Channel } from '../../src/domain/index.js';

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

const tree = new ChannelTree([
  channel(1, null, '本区动态', 'bqdt', 10),
  channel(2, null, '政务公开', 'zwgk', 30),
  channel(3, 2, '部门动态', 'bmdt', 10),
  channel(4, 2, '政策文件', 'zcwj', 20),
  channel(5, 4, '政策解读', 'zcjd', 10),
  channel(6, null, '通知公告', 'tzgg', 20),
]);

test('roots and children come in navigation order', () => {
  assert.deepEqual(
    tree.roots().map((c) => c.name),
    ['本区动态', '通知公告', '政务公开'],
  );
  assert.deepEqual(
    tree.children(2).map((c) => c.slug),
    ['bmdt', 'zcwj'],
  );
  assert.deepEqual(tree.children(99), []);
});

test('paths, ancestry and lookup by path', () => {
  assert.equal(tree.path(5), '/zwgk/zcwj/zcjd/');
  assert.deepEqual(
    tree.ancestry(5).map((c) => c.name),
    ['政务公开', '政策文件', '政策解读'],
  );
  assert.equal(tree.findByPath(['zwgk', 'zcwj', 'zcjd'])?.id, 5);
  assert.equal(tree.findByPath(['zcwj']), undefined);
  assert.equal(tree.findByPath(['zwgk', 'nope']), undefined);
});

test('all channels, each once, each top-level one followed by its subtree', () => {
  assert.deepEqual(
    tree.all().map((c) => c.slug),
    ['bqdt', 'tzgg', 'zwgk', 'bmdt', 'zcwj', 'zcjd'],
  );
});

test('a subtree holds the channel and all below it', () => {
  assert.deepEqual(tree.subtreeIds(2).sort(), [2, 3, 4, 5]);
  assert.deepEqual(tree.subtreeIds(1), [1]);
});

test('free slugs do not collide with siblings', () => {
  assert.equal(tree.freeSlug(null, 'bqdt'), 'bqdt2');
  assert.equal(tree.freeSlug(2, 'bqdt'), 'bqdt');
});

test('slugs from Chinese names are pinyin initials; Latin letters and digits are kept', () => {
  assert.equal(slugFromName('本区动态'), 'bqdt');
  assert.equal(slugFromName('政务公开'), 'zwgk');
  assert.equal(slugFromName('2025 Smart City'), '2025smartcity');
  assert.equal(slugFromName('！！'), 'lm');
  assert.ok(isValidSlug(slugFromName('新闻发布会')));
  assert.equal(isValidSlug('Bad Slug'), false);
});

test('ColumnType follows the national categories', () => {
  assert.equal(columnTypeOf({ name: '本区动态' }), '要闻动态');
  assert.equal(columnTypeOf({ name: '通知公告' }), '通知公告');
  assert.equal(columnTypeOf({ name: '政策文件' }), '政策文件');
  assert.equal(columnTypeOf({ name: '政策解读' }), '解读回应');
  assert.equal(columnTypeOf({ name: '走进本区' }), '走进本区');
});

test('a cycle in parent links does not hang the tree', () => {
  const cyclic = new ChannelTree([channel(1, 2, 'A', 'a'), channel(2, 1, 'B', 'b')]);
  assert.ok(cyclic.ancestry(1).length <= 2);
});
