import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'htmlparser2';
import { dataProxyRequests, datastoreLinks, discoverLinks, pageKind } from '../../../src/migrate/discover/index.js';
import type { DiscoveredLink } from '../../../src/migrate/types.js';

const ORIGIN = 'http://www.hz.gov.cn';
const LIST_URL = `${ORIGIN}/col/col123/index.html`;

function parse(html: string) {
  return parseDocument(html, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
}

/** A Hanweb (大汉 JCMS) column's first page: the records in a datastore, the rest from the data proxy. */
const LIST_PAGE = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>政务动态 杭州市人民政府</title>
<meta name="SiteName" content="杭州市人民政府"><meta name="ColumnName" content="政务动态">
<script type="text/javascript" src="/module/jslib/jquery/jquery.js"></script>
<script language="javascript" src="/module/jslib/jquery/jpage/jquery.page.min.js"></script>
</head><body>
<table class="nav"><tr><td><a href="/index.html">首页</a></td><td><a href="/col/col100/index.html">政务公开</a></td>
<td><a href="/col/col123/index.html">政务动态</a></td></tr></table>
<div id="div1234">
<script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=1&path=/&columnid=123&unitid=4567&webname=%E6%9D%AD%E5%B7%9E%E5%B8%82%E4%BA%BA%E6%B0%91%E6%94%BF%E5%BA%9C&permissiontype=0"></a>]]></nextgroup>
<recordset>
<record><![CDATA[<li><a href="/art/2021/5/20/art_123_456.html" title="市政府召开第45次常务会议" target="_blank">市政府召开第45次常务...</a><span>2021-05-20</span></li>]]></record>
<record><![CDATA[<li><a href="/art/2021/5/19/art_123_455.html" title="关于做好2021年防汛工作的通知" target="_blank">关于做好2021年防汛工作的...</a><span>2021-05-19</span></li>]]></record>
<record><![CDATA[<li><a href="http://www.zj.gov.cn/art/2021/5/18/art_1_9.html" title="省政府常务会议">省政府常务会议</a><span>2021-05-18</span></li>]]></record>
<record><![CDATA[<li><a href="/module/download/downfile.jsp?classid=0&filename=2105191234567.pdf">2021年市级预算表</a><span>2021-05-18</span></li>]]></record>
<record><![CDATA[<li><a href="/art/2021/5/20/art_123_456.html" title="市政府召开第45次常务会议">重复</a></li>]]></record>
</recordset></datastore></script>
<script type="text/javascript">
$(document).ready(function(){
  $('#div1234').jpage({
    dataStore: dataStore, proxyUrl: '/module/web/jpage/dataproxy.jsp', perPage: 20, totalRecord: 57, groupSize: 3,
    barPosition: 'bottom', pageSizeEnabled: false,
    ajaxParam: { col: 1, appid: 1, webid: 1, path: '/', columnid: 123, sourceContentType: 1, unitid: 4567, webname: '杭州市人民政府', permissiontype: 0 }
  });
});
</script></div>
<div class="footer"><a href="/col/col9/index.html">网站地图</a></div>
</body></html>`;

test('a Hanweb list page: navigation, then the datastore records as articles and files, in page order', () => {
  const expected: DiscoveredLink[] = [
    { url: `${ORIGIN}/index.html`, role: 'page', text: '首页' },
    { url: `${ORIGIN}/col/col100/index.html`, role: 'list', text: '政务公开' },
    { url: `${ORIGIN}/col/col123/index.html`, role: 'list', text: '政务动态' },
    { url: `${ORIGIN}/art/2021/5/20/art_123_456.html`, role: 'article', text: '市政府召开第45次常务会议' },
    { url: `${ORIGIN}/art/2021/5/19/art_123_455.html`, role: 'article', text: '关于做好2021年防汛工作的通知' },
    {
      url: `${ORIGIN}/module/download/downfile.jsp?classid=0&filename=2105191234567.pdf`,
      role: 'file',
      text: '2021年市级预算表',
    },
    { url: `${ORIGIN}/col/col9/index.html`, role: 'page', text: '网站地图' },
  ];
  const doc = parse(LIST_PAGE);
  assert.deepStrictEqual(discoverLinks(doc, LIST_URL, 'hanweb', ORIGIN), expected);
  assert.equal(pageKind(doc, LIST_URL, 'hanweb'), 'list');
});

const FORM = {
  col: '1',
  appid: '1',
  webid: '1',
  path: '/',
  columnid: '123',
  sourceContentType: '1',
  unitid: '4567',
  webname: '杭州市人民政府',
  permissiontype: '0',
};

test('the data proxy requests for 57 records, 20 a page: the second and third pages', () => {
  assert.deepStrictEqual(dataProxyRequests(parse(LIST_PAGE), LIST_URL), [
    { url: `${ORIGIN}/module/web/jpage/dataproxy.jsp?startrecord=21&endrecord=40&perpage=20`, form: FORM },
    { url: `${ORIGIN}/module/web/jpage/dataproxy.jsp?startrecord=41&endrecord=57&perpage=20`, form: FORM },
  ]);
});

test('the data proxy from other script shapes: `totalRecord = …`, <totalrecord>, the column from the path', () => {
  const page = `<html><body><div id="div88">
<script type="text/xml"><datastore><totalrecord>45</totalrecord><recordset>
<record><![CDATA[<li><a href="/art/2021/3/1/art_88_9.html">春耕备耕</a></li>]]></record></recordset></datastore></script>
<script>var totalRecord = 45; var perpage=15;
var url = "/module/web/jpage/dataproxy.jsp";</script></div></body></html>`;
  const form = {
    col: '1',
    appid: '1',
    webid: '1',
    path: '/',
    columnid: '88',
    sourceContentType: '1',
    permissiontype: '0',
  };
  const proxy = `${ORIGIN}/module/web/jpage/dataproxy.jsp`;
  const expected = [
    { url: `${proxy}?startrecord=16&endrecord=30&perpage=15`, form },
    { url: `${proxy}?startrecord=31&endrecord=45&perpage=15`, form },
  ];
  assert.deepStrictEqual(dataProxyRequests(parse(page), `${ORIGIN}/col/col88/index.html`), expected);
  const onlyXml = page.replace('var totalRecord = 45; ', '');
  assert.deepStrictEqual(dataProxyRequests(parse(onlyXml), `${ORIGIN}/col/col88/index.html`), expected);
});

test('the web name from the datastore’s next-group URL is percent-decoded', () => {
  const page = `<html><body><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=3&path=/&columnid=7&unitid=11&webname=%E5%B8%82%E6%94%BF%E5%BA%9C&permissiontype=0"></a>]]></nextgroup>
<recordset></recordset></datastore></script><script>jpage({ perPage: 10, totalRecord: 12 });</script></body></html>`;
  assert.deepStrictEqual(dataProxyRequests(parse(page), `${ORIGIN}/col/col7/index.html`), [
    {
      url: `${ORIGIN}/module/web/jpage/dataproxy.jsp?startrecord=11&endrecord=12&perpage=10`,
      form: {
        col: '1',
        appid: '1',
        webid: '3',
        path: '/',
        columnid: '7',
        sourceContentType: '1',
        unitid: '11',
        webname: '市政府',
        permissiontype: '0',
      },
    },
  ]);
});

test('no data proxy requests when the page names no proxy, or all records are on the first page', () => {
  const noProxy = '<html><body><script>var totalRecord = 57; var perpage = 20;</script></body></html>';
  const onePage = LIST_PAGE.replace('totalRecord: 57', 'totalRecord: 18');
  assert.deepStrictEqual(dataProxyRequests(parse(noProxy), LIST_URL), []);
  assert.deepStrictEqual(dataProxyRequests(parse(onePage), LIST_URL), []);
  assert.deepStrictEqual(dataProxyRequests(parse('<html><body><p>无</p></body></html>'), LIST_URL), []);
});

test("a data proxy's XML answer: CDATA records and entity-escaped ones, off-origin links dropped", () => {
  const answer = `<?xml version="1.0" encoding="UTF-8"?>
<datastore><recordset>
<record><![CDATA[<li><a href="/art/2021/4/2/art_123_401.html" title="清明节假期安排" target="_blank">清明节假期安排</a><span>2021-04-02</span></li>]]></record>
<record>&lt;li&gt;&lt;a href="/art/2021/4/1/art_123_400.html"&gt;一季度经济运行情况&lt;/a&gt;&lt;span&gt;2021-04-01&lt;/span&gt;&lt;/li&gt;</record>
<record><![CDATA[<li><a href="https://www.gov.cn/zhengce/content/2021-03/31/content_5597123.htm">国务院文件</a></li>]]></record>
<record><![CDATA[<li><a href="../../../art/2021/3/30/art_123_399.html#top"><font color="red">置顶</font> 一网通办上线</a></li>]]></record>
</recordset></datastore>`;
  const base = `${ORIGIN}/module/web/jpage/dataproxy.jsp?startrecord=21&endrecord=40&perpage=20`;
  assert.deepStrictEqual(datastoreLinks(answer, base, ORIGIN), [
    { url: `${ORIGIN}/art/2021/4/2/art_123_401.html`, role: 'article', text: '清明节假期安排' },
    { url: `${ORIGIN}/art/2021/4/1/art_123_400.html`, role: 'article', text: '一季度经济运行情况' },
    { url: `${ORIGIN}/art/2021/3/30/art_123_399.html`, role: 'article', text: '置顶 一网通办上线' },
  ]);
  assert.deepStrictEqual(datastoreLinks('<html><body>出错了</body></html>', base, ORIGIN), []);
});

test('the kind of Hanweb pages by their URLs', () => {
  const doc = parse('<html><body><p>无</p></body></html>');
  assert.deepStrictEqual(
    [
      `${ORIGIN}/col/col123/index.html`,
      `${ORIGIN}/col/col123/index_2.html`,
      `${ORIGIN}/col/col123/`,
      `${ORIGIN}/art/2021/5/20/art_123_456.html`,
      `${ORIGIN}/index.html`,
    ].map((url) => pageKind(doc, url, 'hanweb')),
    ['list', 'list', 'list', 'article', 'other'],
  );
});
