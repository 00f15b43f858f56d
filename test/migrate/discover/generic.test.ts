import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'htmlparser2';
import { discoverLinks, pageKind } from '../../../src/migrate/discover/index.js';
import type { DiscoveredLink } from '../../../src/migrate/types.js';

const ORIGIN = 'http://www.example.gov.cn';

function parse(html: string) {
  return parseDocument(html, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
}

/** A home-grown CMS's list: dated lines, ASP.NET detail links, and only 下一页/尾页 in its page bar. */
const LIST_PAGE = `<html><head><meta charset="gb2312"><title>新闻动态</title></head><body>
<div id="menu"><a href="/index.html">首页</a> <a href="/news/list.html">新闻动态</a>
<a href="/notice/">通知公告</a> <a href="/About.aspx?id=2">单位概况</a></div>
<table class="newslist">
<tr><td><a href="/news/2021/0520/1234.html">区政府召开常务会议</a></td><td>2021-05-20</td></tr>
<tr><td><a href="/news/a/1230.html">防汛演练顺利举行</a></td><td>[05-18]</td></tr>
<tr><td><a href="NewsView.aspx?NewsID=123">关于开展安全生产大检查的通知</a></td><td>2021年5月17日</td></tr>
<tr><td><a href="/news/shownews.asp?id=77">区领导调研重点项目</a></td><td>2021/05/16</td></tr>
<tr><td><a href="NewsView.aspx?NewsID=123#top">关于开展安全生产大检查的通知（重复）</a></td><td>2021-05-17</td></tr>
<tr><td><a href="/news/b/1228.html">一季度经济运行平稳</a></td><td>2021-05-15</td></tr>
<tr><td><a href="/upload/2021/ysgk.xlsx">2021年预算公开表</a></td><td>2021-05-14</td></tr>
</table>
<div class="pages">共7页 <a href="list_2.html">下一页&gt;</a> <a href="list_7.html">尾页</a></div>
<div class="footer"><a href="/sitemap.html">网站地图</a> <a href="/about.html">关于我们</a> <a href="http://www.beian.gov.cn/">备案</a></div>
</body></html>`;

test('a plain list page: dated lines and detail shapes as articles, 下一页/尾页 expanded to every page', () => {
  const url = `${ORIGIN}/news/list.html`;
  const expected: DiscoveredLink[] = [
    { url: `${ORIGIN}/index.html`, role: 'page', text: '首页' },
    { url: `${ORIGIN}/news/list.html`, role: 'list', text: '新闻动态' },
    { url: `${ORIGIN}/notice/`, role: 'list', text: '通知公告' },
    { url: `${ORIGIN}/About.aspx?id=2`, role: 'list', text: '单位概况' },
    { url: `${ORIGIN}/news/2021/0520/1234.html`, role: 'article', text: '区政府召开常务会议' },
    { url: `${ORIGIN}/news/a/1230.html`, role: 'article', text: '防汛演练顺利举行' },
    { url: `${ORIGIN}/news/NewsView.aspx?NewsID=123`, role: 'article', text: '关于开展安全生产大检查的通知' },
    { url: `${ORIGIN}/news/shownews.asp?id=77`, role: 'article', text: '区领导调研重点项目' },
    { url: `${ORIGIN}/news/b/1228.html`, role: 'article', text: '一季度经济运行平稳' },
    { url: `${ORIGIN}/upload/2021/ysgk.xlsx`, role: 'file', text: '2021年预算公开表' },
    { url: `${ORIGIN}/news/list_2.html`, role: 'list', text: '下一页>' },
    { url: `${ORIGIN}/news/list_7.html`, role: 'list', text: '尾页' },
    { url: `${ORIGIN}/sitemap.html`, role: 'page', text: '网站地图' },
    { url: `${ORIGIN}/about.html`, role: 'page', text: '关于我们' },
    { url: `${ORIGIN}/news/list_3.html`, role: 'list', text: '' },
    { url: `${ORIGIN}/news/list_4.html`, role: 'list', text: '' },
    { url: `${ORIGIN}/news/list_5.html`, role: 'list', text: '' },
    { url: `${ORIGIN}/news/list_6.html`, role: 'list', text: '' },
  ];
  const doc = parse(LIST_PAGE);
  assert.deepStrictEqual(discoverLinks(doc, url, 'generic', ORIGIN), expected);
  assert.equal(pageKind(doc, url, 'generic'), 'list');
});

test('a page bar numbered by a query parameter: ?page=2 … 末页 ?page=5', () => {
  const page = `<html><body><ul>
<li><a href="NewsList.aspx?cid=3&amp;page=1">1</a></li><li><a href="NewsList.aspx?cid=3&amp;page=2">2</a></li>
<li><a href="NewsList.aspx?cid=3&amp;page=2">[下一页]</a></li><li><a href="NewsList.aspx?cid=3&amp;page=5">[末页]</a></li>
</ul></body></html>`;
  const list = `${ORIGIN}/news/NewsList.aspx?cid=3`;
  assert.deepStrictEqual(discoverLinks(parse(page), `${list}&page=1`, 'generic', ORIGIN), [
    { url: `${list}&page=1`, role: 'list', text: '1' },
    { url: `${list}&page=2`, role: 'list', text: '2' },
    { url: `${list}&page=5`, role: 'list', text: '[末页]' },
    { url: `${list}&page=3`, role: 'list', text: '' },
    { url: `${list}&page=4`, role: 'list', text: '' },
  ]);
});

/** An article of a plain site: a 发布时间 line over a run of prose, no CMS markers. */
const ARTICLE_PAGE = `<html><head><title>区政府召开常务会议</title></head><body>
<div id="menu"><a href="/index.html">首页</a> <a href="/news/list.html">新闻动态</a></div>
<h1>区政府召开常务会议</h1>
<div class="info">来源：区政府办公室 发布时间：2021-05-20 09:30 浏览次数：128</div>
<div class="content"><p>5月20日上午，区长主持召开区政府常务会议，传达学习省、市有关会议精神，研究部署防汛防台、安全生产、
营商环境优化等重点工作。会议指出，当前正值汛期，各部门要坚持人民至上、生命至上，压紧压实防汛责任，
加强隐患排查整治，确保安全度汛。会议还研究了其他事项。</p></div>
<div class="related"><ul><li><a href="/news/a/1230.html">防汛演练顺利举行</a> 2021-05-18</li></ul></div>
</body></html>`;

test('the kind of plain pages by their content: article, list, other', () => {
  const list = `${ORIGIN}/news/list.html`;
  const aboutPage = '<html><body><h1>单位概况</h1><p>区政府办公室是区政府的综合办事机构。</p></body></html>';
  const metaArticle = ARTICLE_PAGE.replace(
    '<title>',
    '<meta name="PubDate" content="2021-05-20 09:30"><title>',
  ).replace('发布时间：2021-05-20 09:30', '');
  const pagedList = `<html><body><ul><li><a href="/x/1.html">一</a> 2021-05-20</li></ul>
<a href="/x/list_2.html">下一页</a></body></html>`;
  const datedHome = LIST_PAGE;
  assert.deepStrictEqual(
    [
      pageKind(parse(ARTICLE_PAGE), `${ORIGIN}/news/a/1234.html`, 'generic'),
      pageKind(parse(metaArticle), `${ORIGIN}/news/a/1234.html`, 'generic'),
      pageKind(parse(ARTICLE_PAGE), `${ORIGIN}/news/NewsView.aspx?NewsID=123`, 'generic'),
      pageKind(parse(LIST_PAGE), list, 'generic'),
      pageKind(parse(pagedList), `${ORIGIN}/x/`, 'generic'),
      pageKind(parse(aboutPage), `${ORIGIN}/about.html`, 'generic'),
      pageKind(parse(aboutPage), `${ORIGIN}/about/index.html`, 'generic'),
      pageKind(parse(datedHome), `${ORIGIN}/`, 'generic'),
      pageKind(parse(ARTICLE_PAGE), `${ORIGIN}/upload/a.pdf`, 'generic'),
    ],
    ['article', 'article', 'article', 'list', 'list', 'other', 'list', 'other', 'other'],
  );
});

test('a list whose table heads say 发布日期 is still a list, even with an introduction', () => {
  const rows = Array.from(
    { length: 12 },
    (_, i) => `<tr><td><a href="/zfxxgk/${100 + i}.html">通知${i + 1}</a></td><td>2021-05-${String(10 + i)}</td></tr>`,
  ).join('\n');
  const page = `<html><body><div class="intro"><p>本栏目发布区政府及其部门的通知公告，内容包括政策文件、人事任免、招标采购、
征地拆迁、行政许可、行政处罚等事项，公众可按标题检索，也可按发布日期浏览。发布日期：2021年以来的通知均在此处公开，
更早的请查阅档案馆。</p></div><table><tr><th>标题</th><th>发布日期</th></tr>${rows}</table></body></html>`;
  assert.equal(pageKind(parse(page), `${ORIGIN}/zfxxgk/tzgg/`, 'generic'), 'list');
});

test('dated lines make articles only on plain sites: elsewhere the URL shape decides', () => {
  const page = `<html><body><ul><li><a href="/zt/fx/">防汛专题</a> 2021-05-20</li></ul></body></html>`;
  assert.deepStrictEqual(discoverLinks(parse(page), `${ORIGIN}/zt/`, 'generic', ORIGIN), [
    { url: `${ORIGIN}/zt/fx/`, role: 'article', text: '防汛专题' },
  ]);
  assert.deepStrictEqual(discoverLinks(parse(page), `${ORIGIN}/zt/`, 'ucap', ORIGIN), [
    { url: `${ORIGIN}/zt/fx/`, role: 'page', text: '防汛专题' },
  ]);
});
