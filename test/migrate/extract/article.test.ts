import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { detectFamily, extractArticle, pageProblem, parsePage } from '../../../src/migrate/extract/index.js';
import type { ExtractedArticle } from '../../../src/migrate/types.js';
import { sanitizeBodyHtml } from '../../../src/domain/index.js';

function fixture(name: string): string {
  return fs.readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

/** Parses, detects and extracts as the crawl does; the page must be no problem page. */
function extract(html: string, url: string) {
  const doc = parsePage(html);
  const family = detectFamily(doc, url);
  assert.equal(pageProblem(doc, 200, url), null);
  return { family, article: extractArticle(doc, url, family) };
}

const TRS_URL = 'http://www.example.gov.cn/xwzx/bqdt/202105/t20210520_123.html';
const TRS_DIR = 'http://www.example.gov.cn/xwzx/bqdt/202105/';

test('a TRS article: meta fields, ../ breadcrumb, .doc and .ofd attachments, widgets dropped, indents, continuations', () => {
  const { family, article } = extract(fixture('trs-article.html'), TRS_URL);
  assert.equal(family, 'trs');
  const expected: ExtractedArticle = {
    title: '关于做好2021年防汛工作的通知',
    subtitle: '',
    source: '区应急管理局',
    author: '',
    publishedAtText: '2021-05-20 09:30',
    bodyHtml: [
      '<div class="Custom_UnionStyle">',
      '<p class="indent">各街道、各部门：</p>',
      '<p style="line-height: 1.5" class="indent">为切实做好今年防汛工作，现将有关事项通知如下。</p>',
      '<p class="indent">一、<strong>提高思想认识</strong>，落实防汛责任。</p>',
      `<p align="center"><img src="${TRS_DIR}W020210520123456789.jpg" alt="防汛演练" oldsrc="W020210520123456789.jpg"></p>`,
      `<p>附件：<a href="${TRS_DIR}P020210520123_1.doc">关于做好2021年防汛工作的通知.doc</a></p>`,
      `<p><a href="${TRS_DIR}P020210520123_2.ofd" oldsrc="P020210520123_2.ofd">防汛应急预案</a></p>`,
      '</div>',
    ].join('\n'),
    breadcrumb: [
      { name: '新闻中心', url: 'http://www.example.gov.cn/xwzx/' },
      { name: '本区动态', url: 'http://www.example.gov.cn/xwzx/bqdt/' },
    ],
    attachments: [
      { url: `${TRS_DIR}P020210520123_1.doc`, name: '关于做好2021年防汛工作的通知.doc' },
      { url: `${TRS_DIR}P020210520123_2.ofd`, name: '防汛应急预案.ofd' },
    ],
    images: [{ url: `${TRS_DIR}W020210520123456789.jpg`, alt: '防汛演练' }],
    disclosure: null,
    continuations: [`${TRS_DIR}t20210520_123_1.html`, `${TRS_DIR}t20210520_123_2.html`],
  };
  assert.deepStrictEqual(article, expected);
});

test('the indent class survives the sanitiser the caller runs next (the theme styles p.indent)', () => {
  const { article } = extract(fixture('trs-article.html'), TRS_URL);
  assert.ok('bodyHtml' in article);
  assert.equal(
    sanitizeBodyHtml(article.bodyHtml).split('\n').slice(0, 4).join('\n'),
    [
      '<div>',
      '<p class="indent">各街道、各部门：</p>',
      '<p class="indent">为切实做好今年防汛工作，现将有关事项通知如下。</p>',
      '<p class="indent">一、<strong>提高思想认识</strong>，落实防汛责任。</p>',
    ].join('\n'),
  );
});

test('a Hanweb article: the comment-marked content, the 索引号 table, a gateway attachment after the body', () => {
  const url = 'http://www.example.gov.cn/art/2021/5/20/art_123_456.html';
  const { family, article } = extract(fixture('hanweb-article.html'), url);
  assert.equal(family, 'hanweb');
  const expected: ExtractedArticle = {
    title: '示范区2021年第一季度经济运行情况',
    subtitle: '——生产总值同比增长12.6%',
    source: null,
    author: '王小明',
    publishedAtText: '2021-05-20 10:15',
    bodyHtml: [
      '<p class="indent">今年一季度，全区经济运行<b>稳中向好</b>。</p>',
      '<p class="indent">全区实现地区生产总值<font color="#ff0000">356.2亿元</font>，同比增长12.6%。</p>',
      '<p align="center"><img src="http://www.example.gov.cn/picture/0/2105201015123.png" border="0"></p>',
    ].join('\n'),
    breadcrumb: [
      { name: '政务公开', url: 'http://www.example.gov.cn/col/col120/index.html' },
      { name: '统计数据', url: 'http://www.example.gov.cn/col/col123/index.html' },
    ],
    attachments: [
      {
        url: 'http://www.example.gov.cn/module/download/downfile.jsp?classid=0&filename=2105201015456.xlsx',
        name: '2021年一季度主要指标.xlsx',
      },
    ],
    images: [{ url: 'http://www.example.gov.cn/picture/0/2105201015123.png', alt: '' }],
    disclosure: {
      indexNo: '014000319/2021-00123',
      organization: '示范区统计局',
      documentNo: '示统〔2021〕8号',
      writtenOn: '2021-05-18',
      topic: '综合政务',
    },
    continuations: [],
  };
  assert.deepStrictEqual(article, expected);
});

test('a Hanweb article without the comment markers: the #zoom block', () => {
  const html = fixture('hanweb-article.html')
    .replace(/<!--ZJEG_RSS\.content\.(?:begin|end)-->/g, '')
    .replace(/<p>附件：.*<\/p>/, '');
  const { article } = extract(html, 'http://www.example.gov.cn/art/2021/5/20/art_123_456.html');
  assert.ok('bodyHtml' in article);
  assert.equal(
    article.bodyHtml,
    [
      '<p class="indent">今年一季度，全区经济运行<b>稳中向好</b>。</p>',
      '<p class="indent">全区实现地区生产总值<font color="#ff0000">356.2亿元</font>，同比增长12.6%。</p>',
      '<p align="center"><img src="http://www.example.gov.cn/picture/0/2105201015123.png" border="0"></p>',
    ].join('\n'),
  );
});

test('a 开普云 (UCAP) article: the UCAPCONTENT element, text-indent styles, 撰稿 as the author', () => {
  const url = 'http://www.example.gov.cn/xxgk/gzdt/202106/20210601_99.html';
  const { family, article } = extract(fixture('ucap-article.html'), url);
  assert.equal(family, 'ucap');
  const expected: ExtractedArticle = {
    title: '区政府召开全区安全生产工作会议',
    subtitle: '',
    source: '区应急管理局',
    author: '李华',
    publishedAtText: '2021-06-01 16:20',
    bodyHtml: [
      '<p class="indent">6月1日下午，区政府召开全区安全生产工作会议。</p>',
      '<p class="indent">会议强调，要<a href="http://www.example.gov.cn/xxgk/gzdt/zcwj/202106/t20210601_88.html">压实安全生产责任</a>。</p>',
    ].join('\n'),
    breadcrumb: [{ name: '工作动态', url: 'http://www.example.gov.cn/xxgk/gzdt/' }],
    attachments: [],
    images: [],
    disclosure: null,
    continuations: [],
  };
  assert.deepStrictEqual(article, expected);
});

test('a plain page: the body by text density, the visible 来源/作者/时间 line, <h1> title, 下一页 continuation', () => {
  const url = 'http://www.dhjd.gov.cn/news/2021/0604/1790.html';
  const { family, article } = extract(fixture('plain-article.html'), url);
  assert.equal(family, 'generic');
  const expected: ExtractedArticle = {
    title: '街道开展垃圾分类宣传活动',
    subtitle: '',
    source: '街道城管科',
    author: '陈静',
    publishedAtText: '2021-06-04 08:45',
    bodyHtml: [
      '<p>6月3日，街道在中心广场开展垃圾分类宣传活动，向居民发放宣传资料500余份。</p>',
      '<p>活动现场，工作人员通过有奖问答、现场演示等方式，向居民讲解垃圾分类知识。</p>',
      '<p>下一步，街道将持续开展垃圾分类进小区、进学校活动。</p>',
    ].join('\n'),
    breadcrumb: [{ name: '新闻动态', url: 'http://www.dhjd.gov.cn/news/' }],
    attachments: [],
    images: [],
    disclosure: null,
    continuations: ['http://www.dhjd.gov.cn/news/2021/0604/1790_1.html'],
  };
  assert.deepStrictEqual(article, expected);
});

test('a plain page whose text sits in one block with its title and meta line: those are left out of the body', () => {
  const html = `<html><head><title>关于开展防溺水安全教育的通知 - 第一中学</title></head><body>
  <div class="menu"><a href="/">学校首页</a> <a href="/xxgk/">信息公开</a> <a href="/tzgg/">通知公告</a></div>
  <div class="main">
    <h1>关于开展防溺水安全教育的通知</h1>
    <div>发布日期：2021/6/8\u3000来源：本站</div>
    <p>各班级：</p>
    <p>为切实加强学生防溺水安全教育，请各班于6月10日前召开主题班会。</p>
  </div>
  <div class="copyright">版权所有 第一中学</div>
  </body></html>`;
  const { article } = extract(html, 'http://www.yz.edu.cn/tzgg/2021/0608/55.html');
  const expected: ExtractedArticle = {
    title: '关于开展防溺水安全教育的通知',
    subtitle: '',
    source: null,
    author: '',
    publishedAtText: '2021/6/8',
    bodyHtml: '<p>各班级：</p>\n<p>为切实加强学生防溺水安全教育，请各班于6月10日前召开主题班会。</p>',
    breadcrumb: [],
    attachments: [],
    images: [],
    disclosure: null,
    continuations: [],
  };
  assert.deepStrictEqual(article, expected);
});

test('an 索引号 table inside the body is read and taken out of the body', () => {
  const html = `<html><head><title>关于印发《示范区河长制工作规则》的通知_示范区人民政府</title></head><body>
  <div class="TRS_Editor">
  <table class="xxgk"><tbody>
    <tr><th>索引号</th><td>11320509MB1234567X/2021-00045</td><th>发文机关</th><td>示范区人民政府办公室</td></tr>
    <tr><th>发文字号</th><td>示政办发〔2021〕12号</td><th>成文日期</th><td>2021/5/6</td></tr>
    <tr><th>主题分类</th><td>城乡建设、环境保护</td><th>有效性</th><td>有效</td></tr>
  </tbody></table>
  <p>各镇人民政府，各街道办事处：</p>
  <p>《示范区河长制工作规则》已经区政府同意，现印发给你们，请认真贯彻执行。</p>
  </div></body></html>`;
  const doc = parsePage(html);
  const article = extractArticle(doc, 'http://www.example.gov.cn/zwgk/zfwj/202105/t20210507_45.html', 'trs');
  const expected: ExtractedArticle = {
    title: '关于印发《示范区河长制工作规则》的通知',
    subtitle: '',
    source: null,
    author: '',
    publishedAtText: null,
    bodyHtml:
      '<p>各镇人民政府，各街道办事处：</p>\n<p>《示范区河长制工作规则》已经区政府同意，现印发给你们，请认真贯彻执行。</p>',
    breadcrumb: [],
    attachments: [],
    images: [],
    disclosure: {
      indexNo: '11320509MB1234567X/2021-00045',
      organization: '示范区人民政府办公室',
      documentNo: '示政办发〔2021〕12号',
      writtenOn: '2021-05-06',
      topic: '城乡建设、环境保护',
    },
    continuations: [],
  };
  assert.deepStrictEqual(article, expected);
});

test('an 索引号 list (label/value pairs in <li>) with 无 as the number reads as no number', () => {
  const html = `<html><body><ul class="xxgk-info">
    <li><span>索 引 号：</span>000014349/2021-00031</li><li><span>发布机构：</span>区发展改革委</li>
    <li><span>文\u3000\u3000号：</span>无</li><li><span>成文日期：</span>2021-13-01</li>
  </ul><div id="zoom"><p>全文如下。</p></div></body></html>`;
  const article = extractArticle(parsePage(html), 'http://www.example.gov.cn/art/2021/3/1/art_9_31.html', 'hanweb');
  assert.ok('disclosure' in article);
  assert.deepStrictEqual(article.disclosure, {
    indexNo: '000014349/2021-00031',
    organization: '区发展改革委',
    documentNo: '',
    writtenOn: null,
    topic: '',
  });
});

test('a page with no body text is a no-body problem, not an article', () => {
  const cases = [
    `<html><head><title>通知_示范区</title></head><body><div class="TRS_Editor"><style>p{}</style><p>&nbsp;</p></div></body></html>`,
    `<html><head><title>街道简介</title></head><body><div class="nav"><a href="/">首页</a><a href="/a/">简介</a></div><h1>街道简介</h1></body></html>`,
  ];
  for (const html of cases) {
    const doc = parsePage(html);
    assert.deepStrictEqual(extractArticle(doc, 'http://www.example.gov.cn/a/t20210520_1.html', detectFamily(doc, '')), {
      kind: 'no-body',
      reason: 'no article body found on the page',
    });
  }
});

test('an article that is only an image still has a body', () => {
  const html = `<html><body><div class="TRS_Editor"><p><img src="W0201.jpg"></p></div></body></html>`;
  const article = extractArticle(parsePage(html), 'http://www.example.gov.cn/tpxw/202105/t20210520_9.html', 'trs');
  assert.ok('bodyHtml' in article);
  assert.equal(article.bodyHtml, '<p><img src="http://www.example.gov.cn/tpxw/202105/W0201.jpg"></p>');
  assert.deepStrictEqual(article.images, [{ url: 'http://www.example.gov.cn/tpxw/202105/W0201.jpg', alt: '' }]);
});

test('Hanweb markers in different parents (markup broken around them): the nodes between them in page order', () => {
  const html = `<html><body><div id="zoom"><div class="a"><p>标题栏</p><!--ZJEG_RSS.content.begin--><p>第一段。</p></div>
  <div class="b"><p>第二段。</p><!--ZJEG_RSS.content.end--><p>分享到微信</p></div></div></body></html>`;
  const article = extractArticle(parsePage(html), 'http://www.example.gov.cn/art/2021/5/20/art_1_2.html', 'hanweb');
  assert.ok('bodyHtml' in article);
  assert.equal(article.bodyHtml, '<p>第一段。</p>\n<p>第二段。</p>');
});
