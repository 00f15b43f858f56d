import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { GazetteError, SHIPPED_TYPES, type ContentTypeKey, type FieldValues } from '../../../src/domain/index.js';
import {
  addContentField,
  createArticle,
  exportItems,
  importItems,
  stepArticle,
  systemActor,
  type FieldInput,
  type ItemExport,
  type ServiceContext,
} from '../../../src/services/index.js';
import type { Store } from '../../../src/store/index.js';
import { fromJson, fromXlsx, toJson, toXlsx } from '../../../src/cli/exchange-formats.js';
import { BACKENDS, contextFor, type Backend, type TestStore } from '../../helpers/store.js';
import { demoSite } from '../../helpers/factories.js';
import { fullValues, typedColumn } from '../../helpers/items.js';

const system = systemActor('test');

const COLUMNS: Readonly<Record<ContentTypeKey, readonly [string, string]>> = {
  article: ['新闻', 'xw'],
  policy: ['规范性文件', 'gfxwj'],
  interpretation: ['政策解读', 'zcjd'],
  guide: ['办事指南', 'bszn'],
  leader: ['领导信息', 'ldxx'],
  organ: ['机构职能', 'jgzn'],
  topic: ['专题', 'zt'],
};

/** A field the site adds to 政策文件 of each kind an added field may have. */
const ADDED: readonly FieldInput[] = [
  { name: 'remark', label: '备注', kind: 'text' },
  { name: 'note', label: '按语', kind: 'richText' },
  { name: 'score', label: '评分', kind: 'number' },
  { name: 'signedOn', label: '签署日期', kind: 'date' },
  { name: 'reviewedAt', label: '审核时间', kind: 'dateTime' },
  { name: 'level', label: '层级', kind: 'choice', options: ['区级', '镇级'] },
  // An option with 、 in it: the sheet holds the choices as JSON.
  { name: 'tags', label: '标签', kind: 'choices', options: ['重点', '民生、就业', '营商'] },
  { name: 'appendix', label: '附件文件', kind: 'file' },
  { name: 'picture', label: '配图', kind: 'image' },
  { name: 'website', label: '网址', kind: 'link' },
];

const ADDED_VALUES: FieldValues = {
  remark: '试行两年',
  note: '<p>本办法由区住建局负责解释。</p>',
  score: 4.5,
  signedOn: '2025-11-25',
  reviewedAt: '2025-11-30T02:00:00.000Z',
  level: '区级',
  tags: ['民生、就业', '重点'],
  appendix: { url: '/media/2025/12/banfa.pdf', name: '办法全文.pdf' },
  picture: { url: '/media/2025/12/peitu.jpg', alt: '停车场' },
  website: { url: 'https://www.example.gov.cn/zcwj/', text: '政策文件库' },
};

interface Site {
  readonly store: TestStore;
  readonly ctx: ServiceContext;
  readonly columns: Readonly<Record<ContentTypeKey, number>>;
}

/** The demo site with a column of each type and the fields the site added: the same in every store. */
async function freshSite(backend: Backend): Promise<Site> {
  const store = await backend.open();
  const ctx = contextFor(store);
  await demoSite(ctx);
  const columns: Partial<Record<ContentTypeKey, number>> = {};
  for (const type of SHIPPED_TYPES) {
    const [name, slug] = COLUMNS[type.key];
    columns[type.key] = await typedColumn(ctx, name, slug, type.key);
  }
  for (const field of ADDED) await addContentField(ctx, system, 'policy', field);
  return { store, ctx, columns: columns as Record<ContentTypeKey, number> };
}

/** Every one of the item's own columns filled. */
function content(title: string) {
  return {
    title,
    subtitle: `${title}（副题）`,
    source: '示范区融媒体中心',
    author: '王五',
    responsibleEditor: '赵六',
    keywords: '停车,管理',
    summary: `${title}的摘要。`,
    coverImage: '/media/2025/12/cover.jpg',
    attachments: [{ name: '附件一.pdf', url: '/media/2025/12/fujian.pdf', size: 1024 }],
    bodyHtml: `<p>${title}的正文。</p>`,
  };
}

async function publish(ctx: ServiceContext, id: number): Promise<void> {
  let view = await stepArticle(ctx, system, id, 'submit');
  while (view.status === 'submitted') view = await stepArticle(ctx, system, id, 'approve');
  await stepArticle(ctx, system, id, 'publish');
}

/** One item of every type with every field filled (two policies: one changes the other), some published. */
async function itemsOfEveryType({ ctx, columns }: Site): Promise<void> {
  const make = (type: ContentTypeKey, title: string, fields: FieldValues, extra: object = {}) =>
    createArticle(ctx, system, { channelId: columns[type], ...content(title), ...extra, fields });
  const amending = await make('policy', '关于修改停车管理办法的决定', fullValues('policy'));
  const policy = await make('policy', '示范区停车管理办法', {
    ...fullValues('policy', { policy: [amending.id] }),
    ...ADDED_VALUES,
  });
  const reading = await make(
    'interpretation',
    '一图读懂停车管理办法',
    fullValues('interpretation', { policy: [policy.id, amending.id] }),
  );
  const guide = await make('guide', '居民停车证办理', fullValues('guide'));
  // The empty ones: 来源 the site itself, no cover, no attachments, a summary written from the body.
  await make('leader', '张三', fullValues('leader'), { source: null, coverImage: null, attachments: [], summary: '' });
  await make('organ', '区住房和城乡建设局', fullValues('organ'));
  await make('topic', '停车管理专题', fullValues('topic'));
  await make('article', '区政府召开停车管理工作会议', fullValues('article'));
  for (const item of [policy, amending, reading, guide]) await publish(ctx, item.id);
}

async function exportAll(ctx: ServiceContext): Promise<Map<ContentTypeKey, ItemExport>> {
  const exports = new Map<ContentTypeKey, ItemExport>();
  for (const type of SHIPPED_TYPES) exports.set(type.key, await exportItems(ctx, system, type.key));
  return exports;
}

function exportOf(exports: Map<ContentTypeKey, ItemExport>, key: ContentTypeKey): ItemExport {
  const found = exports.get(key);
  if (!found) throw new TypeError(`no export of ${key}`);
  return found;
}

/**
 * The order itemsOfEveryType adds the types' items in. Importing the files in the same order into
 * a store made the same way gives each item the id it had, so the two exports are alike to the
 * id (the relations are found by the ids the files hold, not by the ids being alike: a file from
 * another store names its items by their import keys).
 */
const CREATION_ORDER: readonly ContentTypeKey[] = [
  'policy',
  'interpretation',
  'guide',
  'leader',
  'organ',
  'topic',
  'article',
];

/** Each type's file read back and imported, policies first (解读 point to them). */
async function importAll(
  site: Site,
  exports: Map<ContentTypeKey, ItemExport>,
  format: 'xlsx' | 'json',
): Promise<Record<string, unknown>> {
  const outcomes: Record<string, unknown> = {};
  for (const key of CREATION_ORDER) {
    const type = exportOf(exports, key).type;
    const exported = exportOf(exports, type.key);
    const file = `${type.label}.${format}`;
    const read =
      format === 'xlsx'
        ? await fromXlsx(await toXlsx(exported), exported.type, file)
        : fromJson(toJson(exported), exported.type, file);
    outcomes[type.key] = await importItems(site.ctx, system, type.key, read.rows, file, read.origin);
  }
  return outcomes;
}

/** The exports without their origin (each store names itself). */
function withoutOrigin(exports: Map<ContentTypeKey, ItemExport>) {
  return SHIPPED_TYPES.map((type) => ({ ...exportOf(exports, type.key), origin: '' }));
}

/** What an import may change: the items and every row about them. */
async function storeState(store: Store) {
  const db = store.db;
  return {
    articles: await db.selectFrom('article').selectAll().orderBy('id').execute(),
    relations: await db.selectFrom('articleRelation').selectAll().orderBy('articleId').orderBy('targetId').execute(),
    revisions: (await db.selectFrom('articleRevision').select('id').execute()).length,
    audit: (await db.selectFrom('auditLog').select('seq').execute()).length,
    search: (await db.selectFrom('searchDoc').select('docKey').orderBy('docKey').execute()).map((d) => d.docKey),
  };
}

async function rejected(promise: Promise<unknown>, code: string, zh: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof GazetteError, `expected a GazetteError, got ${String(error)}`);
    assert.deepEqual([error.code, error.messageIn('zh')], [code, zh]);
    return true;
  });
}

for (const backend of BACKENDS) {
  describe(`export and import of typed items on ${backend.name}`, () => {
    let source: Site, viaXlsx: Site, viaJson: Site;
    let exported: Map<ContentTypeKey, ItemExport>;

    before(async () => {
      source = await freshSite(backend);
      await itemsOfEveryType(source);
      exported = await exportAll(source.ctx);
      viaXlsx = await freshSite(backend);
      viaJson = await freshSite(backend);
    });
    after(async () => {
      for (const site of [source, viaXlsx, viaJson]) await site?.store.dispose();
    });

    test('the items hold every field of their type, group entries every part', () => {
      for (const type of SHIPPED_TYPES) {
        const items = exportOf(exported, type.key).items;
        const full = items.at(-1);
        const names = exportOf(exported, type.key).type.fields.map((f) => f.name);
        assert.deepEqual(Object.keys(full?.fields ?? {}).sort(), names.sort(), type.key);
        for (const def of type.fields.filter((f) => f.kind === 'group'))
          for (const entry of full?.fields[def.name] as readonly FieldValues[])
            assert.deepEqual(Object.keys(entry).sort(), (def.fields ?? []).map((f) => f.name).sort(), def.name);
      }
      assert.deepEqual(
        SHIPPED_TYPES.map((t) => [t.key, exportOf(exported, t.key).items.map((i) => i.status)]),
        [
          ['article', ['draft']],
          ['policy', ['published', 'published']],
          ['interpretation', ['published']],
          ['guide', ['published']],
          ['leader', ['draft']],
          ['organ', ['draft']],
          ['topic', ['draft']],
        ],
      );
    });

    test('xlsx: every type exported and imported into another store exports again the same', async () => {
      const outcomes = await importAll(viaXlsx, exported, 'xlsx');
      assert.deepEqual(outcomes, {
        article: { created: 1, updated: 0 },
        policy: { created: 2, updated: 0 },
        interpretation: { created: 1, updated: 0 },
        guide: { created: 1, updated: 0 },
        leader: { created: 1, updated: 0 },
        organ: { created: 1, updated: 0 },
        topic: { created: 1, updated: 0 },
      });
      const again = await exportAll(viaXlsx.ctx);
      assert.deepEqual(withoutOrigin(again), withoutOrigin(exported));
      assert.notEqual(exportOf(again, 'policy').origin, exportOf(exported, 'policy').origin);
    });

    test('json: the same round trip; the same file again updates the items it made', async () => {
      await importAll(viaJson, exported, 'json');
      assert.deepEqual(withoutOrigin(await exportAll(viaJson.ctx)), withoutOrigin(exported));
      const policies = exportOf(exported, 'policy');
      const read = fromJson(toJson(policies), policies.type, '政策文件.json');
      const outcome = await importItems(viaJson.ctx, system, 'policy', read.rows, '政策文件.json', read.origin);
      assert.deepEqual(outcome, { created: 0, updated: 2 });
      assert.deepEqual(withoutOrigin(await exportAll(viaJson.ctx)), withoutOrigin(exported));
    });

    test('an export edited and imported back into its own store updates the items in place', async () => {
      const own = await exportItems(viaJson.ctx, system, '政策文件');
      const edited = own.items.map((item, i) =>
        i === 0
          ? { ...item, title: '关于修改停车管理办法的决定（修订）', fields: { ...item.fields, documentNo: null } }
          : item,
      );
      const read = fromJson(toJson({ ...own, items: edited as ItemExport['items'] }), own.type, 'edited.json');
      const outcome = await importItems(viaJson.ctx, system, 'policy', read.rows, 'edited.json', read.origin);
      assert.deepEqual(outcome, { created: 0, updated: 2 });
      const after = await exportItems(viaJson.ctx, system, 'policy');
      const { documentNo: _gone, ...kept } = own.items[0]?.fields ?? {};
      assert.deepEqual(after.items, [
        { ...own.items[0], title: '关于修改停车管理办法的决定（修订）', fields: kept },
        own.items[1],
      ]);
    });

    test('a bad row fails the whole file, named by its row and field, and changes nothing', async () => {
      const leaders = exportOf(exported, 'leader');
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load((await toXlsx(leaders)) as unknown as ArrayBuffer);
      const sheet = workbook.getWorksheet('领导信息');
      const header = (sheet?.getRow(1).values as unknown[]).slice(1);
      const values = (sheet?.getRow(2).values as unknown[]).slice(1);
      // Row 2 is good (it updates the leader the store has); row 3, a new one, has words for 排序.
      sheet?.addRow(
        header.map((key, i) => (key === 'id' ? null : key === 'title' ? '李四' : key === 'rank' ? '第一' : values[i])),
      );
      const bad = Buffer.from(await workbook.xlsx.writeBuffer());
      const before = await storeState(viaXlsx.store);
      const read = await fromXlsx(bad, leaders.type, '领导信息.xlsx');
      assert.deepEqual(
        read.rows.map((r) => r.row),
        [2, 3],
      );
      const importing = importItems(viaXlsx.ctx, system, 'leader', read.rows, '领导信息.xlsx', read.origin);
      await rejected(importing, 'IMPORT_ROW_INVALID', '领导信息.xlsx 第 3 行 rank：须为数字');
      assert.deepEqual(await storeState(viaXlsx.store), before);
    });

    test('relations and columns are checked row by row', async () => {
      const readings = exportOf(exported, 'interpretation');
      const reading = readings.items[0];
      assert.ok(reading);
      const before = await storeState(viaXlsx.store);
      const unknown = [{ row: 1, item: { ...reading, id: 9001, fields: { ...reading.fields, policies: [9999] } } }];
      await rejected(
        importItems(viaXlsx.ctx, system, 'interpretation', unknown, '解读.json', readings.origin),
        'IMPORT_ROW_INVALID',
        '解读.json 第 1 行 policies：关联的内容 9999 不存在',
      );
      const guides = exportOf(exported, 'guide');
      const misplaced = [{ row: 1, item: { ...guides.items[0], id: null, channel: '/gfxwj/' } }];
      await rejected(
        importItems(viaXlsx.ctx, system, 'guide', misplaced, '指南.json', null),
        'IMPORT_ROW_INVALID',
        '指南.json 第 1 行 channel：栏目“规范性文件”不存放办事指南',
      );
      const incomplete = [{ row: 1, item: { ...guides.items[0], id: null, fields: { place: null } } }];
      await rejected(
        importItems(viaXlsx.ctx, system, 'guide', incomplete, '指南.json', null),
        'IMPORT_ROW_INVALID',
        '指南.json 第 1 行 status：办事指南缺少以下内容，不能发布：设定依据、申请条件、办理材料、办理流程、办件类型、收费依据及标准、办理地点、办理时间、咨询电话',
      );
      assert.deepEqual(await storeState(viaXlsx.store), before);
    });

    test('a file of another type, and a cell too long for a workbook, are refused', async () => {
      const leaders = exportOf(exported, 'leader');
      const organs = exportOf(exported, 'organ');
      await rejected(
        fromXlsx(await toXlsx(leaders), organs.type, 'x.xlsx'),
        'IMPORT_TYPE_MISMATCH',
        'x.xlsx 是领导信息的导出文件，不能作为机构职能导入',
      );
      const long = {
        ...leaders,
        items: leaders.items.map((i) => ({ ...i, bodyHtml: `<p>${'长'.repeat(40_000)}</p>` })),
      };
      const id = leaders.items[0]?.id ?? 0;
      await rejected(
        toXlsx(long),
        'EXPORT_CELL_TOO_LONG',
        `内容 ${id} 的 bodyHtml 有 40007 个字符，超过 Excel 单元格的上限 32767：请导出为 JSON`,
      );
    });
  });
}
