import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GazetteError } from '../../../src/domain/index.js';
import {
  WordingBlocked,
  addSite,
  checkWording,
  createArticle,
  createWordingEntry,
  currentSite,
  deleteWordingEntry,
  listAuditEntries,
  listWordingEntries,
  findingsOf,
  overrideWording,
  platformConsole,
  publishedWordingFindings,
  stepArticle,
  systemActor,
  updateArticle,
  updateWordingEntry,
  wordingChecker,
  type Actor,
  type ServiceContext,
} from '../../../src/services/index.js';
import { contextFor, testStore, type TestStore } from '../../helpers/store.js';
import { demoSite } from '../../helpers/factories.js';
import { actorFor, makeRoleAccounts } from '../../helpers/backoffice.js';

async function refused(promise: Promise<unknown>, code: string): Promise<GazetteError> {
  let caught: unknown;
  await assert.rejects(promise, (error: unknown) => {
    caught = error;
    return error instanceof GazetteError && error.code === code;
  });
  return caught as GazetteError;
}

const SLIP = '<p>会议传达学习了习进平总书记的重要讲话精神。</p>';

describe('wording check in the editorial workflow', () => {
  let store: TestStore;
  let ctx: ServiceContext;
  let editor: Actor, reviewer: Actor, publisher: Actor, admin: Actor, security: Actor, auditor: Actor;
  let channelId: number;

  before(async () => {
    store = await testStore();
    ctx = contextFor(store);
    await demoSite(ctx);
    const accounts = await makeRoleAccounts(ctx);
    [editor, reviewer, publisher, admin, security, auditor] = [
      accounts.editor,
      accounts.reviewer2,
      accounts.publisher,
      accounts.admin,
      accounts.security,
      accounts.auditor,
    ].map(actorFor) as [Actor, Actor, Actor, Actor, Actor, Actor];
    channelId = (await currentSite(store.db)).tree.all().find((c) => c.slug === 'bqdt')?.id ?? 0;
  });
  after(() => store.dispose());

  test('a save answers with the findings of what was saved', async () => {
    const view = await createArticle(ctx, editor, { channelId, title: '国家旅游局发布通知', bodyHtml: SLIP });
    assert.deepEqual(
      view.wordingFindings?.map((f) => [f.field, f.kind, f.severity, f.text, f.suggestion]),
      [
        ['title', 'outdated', 'suspect', '国家旅游局', '文化和旅游部'],
        // The summary is written from the body, so it carries the slip too.
        ['summary', 'near-miss', 'serious', '习进平', '习近平'],
        ['body', 'near-miss', 'serious', '习进平', '习近平'],
      ],
    );
    const fixed = await updateArticle(ctx, editor, view.id, {
      version: view.version,
      title: '文化和旅游部发布通知',
      bodyHtml: '<p>会议传达学习了习近平总书记的重要讲话精神。</p>',
    });
    assert.deepEqual(fixed.wordingFindings, []);
  });

  test("a serious error in a leader's name blocks submission until the security administrator overrides it", async () => {
    const draft = await createArticle(ctx, editor, { channelId, title: '学习会议', bodyHtml: SLIP });
    const error = await refused(stepArticle(ctx, editor, draft.id, 'submit'), 'WORDING_SERIOUS');
    assert.equal(error.status, 422);
    assert.equal(error.messageIn('zh'), '存在严重表述错误，须修改或由安全管理员审核放行：“习进平”→“习近平”');
    assert.ok(error instanceof WordingBlocked);
    assert.deepEqual(
      error.findings.map((f) => [f.field, f.text, f.suggestion, f.severity]),
      [
        ['summary', '习进平', '习近平', 'serious'],
        ['body', '习进平', '习近平', 'serious'],
      ],
    );

    for (const actor of [editor, admin, publisher])
      await refused(overrideWording(ctx, actor, draft.id, '原文如此'), 'PERMISSION_DENIED');
    await refused(overrideWording(ctx, security, draft.id, '  '), 'COMMENT_REQUIRED');
    const override = await overrideWording(ctx, security, draft.id, '引用原件，保留原文');
    assert.equal(override.version, draft.version);
    assert.equal(override.reason, '引用原件，保留原文');

    const submitted = await stepArticle(ctx, editor, draft.id, 'submit');
    assert.equal(submitted.status, 'submitted');
    const approved = await stepArticle(ctx, reviewer, draft.id, 'approve');
    assert.equal(approved.status, 'approved');
    // The override covers this content through publication.
    assert.equal((await stepArticle(ctx, publisher, draft.id, 'publish')).status, 'published');

    const audit = await listAuditEntries(ctx, auditor, { action: 'article.wording-override' });
    const entry = audit.items.find((e) => e.targetId === String(draft.id));
    assert.ok(entry, 'the override is in the audit log');
    assert.equal(entry.userName, 'secadmin');
    const slip = { text: '习进平', suggestion: '习近平', kind: 'near-miss' };
    assert.deepEqual(entry.details, {
      version: draft.version,
      reason: '引用原件，保留原文',
      findings: [
        { field: 'summary', ...slip },
        { field: 'body', ...slip },
      ],
    });
  });

  test('an edit after the override needs a new one; clean content needs none', async () => {
    const draft = await createArticle(ctx, editor, { channelId, title: '学习会议二', bodyHtml: SLIP });
    await overrideWording(ctx, security, draft.id, '原文如此');
    const edited = await updateArticle(ctx, editor, draft.id, {
      version: draft.version,
      bodyHtml: `${SLIP}<p>坚定理论自信、道路自信、制度自信、文化自信。</p>`,
    });
    const error = await refused(stepArticle(ctx, editor, draft.id, 'submit'), 'WORDING_SERIOUS');
    assert.deepEqual(
      (error as WordingBlocked).findings.map((f) => `${f.field} ${f.kind}`),
      ['summary near-miss', 'summary order', 'body near-miss', 'body order'],
    );
    assert.equal(edited.status, 'draft');
    const clean = await createArticle(ctx, editor, {
      channelId,
      title: '清洁稿件',
      bodyHtml: '<p>坚定道路自信、理论自信、制度自信、文化自信。</p>',
    });
    await refused(overrideWording(ctx, security, clean.id, '无须放行'), 'WORDING_NOTHING_TO_OVERRIDE');
    assert.equal((await stepArticle(ctx, editor, clean.id, 'submit')).status, 'submitted');
  });

  test("the site's own entries: custom forms, turning a shipped entry off, audited, for admins only", async () => {
    await refused(
      createWordingEntry(ctx, editor, {
        phrase: '示范区管委会',
        kind: 'wrong',
        severity: 'custom',
        suggestion: '示范区管理委员会',
      }),
      'PERMISSION_DENIED',
    );
    const own = await createWordingEntry(ctx, admin, {
      phrase: '示范区管委会',
      kind: 'wrong',
      severity: 'custom',
      suggestion: '示范区管理委员会',
      note: '本站用语',
    });
    assert.deepEqual(
      { ...own, updatedAt: null },
      {
        id: own.id,
        source: 'site',
        phrase: '示范区管委会',
        kind: 'wrong',
        severity: 'custom',
        suggestion: '示范区管理委员会',
        note: '本站用语',
        enabled: true,
        updatedAt: null,
      },
    );
    await refused(
      createWordingEntry(ctx, admin, {
        phrase: '示范区管委会',
        kind: 'wrong',
        severity: 'suspect',
        suggestion: '管委会',
      }),
      'WORDING_ENTRY_EXISTS',
    );
    await refused(
      createWordingEntry(ctx, admin, { phrase: '错误写法', kind: 'wrong', severity: 'suspect' }),
      'FIELD_INVALID',
    );
    const off = await createWordingEntry(ctx, admin, {
      phrase: '文化部',
      kind: 'outdated',
      severity: 'suspect',
      suggestion: '文化和旅游部',
      enabled: false,
    });

    const check = (bodyHtml: string) =>
      checkWording(ctx, editor, { bodyHtml }).then((r) => r.findings.map((f) => `${f.severity} ${f.text}`));
    assert.deepEqual(await check('<p>示范区管委会与文化部</p>'), ['custom 示范区管委会']);
    await updateWordingEntry(ctx, admin, off.id, { enabled: true });
    assert.deepEqual(await check('<p>示范区管委会与文化部</p>'), ['custom 示范区管委会', 'suspect 文化部']);
    await deleteWordingEntry(ctx, admin, own.id);
    assert.deepEqual(await check('<p>示范区管委会与文化部</p>'), ['suspect 文化部']);
    await refused(deleteWordingEntry(ctx, admin, own.id), 'WORDING_ENTRY_NOT_FOUND');

    const listed = await listWordingEntries(ctx, reviewer, { source: 'site' });
    assert.deepEqual(
      listed.items.map((e) => [e.phrase, e.enabled]),
      [['文化部', true]],
    );
    const shipped = await listWordingEntries(ctx, reviewer, { q: '国家卫生健康委员会', source: 'shipped' });
    assert.deepEqual(
      shipped.items.filter((e) => e.kind === 'canonical').map((e) => [e.phrase, e.source]),
      [['国家卫生健康委员会', 'dictionary.tsv:90']],
    );
    assert.deepEqual(
      shipped.items.filter((e) => e.kind === 'outdated').map((e) => e.phrase),
      ['国家卫生和计划生育委员会', '国家卫生计生委', '国家人口和计划生育委员会', '卫生部'],
    );
    assert.ok(listed.shipped >= 2000);
    await refused(listWordingEntries(ctx, auditor), 'PERMISSION_DENIED');

    const logged = async (action: string) =>
      (await listAuditEntries(ctx, auditor, { action })).items.map((e) => e.details.phrase);
    assert.deepEqual(await logged('wording.entry.create'), ['文化部', '示范区管委会']);
    assert.deepEqual(await logged('wording.entry.delete'), ['示范区管委会']);
    assert.deepEqual(
      (await listAuditEntries(ctx, auditor, { action: 'wording.entry.update' })).items.map((e) => e.details),
      [
        {
          before: {
            phrase: '文化部',
            kind: 'outdated',
            severity: 'suspect',
            suggestion: '文化和旅游部',
            enabled: false,
          },
          after: { phrase: '文化部', kind: 'outdated', severity: 'suspect', suggestion: '文化和旅游部', enabled: true },
        },
      ],
    );
  });
});

describe('wording check of published content (for the health report)', () => {
  test('lists each finding with its article; clean demo pages give none', async () => {
    const store = await testStore();
    try {
      const ctx = contextFor(store);
      await demoSite(ctx);
      const { importFiles, pagesIn } = await import('../../../src/importers/index.js');
      const { DEMO_PAGES } = await import('../../helpers/factories.js');
      await importFiles(ctx, await pagesIn(DEMO_PAGES), 'Asia/Shanghai');
      assert.deepEqual(await publishedWordingFindings(ctx), []);
      const accounts = await makeRoleAccounts(ctx);
      const channelId = (await currentSite(store.db)).tree.all().find((c) => c.slug === 'bqdt')?.id ?? 0;
      const [editor, reviewer, publisher] = [accounts.editor, accounts.reviewer, accounts.publisher].map(actorFor) as [
        Actor,
        Actor,
        Actor,
      ];
      const draft = await createArticle(ctx, editor, {
        channelId,
        title: '原国家旅游局职能划转',
        summary: '职能划转',
        bodyHtml: '<p>正文</p>',
      });
      await stepArticle(ctx, editor, draft.id, 'submit');
      await stepArticle(ctx, reviewer, draft.id, 'approve');
      await stepArticle(ctx, publisher, draft.id, 'publish');
      assert.deepEqual(await publishedWordingFindings(ctx, 2), [
        {
          severity: 'suspect',
          articleId: draft.id,
          where: '原国家旅游局职能划转',
          text: '国家旅游局',
          suggestion: '文化和旅游部',
        },
      ]);
    } finally {
      await store.dispose();
    }
  });
});

describe('wording checkers on a platform of several sites', () => {
  let store: TestStore;
  let ctx: ServiceContext;
  before(async () => {
    store = await testStore();
    ctx = contextFor(store);
    await demoSite(ctx);
  });
  after(() => store.dispose());

  test("sites checked in turn each get their own entries and no other site's (regression: one cached checker served whichever site asked last)", async () => {
    const town = await addSite(ctx, platformConsole('test'), { host: 'town.wording.example.gov.cn', name: '某某镇' });
    const water = await addSite(ctx, platformConsole('test'), { host: 'swj.wording.example.gov.cn', name: '区水务局' });
    const atTown = { ...ctx, siteId: town.id };
    await createWordingEntry(atTown, systemActor('test'), {
      phrase: '镇管委会',
      kind: 'wrong',
      severity: 'custom',
      suggestion: '镇人民政府',
    });
    const found = async (siteId: number) =>
      (await findingsOf(store.db, siteId, { bodyHtml: '<p>镇管委会召开会议</p>' })).map(
        (f) => `${f.severity} ${f.text}`,
      );
    for (let round = 0; round < 2; round++) {
      assert.deepEqual(await found(town.id), ['custom 镇管委会']);
      assert.deepEqual(await found(water.id), []);
      assert.deepEqual(await found(town.id), ['custom 镇管委会']);
    }
    // Sites without entries of their own share the shipped dictionary, compiled once.
    assert.equal(
      await wordingChecker(store.db, water.id),
      await wordingChecker(store.db, (await currentSite(store.db, water.id)).site.id),
    );
    assert.notEqual(await wordingChecker(store.db, town.id), await wordingChecker(store.db, water.id));
  });
});
