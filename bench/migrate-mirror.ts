import { seededRandom } from '../src/services/content/corpus.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { smallPdf, smallPng } from '../test/helpers/mirrors/files.js';
import {
  columnPath,
  hanwebArticlePage,
  hanwebArticlePath,
  hanwebColumnPage,
  type HanwebColumn,
  type HanwebRecord,
} from '../test/helpers/mirrors/hanweb-pages.js';
import { OLD_SITE, SENTENCES } from '../test/helpers/mirrors/texts.js';
import {
  createPageScript,
  trsArticlePage,
  trsBlocksPage,
  trsListPage,
  type Link,
  type Para,
  type TrsBlock,
  type TrsChrome,
  type TrsListItem,
} from '../test/helpers/mirrors/trs-pages.js';
import { wgetFileName } from '../test/helpers/mirrors.js';
import { log, round } from './support.js';

/**
 * The old site `npm run bench migrate` migrates: one site whose columns are half TRS-shaped
 * (/xwzx/lm01/ lists paged index_N.html by createPageHTML, t-page articles) and half
 * Hanweb-shaped (/col/col1001/index.html, /art/… articles), as a district's site looks after it
 * moved part of its columns to a second CMS. Every list is reachable as plain files (nginx
 * serves files only): a Hanweb column's datastore holds all its records and there is no data
 * proxy. One article in 20 has an image, one in 50 a PDF attachment. The same page templates as
 * the test mirrors (test/helpers/mirrors/), made deterministically from the article count, and
 * kept under os.tmpdir() between runs.
 */

/** Bumped when the pages change, so that an older copy is not reused. */
export const GENERATOR_VERSION = 1;
const PER_COLUMN = 2000;
const PER_LIST_PAGE = 20;
const IMAGE_EVERY = 20;
const ATTACHMENT_EVERY = 50;
/** Each column's newest article; older ones follow every 8 hours or so. */
const NEWEST = Date.UTC(2021, 4, 31, 1, 30);
const STEP_MS = 8 * 3600_000;

const PARENTS = [
  { name: '新闻中心', dir: '/xwzx/' },
  { name: '政务公开', dir: '/zwgk/' },
  { name: '公共服务', dir: '/ggfw/' },
] as const;
const TRS_NAMES = [
  '本区动态',
  '部门动态',
  '镇街动态',
  '通知公告',
  '图片新闻',
  '政策文件',
  '政策解读',
  '规划计划',
  '人事信息',
  '财政信息',
  '统计信息',
  '防灾减灾',
  '招标采购',
  '教育服务',
  '医疗卫生',
  '社会保障',
  '就业创业',
  '住房保障',
  '交通出行',
  '文化旅游',
  '绿色发展',
  '安全生产',
  '市场监管',
  '科技创新',
  '营商环境',
];
const HANWEB_NAMES = [
  '工作动态',
  '公示公告',
  '重点工作',
  '政策法规',
  '部门文件',
  '建议提案',
  '审计信息',
  '价格信息',
  '食品安全',
  '环境保护',
  '公共资源',
  '社会救助',
  '养老服务',
  '残疾人服务',
  '优抚安置',
  '住房公积金',
  '城市建设',
  '水利建设',
  '交通建设',
  '农业生产',
  '乡村振兴',
  '体育健身',
  '群团工作',
  '志愿服务',
  '社区治理',
];
const SUBJECTS = [
  '区政府',
  '区发展改革委',
  '区教育局',
  '区科技局',
  '区民政局',
  '区司法局',
  '区财政局',
  '区人社局',
  '区住房城乡建设局',
  '区交通运输局',
  '区水务局',
  '区商务局',
  '区文体旅局',
  '区卫生健康委',
  '区应急管理局',
  '区市场监管局',
  '区统计局',
  '区医保局',
  '区行政审批局',
  '区城管局',
];
const ACTIONS = [
  '召开专题工作会议',
  '开展业务培训',
  '部署安全生产工作',
  '推进重点项目建设',
  '开展专项检查',
  '召开年度工作总结会',
  '举办政策宣讲活动',
  '开展便民服务活动',
  '推进政务服务改革',
  '召开工作推进会',
  '开展走访调研',
  '组织应急演练',
  '部署汛期防范工作',
  '开展志愿服务活动',
  '举办业务技能竞赛',
];

const pick = <T>(list: readonly T[], r: () => number): T => list[Math.floor(r() * list.length)] as T;

/** 'YYYY-MM-DD HH:mm' in the site's time (UTC+8, no daylight saving). */
function localTime(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

interface GeneratedArticle {
  readonly n: number;
  readonly title: string;
  readonly pubDate: string;
  readonly source: string;
  readonly paras: Para[];
  readonly image: boolean;
  readonly attachment: boolean;
}

function article(n: number, index: number, column: number): GeneratedArticle {
  // The same count always makes the same site.
  const r = seededRandom(n * 7919 + 17);
  const subject = pick(SUBJECTS, r);
  const paras: Para[] = [];
  for (let i = 3 + Math.floor(r() * 4); i > 0; i--) paras.push(pick(SENTENCES, r));
  paras.splice(
    1,
    0,
    `截至目前，${subject}今年累计办理相关事项${100 + Math.floor(r() * 9000)}件，按时办结率达到百分之${90 + Math.floor(r() * 10)}。`,
  );
  return {
    n,
    title: `${subject}${pick(ACTIONS, r)}`,
    pubDate: localTime(NEWEST - index * STEP_MS - column * 7 * 60_000 - Math.floor(r() * 60) * 60_000),
    source: subject,
    paras,
    image: n % IMAGE_EVERY === 0,
    attachment: n % ATTACHMENT_EVERY === 0,
  };
}

/** Writes files under the root, making each folder once. */
class Writer {
  private readonly made = new Set<string>();
  files = 0;
  bytes = 0;
  constructor(readonly root: string) {}
  write(urlPath: string, body: string | Buffer): void {
    const file = path.join(this.root, wgetFileName(urlPath));
    const dir = path.dirname(file);
    if (!this.made.has(dir)) {
      fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
      this.made.add(dir);
    }
    fs.writeFileSync(file, body, { mode: 0o644 });
    this.files++;
    this.bytes += typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  }
}

interface TrsColumnPlan {
  readonly name: string;
  readonly parent: (typeof PARENTS)[number];
  /** '/xwzx/lm01/' */
  readonly dir: string;
  readonly count: number;
}

const NAV_FROM = (home: string): Link[] => [
  ...PARENTS.map((p) => ({ name: p.name, href: `${home}${p.dir.slice(1)}index.html` })),
  { name: '信息公开', href: '/col/col1001/index.html' },
];

const columnName = (names: readonly string[], i: number): string =>
  `${names[i % names.length]}${i >= names.length ? Math.floor(i / names.length) + 1 : ''}`;

/** A TRS column: its article pages in YYYYMM/ folders and its list pages, 20 lines each. */
function writeTrsColumn(writer: Writer, plan: TrsColumnPlan, column: number, first: number): TrsListItem[] {
  const chrome: TrsChrome = {
    home: '../../../',
    nav: NAV_FROM('../../../'),
    crumbs: [
      { name: plan.parent.name, href: '../../' },
      { name: plan.name, href: '../' },
    ],
  };
  const items: TrsListItem[] = [];
  for (let i = 0; i < plan.count; i++) {
    const a = article(first + i, i, column);
    const day = a.pubDate.slice(0, 10).replaceAll('-', '');
    const stem = `${day.slice(0, 6)}/t${day}_${a.n}`;
    const folder = `${plan.dir}${day.slice(0, 6)}/`;
    const paras = [...a.paras];
    let after = '';
    if (a.image) {
      const image = `W${day}${a.n}_1.png`;
      writer.write(`${folder}${image}`, smallPng(16, 12, a.n));
      paras.splice(1, 0, { html: `<img src="./${image}" alt="${a.title}现场" />`, text: '' });
    }
    if (a.attachment) {
      const file = `P0${day}${a.n}_1.pdf`;
      writer.write(`${folder}${file}`, smallPdf(`bench ${a.n}`));
      after = `<div class="fujian">附件：<a href="./${file}" target="_blank">${a.title}相关材料</a></div>`;
    }
    const page = {
      title: a.title,
      pubDate: a.pubDate,
      source: a.source,
      author: '',
      columnName: plan.name,
      paras,
      after,
    };
    writer.write(`${plan.dir}${stem}.html`, trsArticlePage(page, chrome));
    items.push({ href: `./${stem}.html`, title: a.title, date: a.pubDate.slice(0, 10) });
  }
  const pages = Math.max(1, Math.ceil(items.length / PER_LIST_PAGE));
  const listChrome: TrsChrome = {
    home: '../../',
    nav: NAV_FROM('../../'),
    crumbs: [
      { name: plan.parent.name, href: '../' },
      { name: plan.name, href: './' },
    ],
  };
  for (let p = 0; p < pages; p++) {
    const list = {
      columnName: plan.name,
      items: items.slice(p * PER_LIST_PAGE, (p + 1) * PER_LIST_PAGE),
      paging: createPageScript(pages, p, 'index'),
    };
    writer.write(`${plan.dir}${p === 0 ? 'index' : `index_${p}`}.html`, trsListPage(list, listChrome));
  }
  return items.slice(0, 3);
}

/** A Hanweb column: its article pages, and its column page whose datastore holds every record. */
function writeHanwebColumn(
  writer: Writer,
  column: HanwebColumn,
  count: number,
  first: number,
  nav: readonly Link[],
): HanwebRecord[] {
  const records: HanwebRecord[] = [];
  for (let i = 0; i < count; i++) {
    const a = article(first + i, i, column.id);
    const paras = [...a.paras];
    if (a.image) {
      const image = `/picture/0/${a.n}.png`;
      writer.write(image, smallPng(16, 12, a.n));
      paras.splice(1, 0, { html: `<img src="${image}" alt="${a.title}现场">`, text: '' });
    }
    if (a.attachment) {
      const file = `/attach/0/${a.n}.pdf`;
      writer.write(file, smallPdf(`bench ${a.n}`));
      paras.push({
        html: `附件：<a href="${file}" target="_blank">${a.title}相关材料</a>`,
        text: `附件：${a.title}相关材料`,
      });
    }
    const page = { column, id: a.n, title: a.title, pubDate: a.pubDate, source: a.source, paras };
    writer.write(hanwebArticlePath(page), hanwebArticlePage(page, nav));
    records.push({ href: hanwebArticlePath(page), title: a.title, date: a.pubDate.slice(0, 10) });
  }
  writer.write(columnPath(column), hanwebColumnPage({ column, records, totalRecord: null, perPage: 20 }, nav));
  return records.slice(0, 3);
}

/** Splits `total` into columns of at most PER_COLUMN. */
function columnSizes(total: number): number[] {
  const columns = Math.max(1, Math.ceil(total / PER_COLUMN));
  return Array.from({ length: columns }, (_, i) => Math.floor(total / columns) + (i < total % columns ? 1 : 0));
}

export interface BenchMirror {
  readonly root: string;
  readonly articles: number;
  readonly trsColumns: number;
  readonly hanwebColumns: number;
  readonly files: number;
  readonly bytes: number;
  /** Seconds spent making it (null: an earlier run's copy was reused). */
  readonly generateSeconds: number | null;
}

function generate(root: string, articles: number): Omit<BenchMirror, 'generateSeconds' | 'root'> {
  const writer = new Writer(root);
  const trsSizes = columnSizes(Math.ceil(articles / 2));
  const hanwebSizes = columnSizes(Math.floor(articles / 2));
  const blocks: TrsBlock[] = [];
  const parentBlocks = new Map<string, TrsBlock[]>(PARENTS.map((p) => [p.dir, []]));
  let n = 1;
  trsSizes.forEach((count, i) => {
    const parent = PARENTS[i % PARENTS.length] ?? PARENTS[0];
    const dir = `${parent.dir}lm${String(i + 1).padStart(2, '0')}/`;
    const plan = { name: columnName(TRS_NAMES, i), parent, dir, count };
    const newest = writeTrsColumn(writer, plan, i, n);
    n += count;
    const under = (prefix: string) => newest.map((item) => ({ ...item, href: `${prefix}${item.href.slice(2)}` }));
    blocks.push({ title: plan.name, more: `.${dir}index.html`, items: under(`.${dir}`) });
    parentBlocks.get(parent.dir)?.push({
      title: plan.name,
      more: `./${dir.slice(parent.dir.length)}index.html`,
      items: under(`./${dir.slice(parent.dir.length)}`),
    });
    if (i % 10 === 9) log(`  mirror: ${n - 1} of ${articles} articles`);
  });
  const hanwebColumns: HanwebColumn[] = hanwebSizes.map((_, j) => ({
    id: 1001 + j,
    name: columnName(HANWEB_NAMES, j),
    unitId: 5001 + j,
  }));
  const nav = hanwebColumns.map((c) => ({ name: c.name, href: columnPath(c) }));
  hanwebSizes.forEach((count, j) => {
    const column = hanwebColumns[j] as HanwebColumn;
    const newest = writeHanwebColumn(writer, column, count, n, nav);
    n += count;
    blocks.push({ title: column.name, more: columnPath(column), items: newest });
    if (j % 10 === 9) log(`  mirror: ${n - 1} of ${articles} articles`);
  });
  for (const parent of PARENTS) {
    const chrome = { home: '../', nav: NAV_FROM('../'), crumbs: [{ name: parent.name, href: './' }] };
    writer.write(`${parent.dir}index.html`, trsBlocksPage(parent.name, parentBlocks.get(parent.dir) ?? [], chrome));
  }
  writer.write('/index.html', trsBlocksPage(OLD_SITE.name, blocks, { home: './', nav: NAV_FROM('./'), crumbs: [] }));
  return {
    articles,
    trsColumns: trsSizes.length,
    hanwebColumns: hanwebSizes.length,
    files: writer.files,
    bytes: writer.bytes,
  };
}

const MARKER = '.bench-mirror.json';

/**
 * The mirror of `articles` articles: an earlier run's copy when one of this generator version
 * is complete, else made now (into a scratch folder renamed into place when done, so that an
 * interrupted run leaves nothing that looks complete).
 */
export function benchMirror(articles: number): BenchMirror {
  const root = path.join(os.tmpdir(), `gazette-bench-migrate-mirror-v${GENERATOR_VERSION}-${articles}`);
  try {
    const kept = JSON.parse(fs.readFileSync(path.join(root, MARKER), 'utf8')) as Omit<
      BenchMirror,
      'root' | 'generateSeconds'
    >;
    log(`migrate: reusing the mirror in ${root}`);
    return { ...kept, root, generateSeconds: null };
  } catch {
    // none yet, or an unfinished one: made again below
  }
  log(`migrate: generating a mirror of ${articles} articles in ${root}`);
  const started = performance.now();
  // Scratch folders of runs that were interrupted are of no use to anyone.
  for (const name of fs.readdirSync(os.tmpdir()))
    if (name.startsWith(`${path.basename(root)}.partial-`))
      fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
  const scratch = `${root}.partial-${process.pid}`;
  fs.mkdirSync(scratch, { recursive: true, mode: 0o755 });
  const made = generate(scratch, articles);
  fs.writeFileSync(path.join(scratch, MARKER), JSON.stringify(made));
  fs.rmSync(root, { recursive: true, force: true });
  fs.renameSync(scratch, root);
  return { ...made, root, generateSeconds: round((performance.now() - started) / 1000, 1) };
}
