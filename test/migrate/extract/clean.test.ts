import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractArticle, normaliseDate, parsePage } from '../../../src/migrate/extract/index.js';

const URL_ = 'http://www.example.gov.cn/xwzx/202105/t20210520_8.html';

function body(inner: string): string {
  const article = extractArticle(
    parsePage(`<html><body><div class="TRS_Editor">${inner}</div></body></html>`),
    URL_,
    'trs',
  );
  assert.ok('bodyHtml' in article, JSON.stringify(article));
  return article.bodyHtml;
}

test('indents: U+3000 and NBSP runs and text-indent become class="indent"; a lone NBSP or text-indent:0 does not', () => {
  assert.equal(body('<p>\u3000\u3000一段。</p>'), '<p class="indent">一段。</p>');
  assert.equal(body('<p>&nbsp;&nbsp; 一段。</p>'), '<p class="indent">一段。</p>');
  assert.equal(
    body('<p><span style="font-size:16px">&nbsp;&nbsp;</span><span>\u3000一段。</span></p>'),
    '<p class="indent"><span style="font-size:16px"></span><span>一段。</span></p>',
  );
  assert.equal(
    body('<p class="MsoNormal" style="TEXT-INDENT: 32pt">一段。</p>'),
    '<p class="MsoNormal indent">一段。</p>',
  );
  assert.equal(body('<p>&nbsp;一段。</p>'), '<p>一段。</p>');
  assert.equal(body('<p style="text-indent:0">一段。</p>'), '<p>一段。</p>');
  assert.equal(body('<div>\u3000\u3000一段。<br>\u3000\u3000二段。</div>'), '<div>一段。<br>二段。</div>');
});

test('dropped: styles, scripts, Flash, share bars, 纠错, counters, print/close buttons, the page bar, comments', () => {
  const html = [
    '<style>.TRS_Editor p{}</style>',
    '<p>正文。</p>',
    '<!-- 编辑备注 -->',
    '<object classid="clsid:d27cdb6e"><param name="movie" value="a.swf"><embed src="a.swf"></object>',
    '<div class="share-bar"><a href="#">微博</a></div>',
    '<span id="fenxiang">分享到：</span>',
    '<a class="jiucuo" href="http://pucha.kaipuyun.cn/">我要纠错</a>',
    '<p>本文浏览次数：<span id="c">12</span></p>',
    '<div>【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</div>',
    '<div class="page"><script>createPageHTML(2, 0, "t20210520_8", "html");</script></div>',
    '<div class="pages"><a href="t20210520_8_1.html">1</a> <a href="t20210520_8_1.html">下一页</a></div>',
    '<p>访问量统计显示，今年以来全区政务网站访问量稳步增长，群众满意度持续提升。</p>',
  ].join('');
  assert.equal(
    body(html),
    '<p>正文。</p><p>访问量统计显示，今年以来全区政务网站访问量稳步增长，群众满意度持续提升。</p>',
  );
});

test('link and image addresses are made absolute; anchors and script links are left alone', () => {
  assert.equal(
    body(
      '<p><a href="../zcwj/t1.html">政策</a> <a href="#p2">下文</a> <a href="mailto:a@b.cn">信箱</a><img src="/images/a.png"></p>',
    ),
    '<p><a href="http://www.example.gov.cn/xwzx/zcwj/t1.html">政策</a> <a href="#p2">下文</a> <a href="mailto:a@b.cn">信箱</a><img src="http://www.example.gov.cn/images/a.png"></p>',
  );
});

test('continuations: createPageHTML pages and links to the same stem, in order; none on a continuation page', () => {
  const page = (script: string, links: string) =>
    parsePage(
      `<html><body><div class="TRS_Editor"><p>正文。</p></div><script>${script}</script>${links}</body></html>`,
    );
  const dir = 'http://www.example.gov.cn/xwzx/202105/';
  const article = extractArticle(
    page(
      'createPageHTML(3, 0, "t20210520_8", "html");',
      '<a href="t20210520_8_3.html">4</a><a href="./t20210520_8_1.html">2</a><a href="t20210520_9_1.html">x</a>',
    ),
    URL_,
    'trs',
  );
  assert.ok('continuations' in article);
  assert.deepStrictEqual(article.continuations, [
    `${dir}t20210520_8_1.html`,
    `${dir}t20210520_8_2.html`,
    `${dir}t20210520_8_3.html`,
  ]);
  const second = extractArticle(
    page(
      'createPageHTML(3, 1, "t20210520_8", "html");',
      '<a href="t20210520_8.html">1</a><a href="t20210520_8_2.html">3</a>',
    ),
    `${dir}t20210520_8_1.html`,
    'trs',
  );
  assert.ok('continuations' in second);
  assert.deepStrictEqual(second.continuations, []);
});

test('成文日期 forms normalised to YYYY-MM-DD; impossible dates and other text to null', () => {
  assert.equal(normaliseDate('2021-05-20'), '2021-05-20');
  assert.equal(normaliseDate('2021年05月20日'), '2021-05-20');
  assert.equal(normaliseDate('2021年5月2日'), '2021-05-02');
  assert.equal(normaliseDate('2021/5/20'), '2021-05-20');
  assert.equal(normaliseDate('2021-02-30'), null);
  assert.equal(normaliseDate('见正文'), null);
});
