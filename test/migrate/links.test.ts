import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isOwnUrl, oldPathOf, ownLinksIn, rewriteLinks } from '../../src/migrate/links.js';

const ORIGIN = 'http://old.example.gov.cn';
const BODY =
  '<p>见<a href="http://old.example.gov.cn/xwzx/t20210520_1.html#p2">上文</a>和' +
  '<a href="http://old.example.gov.cn/gone.html">旧页</a>，' +
  '<a href="https://www.gov.cn/zhengce/">国务院</a>。<img src="http://old.example.gov.cn/img/1.png" alt="图"></p>';

test('old paths keep the query; own URLs are those of the old origin only', () => {
  assert.equal(oldPathOf('http://old.example.gov.cn/NewsView.aspx?NewsID=123'), '/NewsView.aspx?NewsID=123');
  assert.equal(oldPathOf('http://old.example.gov.cn/%E6%96%B0%E9%97%BB/'), '/%E6%96%B0%E9%97%BB/');
  assert.equal(isOwnUrl('http://old.example.gov.cn/a', ORIGIN), true);
  assert.equal(isOwnUrl('http://www.old.example.gov.cn/a', ORIGIN), false);
  assert.equal(isOwnUrl('/relative', ORIGIN), false);
});

test('the old-site links and images of a body, without fragments, in order', () => {
  assert.deepEqual(ownLinksIn(BODY, ORIGIN), [
    'http://old.example.gov.cn/xwzx/t20210520_1.html',
    'http://old.example.gov.cn/gone.html',
    'http://old.example.gov.cn/img/1.png',
  ]);
});

test('known old links point at their new places (fragment kept); the others stay and are listed', () => {
  const targets = new Map([
    ['http://old.example.gov.cn/xwzx/t20210520_1.html', '/bqdt/202105/t20210520_7.html'],
    ['http://old.example.gov.cn/img/1.png', '/media/2021/1.png'],
  ]);
  const result = rewriteLinks(BODY, ORIGIN, (url) => targets.get(url));
  assert.deepEqual(result, {
    html:
      '<p>见<a href="/bqdt/202105/t20210520_7.html#p2">上文</a>和' +
      '<a href="http://old.example.gov.cn/gone.html">旧页</a>，' +
      '<a href="https://www.gov.cn/zhengce/">国务院</a>。<img src="/media/2021/1.png" alt="图"></p>',
    unresolved: ['http://old.example.gov.cn/gone.html'],
  });
  assert.deepEqual(rewriteLinks(BODY, ORIGIN, () => undefined).html, BODY);
});
