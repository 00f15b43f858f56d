import { OLD_SITE, esc } from './texts.js';
import { paraHtml, paraText, type Link, type Para } from './trs-pages.js';
import { DATA_PROXY_PATH } from './types.js';

// Page templates in the shape Hanweb (大汉) JCMS publishes: absolute links, columns at
// /col/col<id>/index.html whose first page holds its records in a <datastore> (later pages from
// the data proxy), articles at /art/YYYY/M/D/art_<col>_<id>.html with the body between the
// ZJEG_RSS comments. Used by the Hanweb test mirror and by `npm run bench migrate`.

export interface HanwebColumn {
  readonly id: number;
  readonly name: string;
  /** The list block's unit id (the page's `<div id=…>`, the proxy's unitid). */
  readonly unitId: number;
}

export const columnPath = (column: Pick<HanwebColumn, 'id'>): string => `/col/col${column.id}/index.html`;

export interface HanwebRecord {
  readonly href: string;
  readonly title: string;
  /** YYYY-MM-DD */
  readonly date: string;
}

/** One list line as the datastore and the data proxy hold it. */
export function hanwebRecord(record: HanwebRecord): string {
  return `<li><a href="${record.href}" target="_blank" title="${esc(record.title)}">${esc(record.title)}</a><span class="bt-data-time">${record.date}</span></li>`;
}

function head(title: string, metas: readonly [string, string][]): string {
  return [
    '<!DOCTYPE html>',
    '<html>',
    '<head>',
    '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">',
    `<meta name="SiteName" content="${OLD_SITE.name}">`,
    `<meta name="SiteDomain" content="${OLD_SITE.domain}">`,
    `<meta name="SiteIDCode" content="${OLD_SITE.code}">`,
    ...metas.map(([name, content]) => `<meta name="${name}" content="${esc(content)}">`),
    `<title>${esc(title)} ${OLD_SITE.name}</title>`,
    `<link rel="stylesheet" type="text/css" href="/images/${OLD_SITE.code}/css/main.css">`,
    '<script type="text/javascript" src="/module/jslib/jquery/jquery.js"></script>',
    '</head>',
    '<body>',
  ].join('\n');
}

function header(nav: readonly Link[]): string {
  return [
    '<div class="header">',
    `<div class="logo"><img src="/images/${OLD_SITE.code}/logo.png" alt="${OLD_SITE.name}"></div>`,
    '<ul class="nav">',
    ...[{ name: '首页', href: '/index.html' }, ...nav].map((l) => `<li><a href="${l.href}">${esc(l.name)}</a></li>`),
    '</ul>',
    '</div>',
  ].join('\n');
}

function position(column: HanwebColumn): string {
  return `<div class="bt-position">当前位置：<a href="/index.html">首页</a> &gt; <a href="${columnPath(column)}">${esc(column.name)}</a></div>`;
}

const FOOTER = [
  '<div class="footer">',
  `<p>主办单位：${OLD_SITE.office}\u3000网站标识码：${OLD_SITE.code}</p>`,
  '<p>技术支持：大汉网络</p>',
  '</div>',
  '</body>',
  '</html>',
].join('\n');

export interface HanwebList {
  readonly column: HanwebColumn;
  /** The records in the page's datastore (the first page's, or all of them). */
  readonly records: readonly HanwebRecord[];
  /** The whole column's count, written in the paging script; null: no paging script (every record is in the datastore). */
  readonly totalRecord: number | null;
  readonly perPage: number;
}

/** The jpage script Hanweb writes under a list: the count, the page size and the proxy's form. */
function pagingScript(list: HanwebList): string {
  const { column } = list;
  return [
    '<script type="text/javascript" src="/module/jslib/jquery/jpage/jquery.page.min.js"></script>',
    '<script type="text/javascript">',
    '$(document).ready(function(){',
    `  $('#${column.unitId}').jpage({`,
    '    dataStore: dataStore,',
    `    totalRecord:${list.totalRecord},`,
    `    perPage:${list.perPage},`,
    '    groupSize:3,',
    `    proxyUrl:'${DATA_PROXY_PATH}',`,
    "    barPosition:'bottom',",
    `    ajaxParam:{col:1,appid:1,webid:1,path:'/',columnid:${column.id},sourceContentType:1,unitid:${column.unitId},webname:'${OLD_SITE.name}',permissiontype:0}`,
    '  });',
    '});',
    '</script>',
  ].join('\n');
}

export function hanwebColumnPage(list: HanwebList, nav: readonly Link[]): string {
  const { column } = list;
  const nextGroup =
    list.totalRecord === null
      ? ''
      : `<nextgroup><![CDATA[<a href="${DATA_PROXY_PATH}?page=1&webid=1&path=/&columnid=${column.id}&unitid=${column.unitId}&permissiontype=0"></a>]]></nextgroup>`;
  return [
    head(column.name, [
      ['ColumnName', column.name],
      ['ColumnType', column.name],
    ]),
    header(nav),
    position(column),
    `<div class="bt-list"><div class="bt-list-title">${esc(column.name)}</div>`,
    `<div id="${column.unitId}"><script type="text/xml"><datastore>${nextGroup}<recordset>`,
    ...list.records.map((r) => `<record><![CDATA[\n${hanwebRecord(r)}\n]]></record>`),
    '</recordset></datastore></script></div>',
    list.totalRecord === null ? '' : pagingScript(list),
    '</div>',
    FOOTER,
  ].join('\n');
}

export interface HanwebArticle {
  readonly column: HanwebColumn;
  /** 1234 in art_<col>_1234.html */
  readonly id: number;
  readonly title: string;
  /** 'YYYY-MM-DD HH:mm' */
  readonly pubDate: string;
  readonly source: string;
  readonly paras: readonly Para[];
}

/** /art/2021/5/20/art_123_456.html: the date without leading zeros. */
export function hanwebArticlePath(article: Pick<HanwebArticle, 'column' | 'id' | 'pubDate'>): string {
  const [year, month, day] = article.pubDate.slice(0, 10).split('-').map(Number);
  return `/art/${year}/${month}/${day}/art_${article.column.id}_${article.id}.html`;
}

/** Hanweb editors indent by style, not by spaces; an image alone is centred. */
function paragraph(p: Para): string {
  return paraText(p) === ''
    ? `<p style="text-align:center;">${paraHtml(p)}</p>`
    : `<p style="text-indent:2em;">${paraHtml(p)}</p>`;
}

export function hanwebArticlePage(article: HanwebArticle, nav: readonly Link[]): string {
  const path = hanwebArticlePath(article);
  return [
    head(article.title, [
      ['ColumnName', article.column.name],
      ['ColumnType', article.column.name],
      ['ArticleTitle', article.title],
      ['PubDate', article.pubDate],
      ['ContentSource', article.source],
      ['Keywords', ''],
      ['Description', paraText(article.paras[0] ?? '').slice(0, 60)],
      ['Url', `http://${OLD_SITE.domain}${path}`],
    ]),
    header(nav),
    position(article.column),
    '<div class="main-txt">',
    `<div class="title">${esc(article.title)}</div>`,
    `<div class="info"><span>发布日期：${article.pubDate}</span>\u3000<span>信息来源：${esc(article.source)}</span>\u3000<span>浏览次数：<script language="javascript" src="/module/visitcount/articlehits.jsp?colid=${article.column.id}&amp;artid=${article.id}"></script></span>\u3000<span>字体：[ <a href="javascript:doZoom(20)">大</a> <a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(12)">小</a> ]</span></div>`,
    `<div id="zoom"><!--ZJEG_RSS.content.begin--><meta name="ContentStart">${article.paras.map(paragraph).join('\n')}<!--ZJEG_RSS.content.end--><meta name="ContentEnd"></div>`,
    '<div class="bt-share">分享到：<a href="javascript:void(0)" class="share-weixin">微信</a><a href="javascript:void(0)" class="share-weibo">微博</a></div>',
    '<div class="bt-tools"><a href="javascript:window.print()">打印本页</a>\u3000<a href="javascript:window.close()">关闭窗口</a></div>',
    '</div>',
    FOOTER,
  ].join('\n');
}

export interface HanwebBlock {
  readonly column: HanwebColumn;
  readonly records: readonly HanwebRecord[];
}

export function hanwebHomePage(nav: readonly Link[], blocks: readonly HanwebBlock[]): string {
  return [
    head('首页', []),
    header(nav),
    '<div class="main">',
    ...blocks.flatMap((b) => [
      `<div class="block"><div class="block-title">${esc(b.column.name)}<a href="${columnPath(b.column)}" class="more">更多</a></div><ul>`,
      ...b.records.map(hanwebRecord),
      '</ul></div>',
    ]),
    '</div>',
    '<div class="links"><a href="http://www.gov.cn/" target="_blank">中国政府网</a></div>',
    FOOTER,
  ].join('\n');
}

/** The data proxy's answer: records startrecord…endrecord (1-based, inclusive) of a column. */
export function dataProxyAnswer(records: readonly string[], start: number, end: number): string {
  const slice = records.slice(Math.max(0, start - 1), Math.max(0, end));
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<datastore><totalrecord>${records.length}</totalrecord><recordset>`,
    ...slice.map((r) => `<record><![CDATA[\n${r}\n]]></record>`),
    '</recordset></datastore>',
  ].join('\n');
}
