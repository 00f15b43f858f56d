import { HTML_UTF8, SENTENCES, esc } from './texts.js';
import type { ExpectedArticle, Mirror, MirrorFile } from './types.js';

// The plain mirror: a home-grown news site with no CMS markers and no government meta tags. The
// title is the <h1>, a visible line gives 来源 and 发布时间, and the body is the biggest block of
// text beside a sidebar and a footer of links. One page's markup is broken the ways old
// hand-edited pages are.

const SITE_NAME = '梅溪新闻网';

interface PlainArticle {
  readonly path: string;
  readonly title: string;
  readonly pubDate: string;
  readonly source: string;
  readonly author: string;
  readonly paras: readonly string[];
}

const ARTICLES: readonly PlainArticle[] = [
  {
    path: '/news/2021/0520-1.html',
    title: '区融媒体中心开展新闻业务培训',
    pubDate: '2021-05-20 09:30',
    source: '区融媒体中心',
    author: '',
    paras: [
      '5月20日，区融媒体中心组织开展新闻业务培训，全体采编人员参加。培训围绕新闻采写、短视频制作和新媒体运营等内容展开，授课老师结合近年来的典型报道案例，详细讲解了新闻选题策划、现场采访技巧和稿件写作规范，并现场点评了学员提交的作品。',
      '参训人员纷纷表示，培训内容贴近实际、针对性强，对今后做好新闻宣传工作很有帮助。',
      SENTENCES[16],
    ],
  },
  {
    path: '/news/2021/0519-2.html',
    title: '梅溪区举办2021年就业援助月专场招聘会',
    pubDate: '2021-05-19 14:00',
    source: '区人力资源和社会保障局',
    author: '陈静',
    paras: [
      '5月19日，梅溪区2021年就业援助月专场招聘会在区人力资源市场举行。本次招聘会共有八十余家企业参加，提供岗位两千余个，涵盖制造、商贸、服务等多个行业，现场还设置了政策咨询、职业指导和技能培训报名等服务台，为求职者提供一站式就业服务。',
      '现场共有九百余名求职者进场咨询，初步达成就业意向三百余人。',
    ],
  },
  {
    path: '/NewsView.aspx?NewsID=123',
    title: '区图书馆新馆正式对外开放',
    pubDate: '2021-05-18 10:30',
    source: '区文化体育和旅游局',
    author: '',
    paras: [
      '区图书馆新馆位于梅溪大道与文昌路交叉口，建筑面积一万二千平方米，设有少儿阅览区、自习区和数字阅读体验区，馆藏图书三十余万册。新馆开放后，每周开放时间由原来的五十六小时延长至七十小时，并新增自助借还、预约座位等便民服务。',
      '市民可凭身份证或社保卡免费办理借阅证。',
    ],
  },
  {
    path: '/news/2021/0516-1.html',
    title: '区公共文化服务中心开展暑期公益课堂',
    pubDate: '2021-05-16 14:00',
    source: '区融媒体中心',
    author: '',
    paras: [
      '暑期公益课堂开设书法、绘画、舞蹈、科普等课程，面向全区中小学生免费开放。课堂采取线上报名、线下授课的方式，每期招收学员三十名，授课教师均由区文化馆业务骨干和社会文艺工作者担任，课程结束后还将举办学员作品展示活动。',
      '区公共文化服务中心将根据报名情况适时增开班次。',
    ],
  },
  {
    path: '/news/2021/0513-3.html',
    title: '区志愿者协会开展垃圾分类宣传活动',
    pubDate: '2021-05-13 16:00',
    source: '区融媒体中心',
    author: '',
    paras: [
      '近日，区志愿者协会组织志愿者走进社区，开展垃圾分类宣传活动。志愿者通过发放宣传手册、现场演示和有奖问答等方式，向居民讲解可回收物、有害垃圾、厨余垃圾和其他垃圾的分类标准，引导居民从自身做起、从点滴做起，养成垃圾分类好习惯。',
      '活动共发放宣传资料一千余份，受到社区居民的欢迎。',
    ],
  },
];

/** The page whose markup is broken (upper-case tags, unclosed <p>, a stray </div>, </html> before the footer). */
const BROKEN = '/news/2021/0516-1.html';

const MENU = '<ul class="menu"><li><a href="/">首页</a></li><li><a href="/news/">新闻动态</a></li></ul>';
const LOCATION = '<div class="location">您的位置：<a href="/">首页</a> &gt; <a href="/news/">新闻动态</a></div>';

function sidebar(): string {
  return [
    '<div class="right">',
    '<h3>热点新闻</h3><ul>',
    ...ARTICLES.map((a) => `<li><a href="${esc(a.path)}">${esc(a.title)}</a></li>`),
    '</ul>',
    '<h3>友情链接</h3><ul><li><a href="http://www.gov.cn/" target="_blank">中国政府网</a></li><li><a href="http://www.jiangsu.gov.cn/" target="_blank">江苏省人民政府</a></li></ul>',
    '</div>',
  ].join('\n');
}

const FOOTER = [
  '<div id="foot"><a href="/">网站首页</a> | <a href="/news/">新闻动态</a> | <a href="mailto:news@meixi.example">联系我们</a>',
  `<br>${SITE_NAME} 版权所有</div>`,
].join('\n');

function metaLine(a: PlainArticle): string {
  const author = a.author === '' ? '' : `\u3000作者：${esc(a.author)}`;
  return `来源：${esc(a.source)}${author}\u3000发布时间：${a.pubDate}`;
}

function articlePage(a: PlainArticle): string {
  return [
    '<!DOCTYPE html>',
    `<html><head><meta charset="utf-8"><title>${esc(a.title)} - ${SITE_NAME}</title><link rel="stylesheet" href="/css/style.css"></head>`,
    '<body>',
    `<div id="top"><div class="logo">${SITE_NAME}</div>${MENU}</div>`,
    LOCATION,
    '<div class="main">',
    '<div class="left">',
    `<h1>${esc(a.title)}</h1>`,
    `<div class="meta">${metaLine(a)}</div>`,
    '<div class="text">',
    ...a.paras.map((p) => `<p>${esc(p)}</p>`),
    '</div>',
    '</div>',
    sidebar(),
    '</div>',
    FOOTER,
    '</body></html>',
  ].join('\n');
}

/** Markup with upper-case tag and attribute names, as old hand-written pages have it. */
function upperCaseTags(markup: string): string {
  return markup
    .replace(/<(\/?)([a-z][a-z0-9]*)/g, (_m, slash: string, tag: string) => `<${slash}${tag.toUpperCase()}`)
    .replace(/ (href|target|class|id)=/g, (_m, name: string) => ` ${name.toUpperCase()}=`);
}

/** The same page as an old hand-edited template writes it. */
function brokenPage(a: PlainArticle): string {
  return [
    '<HTML><HEAD><META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=utf-8">',
    `<TITLE>${esc(a.title)} - ${SITE_NAME}</TITLE></HEAD>`,
    '<BODY BGCOLOR=#FFFFFF>',
    `<DIV ID=top><DIV CLASS=logo>${SITE_NAME}</DIV><UL CLASS=menu><LI><A HREF="/">首页</A><LI><A HREF="/news/">新闻动态</A></UL></DIV>`,
    '<DIV CLASS=location>您的位置：<A HREF="/">首页</A> &gt; <A HREF="/news/">新闻动态</A></DIV>',
    '<DIV CLASS=main><DIV CLASS=left>',
    `<H1>${esc(a.title)}</H1>`,
    `<DIV CLASS=meta>${metaLine(a)}</DIV>`,
    '<DIV CLASS=text>',
    ...a.paras.map((p) => `<P>${esc(p)}`),
    '</DIV></DIV>',
    upperCaseTags(sidebar()),
    '</DIV></DIV>',
    '</BODY></HTML>',
    upperCaseTags(FOOTER),
    '</HTML>',
  ].join('\n');
}

function listPage(): string {
  return [
    '<!DOCTYPE html>',
    `<html><head><meta charset="utf-8"><title>新闻动态 - ${SITE_NAME}</title></head>`,
    '<body>',
    `<div id="top"><div class="logo">${SITE_NAME}</div>${MENU}</div>`,
    LOCATION,
    '<div class="main"><div class="left"><h2>新闻动态</h2><ul class="newslist">',
    ...ARTICLES.map(
      (a) => `<li><span class="date">${a.pubDate.slice(0, 10)}</span><a href="${esc(a.path)}">${esc(a.title)}</a></li>`,
    ),
    '</ul></div>',
    '</div>',
    FOOTER,
    '</body></html>',
  ].join('\n');
}

function homePage(): string {
  return [
    '<!DOCTYPE html>',
    `<html><head><meta charset="utf-8"><title>${SITE_NAME}</title></head>`,
    '<body>',
    `<div id="top"><div class="logo">${SITE_NAME}</div>${MENU}</div>`,
    '<div class="main"><h2>最新动态</h2><ul>',
    ...ARTICLES.slice(0, 3).map((a) => `<li><a href="${esc(a.path)}">${esc(a.title)}</a></li>`),
    '</ul><a href="/news/">更多新闻</a></div>',
    FOOTER,
    '</body></html>',
  ].join('\n');
}

const html = (path: string, text: string): MirrorFile => ({ path, body: Buffer.from(text), contentType: HTML_UTF8 });

export function plainMirror(): Mirror {
  const articles: ExpectedArticle[] = ARTICLES.map((a) => ({
    oldUrls: [a.path],
    title: a.title,
    source: a.source,
    author: a.author,
    publishedAt: a.pubDate,
    columns: ['新闻动态'],
    bodyText: a.paras,
    attachments: [],
    images: [],
  }));
  return {
    style: 'plain',
    files: [
      html('/index.html', homePage()),
      html('/news/index.html', listPage()),
      ...ARTICLES.map((a) => html(a.path, a.path === BROKEN ? brokenPage(a) : articlePage(a))),
    ],
    articles,
    lists: [{ oldPath: '/news/', columns: ['新闻动态'] }],
    failures: [],
    externalLinks: [],
  };
}
