import { smallPdf, smallPng } from './files.js';
import {
  columnPath,
  hanwebArticlePage,
  hanwebArticlePath,
  hanwebColumnPage,
  hanwebHomePage,
  hanwebRecord,
  type HanwebArticle,
  type HanwebColumn,
  type HanwebRecord,
} from './hanweb-pages.js';
import { HTML_UTF8, SENTENCES } from './texts.js';
import { paraText, type Link } from './trs-pages.js';
import type { ExpectedArticle, Mirror, MirrorFile } from './types.js';

// The Hanweb-style mirror: two columns whose first list page holds two records in its datastore;
// the rest (four articles no other page links) come only from the data proxy.

const S = SENTENCES;
const BQDT: HanwebColumn = { id: 123, name: '本区动态', unitId: 4961 };
const TZGG: HanwebColumn = { id: 124, name: '通知公告', unitId: 4962 };
const NAV: readonly Link[] = [BQDT, TZGG].map((c) => ({ name: c.name, href: columnPath(c) }));
const PER_PAGE = 2;

const IMAGE_PATH = '/picture/0/2105201015123.png';
const PDF_PATH = '/module/download/downfile.jsp?classid=0&filename=2105211730456.pdf';
const PDF_NAME = '梅溪区2021年惠企政策实施细则';

/** Newest first, as the lists show them. */
const BQDT_ARTICLES: readonly HanwebArticle[] = [
  {
    column: BQDT,
    id: 456,
    title: '我区召开2021年农村人居环境整治工作推进会',
    pubDate: '2021-05-20 10:15',
    source: '区住房城乡建设局',
    paras: [
      '5月20日，我区召开2021年农村人居环境整治工作推进会，通报前一阶段工作进展。',
      { html: `<img src="${IMAGE_PATH}" alt="推进会现场" border="0">`, text: '' },
      S[10],
      S[16],
    ],
  },
  {
    column: BQDT,
    id: 455,
    title: '区政务服务中心新增综合受理窗口',
    pubDate: '2021-05-19 16:00',
    source: '区行政审批局',
    paras: [S[8], '窗口启用后，群众办理不动产登记、社保参保等高频事项平均等待时间缩短一半以上。'],
  },
  {
    column: BQDT,
    id: 452,
    title: '全区一至四月固定资产投资保持增长',
    pubDate: '2021-05-17 09:40',
    source: '区统计局',
    paras: [S[6], '其中，工业投资增长百分之十一点二，民间投资增长百分之六点五。'],
  },
  {
    column: BQDT,
    id: 450,
    title: '区教育局部署中小学校舍改造工作',
    pubDate: '2021-05-14 11:20',
    source: '区教育局',
    paras: [S[7], '此次改造涉及全区十八所中小学校，主要包括屋面防水、外墙修缮和操场改造等内容。'],
  },
  {
    column: BQDT,
    id: 447,
    title: '我区新建改建农村公路三十六公里',
    pubDate: '2021-05-10 15:10',
    source: '区交通运输局',
    paras: [S[15], '新建改建的农村公路全部按照四级及以上公路标准建设，并同步完善安全防护设施。'],
  },
];

const TZGG_ARTICLES: readonly HanwebArticle[] = [
  {
    column: TZGG,
    id: 460,
    title: `关于印发《${PDF_NAME}》的通知`,
    pubDate: '2021-05-21 17:30',
    source: '区发展改革委',
    paras: [
      '各镇（街道）、区各有关部门：',
      `《${PDF_NAME}》已经区政府同意，现印发给你们，请结合实际认真贯彻落实。`,
      {
        html: `附件：<a href="${PDF_PATH.replace('&', '&amp;')}" target="_blank">${PDF_NAME}</a>`,
        text: `附件：${PDF_NAME}`,
      },
    ],
  },
  {
    column: TZGG,
    id: 458,
    title: '关于开展2021年全民阅读推广活动的通知',
    pubDate: '2021-05-18 10:00',
    source: '区文化体育和旅游局',
    paras: [
      '各镇（街道）、区各有关部门：',
      `为营造全民阅读的良好氛围，决定在全区开展2021年全民阅读推广活动。${S[18]}`,
      S[10],
    ],
  },
  {
    column: TZGG,
    id: 441,
    title: '关于做好2021年度城乡居民医保参保缴费工作的通知',
    pubDate: '2021-05-06 09:00',
    source: '区医保局',
    paras: [
      '各镇（街道）：',
      `2021年度城乡居民医保集中参保缴费工作即将开始。${S[18]}`,
      '请各镇（街道）做好政策宣传和参保登记工作，确保应保尽保。',
    ],
  },
];

function record(article: HanwebArticle): HanwebRecord {
  return { href: hanwebArticlePath(article), title: article.title, date: article.pubDate.slice(0, 10) };
}

const html = (path: string, text: string): MirrorFile => ({ path, body: Buffer.from(text), contentType: HTML_UTF8 });

function expected(article: HanwebArticle, files: readonly MirrorFile[]): ExpectedArticle {
  const bytes = (path: string) => files.find((f) => f.path === path)?.body ?? Buffer.alloc(0);
  const hasPdf = article.id === 460;
  const hasImage = article.id === 456;
  return {
    oldUrls: [hanwebArticlePath(article)],
    title: article.title,
    source: article.source,
    author: '',
    publishedAt: article.pubDate,
    columns: [article.column.name],
    bodyText: article.paras.map(paraText).filter((t) => t !== ''),
    attachments: hasPdf ? [{ name: `${PDF_NAME}.pdf`, oldPath: PDF_PATH, bytes: bytes(PDF_PATH) }] : [],
    images: hasImage ? [{ oldPath: IMAGE_PATH, alt: '推进会现场' }] : [],
  };
}

export function hanwebMirror(): Mirror {
  const columns = [
    { column: BQDT, articles: BQDT_ARTICLES },
    { column: TZGG, articles: TZGG_ARTICLES },
  ];
  const files: MirrorFile[] = [
    html(
      '/index.html',
      hanwebHomePage(
        NAV,
        columns.map((c) => ({ column: c.column, records: c.articles.slice(0, PER_PAGE).map(record) })),
      ),
    ),
    ...columns.map((c) =>
      html(
        columnPath(c.column),
        hanwebColumnPage(
          {
            column: c.column,
            records: c.articles.slice(0, PER_PAGE).map(record),
            totalRecord: c.articles.length,
            perPage: PER_PAGE,
          },
          NAV,
        ),
      ),
    ),
    ...[...BQDT_ARTICLES, ...TZGG_ARTICLES].map((a) => html(hanwebArticlePath(a), hanwebArticlePage(a, NAV))),
    { path: IMAGE_PATH, body: smallPng(20, 14, 456), contentType: 'image/png' },
    { path: PDF_PATH, body: smallPdf('hanweb 2105211730456'), contentType: 'application/pdf' },
  ];
  return {
    style: 'hanweb',
    files,
    articles: [...BQDT_ARTICLES, ...TZGG_ARTICLES].map((a) => expected(a, files)),
    lists: columns.map((c) => ({ oldPath: columnPath(c.column), columns: [c.column.name] })),
    failures: [],
    externalLinks: [],
    dataProxy: Object.fromEntries(columns.map((c) => [String(c.column.id), c.articles.map(record).map(hanwebRecord)])),
  };
}
