import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_ACCENT_COLOUR,
  DEFAULT_MAIN_COLOUR,
  GazetteError,
  defaultLook,
  type ContentEvent,
  type SiteLook,
} from '../../../src/domain/index.js';
import {
  currentSite,
  lookProgress,
  saveLook,
  siteLook,
  verifyAuditChain,
  type Actor,
  type ServiceContext,
} from '../../../src/services/index.js';
import { looks, publishTasks } from '../../../src/store/index.js';
import { actorFor, makeRoleAccounts } from '../../helpers/backoffice.js';
import { demoSite } from '../../helpers/factories.js';
import { contextFor, testStore, type TestStore } from '../../helpers/store.js';

function refusedWith(code: string, zh: string, en: string) {
  return (error: unknown) => {
    assert.ok(error instanceof GazetteError, String(error));
    assert.deepEqual({ code: error.code, zh: error.messageIn('zh'), en: error.messageIn('en') }, { code, zh, en });
    return true;
  };
}

describe('站点外观: the site’s look, saved by the site administrator', () => {
  let store: TestStore;
  let ctx: ServiceContext;
  let admin: Actor;
  let editor: Actor;
  let base: SiteLook;
  const heard: ContentEvent[] = [];

  before(async () => {
    store = await testStore();
    ctx = { ...contextFor(store), events: { emit: (event) => void heard.push(event) } };
    await demoSite(ctx);
    const accounts = await makeRoleAccounts(ctx);
    admin = actorFor(accounts.admin);
    editor = actorFor(accounts.editor);
    base = defaultLook((await currentSite(store.db)).tree);
  });
  after(() => store.dispose());
  beforeEach(async () => {
    heard.length = 0;
    await store.db.deleteFrom('siteLook').execute();
  });

  const lastAudit = async () => {
    const entry = await store.db
      .selectFrom('auditLog')
      .select(['action', 'userName', 'targetType', 'details'])
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    return { ...entry, details: JSON.parse(entry.details) as unknown };
  };
  const auditCount = async () =>
    Number(
      (
        await store.db
          .selectFrom('auditLog')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  test('a site that saved none has the default look for its columns, at version 0', async () => {
    assert.deepEqual(await siteLook(ctx), { look: base, version: 0, updatedAt: null, isDefault: true });
  });

  test('new colours: stored, audited with both values, and only the stylesheet is published', async () => {
    const saved = await saveLook(ctx, admin, { ...base, mainColour: '#1F4E9D' }, 0);
    assert.deepEqual(saved, {
      look: { ...base, mainColour: '#1f4e9d' },
      version: 1,
      updatedAt: ctx.clock.now().toISOString(),
      isDefault: false,
    });
    const { site } = await currentSite(store.db);
    assert.deepEqual(heard, [{ type: 'look.changed', siteId: site.id, parts: ['stylesheet'] }]);
    assert.deepEqual(await lastAudit(), {
      action: 'site.look',
      userName: 'siteadmin',
      targetType: 'site',
      details: { version: 1, mainColour: { from: DEFAULT_MAIN_COLOUR, to: '#1f4e9d' } },
    });
    assert.equal((await verifyAuditChain(store.db)).ok, true);
  });

  test('reordered blocks publish the home page only; the audit names the order and what was edited', async () => {
    const [first, second, ...rest] = base.blocks;
    assert.ok(first && second);
    const reordered = { ...base, blocks: [second, first, ...rest] };
    await saveLook(ctx, admin, reordered, 0);
    assert.deepEqual(
      heard.map((e) => e.type === 'look.changed' && e.parts),
      [['home']],
    );
    const ids = (look: SiteLook) => look.blocks.map((b) => `${b.id}:${b.kind}`);
    assert.deepEqual((await lastAudit()).details, {
      version: 1,
      blocks: { from: ids(base), to: ids(reordered) },
      blocksEdited: [],
    });
    heard.length = 0;
    const retitled = {
      ...reordered,
      blocks: reordered.blocks.map((b) => (b.id === 'pictures' ? { ...b, title: '图说' } : b)),
    };
    await saveLook(ctx, admin, retitled, 1);
    assert.deepEqual(
      heard.map((e) => e.type === 'look.changed' && e.parts),
      [['home']],
    );
    assert.deepEqual((await lastAudit()).details, {
      version: 2,
      blocks: { from: ids(reordered), to: ids(retitled) },
      blocksEdited: ['pictures'],
    });
  });

  test('a logo, banner or favicon reaches every page; several changes at once publish each part once', async () => {
    const logo = { url: '/media/img/aaa/original.png', alt: '示范区人民政府' };
    await saveLook(ctx, admin, { ...base, logo }, 0);
    assert.deepEqual(
      heard.map((e) => e.type === 'look.changed' && e.parts),
      [['pages']],
    );
    assert.deepEqual((await lastAudit()).details, { version: 1, logo: { from: null, to: logo.url } });
    heard.length = 0;
    await saveLook(
      ctx,
      admin,
      {
        ...base,
        logo,
        accentColour: '#222222',
        favicon: '/media/img/bbb/original.ico',
        blocks: base.blocks.slice(1),
      },
      1,
    );
    assert.deepEqual(
      heard.map((e) => e.type === 'look.changed' && e.parts),
      [['stylesheet', 'home', 'pages']],
    );
  });

  test('saving the look as it is changes nothing: no new version, no audit line, no event', async () => {
    const audits = await auditCount();
    assert.deepEqual(await saveLook(ctx, admin, base, 0), { look: base, version: 0, updatedAt: null, isDefault: true });
    await saveLook(ctx, admin, { ...base, mainColour: '#1f4e9d' }, 0);
    heard.length = 0;
    const again = await saveLook(ctx, admin, { ...base, mainColour: '#1F4E9D' }, 1);
    assert.equal(again.version, 1);
    assert.deepEqual(heard, []);
    assert.equal(await auditCount(), audits + 1);
  });

  test('a save over a version someone else replaced is refused (409) and changes nothing', async () => {
    await saveLook(ctx, admin, { ...base, mainColour: '#1f4e9d' }, 0);
    heard.length = 0;
    await assert.rejects(
      saveLook(ctx, admin, { ...base, mainColour: '#333333' }, 0),
      refusedWith(
        'LOOK_VERSION_CONFLICT',
        '站点外观已被他人修改（您编辑的是第 0 版，当前为第 1 版），请载入最新版本后再保存',
        'The site look was changed by someone else (you edited version 0, it is now 1); load the latest version and save again',
      ),
    );
    // The store refuses it too, for two saves that both read version 1 before either wrote.
    const { site } = await currentSite(store.db);
    await looks.saveLook(store.db, site.id, base, 1, ctx.clock.now(), null);
    await assert.rejects(
      looks.saveLook(store.db, site.id, base, 1, ctx.clock.now(), null),
      (error: unknown) =>
        error instanceof GazetteError && error.code === 'LOOK_VERSION_CONFLICT' && error.params.current === 2,
    );
    await assert.rejects(
      looks.saveLook(store.db, site.id, base, 0, ctx.clock.now(), null),
      (error: unknown) => error instanceof GazetteError && error.code === 'LOOK_VERSION_CONFLICT',
    );
    assert.deepEqual(heard, []);
  });

  test('a colour white text cannot be read on is refused with its ratio, and nothing is stored', async () => {
    await assert.rejects(
      saveLook(ctx, admin, { ...base, mainColour: '#f5c400' }, 0),
      refusedWith(
        'LOOK_CONTRAST_TOO_LOW',
        '主色 #f5c400 与白色文字的对比度为 1.64:1，低于 WCAG AA 要求的 4.5:1（用于页头、按钮和当前页码）',
        'The main colour #f5c400 has a contrast ratio of 1.64:1 with white text, below the 4.5:1 WCAG AA requires (it is used for the masthead, buttons and the current page number)',
      ),
    );
    await assert.rejects(
      saveLook(ctx, admin, { ...base, accentColour: '#777777' }, 0),
      refusedWith(
        'LOOK_CONTRAST_TOO_LOW',
        '辅色 #777777 与白色文字的对比度为 4.47:1，低于 WCAG AA 要求的 4.5:1（用于导航栏、栏目标题和页脚色条）',
        'The accent colour #777777 has a contrast ratio of 4.47:1 with white text, below the 4.5:1 WCAG AA requires (it is used for the navigation bar, column headings and the footer bar)',
      ),
    );
    assert.equal((await siteLook(ctx)).isDefault, true);
    assert.deepEqual(heard, []);
  });

  test('only the site administrator may save it; a bad look is refused before anything', async () => {
    for (const actor of [editor, { ...admin, grants: [] }])
      await assert.rejects(
        saveLook(ctx, actor, { ...base, mainColour: '#1f4e9d' }, 0),
        refusedWith('PERMISSION_DENIED', '没有权限：site.manage', 'Not allowed: site.manage'),
      );
    await assert.rejects(
      saveLook(ctx, admin, { ...base, mainColour: DEFAULT_ACCENT_COLOUR, blocks: 'none' }, 0),
      refusedWith(
        'LOOK_INVALID',
        '站点外观的 blocks 有误：须为列表，最多 20 项',
        'Site look: blocks is invalid: must be a list of at most 20 items',
      ),
    );
    assert.equal((await siteLook(ctx)).isDefault, true);
    assert.deepEqual(heard, []);
  });
});

test('progress: the site’s look and template re-renders in flight, with what their run recorded', async (t) => {
  const store = await testStore();
  t.after(() => store.dispose());
  const heard: [ContentEvent, number | undefined][] = [];
  // A durable sink: the events are publish tasks, as when a publisher listens.
  const ctx: ServiceContext = {
    ...contextFor(store),
    events: { durable: true, emit: (event, taskId) => void heard.push([event, taskId]) },
  };
  const site = await demoSite(ctx);
  const { admin, editor } = await makeRoleAccounts(ctx);
  assert.deepEqual(await lookProgress(ctx, actorFor(admin)), []);
  const base = defaultLook((await currentSite(store.db)).tree);
  await saveLook(ctx, actorFor(admin), { ...base, logo: { url: '/media/img/a/original.png', alt: '标志' } }, 0);
  const taskId = heard[0]?.[1];
  assert.ok(taskId !== undefined);
  // Another site's task and an article's are not this site's look.
  await publishTasks.addTasks(
    store.db,
    [
      JSON.stringify({ type: 'look.changed', siteId: site.id + 1, parts: ['home'] }),
      JSON.stringify({ type: 'article.published', siteId: site.id, articleId: 1, channelId: 1 }),
    ],
    ctx.clock.now(),
  );
  const since = ctx.clock.now().toISOString();
  assert.deepEqual(await lookProgress(ctx, actorFor(admin)), [
    { id: taskId, type: 'look.changed', done: 0, total: 0, since },
  ]);
  await publishTasks.recordProgress(store.db, taskId, 64, 130);
  assert.deepEqual(await lookProgress(ctx, actorFor(admin)), [
    { id: taskId, type: 'look.changed', done: 64, total: 130, since },
  ]);
  await publishTasks.finishTask(store.db, taskId);
  assert.deepEqual(await lookProgress(ctx, actorFor(admin)), []);
  await assert.rejects(
    lookProgress(ctx, actorFor(editor)),
    refusedWith('PERMISSION_DENIED', '没有权限：site.manage', 'Not allowed: site.manage'),
  );
});
