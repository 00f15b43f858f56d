import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openStore, type Store } from '../../src/store/index.js';
import { createArticle, ensureSite, systemActor } from '../../src/services/index.js';
import { newTestSite, runCli, useTestSite, type TestSite } from '../helpers/cli.js';
import { contextFor } from '../helpers/store.js';
import { COMPLETE_POLICY, publishItem, typedColumn } from '../helpers/items.js';

async function withStore<T>(site: TestSite, run: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(site.location);
  try {
    return await run(store);
  } finally {
    await store.close();
  }
}

/** The demo site with a column of 政策文件 (规范性文件, /gfxwj/). */
async function policySite(site: TestSite): Promise<void> {
  await withStore(site, async (store) => {
    const ctx = contextFor(store);
    await ensureSite(ctx, 'Asia/Shanghai');
    await typedColumn(ctx, '规范性文件', 'gfxwj', 'policy');
  });
}

interface JsonExport {
  readonly type: string;
  readonly origin: string;
  readonly items: readonly { readonly id: number; readonly fields: Record<string, unknown> }[];
}

async function exportJson(site: TestSite): Promise<JsonExport> {
  const result = await runCli(['export', '--type', 'policy'], site.env);
  assert.equal(result.stderr, '');
  assert.equal(result.code, 0);
  return JSON.parse(result.stdout) as JsonExport;
}

describe('gazette export, import --type and fields', () => {
  const source = useTestSite('gazette-exchange-');

  test('fields add and list; export to xlsx, import into another store, the same items come out', async (t) => {
    await policySite(source());
    const added = await runCli(
      ['fields', 'add', '--type', '政策文件', '--name', 'score', '--label', '评分', '--kind', 'number'],
      source().env,
    );
    assert.deepEqual([added.code, added.stdout, added.stderr], [0, 'added field score to 政策文件\n', '']);
    const remark = ['fields', 'add', '--type', 'policy', '--name', 'remark', '--label', '备注', '--kind', 'text'];
    assert.equal((await runCli(remark, source().env)).code, 0);
    const list = await runCli(['fields', 'list', '--type', 'policy'], source().env);
    assert.equal(
      list.stdout,
      [
        'documentNo\t文号\ttext\t-\t-',
        'organization\t发布机构\ttext\trequired\t-',
        'writtenOn\t成文日期\tdate\trequired\t-',
        'effectiveOn\t施行日期\tdate\t-\t-',
        `topic\t主题分类\tchoice\trequired\t${'综合政务、国民经济管理、国有资产监管、财政、金融、审计、国土资源、能源、农业、林业、水利、工业、交通、商贸、海关、旅游、市场监管、安全生产监管、城乡建设、环境保护、科技、教育、文化、广电、新闻出版、卫生、体育、人口与计划生育、妇女儿童工作、劳动、人事、监察、公安、安全、司法、民政、扶贫、救灾、民族、宗教、对外事务、港澳台侨工作、国防、其他'}`,
        'validity\t有效性\tchoice\trequired\t有效、已修改、已废止、已失效',
        'validityDate\t修改、废止或失效日期\tdate\t-\t-',
        'changedBy\t修改或废止本文件的文件\trelation\t-\t→ policy',
        'score\t评分\tnumber\tadded\t-',
        'remark\t备注\ttext\tadded\t-',
        '',
      ].join('\n'),
    );
    const ids = await withStore(source(), async (store) => {
      const ctx = contextFor(store);
      const channelId = (
        await store.db.selectFrom('channel').select('id').where('slug', '=', 'gfxwj').executeTakeFirstOrThrow()
      ).id;
      const amending = await publishItem(ctx, channelId, '关于修改甲办法的决定', { ...COMPLETE_POLICY, score: 3 });
      const draft = await createArticle(ctx, systemActor('test'), {
        channelId,
        title: '关于甲的办法',
        bodyHtml: '<p>办法全文。</p>',
        fields: { ...COMPLETE_POLICY, validity: '已修改', changedBy: amending.id, remark: '试行' },
      });
      return [amending.id, draft.id];
    });

    const file = path.join(source().dataDir, '政策文件.xlsx');
    const exported = await runCli(['export', '--type', '政策文件', '--format', 'xlsx', '--out', file], source().env);
    assert.deepEqual(
      [exported.code, exported.stdout, exported.stderr],
      [0, `exported 2 items of 政策文件 to ${file}\n`, ''],
    );
    const before = await exportJson(source());
    assert.deepEqual(
      before.items.map((i) => [i.id, i.fields]),
      [
        [ids[0], { ...COMPLETE_POLICY, score: 3 }],
        [ids[1], { ...COMPLETE_POLICY, validity: '已修改', changedBy: [ids[0]], remark: '试行' }],
      ],
    );

    const target = await newTestSite('gazette-exchange-target-');
    t.after(() => target.dispose());
    await policySite(target);
    for (const args of [
      remark,
      ['fields', 'add', '--type', 'policy', '--name', 'score', '--label', '评分', '--kind', 'number'],
    ])
      assert.equal((await runCli(args, target.env)).code, 0);
    const imported = await runCli(['import', '--type', '政策文件', file], { ...target.env, GAZETTE_LANG: 'zh' });
    assert.deepEqual([imported.code, imported.stdout, imported.stderr], [0, `${file}: 新增 2 项，更新 0 项\n`, '']);
    const after = await exportJson(target);
    assert.deepEqual(after.items, before.items);
    // The published one has its page, written as the import went.
    assert.ok(fs.existsSync(path.join(target.dataDir, 'public', 'gfxwj', '202512', `t20251201_${ids[0]}.html`)));
  });

  test('a file with a bad row: its row and field on stderr, exit 1, the store unchanged', async () => {
    const before = await exportJson(source());
    const bad = path.join(source().dataDir, 'bad.json');
    const items = before.items.map((item, i) =>
      i === 1 ? { ...item, fields: { ...item.fields, score: '很高' } } : item,
    );
    fs.writeFileSync(bad, JSON.stringify({ ...before, items }));
    const result = await runCli(['import', '--type', 'policy', bad], source().env);
    assert.deepEqual([result.code, result.stdout, result.stderr], [1, '', `${bad} row 2, score: must be a number\n`]);
    assert.deepEqual(await exportJson(source()), before);
    const none = await runCli(['import', '--type', 'policy'], source().env);
    assert.deepEqual(
      [none.code, none.stderr],
      [2, 'gazette: Usage: gazette import --type TYPE [--format json|xlsx] FILE…\n'],
    );
  });

  test('fields remove: refused while items hold values, archived with --force', async () => {
    const refused = await runCli(['fields', 'remove', '--type', 'policy', '--name', 'remark'], source().env);
    assert.deepEqual(
      [refused.code, refused.stdout, refused.stderr],
      [
        2,
        '',
        'gazette: Field remark has values in 1 items; removing it would lose them. Archive them first ("归档后删除", or --force on the command line)\n',
      ],
    );
    const forced = await runCli(['fields', 'remove', '--type', 'policy', '--name', 'remark', '--force'], source().env);
    assert.deepEqual([forced.code, forced.stdout, forced.stderr], [0, 'removed field remark; 1 values archived\n', '']);
    const { archive, draft } = await withStore(source(), async (store) => ({
      archive: await store.db
        .selectFrom('contentFieldArchive')
        .select(['contentType', 'name', 'label', 'articleId', 'value', 'archivedBy'])
        .execute(),
      draft: await store.db
        .selectFrom('article')
        .select('id')
        .where('title', '=', '关于甲的办法')
        .executeTakeFirstOrThrow(),
    }));
    assert.deepEqual(archive, [
      {
        contentType: 'policy',
        name: 'remark',
        label: '备注',
        articleId: draft.id,
        value: '"试行"',
        archivedBy: 'gazette fields',
      },
    ]);
    const items = (await exportJson(source())).items;
    assert.equal(
      items.some((i) => 'remark' in i.fields),
      false,
    );
  });
});
