import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GazetteError, type Article } from '../../../src/domain/index.js';
import { creditCheckChar } from '../../../src/compliance/disclosure/index.js';
import {
  EventHub,
  createArticle,
  currentSite,
  deleteArticle,
  disclosureReport,
  getDisclosure,
  importPage,
  listAuditEntries,
  removeDisclosure,
  setDisclosure,
  stepArticle,
  type Actor,
  type ContentEvent,
  type ServiceContext,
} from '../../../src/services/index.js';
import { BACKENDS, contextFor, type TestStore } from '../../helpers/store.js';
import { demoSite, makePage } from '../../helpers/factories.js';
import { actorFor, makeRoleAccounts, makeUser } from '../../helpers/backoffice.js';

// Valid 统一社会信用代码 (GB 32100 check characters).
const CODE_A = '113205090141600114';
const CODE_B = '91350100M000100Y43';

async function refused(promise: Promise<unknown>, code: string, field?: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof GazetteError, `expected a GazetteError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (field !== undefined) assert.equal(error.params.field, field);
    return true;
  });
}

for (const backend of BACKENDS) {
  describe(`信息公开 metadata on ${backend.name}`, () => {
    let store: TestStore;
    let ctx: ServiceContext;
    const events: ContentEvent[] = [];
    let editor: Actor, publisher: Actor, auditor: Actor, admin: Actor;
    let bqdt: number;

    before(async () => {
      store = await backend.open();
      const hub = new EventHub();
      hub.on((event) => events.push(event));
      ctx = { ...contextFor(store), events: hub };
      await demoSite(ctx);
      const accounts = await makeRoleAccounts(ctx);
      [editor, publisher, auditor, admin] = [accounts.editor, accounts.publisher, accounts.auditor, accounts.admin].map(
        actorFor,
      ) as [Actor, Actor, Actor, Actor];
      bqdt = (await currentSite(store.db)).tree.all().find((c) => c.slug === 'bqdt')?.id ?? 0;
    });
    after(() => store.dispose());

    const draft = (title: string) => createArticle(ctx, editor, { channelId: bqdt, title, bodyHtml: '<p>正文</p>' });
    const published = async (title: string, at: string): Promise<Article> =>
      (await importPage(ctx, makePage({ title, publishedAt: new Date(at) }))).article;

    test('a draft gets 索引号 code/year-serial from the creation year, with the site’s defaults', async () => {
      const article = await draft('草稿公开');
      const edit = await getDisclosure(ctx, editor, article.id);
      assert.deepEqual(edit.defaults, { organization: '示范区人民政府办公室', organizationCode: '' });
      assert.equal(edit.disclosure, null);
      assert.equal(edit.topics.length, 21);
      assert.deepEqual(edit.forms, ['主动公开', '依申请公开']);
      const view = await setDisclosure(ctx, editor, article.id, {
        topic: '综合政务',
        organizationCode: CODE_A,
        documentNo: '示政发[2025]3号',
        writtenOn: '2025-11-28',
      });
      assert.deepEqual(view, {
        articleId: article.id,
        indexNo: `${CODE_A}/2025-00001`,
        organization: '示范区人民政府办公室',
        organizationCode: CODE_A,
        documentNo: '示政发〔2025〕3号',
        writtenOn: '2025-11-28',
        topic: '综合政务',
        disclosureForm: '主动公开',
        year: 2025,
        serial: 1,
      });
      // The code last used for the organisation becomes the form's default.
      assert.deepEqual((await getDisclosure(ctx, editor, (await draft('下一篇')).id)).defaults, {
        organization: '示范区人民政府办公室',
        organizationCode: CODE_A,
      });
      const entries = await listAuditEntries(ctx, auditor, { action: 'disclosure.create' });
      assert.equal(entries.items[0]?.targetId, String(article.id));
      assert.equal(entries.items[0]?.details.indexNo, `${CODE_A}/2025-00001`);
    });

    test('the year is the 发布日期’s, in the site’s zone', async () => {
      // 2023-12-31 16:30 UTC is 2024-01-01 00:30 in Shanghai.
      const article = await published('跨年公开', '2023-12-31T16:30:00Z');
      const view = await setDisclosure(ctx, publisher, article.id, { topic: '科技、教育', organizationCode: CODE_A });
      assert.equal(view.indexNo, `${CODE_A}/2024-00001`);
    });

    test('a correction keeps the 索引号, even with another code', async () => {
      const article = await draft('更正机构');
      const first = await setDisclosure(ctx, editor, article.id, { topic: '综合政务', organizationCode: CODE_A });
      const corrected = await setDisclosure(ctx, editor, article.id, {
        topic: '卫生、体育',
        organization: '示范区卫生健康委员会',
        organizationCode: CODE_B,
        disclosureForm: '依申请公开',
      });
      assert.equal(corrected.indexNo, first.indexNo);
      assert.equal(corrected.serial, first.serial);
      assert.deepEqual(
        [corrected.organization, corrected.organizationCode, corrected.topic, corrected.disclosureForm],
        ['示范区卫生健康委员会', CODE_B, '卫生、体育', '依申请公开'],
      );
    });

    test('serials are never reused: not after the article is deleted, not after the metadata is removed', async () => {
      const code = '12320509MB0000001';
      const fresh = code + (creditCheckChar(code) ?? '');
      const a = await draft('将被删除');
      assert.equal(
        (await setDisclosure(ctx, editor, a.id, { topic: '其他', organizationCode: fresh })).indexNo,
        `${fresh}/2025-00001`,
      );
      await deleteArticle(ctx, editor, a.id);
      const b = await draft('删除之后');
      assert.equal(
        (await setDisclosure(ctx, editor, b.id, { topic: '其他', organizationCode: fresh })).indexNo,
        `${fresh}/2025-00002`,
      );
      await removeDisclosure(ctx, editor, b.id);
      assert.equal((await getDisclosure(ctx, editor, b.id)).disclosure, null);
      await refused(removeDisclosure(ctx, editor, b.id), 'DISCLOSURE_NOT_FOUND');
      assert.equal(
        (await setDisclosure(ctx, editor, b.id, { topic: '其他', organizationCode: fresh })).indexNo,
        `${fresh}/2025-00003`,
      );
    });

    test('20 allocations at once give 20 distinct consecutive serials', async () => {
      const code = '12320509MB0000002';
      const fresh = code + (creditCheckChar(code) ?? '');
      const drafts = await Promise.all(Array.from({ length: 20 }, (_, i) => draft(`并发${i}`)));
      const views = await Promise.all(
        drafts.map((d) => setDisclosure(ctx, editor, d.id, { topic: '综合政务', organizationCode: fresh })),
      );
      assert.deepEqual(
        views.map((v) => v.serial).sort((x, y) => x - y),
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
      assert.equal(new Set(views.map((v) => v.indexNo)).size, 20);
      for (const view of views) assert.equal(view.indexNo, `${fresh}/2025-${String(view.serial).padStart(5, '0')}`);
    });

    test('a concurrent second save of one article keeps one 索引号', async () => {
      const article = await draft('同时保存');
      const views = await Promise.all(
        [1, 2, 3].map(() => setDisclosure(ctx, editor, article.id, { topic: '综合政务', organizationCode: CODE_B })),
      );
      assert.equal(new Set(views.map((v) => v.indexNo)).size, 1);
    });

    test('bad input is refused naming the field', async () => {
      const article = await draft('校验');
      const cases: [Record<string, string | null>, string][] = [
        [{ organizationCode: '11320509014160011' }, 'organizationCode'],
        [{ organizationCode: '11320509014160011I' }, 'organizationCode'],
        [{ organizationCode: '113205090141600115' }, 'organizationCode'],
        [{ topic: '教育' }, 'topic'],
        [{ documentNo: '第十二号文件' }, 'documentNo'],
        [{ writtenOn: '2025-02-30' }, 'writtenOn'],
        [{ writtenOn: '2025/02/03' }, 'writtenOn'],
        [{ disclosureForm: '不予公开' }, 'disclosureForm'],
      ];
      for (const [patch, field] of cases) {
        await refused(
          setDisclosure(ctx, editor, article.id, { topic: '综合政务', organizationCode: CODE_A, ...patch }),
          'FIELD_INVALID',
          field,
        );
      }
      // The message says what is wrong with the code: here the check character.
      await assert.rejects(
        setDisclosure(ctx, editor, article.id, { topic: '综合政务', organizationCode: '113205090141600115' }),
        (error: GazetteError) => {
          assert.equal(error.messageIn('zh'), '字段 organizationCode 无效：校验码不符（第 18 位应为 4）');
          return true;
        },
      );
      assert.equal((await getDisclosure(ctx, editor, article.id)).disclosure, null);
    });

    test('permissions: the edit permission of the article’s state, on its channel', async () => {
      const live = await published('已发布的公开信息', '2025-06-01T02:00:00Z');
      await refused(
        setDisclosure(ctx, editor, live.id, { topic: '综合政务', organizationCode: CODE_A }),
        'PERMISSION_DENIED',
      );
      await refused(
        setDisclosure(ctx, admin, live.id, { topic: '综合政务', organizationCode: CODE_A }),
        'PERMISSION_DENIED',
      );
      await refused(getDisclosure(ctx, auditor, live.id), 'PERMISSION_DENIED');
      await refused(disclosureReport(ctx, auditor, 2025), 'PERMISSION_DENIED');
      const other = (await currentSite(store.db)).tree.all().find((c) => c.slug === 'tzgg')?.id ?? 0;
      const scoped = actorFor(await makeUser(ctx, 'tzgg-editor', [{ role: 'editor', channelId: other }]));
      await refused(
        setDisclosure(ctx, scoped, (await draft('别的栏目')).id, { topic: '综合政务', organizationCode: CODE_A }),
        'PERMISSION_DENIED',
      );
      events.length = 0;
      await setDisclosure(ctx, publisher, live.id, { topic: '综合政务', organizationCode: CODE_A });
      assert.deepEqual(events, [
        {
          type: 'article.updated',
          siteId: 1,
          articleId: live.id,
          channelId: live.channelId,
          previousChannelId: live.channelId,
          previousPublishedAt: live.publishedAt,
        },
      ]);
      events.length = 0;
      await setDisclosure(ctx, editor, (await draft('草稿无事件')).id, { topic: '综合政务', organizationCode: CODE_A });
      assert.deepEqual(events, []);
    });
  });

  describe(`信息公开 annual report on ${backend.name}`, () => {
    let store: TestStore;
    let ctx: ServiceContext;
    let publisher: Actor;

    before(async () => {
      store = await backend.open();
      ctx = contextFor(store);
      await demoSite(ctx);
      publisher = actorFor((await makeRoleAccounts(ctx)).publisher);
      const plan: [string, string, string, string, string][] = [
        // title, published at, topic, form, organisation
        ['财政一', '2025-03-01T02:00:00Z', '财政、金融、审计', '主动公开', '示范区财政局'],
        ['财政二', '2025-04-01T02:00:00Z', '财政、金融、审计', '依申请公开', '示范区财政局'],
        ['教育一', '2025-05-01T02:00:00Z', '科技、教育', '主动公开', '示范区教育局'],
        ['撤销的', '2025-06-01T02:00:00Z', '科技、教育', '主动公开', '示范区教育局'],
        ['年末', '2025-12-31T15:30:00Z', '综合政务', '主动公开', '示范区人民政府办公室'],
        ['次年', '2025-12-31T16:30:00Z', '综合政务', '主动公开', '示范区人民政府办公室'],
        ['上一年', '2024-07-01T02:00:00Z', '综合政务', '主动公开', '示范区人民政府办公室'],
      ];
      for (const [title, at, topic, disclosureForm, organization] of plan) {
        const { article } = await importPage(ctx, makePage({ title, publishedAt: new Date(at) }));
        await setDisclosure(ctx, publisher, article.id, {
          topic,
          disclosureForm,
          organization,
          organizationCode: organization === '示范区财政局' ? CODE_B : CODE_A,
        });
        if (title === '撤销的') await stepArticle(ctx, publisher, article.id, 'withdraw', { reason: '信息有误' });
      }
      // Published in 2025 but not disclosed: not counted.
      await importPage(ctx, makePage({ title: '普通新闻', publishedAt: new Date('2025-05-05T02:00:00Z') }));
    });
    after(() => store.dispose());

    test('counts exactly what was published that year, by topic, form and organisation', async () => {
      const report = await disclosureReport(ctx, publisher, 2025);
      assert.equal(report.year, 2025);
      assert.equal(report.total, 5);
      assert.equal(report.withdrawn, 1);
      assert.deepEqual(
        report.byTopic.filter((row) => row.total > 0),
        [
          { topic: '综合政务', total: 1, withdrawn: 0 },
          { topic: '财政、金融、审计', total: 2, withdrawn: 0 },
          { topic: '科技、教育', total: 2, withdrawn: 1 },
        ],
      );
      assert.equal(report.byTopic.length, 21);
      assert.deepEqual(report.byForm, [
        { disclosureForm: '主动公开', total: 4, withdrawn: 1 },
        { disclosureForm: '依申请公开', total: 1, withdrawn: 0 },
      ]);
      assert.deepEqual(report.byOrganization, [
        { organization: '示范区教育局', organizationCode: CODE_A, total: 2, withdrawn: 1 },
        { organization: '示范区财政局', organizationCode: CODE_B, total: 2, withdrawn: 0 },
        { organization: '示范区人民政府办公室', organizationCode: CODE_A, total: 1, withdrawn: 0 },
      ]);
      const next = await disclosureReport(ctx, publisher, 2026);
      assert.deepEqual([next.total, next.withdrawn], [1, 0]);
      assert.deepEqual((await disclosureReport(ctx, publisher, 2024)).total, 1);
      await refused(disclosureReport(ctx, publisher, 1999), 'FIELD_INVALID', 'year');
    });
  });
}
