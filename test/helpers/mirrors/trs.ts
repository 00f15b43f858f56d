import iconv from 'iconv-lite';
import { minimalDoc, minimalOfd, smallPng } from './files.js';
import {
  challengePage,
  countPageScript,
  createPageScript,
  paraText,
  trsArticlePage,
  trsBlocksPage,
  trsListPage,
  trsPage,
  type Link,
  type Para,
  type TrsArticle,
  type TrsChrome,
  type TrsListItem,
} from './trs-pages.js';
import { HTML_UTF8, OLD_SITE, SENTENCES, esc } from './texts.js';
import type { ExpectedArticle, Mirror, MirrorFile, MirrorList, PlantedFailure } from './types.js';

// The TRS-style mirror: 新闻中心 (本区动态, 通知公告) and 政务公开 (政策文件), lists paged by
// createPageHTML and by `var countPage`, a GBK page, a two-page article, attachments, an 索引号
// table, a site map that alone links one article, and the planted failures.

const S = SENTENCES;

/** Top navigation as seen from a page `home` away from the root ('../../../' for articles). */
function chromeAt(home: string, crumbs: readonly Link[]): TrsChrome {
  return {
    home,
    nav: [
      { name: '新闻中心', href: `${home}xwzx/index.html` },
      { name: '政务公开', href: `${home}zwgk/index.html` },
    ],
    crumbs,
  };
}

interface Column {
  readonly dir: string;
  readonly names: readonly [string, string];
}
const BQDT: Column = { dir: '/xwzx/bqdt/', names: ['新闻中心', '本区动态'] };
const TZGG: Column = { dir: '/xwzx/tzgg/', names: ['新闻中心', '通知公告'] };
const ZCWJ: Column = { dir: '/zwgk/zcwj/', names: ['政务公开', '政策文件'] };

/** The chrome of an article in `column`/YYYYMM/: the breadcrumb climbs with ../ links. */
function articleChrome(column: Column): TrsChrome {
  return chromeAt('../../../', [
    { name: column.names[0], href: '../../' },
    { name: column.names[1], href: '../' },
  ]);
}

function listChrome(column: Column): TrsChrome {
  return chromeAt('../../', [
    { name: column.names[0], href: '../' },
    { name: column.names[1], href: './' },
  ]);
}

interface Planned {
  readonly column: Column;
  /** 'YYYYMM/tYYYYMMDD_N' */
  readonly stem: string;
  readonly page: TrsArticle;
}

const pathOf = (p: Planned, suffix = ''): string => `${p.column.dir}${p.stem}${suffix}.html`;

const a1: Planned = {
  column: BQDT,
  stem: '202105/t20210520_123',
  page: {
    title: '区政府召开全区重点项目建设推进会',
    pubDate: '2021-05-20 09:30',
    source: '区政府办公室',
    author: '王晓明',
    columnName: '本区动态',
    paras: [
      S[0],
      S[1],
      S[2],
      {
        html: '会议还通报了全民阅读活动的筹备情况（详见<a href="./t20210515_115.html">“书香梅溪”全民阅读活动启动</a>），并回顾了<a href="/xwzx/bqdt/202001/t20200108_99.html">去年同期项目建设情况</a>。',
        text: '会议还通报了全民阅读活动的筹备情况（详见“书香梅溪”全民阅读活动启动），并回顾了去年同期项目建设情况。',
      },
      S[3],
    ],
  },
};

const TWO_PAGE_FIRST: readonly Para[] = [
  S[4],
  '检查中，执法人员重点查看了食品原料进货查验、索证索票和后厨卫生等情况。',
  S[5],
];
const TWO_PAGE_SECOND: readonly Para[] = [
  '对检查中发现的问题，执法人员现场下达责令整改通知书，并将适时开展复查。',
  '下一步，区市场监管局将持续加大日常监督检查力度，切实保障群众饮食安全。',
];

const a2: Planned = {
  column: BQDT,
  stem: '202105/t20210521_124',
  page: {
    title: '区市场监管局开展食品安全专项检查',
    pubDate: '2021-05-21 15:00',
    source: '区市场监管局',
    author: '',
    columnName: '本区动态',
    paras: TWO_PAGE_FIRST,
    pager: createPageScript(2, 0, 't20210521_124'),
  },
};

const a3: Planned = {
  column: BQDT,
  stem: '202105/t20210518_120',
  page: {
    title: '区卫生健康委组织医护人员进社区开展义诊',
    pubDate: '2021-05-18 10:00',
    source: '区卫生健康委',
    author: '李华',
    columnName: '本区动态',
    charset: 'gb2312',
    paras: [
      S[13],
      '义诊现场，医护人员为群众测量血压、血糖，并讲解慢性病防治知识。',
      '活动共服务社区居民三百余人次，发放健康宣传资料五百余份。',
    ],
  },
};

const IMAGE_PATH = '/xwzx/bqdt/202105/W020210517118_1.png';
const a4: Planned = {
  column: BQDT,
  stem: '202105/t20210517_118',
  page: {
    title: '梅溪区2021年为民办实事项目计划公布',
    pubDate: '2021-05-17 16:20',
    source: '本站',
    author: '',
    columnName: '本区动态',
    paras: [
      '日前，区政府公布2021年为民办实事项目计划，涵盖教育、医疗、交通、养老等十个方面共三十项。',
      { html: '<img src="./W020210517118_1.png" alt="为民办实事项目计划发布现场" title="" />', text: '' },
      S[12],
      '具体项目见附件。',
    ],
    after: [
      '<div class="fujian">附件：<ul>',
      '<li><a href="./P020210517118_1.doc" target="_blank">梅溪区2021年为民办实事项目计划表.doc</a></li>',
      '<li><a href="./P020210517118_2.ofd" target="_blank">实施方案全文</a></li>',
      '</ul></div>',
    ].join('\n'),
  },
};

const a5: Planned = {
  column: BQDT,
  stem: '202105/t20210515_115',
  page: {
    title: '“书香梅溪”全民阅读活动启动',
    pubDate: '2021-05-15 09:00',
    source: '区融媒体中心',
    author: '',
    columnName: '本区动态',
    paras: [S[17], '活动期间，全区各图书馆、农家书屋将举办读书分享会、亲子共读等系列活动六十余场。', S[19]],
  },
};

const a6: Planned = {
  column: TZGG,
  stem: '202105/t20210519_201',
  page: {
    title: '关于举办2021年安全生产培训班的通知',
    pubDate: '2021-05-19 11:00',
    source: '区应急管理局',
    author: '',
    columnName: '通知公告',
    paras: [
      '各镇（街道）、区各有关部门：',
      `为进一步提升安全生产管理水平，经研究，决定举办2021年安全生产培训班。${S[18]}`,
      S[9],
      S[11],
      '梅溪区应急管理局',
      '2021年5月19日',
    ],
  },
};

const TOO_LARGE_PATH = '/xwzx/tzgg/202105/P020210512198_1.zip';
const a7: Planned = {
  column: TZGG,
  stem: '202105/t20210512_198',
  page: {
    title: '关于开展2021年度区级科技项目申报工作的通知',
    pubDate: '2021-05-12 08:45',
    source: '区科技局',
    author: '',
    columnName: '通知公告',
    paras: [
      '各有关单位：',
      '为推动全区科技创新工作，现启动2021年度区级科技项目申报工作。',
      '申报材料汇编见附件，请各单位认真组织申报。',
    ],
    after:
      '<div class="fujian">附件：<a href="./P020210512198_1.zip" target="_blank">2021年度科技项目申报材料汇编</a></div>',
  },
};

const NO_BODY: Planned = {
  column: TZGG,
  stem: '202105/t20210516_205',
  page: {
    title: '关于公布2021年第一批区级示范社区名单的通知',
    pubDate: '2021-05-16 14:00',
    source: '区民政局',
    author: '',
    columnName: '通知公告',
    paras: [],
    bodyHtml: '',
  },
};

/** Where the undecodable page's two stray bytes go. */
const BAD_BYTES_MARK = '@@BAD-BYTES@@';
const UNDECODABLE: Planned = {
  column: TZGG,
  stem: '202105/t20210514_204',
  page: {
    title: '关于调整部分公交线路的通告',
    pubDate: '2021-05-14 09:00',
    source: '区交通运输局',
    author: '',
    columnName: '通知公告',
    paras: [`为方便群众出行，经研究，决定自5月20日起调整部分公交线路${BAD_BYTES_MARK}。`, S[11]],
  },
};

const DISCLOSURE = {
  indexNo: '11320509MB1234567X/2021-00012',
  organization: OLD_SITE.office,
  documentNo: '梅政办发〔2021〕12号',
  writtenOn: '2021-05-08',
  topic: '综合政务',
} as const;

const a8: Planned = {
  column: ZCWJ,
  stem: '202105/t20210510_301',
  page: {
    title: `${OLD_SITE.office}关于印发《梅溪区政务服务事项办理规定》的通知`,
    pubDate: '2021-05-10 17:00',
    source: OLD_SITE.office,
    author: '',
    columnName: '政策文件',
    before: [
      '<table class="xxgk-table" width="100%" border="0" cellspacing="0" cellpadding="0">',
      `<tr><th>索引号</th><td>${DISCLOSURE.indexNo}</td><th>主题分类</th><td>${DISCLOSURE.topic}</td></tr>`,
      `<tr><th>发布机构</th><td>${DISCLOSURE.organization}</td><th>发文日期</th><td>2021-05-10</td></tr>`,
      `<tr><th>文号</th><td>${DISCLOSURE.documentNo}</td><th>成文日期</th><td>${DISCLOSURE.writtenOn}</td></tr>`,
      '<tr><th>名称</th><td colspan="3">关于印发《梅溪区政务服务事项办理规定》的通知</td></tr>',
      '</table>',
    ].join('\n'),
    paras: [
      '各镇人民政府、街道办事处，区各委办局，区各直属单位：',
      '《梅溪区政务服务事项办理规定》已经区政府同意，现印发给你们，请认真贯彻执行。',
      OLD_SITE.office,
      '2021年5月8日',
    ],
  },
};

const a9: Planned = {
  column: ZCWJ,
  stem: '202105/t20210506_298',
  page: {
    title: '梅溪区农村公路养护管理办法',
    pubDate: '2021-05-06 15:30',
    source: '区交通运输局',
    author: '',
    columnName: '政策文件',
    paras: [
      '为加强农村公路养护管理，保障农村公路完好畅通，结合本区实际，制定本办法。',
      '本办法适用于本区行政区域内县道、乡道和村道的养护管理。',
      S[14],
    ],
  },
};

const a10: Planned = {
  column: ZCWJ,
  stem: '202104/t20210428_290',
  page: {
    title: '梅溪区城市绿地管理办法',
    pubDate: '2021-04-28 10:00',
    source: '区住房城乡建设局',
    author: '',
    columnName: '政策文件',
    paras: [
      '为加强城市绿地建设和管理，改善城市生态环境，结合本区实际，制定本办法。',
      '本办法所称城市绿地，是指公园绿地、防护绿地、附属绿地等各类绿化用地。',
      S[14],
    ],
  },
};

const CHALLENGE_PATH = '/xwzx/bqdt/202105/t20210522_900.html';
const BROKEN_LINK = '/xwzx/bqdt/202001/t20200108_99.html';

function item(p: Planned): TrsListItem {
  return { href: `./${p.stem}.html`, title: p.page.title, date: p.page.pubDate.slice(0, 10) };
}

/** An expected article from its page: the text of its paragraphs, the meta line's fields. */
function expect(p: Planned, more: Partial<ExpectedArticle> = {}): ExpectedArticle {
  const bodyText = p.page.paras.map(paraText).filter((t) => t !== '');
  return {
    oldUrls: [pathOf(p)],
    title: p.page.title,
    source: p.page.source === '本站' ? null : p.page.source,
    author: p.page.author,
    publishedAt: p.page.pubDate,
    columns: p.column.names,
    bodyText,
    attachments: [],
    images: [],
    ...more,
  };
}

const html = (path: string, text: string): MirrorFile => ({ path, body: Buffer.from(text), contentType: HTML_UTF8 });

function gbk(path: string, text: string): MirrorFile {
  const body = iconv.encode(text, 'gbk');
  if (iconv.decode(body, 'gbk') !== text) throw new Error(`${path}: the text does not survive GBK`);
  // Old servers send no charset: the page's meta declares it.
  return { path, body, contentType: 'text/html' };
}

function undecodable(path: string, text: string): MirrorFile {
  const [before, after] = text.split(BAD_BYTES_MARK);
  return {
    path,
    body: Buffer.concat([Buffer.from(before ?? ''), Buffer.from([0xff, 0xfe]), Buffer.from(after ?? '')]),
    contentType: HTML_UTF8,
  };
}

function articleFiles(): MirrorFile[] {
  const page = (p: Planned, override: Partial<TrsArticle> = {}) =>
    trsArticlePage({ ...p.page, ...override }, articleChrome(p.column));
  return [
    html(pathOf(a1), page(a1)),
    html(pathOf(a2), page(a2)),
    html(pathOf(a2, '_1'), page(a2, { paras: TWO_PAGE_SECOND, pager: createPageScript(2, 1, 't20210521_124') })),
    gbk(pathOf(a3), page(a3)),
    html(pathOf(a4), page(a4)),
    html(pathOf(a5), page(a5)),
    html(pathOf(a6), page(a6)),
    html(pathOf(a7), page(a7)),
    html(pathOf(NO_BODY), page(NO_BODY)),
    undecodable(pathOf(UNDECODABLE), page(UNDECODABLE)),
    html(pathOf(a8), page(a8)),
    html(pathOf(a9), page(a9)),
    html(pathOf(a10), page(a10)),
    { path: CHALLENGE_PATH, body: Buffer.from(challengePage(900)), contentType: HTML_UTF8, status: 521 },
  ];
}

const CHALLENGE_ITEM: TrsListItem = {
  href: './202105/t20210522_900.html',
  title: '区领导调研重点企业生产经营情况',
  date: '2021-05-22',
};

function listFiles(): MirrorFile[] {
  const bqdt = [CHALLENGE_ITEM, item(a2), item(a1), item(a3), item(a4), item(a5)];
  const tzgg = [item(a6), item(NO_BODY), item(UNDECODABLE), item(a7)];
  const bqdtPage = (n: number) =>
    trsListPage(
      {
        columnName: '本区动态',
        items: bqdt.slice(n * 2, n * 2 + 2),
        paging: createPageScript(3, n, 'index'),
        inlinePagingFunction: true,
      },
      listChrome(BQDT),
    );
  const tzggPage = (n: number) =>
    trsListPage(
      { columnName: '通知公告', items: tzgg.slice(n * 2, n * 2 + 2), paging: countPageScript(2, n) },
      listChrome(TZGG),
    );
  return [
    html('/xwzx/bqdt/index.html', bqdtPage(0)),
    html('/xwzx/bqdt/index_1.html', bqdtPage(1)),
    html('/xwzx/bqdt/index_2.html', bqdtPage(2)),
    html('/xwzx/tzgg/index.html', tzggPage(0)),
    html('/xwzx/tzgg/index_1.html', tzggPage(1)),
    // 政策文件 shows its two newest files only: the third is in the site map alone.
    html(
      '/zwgk/zcwj/index.html',
      trsListPage({ columnName: '政策文件', items: [item(a8), item(a9)], paging: '' }, listChrome(ZCWJ)),
    ),
  ];
}

function otherPages(): MirrorFile[] {
  const under = (dir: string, items: readonly TrsListItem[]) =>
    items.map((i) => ({ ...i, href: `${dir}${i.href.slice(2)}` }));
  const home = chromeAt('./', []);
  const homePage = trsBlocksPage(
    OLD_SITE.name,
    [
      { title: '本区动态', more: './xwzx/bqdt/index.html', items: under('./xwzx/bqdt/', [item(a1)]) },
      { title: '通知公告', more: './xwzx/tzgg/index.html', items: under('./xwzx/tzgg/', [item(a6)]) },
      { title: '政策文件', more: './zwgk/zcwj/index.html', items: [] },
    ],
    home,
    [
      { name: '网站地图', href: './sitemap.html' },
      { name: '内部资料', href: './private/notes.html' },
      { name: '中国政府网', href: 'http://www.gov.cn/' },
    ],
  );
  const xwzx = trsBlocksPage(
    '新闻中心',
    [
      { title: '本区动态', more: './bqdt/index.html', items: under('./bqdt/', [item(a1), item(a3)]) },
      { title: '通知公告', more: './tzgg/index.html', items: under('./tzgg/', [item(a6)]) },
    ],
    chromeAt('../', [{ name: '新闻中心', href: './' }]),
  );
  const zwgk = trsBlocksPage(
    '政务公开',
    [{ title: '政策文件', more: './zcwj/index.html', items: under('./zcwj/', [item(a8)]) }],
    chromeAt('../', [{ name: '政务公开', href: './' }]),
  );
  return [
    html('/index.html', homePage),
    html('/xwzx/index.html', xwzx),
    html('/zwgk/index.html', zwgk),
    html('/sitemap.html', siteMap()),
    html(
      '/private/notes.html',
      `<html><head><meta charset="utf-8"><title>内部资料</title></head><body><p>${esc(S[16])}</p></body></html>`,
    ),
    { path: '/robots.txt', body: Buffer.from('User-agent: *\nDisallow: /private/\n'), contentType: 'text/plain' },
  ];
}

function siteMap(): string {
  const link = (href: string, name: string) => `<li><a href="${href}" target="_blank">${esc(name)}</a></li>`;
  const policies = [a8, a9, a10].map((p) => link(`./zwgk/zcwj/${p.stem}.html`, p.page.title));
  return trsPage(
    '网站地图',
    chromeAt('./', [{ name: '网站地图', href: './sitemap.html' }]),
    [
      `<h2><a href="./xwzx/index.html">新闻中心</a></h2><ul>${link('./xwzx/bqdt/index.html', '本区动态')}${link('./xwzx/tzgg/index.html', '通知公告')}</ul>`,
      `<h2><a href="./zwgk/index.html">政务公开</a></h2><ul>${link('./zwgk/zcwj/index.html', '政策文件')}</ul>`,
      `<h3>政策文件一览</h3><ul>${policies.join('')}</ul>`,
    ].join('\n'),
  );
}

function mediaFiles(): MirrorFile[] {
  return [
    { path: IMAGE_PATH, body: smallPng(16, 12, 118), contentType: 'image/png' },
    { path: '/xwzx/bqdt/202105/P020210517118_1.doc', body: minimalDoc(118), contentType: 'application/msword' },
    { path: '/xwzx/bqdt/202105/P020210517118_2.ofd', body: minimalOfd('实施方案全文'), contentType: 'application/ofd' },
  ];
}

function lists(): MirrorList[] {
  const of = (columns: readonly string[], ...paths: string[]) => paths.map((oldPath) => ({ oldPath, columns }));
  return [
    ...of(['新闻中心'], '/xwzx/index.html', '/xwzx/'),
    ...of(['政务公开'], '/zwgk/index.html', '/zwgk/'),
    ...of(BQDT.names, '/xwzx/bqdt/index.html', '/xwzx/bqdt/', '/xwzx/bqdt/index_1.html', '/xwzx/bqdt/index_2.html'),
    ...of(TZGG.names, '/xwzx/tzgg/index.html', '/xwzx/tzgg/', '/xwzx/tzgg/index_1.html'),
    ...of(ZCWJ.names, '/zwgk/zcwj/index.html', '/zwgk/zcwj/'),
  ];
}

export function trsMirror(): Mirror {
  const files = [...otherPages(), ...listFiles(), ...articleFiles(), ...mediaFiles()];
  const bytes = (path: string) => files.find((f) => f.path === path)?.body ?? Buffer.alloc(0);
  const articles: ExpectedArticle[] = [
    expect(a1),
    expect(a2, {
      oldUrls: [pathOf(a2), pathOf(a2, '_1')],
      bodyText: [...TWO_PAGE_FIRST, ...TWO_PAGE_SECOND].map(paraText),
    }),
    expect(a3),
    expect(a4, {
      attachments: [
        {
          name: '梅溪区2021年为民办实事项目计划表.doc',
          oldPath: '/xwzx/bqdt/202105/P020210517118_1.doc',
          bytes: bytes('/xwzx/bqdt/202105/P020210517118_1.doc'),
        },
        {
          name: '实施方案全文.ofd',
          oldPath: '/xwzx/bqdt/202105/P020210517118_2.ofd',
          bytes: bytes('/xwzx/bqdt/202105/P020210517118_2.ofd'),
        },
      ],
      images: [{ oldPath: IMAGE_PATH, alt: '为民办实事项目计划发布现场' }],
    }),
    expect(a5),
    expect(a6),
    expect(a7),
    expect(a8, { disclosure: DISCLOSURE }),
    expect(a9),
    expect(a10),
  ];
  const failures: PlantedFailure[] = [
    { path: CHALLENGE_PATH, kind: 'challenge' },
    { path: pathOf(NO_BODY), kind: 'no-body' },
    { path: pathOf(UNDECODABLE), kind: 'undecodable' },
    { path: TOO_LARGE_PATH, kind: 'too-large' },
    { path: BROKEN_LINK, kind: 'broken-link' },
  ];
  return { style: 'trs', files, articles, lists: lists(), failures, externalLinks: [BROKEN_LINK] };
}
