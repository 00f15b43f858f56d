import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentHashOf, joinPages, readPublishedAt } from '../../src/migrate/article.js';
import type { ExtractedArticle } from '../../src/migrate/types.js';

const ZONE = 'Asia/Shanghai';

function page(overrides: Partial<ExtractedArticle>): ExtractedArticle {
  return {
    title: '区政府召开常务会议',
    subtitle: '',
    source: '区政府办',
    author: '',
    publishedAtText: '2021-05-20 09:30',
    bodyHtml: '<p>第一页</p>',
    breadcrumb: [{ name: '本区动态', url: null }],
    attachments: [],
    images: [],
    disclosure: null,
    continuations: [],
    ...overrides,
  };
}

test('old sites write 发布时间 in several forms; each is read in the site zone', () => {
  const cases: [string, string | null][] = [
    ['2021-05-20 09:30', '2021-05-20T01:30:00.000Z'],
    ['2021-5-20 9:30:15', '2021-05-20T01:30:15.000Z'],
    ['2021年05月20日', '2021-05-19T16:00:00.000Z'],
    ['2021年5月20日 09:30', '2021-05-20T01:30:00.000Z'],
    ['2021/5/20', '2021-05-19T16:00:00.000Z'],
    ['2021.05.20 10:00', '2021-05-20T02:00:00.000Z'],
    ['2021-05-20T09:30:00+08:00', '2021-05-20T01:30:00.000Z'],
    ['五月二十日', null],
  ];
  for (const [text, expected] of cases)
    assert.equal(readPublishedAt(text, ZONE)?.toISOString() ?? null, expected, text);
  assert.equal(readPublishedAt(null, ZONE), null);
});

test('an article over two pages is one: bodies in order, files and images of both without repeats', () => {
  const doc = { url: 'http://old/a.doc', name: 'a.doc' };
  const first = page({ attachments: [doc], images: [{ url: 'http://old/1.png', alt: '' }] });
  const second = page({
    bodyHtml: '<p>第二页</p>',
    attachments: [doc, { url: 'http://old/b.pdf', name: 'b.pdf' }],
    images: [{ url: 'http://old/1.png', alt: '' }],
  });
  assert.deepEqual(joinPages(first, [second]), {
    ...first,
    bodyHtml: '<p>第一页</p>\n<p>第二页</p>',
    attachments: [doc, { url: 'http://old/b.pdf', name: 'b.pdf' }],
    images: [{ url: 'http://old/1.png', alt: '' }],
  });
  assert.equal(joinPages(first, []), first);
});

test('the content hash changes with any field or the column, and only then', () => {
  const at = new Date('2021-05-20T01:30:00Z');
  const base = contentHashOf(page({}), ['本区动态'], at);
  assert.equal(contentHashOf(page({}), ['本区动态'], at), base);
  assert.notEqual(contentHashOf(page({ title: '另一个标题' }), ['本区动态'], at), base);
  assert.notEqual(contentHashOf(page({}), ['要闻'], at), base);
  assert.notEqual(contentHashOf(page({ bodyHtml: '<p>改</p>' }), ['本区动态'], at), base);
});
