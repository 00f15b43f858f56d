import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectFamily, extractArticle, parsePage } from '../../../src/migrate/extract/index.js';
import type { ExtractedArticle } from '../../../src/migrate/types.js';

// Old pages' markup is often broken; the parser is tolerant and the extractors must be too.

const URL_ = 'http://www.example.gov.cn/xwzx/bqdt/202105/t20210520_7.html';

const EXPECTED: ExtractedArticle = {
  title: '全区召开河长制工作会议',
  subtitle: '',
  source: null,
  author: '',
  publishedAtText: '2021-05-20 11:00',
  bodyHtml:
    '<p class="indent">5月20日，全区召开河长制工作会议。</p>' +
    '<p class="indent">会议部署了下一阶段<b>重点工作</b>。</p>' +
    '<p class="indent">各镇街要压实责任。</p>',
  breadcrumb: [{ name: '本区动态', url: 'http://www.example.gov.cn/xwzx/bqdt/' }],
  attachments: [],
  images: [],
  disclosure: null,
  continuations: [],
};

function extracted(html: string) {
  const doc = parsePage(html);
  const family = detectFamily(doc, URL_);
  assert.equal(family, 'trs');
  return extractArticle(doc, URL_, family);
}

test('unclosed tags: paragraphs, the body and the page left open, the footer swallowed by the body', () => {
  const html = `<html><head><title>全区召开河长制工作会议_示范区</title>
<meta name="PubDate" content="2021-05-20 11:00">
<body><div class="position">当前位置：<a href="../../">首页</a> &gt; <a href="../">本区动态</a>
<table><tr><td><h1>全区召开河长制工作会议
<div class="TRS_Editor"><p>\u3000\u30005月20日，全区召开河长制工作会议。<p>\u3000\u3000会议部署了下一阶段<b>重点工作</b>。<p>\u3000\u3000各镇街要压实责任。
<div class="footer">版权所有：示范区人民政府`;
  assert.deepStrictEqual(extracted(html), {
    ...EXPECTED,
    bodyHtml:
      '<p class="indent">5月20日，全区召开河长制工作会议。</p>' +
      '<p class="indent">会议部署了下一阶段<b>重点工作</b>。</p>' +
      '<p class="indent">各镇街要压实责任。\n</p>',
  });
});

test('upper-case tags and unquoted attributes', () => {
  const html = `<HTML><HEAD><TITLE>全区召开河长制工作会议_示范区</TITLE>
<META NAME=PubDate CONTENT="2021-05-20 11:00"></HEAD>
<BODY><DIV CLASS=position>当前位置：<A HREF="../../">首页</A> &gt; <A HREF=../>本区动态</A></DIV>
<H1>全区召开河长制工作会议</H1>
<DIV CLASS=TRS_Editor><P>\u3000\u30005月20日，全区召开河长制工作会议。</P><P>\u3000\u3000会议部署了下一阶段<B>重点工作</B>。</P><P>\u3000\u3000各镇街要压实责任。</P><IMG SRC=W0520.JPG ALT=会场></DIV></BODY></HTML>`;
  assert.deepStrictEqual(extracted(html), {
    ...EXPECTED,
    bodyHtml: `${EXPECTED.bodyHtml}<img src="http://www.example.gov.cn/xwzx/bqdt/202105/W0520.JPG" alt="会场">`,
    images: [{ url: 'http://www.example.gov.cn/xwzx/bqdt/202105/W0520.JPG', alt: '会场' }],
  });
});

test('stray closing tags before, inside and after the body', () => {
  const html = `<html><head><title>全区召开河长制工作会议_示范区</title></span>
<meta name="PubDate" content="2021-05-20 11:00"></head></div>
<body></td><div class="position">当前位置：<a href="../../">首页</a></a> &gt; <a href="../">本区动态</a></div></div></div>
<h1>全区召开河长制工作会议</h1></font>
<div class="TRS_Editor"></span><p>\u3000\u30005月20日，全区召开河长制工作会议。</p></td></tr><p>\u3000\u3000会议部署了下一阶段<b>重点工作</b>。</p></li><p>\u3000\u3000各镇街要压实责任。</p></div></div></table>
</body></html>`;
  assert.deepStrictEqual(extracted(html), EXPECTED);
});

test('a premature </html>: the content after it is still found', () => {
  const html = `<html><head><title>全区召开河长制工作会议_示范区</title>
<meta name="PubDate" content="2021-05-20 11:00"></head>
<body><div class="position">当前位置：<a href="../../">首页</a> &gt; <a href="../">本区动态</a></div>
</body></html>
<h1>全区召开河长制工作会议</h1>
<div class="TRS_Editor"><p>\u3000\u30005月20日，全区召开河长制工作会议。</p><p>\u3000\u3000会议部署了下一阶段<b>重点工作</b>。</p><p>\u3000\u3000各镇街要压实责任。</p></div>
<div class="footer">版权所有</div>`;
  assert.deepStrictEqual(extracted(html), EXPECTED);
});

test('broken markup with the content missing is reported as no-body', () => {
  const html = `<HTML><HEAD><TITLE>全区召开河长制工作会议_示范区</TITLE></HEAD><BODY><DIV CLASS=TRS_Editor></P></DIV></BODY></HTML><div>`;
  assert.deepStrictEqual(extracted(html), { kind: 'no-body', reason: 'no article body found on the page' });
});
