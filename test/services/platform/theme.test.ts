import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { GazetteError } from '../../../src/domain/index.js';
import { buildSite, OutputStore, siteOutputDir } from '../../../src/publish/index.js';
import {
  exportOverrides,
  getTemplate,
  importOverrides,
  listTemplates,
  previewTemplate,
  resetTemplate,
  restoreTemplateRevision,
  saveOverride,
  systemActor,
  templateRevisionDiff,
  templateRevisions,
  verifyAuditChain,
  type Actor,
  type ServiceContext,
} from '../../../src/services/index.js';
import { manifest } from '../../../src/store/index.js';
import { DEFAULT_THEME_DIR, themeFiles } from '../../../src/theme/index.js';
import { demoApp } from '../../helpers/app.js';
import { makeRoleAccounts } from '../../helpers/backoffice.js';
import { testStore, type TestStore } from '../../helpers/store.js';

const files = themeFiles(DEFAULT_THEME_DIR);
const DEFAULT_ARTICLE = files.source('article') ?? '';
const ARTICLE = /\/t\d{8}_\d+\.html$/;
/** The default article template with a mark in its main block, as a site would change it. */
const marked = (mark: string) =>
  DEFAULT_ARTICLE.replace('{% block main %}', `{% block main %}<p class="own">${mark}</p>`);

/** The code of what an operation threw. */
async function codeOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    assert.ok(error instanceof GazetteError, String(error));
    return error.code;
  }
  return 'none';
}

describe('模板编辑: the site administrator overrides templates of the default theme', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let ctx: ServiceContext;
  let admin: Actor;
  let editor: Actor;
  let output: OutputStore;
  let articlePage: string;

  before(async () => {
    store = await testStore();
    app = await demoApp(store);
    ctx = app.gazette.context;
    const accounts = await makeRoleAccounts(ctx);
    admin = { userId: accounts.admin.id, userName: 'siteadmin', grants: accounts.admin.roles, ip: '127.0.0.1' };
    editor = { userId: accounts.editor.id, userName: 'editor', grants: accounts.editor.roles, ip: '127.0.0.1' };
    await buildSite(app.gazette.publisher.for(1));
    output = new OutputStore(siteOutputDir(app.gazette.context.outputDir, 1));
    const paths = (await manifest.sitePagesAfter(store.db, '', '', 10_000)).map((r) => r.path);
    articlePage = paths.find((p) => ARTICLE.test(p)) ?? '';
  });
  after(async () => {
    await app?.close();
    await store?.dispose();
  });

  const page = async (path: string) => (await output.read(path))?.toString('utf8') ?? '';
  const published = () => app.gazette.publisher.idle();
  const audits = async () =>
    (
      await store.db
        .selectFrom('auditLog')
        .select(['action', 'userName', 'targetType', 'targetId', 'details'])
        .where('action', 'like', 'theme.%')
        .orderBy('seq')
        .execute()
    ).map((row) => ({ ...row, details: JSON.parse(row.details) as unknown }));

  test('only a holder of theme.edit (the site administrator) may read or change templates', async () => {
    assert.equal(await codeOf(listTemplates(ctx, editor)), 'PERMISSION_DENIED');
    assert.equal(await codeOf(saveOverride(ctx, editor, 'article', marked('x'))), 'PERMISSION_DENIED');
    assert.equal(await codeOf(resetTemplate(ctx, editor, 'article')), 'PERMISSION_DENIED');
    assert.equal(await codeOf(previewTemplate(ctx, editor, 'article', 'x', ['/'])), 'PERMISSION_DENIED');
    const list = await listTemplates(ctx, admin);
    assert.deepEqual(
      list.map((t) => t.name),
      files.names,
    );
    assert.deepEqual(
      list.find((t) => t.name === 'article'),
      { name: 'article', kind: 'page', overridden: false, updatedAt: null, updatedBy: null },
    );
    assert.equal(list.find((t) => t.name === 'blocks/headline')?.kind, 'partial');
    assert.deepEqual(await audits(), []);
  });

  test('a bad template is refused with its line, and nothing is saved or published', async () => {
    const before = await page(articlePage);
    const bad = `${DEFAULT_ARTICLE}\n{{ article.title | nope }}`;
    await assert.rejects(saveOverride(ctx, admin, 'article', bad), (error: GazetteError) => {
      assert.equal(error.messageIn('zh'), `article.liquid 第 ${bad.split('\n').length} 行：未知的过滤器 "nope"`);
      return true;
    });
    assert.equal(await codeOf(saveOverride(ctx, admin, 'sidebar', 'x')), 'THEME_TEMPLATE_UNKNOWN');
    await published();
    assert.equal(await page(articlePage), before);
    assert.deepEqual(await templateRevisions(ctx, admin, 'article'), []);
    assert.deepEqual(await audits(), []);
  });

  test('the preview renders real pages with the draft, saving nothing', async () => {
    const pages = await previewTemplate(ctx, admin, 'article', marked('草稿'), [articlePage, '/']);
    assert.deepEqual(
      pages.map((p) => p.path),
      [articlePage, '/'],
    );
    assert.ok(pages[0]?.html.includes('<p class="own">草稿</p>'));
    assert.ok(!pages[1]?.html.includes('class="own"'));
    assert.ok(pages[0]?.html.includes('今天是2025年12月01日 星期一'), 'the date bar filled as served');
    assert.equal(await codeOf(previewTemplate(ctx, admin, 'article', marked('x'), ['/rss.xml'])), 'THEME_PREVIEW_PATH');
    assert.equal(await codeOf(previewTemplate(ctx, admin, 'article', '{{ x | nope }}', ['/'])), 'THEME_TEMPLATE_ERROR');
    assert.equal((await getTemplate(ctx, admin, 'article')).overridden, false);
  });

  test('save: the override, a revision, an audit entry, and exactly the article pages published', async () => {
    const home = await page('/');
    const detail = await saveOverride(ctx, admin, 'article', marked('一'));
    assert.deepEqual(
      { ...detail, defaultSource: detail.defaultSource === DEFAULT_ARTICLE },
      {
        name: 'article',
        kind: 'page',
        overridden: true,
        updatedAt: '2025-12-01T01:00:00.000Z',
        updatedBy: 'siteadmin',
        defaultSource: true,
        source: marked('一'),
        usedBy: ['article'],
      },
    );
    await published();
    assert.ok((await page(articlePage)).includes('<p class="own">一</p>'));
    assert.equal(await page('/'), home, 'the home page does not use the article template');
    const revisions = await templateRevisions(ctx, admin, 'article');
    assert.deepEqual(
      revisions.map(({ source, ...rest }) => ({ ...rest, source: source === marked('一') })),
      [
        {
          id: revisions[0]?.id,
          name: 'article',
          action: 'save',
          at: '2025-12-01T01:00:00.000Z',
          userName: 'siteadmin',
          source: true,
        },
      ],
    );
    assert.deepEqual(await audits(), [
      {
        action: 'theme.save',
        userName: 'siteadmin',
        targetType: 'theme',
        targetId: 'article',
        details: { name: 'article', revision: revisions[0]?.id },
      },
    ]);
  });

  test('revisions with their diffs, a restore brings the old template back, a reset the default', async () => {
    await saveOverride(ctx, admin, 'article', marked('二'));
    const [second, first] = await templateRevisions(ctx, admin, 'article');
    assert.ok(first && second);
    const diff = await templateRevisionDiff(ctx, admin, second.id);
    assert.equal(diff.against, first.id);
    assert.deepEqual(
      diff.parts.filter((p) => p.op !== 'equal'),
      [
        { op: 'delete', text: '{% block main %}<p class="own">一</p>\n' },
        { op: 'insert', text: '{% block main %}<p class="own">二</p>\n' },
      ],
    );
    assert.match(
      diff.unified,
      /^Index: article\.liquid\n={67}\n--- article\.liquid\t#\d+\n\+\+\+ article\.liquid\t#\d+\n/,
    );
    assert.ok(
      diff.unified.includes('\n-{% block main %}<p class="own">一</p>\n+{% block main %}<p class="own">二</p>\n'),
    );
    const firstDiff = await templateRevisionDiff(ctx, admin, first.id);
    assert.equal(firstDiff.against, null, 'the first revision is compared with the default theme');
    assert.deepEqual(
      firstDiff.parts.filter((p) => p.op !== 'equal').map((p) => p.op),
      ['delete', 'insert'],
    );
    await published();
    assert.ok((await page(articlePage)).includes('<p class="own">二</p>'));

    const restored = await restoreTemplateRevision(ctx, admin, first.id);
    assert.equal(restored.source, marked('一'));
    await published();
    assert.ok((await page(articlePage)).includes('<p class="own">一</p>'));

    const reset = await resetTemplate(ctx, admin, 'article');
    assert.deepEqual([reset.overridden, reset.source], [false, null]);
    await published();
    assert.ok(!(await page(articlePage)).includes('class="own"'));
    assert.equal(await codeOf(resetTemplate(ctx, admin, 'article')), 'THEME_NOT_OVERRIDDEN');
    assert.equal(await codeOf(restoreTemplateRevision(ctx, admin, 999_999)), 'THEME_REVISION_NOT_FOUND');

    const all = await templateRevisions(ctx, admin, 'article');
    assert.deepEqual(
      all.map((r) => [r.action, r.source === null]),
      [
        ['reset', true],
        ['restore', false],
        ['save', false],
        ['save', false],
      ],
    );
    const resetDiff = await templateRevisionDiff(ctx, admin, all[0]?.id ?? 0);
    assert.deepEqual(
      resetDiff.parts.filter((p) => p.op !== 'equal').map((p) => [p.op, p.text]),
      [
        ['delete', '{% block main %}<p class="own">一</p>\n'],
        ['insert', '{% block main %}\n'],
      ],
    );
    assert.deepEqual(
      (await audits()).map((a) => [a.action, a.targetId]),
      [
        ['theme.save', 'article'],
        ['theme.save', 'article'],
        ['theme.restore', 'article'],
        ['theme.reset', 'article'],
      ],
    );
    assert.equal((await verifyAuditChain(store.db)).ok, true);
  });

  test('export and import: every file checked first; one transaction, revisions "import"', async () => {
    const actor = systemActor('gazette theme import');
    const footer = `${files.source('footer') ?? ''}<p class="own-footer">页脚</p>\n`;
    await assert.rejects(
      importOverrides(ctx, actor, [
        { name: 'footer', source: footer },
        { name: 'blocks/headline', source: '<div>\n{% if x %}', file: 'blocks/headline.liquid' },
      ]),
      (error: GazetteError) => {
        assert.equal(
          error.report('zh'),
          'blocks/headline.liquid:2: blocks/headline.liquid 第 2 行：语法错误：tag {% if x %} not closed',
        );
        return true;
      },
    );
    assert.deepEqual(await exportOverrides(ctx, admin), [], 'nothing was changed');
    assert.deepEqual(
      await importOverrides(ctx, actor, [
        { name: 'footer', source: footer },
        { name: 'article', source: marked('三') },
      ]),
      ['footer', 'article'],
    );
    assert.deepEqual(await exportOverrides(ctx, admin), [
      { name: 'article', source: marked('三') },
      { name: 'footer', source: footer },
    ]);
    assert.deepEqual(
      (await templateRevisions(ctx, admin, 'footer')).map((r) => [r.action, r.userName]),
      [['import', null]],
    );
    assert.deepEqual(
      await importOverrides(ctx, actor, [{ name: 'footer', source: footer }]),
      [],
      'the same text again changes nothing',
    );
    await published();
    assert.ok((await page('/')).includes('<p class="own-footer">页脚</p>'));
    assert.ok((await page(articlePage)).includes('<p class="own">三</p>'));
  });
});
