import { test } from 'node:test';
import assert from 'node:assert/strict';
import { columnsFor, parseColumnMap } from '../../src/migrate/columns.js';
import { isGazetteError } from '../../src/domain/index.js';

const CRUMBS = [
  { name: '新闻中心', url: 'http://old.example.gov.cn/xwzx/' },
  { name: '本区动态', url: 'http://old.example.gov.cn/xwzx/bqdt/index.html' },
  { name: '街道动态', url: 'http://old.example.gov.cn/xwzx/bqdt/jddt/' },
];

test('a column map reads paths, name paths, the fallback line, comments and blank lines', () => {
  const map = parseColumnMap(
    '\uFEFF# merge the news columns\n/xwzx/bqdt/\t新闻中心/要闻\n\n政务公开 > 通知\t通知公告\n*\t其他\n',
    'columns.tsv',
  );
  assert.deepEqual(map, {
    mappings: [
      { from: '/xwzx/bqdt/', to: ['新闻中心', '要闻'], line: 2 },
      { from: '政务公开/通知', to: ['通知公告'], line: 4 },
    ],
    fallback: ['其他'],
  });
});

test('a bad column map line is refused with its file and line', () => {
  assert.throws(
    () => parseColumnMap('/a/\t甲\n/b/ 乙\n', 'map.tsv'),
    (error: unknown) =>
      isGazetteError(error) &&
      error.report('en') ===
        'map.tsv:2: Bad column map line: expected "old column<TAB>new column", e.g. "/xwzx/bqdt/\t新闻中心/要闻"',
  );
});

test('the deepest mapped step of a breadcrumb is replaced, its deeper steps kept below the new column', () => {
  const map = parseColumnMap('/xwzx/bqdt/\t新闻中心/要闻\n', 'm');
  assert.deepEqual(columnsFor(CRUMBS, map), ['新闻中心', '要闻', '街道动态']);
  assert.deepEqual(columnsFor(CRUMBS.slice(0, 2), map), ['新闻中心', '要闻']);
  const byName = parseColumnMap('新闻中心/本区动态/街道动态\t镇街动态\n', 'm');
  assert.deepEqual(columnsFor(CRUMBS, byName), ['镇街动态']);
});

test('without a map the breadcrumb names are the columns; with no breadcrumb only the fallback line helps', () => {
  const none = parseColumnMap('', 'm');
  assert.deepEqual(columnsFor(CRUMBS, none), ['新闻中心', '本区动态', '街道动态']);
  assert.equal(columnsFor([], none), null);
  assert.deepEqual(columnsFor([], parseColumnMap('*\t其他信息\n', 'm')), ['其他信息']);
});
