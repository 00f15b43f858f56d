import { INDENT, OLD_SITE, esc } from './texts.js';

// Page templates in the shape TRS WCM publishes: relative links everywhere, the government meta
// tags, `.TRS_Editor` bodies with full-width indents, `CurrChnlCls` breadcrumbs, and list paging
// written only by script. Used by the TRS test mirror and by `npm run bench migrate`.

export interface Link {
  readonly name: string;
  readonly href: string;
}

/** A body paragraph: plain text, or markup with the text a reader sees. */
export type Para = string | { readonly html: string; readonly text: string };

export const paraText = (p: Para): string => (typeof p === 'string' ? p : p.text);
export const paraHtml = (p: Para): string => (typeof p === 'string' ? esc(p) : p.html);

/** Paragraphs as a TRS editor saves them: each starts with two full-width spaces. */
export function trsParagraphs(paras: readonly Para[]): string {
  // A paragraph holding only an image is centred, not indented.
  return paras
    .map((p) =>
      paraText(p) === '' ? `<p style="text-align: center;">${paraHtml(p)}</p>` : `<p>${INDENT}${paraHtml(p)}</p>`,
    )
    .join('\n');
}

export interface TrsChrome {
  /** The home page relative to this page: '../../../' for an article in column/YYYYMM/. */
  readonly home: string;
  /** The top navigation, hrefs relative to this page. */
  readonly nav: readonly Link[];
  /** The columns above this page, 首页 left out, hrefs relative to this page. */
  readonly crumbs: readonly Link[];
}

function head(title: string, charset: string, metas: readonly [string, string][], home: string): string {
  return [
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">',
    '<html xmlns="http://www.w3.org/1999/xhtml">',
    '<head>',
    `<meta http-equiv="Content-Type" content="text/html; charset=${charset}" />`,
    `<title>${esc(title)}_${OLD_SITE.name}</title>`,
    ...metas.map(([name, content]) => `<meta name="${name}" content="${esc(content)}">`),
    `<link href="${home}images/common.css" rel="stylesheet" type="text/css" />`,
    `<script type="text/javascript" src="${home}images/jquery-1.8.3.min.js"></script>`,
    '</head>',
  ].join('\n');
}

function header(chrome: TrsChrome): string {
  const nav = [{ name: '首页', href: chrome.home }, ...chrome.nav];
  return [
    '<div class="header">',
    `<div class="logo"><a href="${chrome.home}"><img src="${chrome.home}images/logo.png" alt="${OLD_SITE.name}" /></a></div>`,
    '<div class="nav"><ul>',
    ...nav.map((l) => `<li><a href="${l.href}" target="_self">${esc(l.name)}</a></li>`),
    '</ul></div>',
    '</div>',
  ].join('\n');
}

function position(chrome: TrsChrome): string {
  const steps = [{ name: '首页', href: chrome.home }, ...chrome.crumbs].map(
    (l) => `<a href="${l.href}" title="${esc(l.name)}" class="CurrChnlCls">${esc(l.name)}</a>`,
  );
  return `<div class="position">当前位置：${steps.join('&nbsp;&gt;&nbsp;')}</div>`;
}

const FOOTER = [
  '<div class="footer">',
  `<p>主办：${OLD_SITE.office}\u3000承办：梅溪区大数据管理中心</p>`,
  `<p>网站标识码：${OLD_SITE.code}\u3000<a href="http://beian.miit.gov.cn/" target="_blank">苏ICP备05012345号</a></p>`,
  '</div>',
  '</body>',
  '</html>',
].join('\n');

export interface TrsArticle {
  readonly title: string;
  /** PubDate as TRS writes it: '2021-05-20 09:30'. */
  readonly pubDate: string;
  /** ContentSource and the visible 来源 ('本站' for the site itself). */
  readonly source: string;
  /** 作者, '' when the page names none. */
  readonly author: string;
  readonly columnName: string;
  readonly paras: readonly Para[];
  /** Markup between the body and the share bar (an 附件 block). */
  readonly after?: string;
  /** Markup above the title (an 索引号 table). */
  readonly before?: string;
  /** The page bar of a multi-page article: its createPageHTML call. */
  readonly pager?: string;
  /** 'utf-8' unless told. */
  readonly charset?: string;
  /** The body as written, instead of `paras` (a page whose body is empty). */
  readonly bodyHtml?: string;
}

/** The style block TRS's editor leaves at the top of every body. */
const EDITOR_STYLE =
  '<style type="text/css">.TRS_Editor P{margin-top:0px;margin-bottom:12px;line-height:1.8;font-family:宋体;font-size:12pt;}.TRS_Editor TD{font-size:12pt;}</style>';

export function trsArticlePage(article: TrsArticle, chrome: TrsChrome): string {
  const metas: [string, string][] = [
    ['SiteName', OLD_SITE.name],
    ['SiteDomain', OLD_SITE.domain],
    ['SiteIDCode', OLD_SITE.code],
    ['ColumnName', article.columnName],
    ['ColumnType', article.columnName],
    ['ArticleTitle', article.title],
    ['PubDate', article.pubDate],
    ['ContentSource', article.source],
    ['Keywords', article.columnName],
  ];
  const author = article.author === '' ? '' : `\u3000作者：${esc(article.author)}`;
  const body = article.bodyHtml ?? `<div class="Custom_UnionStyle">\n${trsParagraphs(article.paras)}\n</div>`;
  return [
    head(article.title, article.charset ?? 'utf-8', metas, chrome.home),
    '<body>',
    header(chrome),
    position(chrome),
    '<div class="article">',
    article.before ?? '',
    `<h1 class="article-title">${esc(article.title)}</h1>`,
    `<div class="article-info">发布时间：${article.pubDate}\u3000来源：${esc(article.source)}${author}\u3000浏览次数：<span id="visitCount">0</span>`,
    `<script type="text/javascript">$.get("/trs/count.jsp?url="+encodeURIComponent(location.pathname),function(n){$("#visitCount").text(n);});</script></div>`,
    '<div class="article-con">',
    `<div class="TRS_Editor">${EDITOR_STYLE}`,
    body,
    '</div>',
    article.pager ? `<div class="page">${article.pager}</div>` : '',
    '</div>',
    article.after ?? '',
    '<div class="bdsharebuttonbox share">分享到：<a href="#" class="bds_weixin" data-cmd="weixin" title="分享到微信"></a><a href="#" class="bds_tsina" data-cmd="tsina" title="分享到新浪微博"></a></div>',
    `<div class="jiucuo"><a href="https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=${OLD_SITE.code}" target="_blank">我要纠错</a></div>`,
    '<div class="tools"><a href="javascript:window.print()">打印本页</a>\u3000<a href="javascript:window.close()">关闭窗口</a></div>',
    '</div>',
    FOOTER,
  ].join('\n');
}

/** TRS's page bar on list and article pages: the count only in this call. */
export function createPageScript(count: number, current: number, stem: string): string {
  return `<script type="text/javascript">createPageHTML(${count}, ${current}, "${stem}", "html");</script>`;
}

/** The other paging shape TRS templates use: the count in `var countPage`. */
export function countPageScript(count: number, current: number): string {
  return [
    '<script type="text/javascript">',
    `var currentPage = ${current};//所在页从0开始`,
    'var prevPage = currentPage-1//上一页',
    'var nextPage = currentPage+1//下一页',
    `var countPage = ${count}//共多少页`,
    'createPageHTML(countPage, currentPage, "index", "html");',
    '</script>',
  ].join('\n');
}

/** The definition some TRS templates inline in the page (others load it from a .js file). */
export const CREATE_PAGE_FUNCTION = [
  '<script type="text/javascript">',
  'function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){',
  '  if(_nPageCount == null || _nPageCount<=1){ return; }',
  '  var nCurrIndex = _nCurrIndex || 0;',
  '  if(nCurrIndex == 0) document.write("<span>首页</span>&nbsp;");',
  '  else document.write("<a href=\\""+_sPageName+"."+_sPageExt+"\\">首页</a>&nbsp;");',
  '  for(var i=1; i<_nPageCount; i++){',
  '    if(nCurrIndex == i) document.write("<span>"+(i+1)+"</span>&nbsp;");',
  '    else document.write("<a href=\\""+_sPageName+"_"+i+"."+_sPageExt+"\\">"+(i+1)+"</a>&nbsp;");',
  '  }',
  '}',
  '</script>',
].join('\n');

export interface TrsListItem {
  readonly href: string;
  readonly title: string;
  /** YYYY-MM-DD */
  readonly date: string;
}

export interface TrsList {
  readonly columnName: string;
  readonly items: readonly TrsListItem[];
  /** The paging script (createPageScript / countPageScript), '' for none. */
  readonly paging: string;
  /** Inline the createPageHTML definition in the head. */
  readonly inlinePagingFunction?: boolean;
}

export function trsListPage(list: TrsList, chrome: TrsChrome): string {
  const metas: [string, string][] = [
    ['SiteName', OLD_SITE.name],
    ['SiteDomain', OLD_SITE.domain],
    ['SiteIDCode', OLD_SITE.code],
    ['ColumnName', list.columnName],
    ['ColumnType', list.columnName],
  ];
  const items = list.items.map(
    (item) =>
      `<li><a href="${item.href}" target="_blank" title="${esc(item.title)}">${esc(item.title)}</a><span>${item.date}</span></li>`,
  );
  return [
    head(list.columnName, 'utf-8', metas, chrome.home),
    list.inlinePagingFunction ? CREATE_PAGE_FUNCTION : '',
    '<body>',
    header(chrome),
    position(chrome),
    `<div class="list-box"><div class="list-title">${esc(list.columnName)}</div>`,
    '<ul class="list">',
    ...items,
    '</ul>',
    `<div class="page">${list.paging}</div>`,
    '</div>',
    FOOTER,
  ].join('\n');
}

export interface TrsBlock {
  readonly title: string;
  /** The block's 更多 link. */
  readonly more: string;
  readonly items: readonly TrsListItem[];
}

/** A page of the site's frame around `main` (the home page, a column's page, the site map). */
export function trsPage(title: string, chrome: TrsChrome, main: string, extra: readonly Link[] = []): string {
  const metas: [string, string][] = [
    ['SiteName', OLD_SITE.name],
    ['SiteDomain', OLD_SITE.domain],
    ['SiteIDCode', OLD_SITE.code],
    ['ColumnName', title],
  ];
  const links = extra.map((l) => `<a href="${l.href}" target="_blank">${esc(l.name)}</a>`);
  return [
    head(title, 'utf-8', metas, chrome.home),
    '<body>',
    header(chrome),
    chrome.crumbs.length > 0 ? position(chrome) : '',
    `<div class="main">\n${main}\n</div>`,
    links.length > 0 ? `<div class="links">${links.join('\u3000')}</div>` : '',
    FOOTER,
  ].join('\n');
}

/** A page of blocks (the home page, a parent column's page): each block a few titles and a 更多 link. */
export function trsBlocksPage(
  title: string,
  blocks: readonly TrsBlock[],
  chrome: TrsChrome,
  extra: readonly Link[] = [],
): string {
  const block = (b: TrsBlock) => [
    `<div class="block"><div class="block-title"><span>${esc(b.title)}</span><a href="${b.more}" class="more">更多&gt;&gt;</a></div><ul>`,
    ...b.items.map(
      (i) =>
        `<li><a href="${i.href}" target="_blank" title="${esc(i.title)}">${esc(i.title)}</a><span>${i.date.slice(5)}</span></li>`,
    ),
    '</ul></div>',
  ];
  return trsPage(title, chrome, blocks.flatMap(block).join('\n'), extra);
}

/** What an anti-bot gateway (加速乐) answers before a browser has its clearance cookie: HTTP 521. */
export function challengePage(seed: number): string {
  const token = `${1621471200 + seed}.${(seed * 7919) % 1000}|0|${Buffer.from(`gz${seed}`).toString('base64')}`;
  return `<html><body><script>document.cookie='__jsl_clearance=${token};max-age=3600;path=/';location.href=location.pathname+location.search</script></body></html>`;
}
