import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  articlePath,
  channelPagePath,
  parseArticlePath,
  routeOf,
  sourceLabel,
  summarize,
} from '../../src/domain/index.js';

test('article URLs carry the channel path, month folder, local day and id', () => {
  const article = { id: 7, publishedAt: '2021-05-20T14:19:00.000Z', createdAt: '2021-05-20T14:19:00.000Z' };
  assert.equal(articlePath('/bqdt/', article, 'Asia/Shanghai'), '/bqdt/202105/t20210520_7.html');
  // 16:30 UTC on 31 May is 1 June in Shanghai: the URL follows the site's calendar.
  assert.equal(
    articlePath('/zwgk/bmdt/', { ...article, publishedAt: '2021-05-31T16:30:00.000Z' }, 'Asia/Shanghai'),
    '/zwgk/bmdt/202106/t20210601_7.html',
  );
  assert.deepEqual(parseArticlePath('/zwgk/bmdt/202106/t20210601_7.html'), { channelPath: '/zwgk/bmdt/', id: 7 });
  assert.equal(parseArticlePath('/bqdt/202105/t20210520_x.html'), null);
});

test('routes: home, channel pages, articles, 网站地图 and /look.css, and nothing else', () => {
  assert.deepEqual(routeOf('/'), { kind: 'home' });
  assert.deepEqual(routeOf('/index.html'), { kind: 'home' });
  assert.deepEqual(routeOf('/bqdt/'), { kind: 'channel', slugs: ['bqdt'], chunk: null });
  assert.deepEqual(routeOf('/zwgk/bmdt/index_3.html'), { kind: 'channel', slugs: ['zwgk', 'bmdt'], chunk: 3 });
  assert.deepEqual(routeOf('/bqdt/index.html'), { kind: 'channel', slugs: ['bqdt'], chunk: null });
  assert.deepEqual(routeOf('/bqdt/202105/t20210520_1.html'), { kind: 'article', channelPath: '/bqdt/', id: 1 });
  assert.deepEqual(routeOf('/sitemap.html'), { kind: 'site-map' });
  assert.deepEqual(routeOf('/look.css'), { kind: 'look' });
  for (const path of [
    '/bqdt',
    '/bqdt/index_0.html',
    '/BQDT/',
    '/../etc/passwd',
    '/bqdt/foo.php',
    '//',
    '/bqdt/look.css',
  ]) {
    assert.equal(routeOf(path), null, path);
  }
  assert.equal(channelPagePath('/bqdt/', null), '/bqdt/');
  assert.equal(channelPagePath('/bqdt/', 2), '/bqdt/index_2.html');
});

test('source null prints as 本站', () => {
  assert.equal(sourceLabel({ source: null }), '本站');
  assert.equal(sourceLabel({ source: '区数据局' }), '区数据局');
});

test('summaries fold white space and cut by characters, not bytes', () => {
  assert.equal(summarize('  一 二\n\n三  '), '一 二 三');
  assert.equal(summarize('测'.repeat(130), 120), `${'测'.repeat(120)}…`);
});
