import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { articles, openStore, type Store } from '../src/store/index.js';
import {
  addContentField,
  createArticle,
  createChannel,
  ensureSite,
  EventHub,
  systemActor,
  updateArticle,
  type FieldInput,
  type ServiceContext,
} from '../src/services/index.js';
import {
  articlesInOrder,
  loadSiteView,
  OutputStore,
  Publisher,
  renderPublicPath,
  renderSource,
  type PageSource,
  type SiteView,
} from '../src/publish/index.js';
import { loadItemRelations } from '../src/publish/items.js';
import { DEFAULT_THEME_DIR, loadTheme, type Theme } from '../src/theme/index.js';
import {
  articlePath,
  escapeHtml,
  htmlToText,
  shippedType,
  valuesText,
  type Article,
  type ContentEvent,
  type FieldValues,
} from '../src/domain/index.js';
import { fixedClock } from '../src/clock.js';
import { makeCorpusGenerator } from '../src/services/content/corpus.js';
import { postgresTestStore } from '../test/helpers/store.js';
import { log, optionReader, removeTemp, round, tempDir } from './support.js';

/**
 * `npm run bench types [-- --renders 2000 --rounds 5 --items 100000 --backends sqlite,postgres --theme DIR]`:
 * the two performance targets of issue 18 (content types), each with its verdict.
 *
 * - render: an item with 30 filled fields (a 办事指南 with every field filled, and text fields
 *   the site added to reach 30) against an article whose body has as many characters as the
 *   item's values; each page rendered --renders times, best of --rounds, both as a build renders
 *   it (page model and template from the rows, `renderSource`) and as a request or a publish run
 *   does (read from the store, then rendered, `renderPublicPath`). Target: item ≤ 1.5 × article.
 * - add field: --items items of one type (政策文件) inserted straight into the store in one
 *   transaction, nothing built; then `addContentField`, the service the API calls, timed, with a
 *   publisher listening as in `gazette serve` (durable events, publish tasks): it must take
 *   < 5 s and record no event, no publish task and write no page. Editing one item afterwards
 *   shows the same count going up (so the zero is not that of a sink nobody wired).
 */

const NOW = new Date('2025-12-01T01:00:00Z');
const ACTOR = systemActor('bench types');
const RENDER_RATIO_TARGET = 1.5;
const ADD_FIELD_TARGET_MS = 5000;
const FIELDS_TARGET = 30;
const TIME_ZONE = 'Asia/Shanghai';

// ---------------------------------------------------------------------------------------------
// The item with 30 fields and the article of the same text length

/** Text fields a site might add to its 办事指南, as many as it takes to reach 30. */
const ADDED_GUIDE_FIELDS: readonly (FieldInput & { value: string })[] = [
  { name: 'implementer', label: '实施主体', kind: 'text', value: '示范区行政审批局' },
  { name: 'level', label: '行使层级', kind: 'text', value: '县级' },
  { name: 'audience', label: '服务对象', kind: 'text', value: '自然人、企业法人、事业单位法人、社会组织法人' },
  { name: 'area', label: '通办范围', kind: 'text', value: '全市通办' },
  { name: 'visits', label: '到办事现场次数', kind: 'text', value: '0次（全程网办）或1次（窗口办理）' },
  { name: 'mode', label: '办理形式', kind: 'text', value: '窗口办理、网上办理、快递申请' },
  { name: 'resultName', label: '审批结果名称', kind: 'text', value: '营业执照' },
  { name: 'delivery', label: '结果送达方式', kind: 'text', value: '窗口领取、邮政寄递（免费）' },
  { name: 'booking', label: '预约办理', kind: 'text', value: '支持，可通过政务服务网或12345热线预约' },
  { name: 'express', label: '物流快递', kind: 'text', value: '支持申请材料和办理结果免费寄递' },
  { name: 'inCenter', label: '进驻政务服务中心', kind: 'text', value: '是，一楼综合窗口' },
  { name: 'powerSource', label: '权力来源', kind: 'text', value: '法定本级行使' },
  {
    name: 'specialSteps',
    label: '特别程序',
    kind: 'richText',
    value: '<p>需要现场核查的，核查时间不计入承诺时限，核查时限为3个工作日。</p>',
  },
  { name: 'agency', label: '中介服务', kind: 'text', value: '无' },
  { name: 'quota', label: '数量限制', kind: 'text', value: '无数量限制' },
];

const GUIDE_VALUES: FieldValues = {
  code: '320509-XK-0001',
  basis:
    '<p>《促进个体工商户发展条例》第八条：个体工商户应当依法办理登记。</p><p>《中华人民共和国市场主体登记管理条例》第三条。</p>',
  scope: '在本区从事工商业经营的公民',
  conditions: [{ text: '有经营能力的公民' }, { text: '有固定的经营场所' }, { text: '经营范围不属于禁止类项目' }],
  materials: [
    {
      name: '个体工商户登记（备案）申请书',
      form: ['原件', '电子'],
      copies: 1,
      origin: '申请人自备',
      blank: { url: '/media/forms/gtgsh-sqs.docx', name: '申请书空白表格' },
      sample: { url: '/media/forms/gtgsh-sqs-sample.pdf', name: '申请书示例样表' },
    },
    { name: '经营者身份证件', form: ['复印件'], copies: 1, origin: '公安机关' },
    { name: '经营场所使用证明', form: ['复印件'], copies: 1, origin: '申请人自备' },
  ],
  steps: [
    { text: '申请人在网上或窗口提交申请材料' },
    { text: '窗口人员当场审核材料' },
    { text: '材料齐全、符合法定形式的，当场核发营业执照' },
  ],
  flowChart: { url: '/media/guides/gtgsh-flow.png', alt: '个体工商户设立登记办理流程图' },
  timeKind: '即办件',
  promisedDays: 1,
  legalDays: 15,
  fees: '不收费',
  place: '示范区政务服务中心一楼综合窗口（中山路1号）',
  hours: '工作日上午9:00—12:00，下午13:30—17:00（法定节假日除外）',
  phone: '0512-63001234',
  complaintPhone: '12345',
  online: { url: 'https://www.gjzwfw.gov.cn/', text: '全国一体化政务服务平台' },
  faq: [
    { question: '经营场所可以使用住宅吗？', answer: '<p>可以，但应遵守法律法规和管理规约。</p>' },
    { question: '可以委托他人办理吗？', answer: '<p>可以，受托人须持本人身份证件和授权委托书。</p>' },
  ],
};

const TITLE = '个体工商户设立登记';

/** The characters a reader reads, spaces and line breaks aside. */
function charCount(text: string): number {
  return Array.from(text.replace(/\s+/g, '')).length;
}

/** The characters of the item's values (HTML as its text). */
function textLength(values: FieldValues): number {
  return charCount(valuesText(values).join(''));
}

/** An article body of exactly `chars` characters of generated Chinese prose, in paragraphs. */
function bodyOfLength(chars: number): string {
  const generated = makeCorpusGenerator(20251201)(chars + 200, NOW.getTime());
  let left = chars;
  const paragraphs: string[] = [];
  for (const paragraph of generated.body.split('\n')) {
    if (left <= 0) break;
    const taken = Array.from(paragraph.replace(/\s+/g, '')).slice(0, left).join('');
    paragraphs.push(`<p class="indent">${escapeHtml(taken)}</p>`);
    left -= charCount(taken);
  }
  return paragraphs.join('\n');
}

/** Published straight in the store: the bench times the pages, not the workflow or the search index. */
async function markPublished(store: Store, ids: readonly number[]): Promise<void> {
  await store.db
    .updateTable('article')
    .set({ status: 'published', publishedAt: NOW.toISOString() })
    .where('id', 'in', ids)
    .execute();
}

interface RenderSetup {
  readonly store: Store;
  readonly view: SiteView;
  readonly item: Article;
  readonly article: Article;
}

async function renderSetup(dir: string): Promise<RenderSetup> {
  const store = await openStore({ databaseUrl: null, sqliteFile: path.join(dir, 'gazette.db') });
  const base = { store, clock: fixedClock(NOW), mediaDir: path.join(dir, 'media') };
  const { site } = await ensureSite(base, TIME_ZONE);
  const ctx = { ...base, siteId: site.id };
  const guides = await createChannel(ctx, ACTOR, {
    name: '办事指南',
    slug: 'bszn',
    type: 'list',
    contentType: 'guide',
  });
  const news = await createChannel(ctx, ACTOR, { name: '工作动态', slug: 'gzdt', type: 'list' });
  const added = ADDED_GUIDE_FIELDS.slice(0, FIELDS_TARGET - shippedType('guide').fields.length);
  for (const { value: _value, ...field } of added) await addContentField(ctx, ACTOR, 'guide', field);
  const values = { ...GUIDE_VALUES, ...Object.fromEntries(added.map((f) => [f.name, f.value])) };
  const item = await createArticle(ctx, ACTOR, { channelId: guides.id, title: TITLE, bodyHtml: '', fields: values });
  const article = await createArticle(ctx, ACTOR, {
    channelId: news.id,
    title: TITLE,
    bodyHtml: bodyOfLength(textLength(values)),
  });
  await markPublished(store, [item.id, article.id]);
  const view = await loadSiteView(store.db, site.id);
  const [itemRow, articleRow] = await Promise.all([
    articles.findArticle(store.db, item.id),
    articles.findArticle(store.db, article.id),
  ]);
  if (!view || !itemRow || !articleRow) throw new Error('the bench site lost its rows');
  return { store, view, item: itemRow, article: articleRow };
}

/** What a build renders the page from: the rows with their neighbours, and an item's relations. */
async function pageSource(store: Store, view: SiteView, page: Article): Promise<PageSource> {
  for await (const { article, ...around } of articlesInOrder(store.db, page.channelId)) {
    if (article.id !== page.id) continue;
    const relations = await loadItemRelations(store.db, view, article, (id) => loadSiteView(store.db, id));
    return { article, around: { ...around, relations } };
  }
  throw new Error(`article ${page.id} is not on its column's list`);
}

/** Microseconds per call, the best of `rounds` rounds of `times` calls. */
function bestMicroseconds(rounds: number, times: number, run: () => unknown): number {
  let fastest = Infinity;
  for (let r = 0; r < rounds; r++) {
    const started = performance.now();
    for (let i = 0; i < times; i++) run();
    fastest = Math.min(fastest, performance.now() - started);
  }
  return round((fastest * 1000) / times, 1);
}

/** The same for a call that reads the store (each awaited before the next starts). */
async function bestMicrosecondsAsync(rounds: number, times: number, run: () => Promise<unknown>): Promise<number> {
  let fastest = Infinity;
  for (let r = 0; r < rounds; r++) {
    const started = performance.now();
    for (let i = 0; i < times; i++) await run();
    fastest = Math.min(fastest, performance.now() - started);
  }
  return round((fastest * 1000) / times, 1);
}

function verdict(ratio: number): 'PASS' | 'FAIL' {
  return ratio <= RENDER_RATIO_TARGET ? 'PASS' : 'FAIL';
}

async function renderTarget(theme: Theme, renders: number, rounds: number) {
  const dir = tempDir('types-render');
  try {
    const { store, view, item, article } = await renderSetup(dir);
    try {
      const urlOf = (a: Article) => articlePath(view.tree.path(a.channelId), a, view.site.timeZone);
      const sources = { item: await pageSource(store, view, item), article: await pageSource(store, view, article) };
      const html = {
        item: renderSource(theme, view, sources.item),
        article: renderSource(theme, view, sources.article),
      };
      const served = await renderPublicPath(store.db, theme, view, urlOf(item));
      if (served.kind !== 'page' || served.html !== html.item) throw new Error('the item page differs between paths');
      // A round of each first: the first calls parse the templates and the JIT is still warming up.
      bestMicroseconds(1, renders, () => renderSource(theme, view, sources.item));
      bestMicroseconds(1, renders, () => renderSource(theme, view, sources.article));
      log(`types: rendering each page ${renders} times, best of ${rounds}`);
      const build = {
        item: bestMicroseconds(rounds, renders, () => renderSource(theme, view, sources.item)),
        article: bestMicroseconds(rounds, renders, () => renderSource(theme, view, sources.article)),
      };
      const request = {
        item: await bestMicrosecondsAsync(rounds, renders, () => renderPublicPath(store.db, theme, view, urlOf(item))),
        article: await bestMicrosecondsAsync(rounds, renders, () =>
          renderPublicPath(store.db, theme, view, urlOf(article)),
        ),
      };
      const buildRatio = round(build.item / build.article, 2);
      const requestRatio = round(request.item / request.article, 2);
      return {
        target: `rendering an item with ${FIELDS_TARGET} fields costs ≤ ${RENDER_RATIO_TARGET}× rendering an article of the same text length`,
        item: {
          type: 'guide',
          filledFields: Object.keys(item.fields).length,
          shippedFields: shippedType('guide').fields.length,
          addedFields: Object.keys(item.fields).length - shippedType('guide').fields.length,
          textChars: textLength(item.fields),
          pageBytes: Buffer.byteLength(html.item),
        },
        article: {
          bodyChars: charCount(htmlToText(article.bodyHtml)),
          pageBytes: Buffer.byteLength(html.article),
        },
        renders,
        rounds,
        microsecondsPerPage: {
          build: { ...build, ratio: buildRatio, verdict: verdict(buildRatio) },
          request: { ...request, ratio: requestRatio, verdict: verdict(requestRatio) },
        },
        verdict: verdict(Math.max(buildRatio, requestRatio)),
      };
    } finally {
      await store.close();
    }
  } finally {
    removeTemp(dir);
  }
}

// ---------------------------------------------------------------------------------------------
// Adding a field to a type with 100,000 items

const POLICY_VALUES = JSON.stringify({
  documentNo: '示政规〔2025〕3号',
  organization: '示范区人民政府',
  writtenOn: '2025-09-10',
  effectiveOn: '2025-10-01',
  topic: '国民经济管理、国有资产监管',
  validity: '有效',
});

/** Rows per insert: within SQLite's and PostgreSQL's limits on bound parameters. */
const INSERT_BATCH = 500;

/** `count` published policies inserted in one transaction, straight into the article table. */
async function insertItems(store: Store, siteId: number, channelId: number, count: number): Promise<number> {
  const started = performance.now();
  await store.db.transaction().execute(async (trx) => {
    for (let start = 0; start < count; start += INSERT_BATCH) {
      const rows = [];
      for (let i = start; i < Math.min(count, start + INSERT_BATCH); i++) {
        const at = new Date(NOW.getTime() - i * 60_000).toISOString();
        rows.push({
          siteId,
          channelId,
          title: `示范区关于印发第${i + 1}号规范性文件的通知`,
          subtitle: '',
          source: null,
          author: '',
          responsibleEditor: '',
          publishedAt: at,
          bodyHtml: `<p>第${i + 1}号规范性文件正文。</p>`,
          summary: '',
          keywords: '',
          coverImage: null,
          attachments: '[]',
          status: 'published',
          viewCount: 0,
          version: 1,
          importKey: null,
          createdBy: null,
          withdrawReason: null,
          createdAt: at,
          updatedAt: at,
          contentType: 'policy',
          fields: POLICY_VALUES,
          listMark: '',
        });
      }
      await trx.insertInto('article').values(rows).execute();
    }
  });
  return (performance.now() - started) / 1000;
}

async function openBackend(backend: 'sqlite' | 'postgres', dir: string): Promise<Store & { dispose(): Promise<void> }> {
  if (backend === 'postgres') return postgresTestStore();
  const store = await openStore({ databaseUrl: null, sqliteFile: path.join(dir, 'gazette.db') });
  return { ...store, dispose: () => store.close() };
}

/** What the publisher was told and did, counted from the moment it is made. */
function listeningPublisher(store: Store, theme: Theme, dir: string, siteId: number) {
  const hub = new EventHub(true);
  const counts = { events: 0, publishTasks: 0, runs: 0, pagesWritten: 0 };
  const publisher = new Publisher(store, theme, new OutputStore(path.join(dir, 'public')), fixedClock(NOW), {
    siteId,
    onRun(run) {
      counts.runs++;
      for (const outcome of run.pages.values()) if (outcome === 'written') counts.pagesWritten++;
    },
  });
  hub.on((event: ContentEvent, taskId?: number) => {
    counts.events++;
    if (taskId !== undefined) counts.publishTasks++;
    publisher.handle(event, taskId);
  });
  return { hub, publisher, counts };
}

/** The items' rows as a fingerprint: how many, the newest save, and how many hold the new field. */
async function rowsState(store: Store, name: string) {
  const row = await store.db
    .selectFrom('article')
    .select((eb) => [eb.fn.countAll<number>().as('rows'), eb.fn.max('updatedAt').as('newestSave')])
    .where('contentType', '=', 'policy')
    .executeTakeFirstOrThrow();
  const holding = await store.db
    .selectFrom('article')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('contentType', '=', 'policy')
    .where('fields', 'like', `%"${name}"%`)
    .executeTakeFirstOrThrow();
  return { rows: Number(row.rows), newestSave: String(row.newestSave), holdingField: Number(holding.n) };
}

async function addFieldTarget(theme: Theme, backend: 'sqlite' | 'postgres', items: number) {
  const dir = tempDir(`types-field-${backend}`);
  const store = await openBackend(backend, dir);
  try {
    const base = { store, clock: fixedClock(NOW), mediaDir: path.join(dir, 'media') };
    const { site } = await ensureSite(base, TIME_ZONE);
    const plain: ServiceContext = { ...base, siteId: site.id };
    const column = await createChannel(plain, ACTOR, {
      name: '规范性文件',
      slug: 'gfxwj',
      type: 'list',
      contentType: 'policy',
    });
    log(`types: ${backend}: inserting ${items} policies in one transaction`);
    const insertSeconds = await insertItems(store, site.id, column.id, items);
    const { hub, publisher, counts } = listeningPublisher(store, theme, dir, site.id);
    const ctx: ServiceContext = { ...plain, events: hub };
    const field: FieldInput = { name: 'reviewedBy', label: '合法性审核机构', kind: 'text', maxLength: 100 };
    const before = await rowsState(store, field.name);
    log(`types: ${backend}: adding a field to the type`);
    const started = performance.now();
    await addContentField(ctx, ACTOR, 'policy', field);
    const ms = performance.now() - started;
    await publisher.idle();
    const after = await rowsState(store, field.name);
    const rowsUntouched =
      after.rows === before.rows && after.newestSave === before.newestSave && after.holdingField === 0;
    const afterAdd = { ...counts, rowsUntouched };
    // The same counts move once an item is edited: its page and the lists showing it are rendered.
    const edited = await articles.findArticle(store.db, await lastId(store));
    let afterEdit: typeof counts | null = null;
    if (edited) {
      log(`types: ${backend}: editing one item's new field`);
      await updateArticle(ctx, ACTOR, edited.id, { version: edited.version, fields: { [field.name]: '示范区司法局' } });
      await publisher.idle();
      afterEdit = { ...counts };
    }
    if (publisher.failures.length > 0) throw new Error(`publish runs failed: ${String(publisher.failures[0])}`);
    const nothing =
      afterAdd.events === 0 && afterAdd.publishTasks === 0 && afterAdd.pagesWritten === 0 && afterAdd.rowsUntouched;
    return {
      backend,
      items: before.rows,
      insertSeconds: round(insertSeconds, 1),
      addFieldMs: round(ms, 1),
      afterAddingTheField: afterAdd,
      afterEditingOneItem: afterEdit,
      verdict: ms < ADD_FIELD_TARGET_MS && nothing ? 'PASS' : 'FAIL',
    };
  } finally {
    await store.dispose();
    removeTemp(dir);
  }
}

async function lastId(store: Store): Promise<number> {
  const row = await store.db
    .selectFrom('article')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function benchTypes(args: readonly string[]): Promise<object> {
  const option = optionReader(args);
  const renders = Math.max(1, option.number('renders', 2000));
  const rounds = Math.max(1, option.number('rounds', 5));
  const items = option.number('items', 100_000);
  const backends = (option.raw('backends') ?? 'sqlite,postgres').split(',');
  for (const b of backends)
    if (b !== 'sqlite' && b !== 'postgres') throw new Error(`--backends takes sqlite and postgres, not "${b}"`);
  // A site's own theme may be measured instead of the shipped one.
  const theme = loadTheme(option.raw('theme') ?? DEFAULT_THEME_DIR);
  log('types: rendering an item with 30 fields and an article of the same text length');
  const render = await renderTarget(theme, renders, rounds);
  const addField = [];
  for (const backend of backends as ('sqlite' | 'postgres')[])
    addField.push(await addFieldTarget(theme, backend, items));
  return {
    bench: 'types',
    // The load average says whether other work shared the machine while the figures were taken.
    machine: {
      cpus: os.cpus().length,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      loadAverage: os.loadavg().map((l) => round(l, 1)),
    },
    render,
    addField: {
      target: `adding a field to a type with ${items} items takes < ${ADD_FIELD_TARGET_MS / 1000} s and re-renders nothing`,
      results: addField,
    },
    verdict: [render.verdict, ...addField.map((r) => r.verdict)].every((v) => v === 'PASS') ? 'PASS' : 'FAIL',
  };
}
