import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHtmlPage } from '../../src/importers/index.js';
import { GazetteError } from '../../src/domain/index.js';

const SH = 'Asia/Shanghai';

const TRS_PAGE = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>区政府召开常务会议_示范区人民政府</title>
<meta name="ArticleTitle" content="区政府召开第45次常务会议">
<meta name="PubDate" content="2025-06-03 17:40">
<meta name="ContentSource" content="区政府办公室">
<meta name="Keywords" content="常务会议,营商环境">
<script>var trs = "<p>not body</p>";</script>
<style>.x{}</style></head>
<body>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a>会议信息</a></div>
<h1>区政府召开第45次常务会议</h1>
<div class="info">来源：区政府办公室\u3000\u3000发布时间：2025-06-03 17:40\u3000\u3000浏览次数：<span id="views">12</span></div>
<div id="zoom"><div class="TRS_Editor">
<p style="text-indent:2em">6月3日，区长主持召开区政府第45次常务会议。</p>
<p onclick="steal()">会议研究了<strong>优化营商环境</strong>有关工作。<script>alert(1)</script></p>
<img src="https://www.example.gov.cn/pic.jpg" alt="会议现场" onerror="x()">
<a href="javascript:alert(1)">点击</a>
</div></div>
</body></html>`;

test('a TRS-style portal page: meta tags, visible breadcrumb, source and the #zoom body, sanitised', () => {
  const page = parseHtmlPage(TRS_PAGE, SH);
  assert.deepEqual(page.columns, ['政务公开', '会议信息']);
  assert.equal(page.title, '区政府召开第45次常务会议');
  assert.equal(page.source, '区政府办公室');
  assert.equal(page.publishedAt.toISOString(), '2025-06-03T09:40:00.000Z');
  assert.equal(page.keywords, '常务会议,营商环境');
  assert.equal(
    page.bodyHtml,
    '<div>\n<p>6月3日，区长主持召开区政府第45次常务会议。</p>\n<p>会议研究了<strong>优化营商环境</strong>有关工作。</p>\n' +
      '<img src="https://www.example.gov.cn/pic.jpg" alt="会议现场" />\n<a>点击</a>\n</div>',
  );
});

test('without a breadcrumb, the ColumnName meta names the column; an ISO PubDate with zone is read as is', () => {
  const html = `<html><head><meta name="ColumnName" content="通知公告"><meta name="PubDate" content="2025-06-03T17:40:00+08:00"></head>
  <body><h1>关于 &lt;停电&gt; 的通知</h1><article><p>明日停电。</p></article></body></html>`;
  const page = parseHtmlPage(html, SH);
  assert.deepEqual(page.columns, ['通知公告']);
  assert.equal(page.title, '关于 <停电> 的通知');
  assert.equal(page.source, null);
  assert.equal(page.publishedAt.toISOString(), '2025-06-03T09:40:00.000Z');
  assert.equal(page.bodyHtml, '<p>明日停电。</p>');
});

test('HTML pages missing a part are refused with the reason', () => {
  const cases: [string, string][] = [
    ['<html><body><h1>标题</h1><article><p>正文</p></article></body></html>', 'IMPORT_NO_BREADCRUMB'],
    [
      '<html><head><meta name="ColumnName" content="通知公告"></head><body><article><p>正文</p></article></body></html>',
      'IMPORT_NO_TITLE',
    ],
    [
      '<html><head><meta name="ColumnName" content="通知公告"></head><body><h1>标题</h1><article><p>正文</p></article></body></html>',
      'IMPORT_NO_PUBLISH_TIME',
    ],
    [
      '<html><head><meta name="ColumnName" content="A"><meta name="PubDate" content="明天"></head><body><h1>标题</h1><article>x</article></body></html>',
      'IMPORT_BAD_DATE',
    ],
    [
      '<html><head><meta name="ColumnName" content="A"><meta name="PubDate" content="2025-01-01"></head><body><h1>标题</h1><div>x</div></body></html>',
      'IMPORT_HTML_NO_CONTENT',
    ],
    [
      '<html><head><meta name="ColumnName" content="A"><meta name="PubDate" content="2025-01-01"></head><body><h1>标题</h1><article><script>x</script></article></body></html>',
      'IMPORT_NO_BODY',
    ],
  ];
  for (const [html, code] of cases) {
    assert.throws(
      () => parseHtmlPage(html, SH),
      (error: unknown) => error instanceof GazetteError && error.code === code,
      code,
    );
  }
});
