import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'htmlparser2';
import { discoverLinks, pageKind } from '../../../src/migrate/discover/index.js';
import type { DiscoveredLink } from '../../../src/migrate/types.js';

const ORIGIN = 'http://www.wj.gov.cn';

function parse(html: string) {
  return parseDocument(html, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
}

/** `…/xwzx/bqdt/index.html` as TRS WCM publishes it: upper-case tags, the page bar only in script. */
const LIST_PAGE = `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">
<HTML><HEAD>
<META http-equiv="Content-Type" content="text/html; charset=utf-8">
<TITLE>本区动态_吴江区人民政府</TITLE>
<meta name="SiteName" content="吴江区人民政府">
<meta name="ColumnName" content="本区动态">
<LINK href="../../images/style.css" rel="stylesheet" type="text/css">
<SCRIPT src="../../images/jquery.js"></SCRIPT>
</HEAD>
<BODY>
<DIV class="top"><A href="../../"><IMG src="../../images/logo.png" alt="吴江区人民政府"></A>
<A href="http://www.suzhou.gov.cn/" target="_blank">苏州市人民政府</A></DIV>
<DIV class="nav"><UL>
<LI><A href="../../">首页</A></LI>
<LI><A href="../../zwgk/">政务公开</A></LI>
<LI><A href="../">新闻中心</A></LI>
<LI><A href="../../hdjl/index.html">互动交流</A></LI>
<LI><A href="javascript:void(0)" onclick="wza()">无障碍</A></LI>
</UL></DIV>
<DIV class="position">当前位置：<A href="../../" class="CurrChnlCls">首页</A>&nbsp;&gt;&nbsp;<A href="../" class="CurrChnlCls">新闻中心</A>&nbsp;&gt;&nbsp;<A href="./" class="CurrChnlCls">本区动态</A></DIV>
<DIV class="list"><UL>
<LI><A href="./202105/t20210520_123.html" target="_blank" title="区政府召开第45次常务会议">区政府召开第45次
  常务会议</A><SPAN>2021-05-20</SPAN></LI>
<LI><A href="./202105/t20210518_120.html" target="_blank">关于开展2021年防汛演练的通知</A><SPAN>2021-05-18</SPAN></LI>
<LI><A href="./202105/P020210517555_1.pdf">2021年区级预算公开.pdf</A><SPAN>2021-05-17</SPAN></LI>
<LI><A href="./202105/t20210520_123.html#comment">区政府召开第45次常务会议（评论）</A></LI>
<LI><A href="http://www.wj.gov.cn/xwzx/bqdt/202105/t20210516_119.html">区领导调研重点项目</A><SPAN>2021-05-16</SPAN></LI>
</UL>
<DIV class="page"><SCRIPT language="javascript">createPageHTML(5, 0, "index", "html");</SCRIPT></DIV>
</DIV>
<DIV class="footer"><A href="../../wzdt/">网站地图</A> | <A href="mailto:wjzf@wj.gov.cn">联系我们</A> |
<A href="../../bottom/gywm.html">关于我们</A> | <A href="tel:051263981234">值班电话</A> <A href="#top">返回顶部</A>
<A href="http://bszs.conac.cn/sitename?method=show&amp;id=3205090001"><IMG src="../../images/red.png"></A>
</DIV></BODY></HTML>`;

test('a TRS list page: navigation as lists, articles, files, the site map, and createPageHTML pages', () => {
  const url = `${ORIGIN}/xwzx/bqdt/index.html`;
  const expected: DiscoveredLink[] = [
    { url: `${ORIGIN}/`, role: 'page', text: '吴江区人民政府' },
    { url: `${ORIGIN}/zwgk/`, role: 'list', text: '政务公开' },
    { url: `${ORIGIN}/xwzx/`, role: 'list', text: '新闻中心' },
    { url: `${ORIGIN}/hdjl/index.html`, role: 'list', text: '互动交流' },
    { url: `${ORIGIN}/xwzx/bqdt/`, role: 'list', text: '本区动态' },
    { url: `${ORIGIN}/xwzx/bqdt/202105/t20210520_123.html`, role: 'article', text: '区政府召开第45次 常务会议' },
    { url: `${ORIGIN}/xwzx/bqdt/202105/t20210518_120.html`, role: 'article', text: '关于开展2021年防汛演练的通知' },
    { url: `${ORIGIN}/xwzx/bqdt/202105/P020210517555_1.pdf`, role: 'file', text: '2021年区级预算公开.pdf' },
    { url: `${ORIGIN}/xwzx/bqdt/202105/t20210516_119.html`, role: 'article', text: '区领导调研重点项目' },
    { url: `${ORIGIN}/wzdt/`, role: 'page', text: '网站地图' },
    { url: `${ORIGIN}/bottom/gywm.html`, role: 'page', text: '关于我们' },
    { url: `${ORIGIN}/xwzx/bqdt/index_1.html`, role: 'list', text: '' },
    { url: `${ORIGIN}/xwzx/bqdt/index_2.html`, role: 'list', text: '' },
    { url: `${ORIGIN}/xwzx/bqdt/index_3.html`, role: 'list', text: '' },
    { url: `${ORIGIN}/xwzx/bqdt/index_4.html`, role: 'list', text: '' },
  ];
  const doc = parse(LIST_PAGE);
  assert.deepStrictEqual(discoverLinks(doc, url, 'trs', ORIGIN), expected);
  assert.equal(pageKind(doc, url, 'trs'), 'list');
});

test('a TRS list page counted by `var countPage`: from a later page, every other page of the list', () => {
  const page = `<html><body><div class="list"><ul>
<li><a href="./202104/t20210402_101.html">清明节假期安排</a><span>2021-04-02</span></li></ul>
<div class="page"><script>
var currentPage = 1;//所在页从0开始
var prevPage = currentPage-1//上一页
var nextPage = currentPage+1//下一页
var countPage = 4//共多少页
createPageHTML(countPage, currentPage, "index", "html");
</script></div></div></body></html>`;
  const url = `${ORIGIN}/xwzx/bqdt/index_1.html`;
  assert.deepStrictEqual(discoverLinks(parse(page), url, 'trs', ORIGIN), [
    { url: `${ORIGIN}/xwzx/bqdt/202104/t20210402_101.html`, role: 'article', text: '清明节假期安排' },
    { url: `${ORIGIN}/xwzx/bqdt/index.html`, role: 'list', text: '' },
    { url: `${ORIGIN}/xwzx/bqdt/index_2.html`, role: 'list', text: '' },
    { url: `${ORIGIN}/xwzx/bqdt/index_3.html`, role: 'list', text: '' },
  ]);
});

test('a page bar whose every argument is a variable: countPage, currentPage, prefix, suffix', () => {
  const page = `<html><body><script type="text/javascript">
var countPage = 3, currentPage = 0;
var prefix = "index"; var suffix = 'htm';
createPageHTML(countPage, currentPage, prefix, suffix);
</script></body></html>`;
  assert.deepStrictEqual(discoverLinks(parse(page), `${ORIGIN}/zwgk/tzgg/index.htm`, 'trs', ORIGIN), [
    { url: `${ORIGIN}/zwgk/tzgg/index_1.htm`, role: 'list', text: '' },
    { url: `${ORIGIN}/zwgk/tzgg/index_2.htm`, role: 'list', text: '' },
  ]);
});

test('a newer TRS page bar: createPageHTML with an element id first and the record count last', () => {
  const page = `<html><body><div id="page_div"></div>
<script>createPageHTML('page_div', 3, 0, 'index', 'shtml', 52);</script></body></html>`;
  assert.deepStrictEqual(discoverLinks(parse(page), `${ORIGIN}/zwgk/tzgg/`, 'trs', ORIGIN), [
    { url: `${ORIGIN}/zwgk/tzgg/index_1.shtml`, role: 'list', text: '' },
    { url: `${ORIGIN}/zwgk/tzgg/index_2.shtml`, role: 'list', text: '' },
  ]);
});

/** `…/202105/t20210520_123.html`: breadcrumb, attachments, its own second page, 上一篇/下一篇. */
const ARTICLE_PAGE = `<html><head><meta charset="utf-8">
<meta name="ArticleTitle" content="区政府召开第45次常务会议">
<meta name="PubDate" content="2021-05-20 09:30">
<meta name="ContentSource" content="区政府办"><title>区政府召开第45次常务会议_本区动态</title></head>
<body>
<div class="position">当前位置：<a href="../../../" class="CurrChnlCls">首页</a> &gt; <a href="../../" class="CurrChnlCls">新闻中心</a> &gt; <a href="../" class="CurrChnlCls">本区动态</a></div>
<h1>区政府召开第45次常务会议</h1>
<div class="info">来源：区政府办\u3000\u3000发布时间：2021-05-20 09:30</div>
<div class="TRS_Editor"><p>\u3000\u30005月20日，区长主持召开区政府第45次常务会议，研究部署防汛防台、安全生产等工作。</p>
<p><img src="./W020210520383451234567.jpg" alt="会议现场"></p></div>
<p>附件：<a href="./P020210520123_1.doc">关于做好2021年防汛工作的通知.doc</a>
<a href="./P020210520123_2.ofd" title="办法全文">办法全文</a></p>
<div id="page_div"></div>
<script>createPageHTML(2, 0, "t20210520_123", "html");</script>
<div class="fy"><p>上一篇：<a href="./t20210519_122.html">区领导调研重点项目</a></p>
<p>下一篇：<a href="./t20210521_124.html">区政府召开第46次常务会议</a></p></div>
<div class="share"><a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div>
</body></html>`;

test('a TRS article page: breadcrumb lists, attachments, its continuation and its neighbours as articles', () => {
  const url = `${ORIGIN}/xwzx/bqdt/202105/t20210520_123.html`;
  const expected: DiscoveredLink[] = [
    { url: `${ORIGIN}/`, role: 'page', text: '首页' },
    { url: `${ORIGIN}/xwzx/`, role: 'list', text: '新闻中心' },
    { url: `${ORIGIN}/xwzx/bqdt/`, role: 'list', text: '本区动态' },
    { url: `${ORIGIN}/xwzx/bqdt/202105/P020210520123_1.doc`, role: 'file', text: '关于做好2021年防汛工作的通知.doc' },
    { url: `${ORIGIN}/xwzx/bqdt/202105/P020210520123_2.ofd`, role: 'file', text: '办法全文' },
    { url: `${ORIGIN}/xwzx/bqdt/202105/t20210519_122.html`, role: 'article', text: '区领导调研重点项目' },
    { url: `${ORIGIN}/xwzx/bqdt/202105/t20210521_124.html`, role: 'article', text: '区政府召开第46次常务会议' },
    { url: `${ORIGIN}/xwzx/bqdt/202105/t20210520_123_1.html`, role: 'article', text: '' },
  ];
  const doc = parse(ARTICLE_PAGE);
  assert.deepStrictEqual(discoverLinks(doc, url, 'trs', ORIGIN), expected);
  assert.equal(pageKind(doc, url, 'trs'), 'article');
});

test("a TRS article's second page leads back to its first, as an article", () => {
  const page = `<html><body><div class="TRS_Editor"><p>会议还研究了其他事项。</p></div>
<script>createPageHTML(2, 1, "t20210520_123", "html");</script></body></html>`;
  const url = `${ORIGIN}/xwzx/bqdt/202105/t20210520_123_1.html`;
  assert.deepStrictEqual(discoverLinks(parse(page), url, 'trs', ORIGIN), [
    { url: `${ORIGIN}/xwzx/bqdt/202105/t20210520_123.html`, role: 'article', text: '' },
  ]);
  assert.equal(pageKind(parse(page), url, 'trs'), 'article');
});

test('relative links resolve against <base href>; frames are links, images and scripts are not', () => {
  const page = `<html><head><base href="http://www.wj.gov.cn/zwgk/"></head><body>
<iframe src="xxgk/index.html" title="信息公开目录"></iframe>
<a href="tzgg/"><img src="../images/tzgg.png" alt="通知公告"></a>
<a href="http://www.wj.gov.cn:80/zwgk/tzgg/">通知公告（重复）</a>
<a href="../images/banner.jpg">大图</a> <a href="../css/print.css">打印样式</a>
<a href="../sitemap.xml">站点地图</a> <a href="../rss.xml">订阅</a>
<a href="  ">空</a><a href="#">顶部</a><a href="JavaScript:history.back()">返回</a>
</body></html>`;
  assert.deepStrictEqual(discoverLinks(parse(page), `${ORIGIN}/zwgk/index.html`, 'trs', `${ORIGIN}/`), [
    { url: `${ORIGIN}/zwgk/xxgk/index.html`, role: 'list', text: '信息公开目录' },
    { url: `${ORIGIN}/zwgk/tzgg/`, role: 'list', text: '通知公告' },
    { url: `${ORIGIN}/sitemap.xml`, role: 'page', text: '站点地图' },
  ]);
});

test('the kind of TRS pages by their URLs', () => {
  const doc = parse('<html><body><p>首页</p></body></html>');
  assert.deepStrictEqual(
    [
      `${ORIGIN}/`,
      `${ORIGIN}/index.html`,
      `${ORIGIN}/xwzx/`,
      `${ORIGIN}/xwzx/bqdt/index_3.html`,
      `${ORIGIN}/xwzx/bqdt/202105/t20210520_123.html`,
      `${ORIGIN}/xwzx/bqdt/202105/t20210520_123_1.html`,
      `${ORIGIN}/xwzx/bqdt/202105/P020210520123_1.doc`,
      `${ORIGIN}/wzdt/wzdt.html`,
    ].map((url) => pageKind(doc, url, 'trs')),
    ['other', 'other', 'list', 'list', 'article', 'article', 'other', 'other'],
  );
});
