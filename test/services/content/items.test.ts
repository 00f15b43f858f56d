import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EventHub,
  addContentField,
  deleteArticle,
  addSite,
  createChannel,
  platformConsole,
  getArticle,
  setDisclosure,
  createArticle,
  removeContentField,
  restoreRevision,
  stepArticle,
  updateArticle,
  updateChannel,
  type Actor,
  type ContentEvent,
  type ServiceContext,
} from '../../../src/services/index.js';
import { GazetteError } from '../../../src/domain/index.js';
import { BACKENDS, contextFor, type TestStore } from '../../helpers/store.js';
import { demoSite } from '../../helpers/factories.js';
import { system as TYPED_ACTOR, guideValues, policyValues, publishItem, typedColumns } from '../../helpers/items.js';

/** The rows of the tables a refused change must leave as they were. */
async function rows(store: TestStore) {
  const [article, relation, field, archive] = await Promise.all([
    store.db.selectFrom('article').selectAll().orderBy('id').execute(),
    store.db.selectFrom('articleRelation').selectAll().orderBy('articleId').orderBy('targetId').execute(),
    store.db.selectFrom('contentField').selectAll().orderBy('id').execute(),
    store.db.selectFrom('contentFieldArchive').selectAll().orderBy('id').execute(),
  ]);
  return { article, relation, field, archive };
}

/** Runs a change that must be refused with this code and message, and checks the store did not move. */
async function refused(store: TestStore, change: () => Promise<unknown>, code: string, message: string) {
  const before = await rows(store);
  await assert.rejects(change, (error: unknown) => {
    assert.ok(error instanceof GazetteError);
    assert.deepEqual([error.code, error.messageIn('zh')], [code, message]);
    return true;
  });
  assert.deepEqual(await rows(store), before, 'the store is as it was');
}

for (const backend of BACKENDS) {
  describe(`typed items on ${backend.name}: values checked by kind, relations by type and reader, publishing by completeness`, () => {
    let store: TestStore;
    let ctx: ServiceContext;
    let columns: Awaited<ReturnType<typeof typedColumns>>;
    const events: ContentEvent[] = [];

    before(async () => {
      store = await backend.open();
      const hub = new EventHub();
      hub.on((event) => void events.push(event));
      ctx = { ...contextFor(store), events: hub };
      // The portal named outright: a test below adds a second site to the platform.
      ctx = { ...ctx, siteId: (await demoSite(ctx)).id };
      columns = await typedColumns(ctx);
    });
    after(() => store.dispose());

    test('a value of the wrong kind is refused with the field named, and nothing is written', async () => {
      await refused(
        store,
        () =>
          createArticle(ctx, TYPED_ACTOR, {
            channelId: columns.guide,
            title: '错填的指南',
            bodyHtml: '',
            fields: guideValues({ promisedDays: '五' }),
          }),
        'FIELD_INVALID',
        '字段 fields.promisedDays 无效：须为数字',
      );
      await refused(
        store,
        () =>
          createArticle(ctx, TYPED_ACTOR, {
            channelId: columns.guide,
            title: '错填的指南',
            bodyHtml: '',
            fields: guideValues({ materials: [{ name: '身份证', form: ['原件'], copies: '一份' }] }),
          }),
        'FIELD_INVALID',
        '字段 fields.materials[0].copies 无效：须为数字',
      );
      await refused(
        store,
        () =>
          createArticle(ctx, TYPED_ACTOR, {
            channelId: columns.policy,
            title: '未知字段',
            bodyHtml: '',
            fields: { ...policyValues(), colour: '红' },
          }),
        'FIELD_INVALID',
        '字段 fields.colour 无效：没有这个字段',
      );
    });

    test('a guide lacking 办理地点 cannot be submitted or published (422 naming it); completed, it publishes', async () => {
      const draft = await createArticle(ctx, TYPED_ACTOR, {
        channelId: columns.guide,
        title: '居民身份证换领',
        bodyHtml: '',
        fields: guideValues({ place: null, hours: '' }),
      });
      assert.deepEqual([draft.status, draft.fields.place, draft.fields.hours], ['draft', undefined, undefined]);
      await refused(
        store,
        () => stepArticle(ctx, TYPED_ACTOR, draft.id, 'submit'),
        'CONTENT_INCOMPLETE',
        '办事指南缺少以下内容，不能发布：办理地点、办理时间',
      );
      const complete = await updateArticle(ctx, TYPED_ACTOR, draft.id, {
        version: draft.version,
        fields: { place: '政务服务中心二楼', hours: '工作日 9:00-17:00' },
      });
      await stepArticle(ctx, TYPED_ACTOR, draft.id, 'submit');
      const published = await stepArticle(ctx, TYPED_ACTOR, draft.id, 'publish');
      assert.equal(published.status, 'published');
      // Published, it stays complete: an edit may not take an element away.
      await refused(
        store,
        () => updateArticle(ctx, TYPED_ACTOR, draft.id, { version: published.version, fields: { phone: null } }),
        'CONTENT_INCOMPLETE',
        '办事指南缺少以下内容，不能发布：咨询电话',
      );
      assert.equal(complete.fields.place, '政务服务中心二楼');
    });

    test('a relation to an item of the wrong type is 422, to one the writer may not read 403, to none 422', async () => {
      const guide = await publishItem(ctx, columns.guide, '社保卡申领', guideValues());
      const policy = await publishItem(ctx, columns.policy, '示范区社会保障办法', policyValues());
      await refused(
        store,
        () =>
          createArticle(ctx, TYPED_ACTOR, {
            channelId: columns.interpretation,
            title: '解读',
            bodyHtml: '<p>解读</p>',
            fields: { policies: [policy.id, guide.id], form: '文字' },
          }),
        'RELATION_WRONG_TYPE',
        `字段 fields.policies 须关联政策文件，内容 ${guide.id} 是办事指南`,
      );
      // An editor of the 解读 column alone may not point at a policy in a column they cannot read.
      const narrow: Actor = {
        userId: null,
        userName: '解读编辑',
        grants: [{ role: 'editor', channelId: columns.interpretation }],
        ip: null,
      };
      await refused(
        store,
        () =>
          createArticle(ctx, narrow, {
            channelId: columns.interpretation,
            title: '解读',
            bodyHtml: '<p>解读</p>',
            fields: { policies: [policy.id], form: '文字' },
          }),
        'RELATION_FORBIDDEN',
        `您无权查看字段 fields.policies 关联的内容 ${policy.id}`,
      );
      await refused(
        store,
        () =>
          createArticle(ctx, TYPED_ACTOR, {
            channelId: columns.interpretation,
            title: '解读',
            bodyHtml: '<p>解读</p>',
            fields: { policies: [999_999], form: '文字' },
          }),
        'RELATION_NOT_FOUND',
        '字段 fields.policies 关联的内容 999999 不存在',
      );
    });

    test('publishing a 解读 renders its policy’s page again; tagging an article renders only the topics that gather the tag', async () => {
      const policy = await publishItem(ctx, columns.policy, '示范区人才新政', policyValues());
      const tagged = await publishItem(ctx, columns.topic, '人才专题', {
        banner: { url: '/assets/banner.png', alt: '人才专题' },
        sections: [{ name: '人才政策', tag: '人才' }],
      });
      const other = await publishItem(ctx, columns.topic, '乡村振兴专题', {
        banner: { url: '/assets/banner.png', alt: '乡村振兴专题' },
        sections: [{ name: '振兴动态', tag: '乡村振兴' }],
      });
      events.length = 0;
      await publishItem(ctx, columns.interpretation, '人才新政解读', { policies: [policy.id], form: '文字' });
      assert.deepEqual(
        events.filter((e) => e.type === 'item.shown').map((e) => ('articleId' in e ? e.articleId : null)),
        [policy.id],
      );
      events.length = 0;
      const news = await createArticle(ctx, TYPED_ACTOR, {
        channelId: columns.policy,
        title: '示范区人才公寓管理办法',
        bodyHtml: '<p>正文</p>',
        fields: policyValues(),
      });
      await stepArticle(ctx, TYPED_ACTOR, news.id, 'submit');
      const published = await stepArticle(ctx, TYPED_ACTOR, news.id, 'publish');
      assert.deepEqual(
        events.filter((e) => e.type === 'item.shown'),
        [],
        'no topic gathers it yet',
      );
      await updateArticle(ctx, TYPED_ACTOR, news.id, { version: published.version, keywords: '人才,住房' });
      assert.deepEqual(
        events.filter((e) => e.type === 'item.shown').map((e) => ('articleId' in e ? e.articleId : null)),
        [tagged.id],
        `the 人才 topic, not ${other.id}`,
      );
    });

    test('a topic gathers from another site of the platform: publishing there renders the topic’s page here', async () => {
      const town = (await addSite(ctx, platformConsole('test'), { host: 'town.example.gov.cn', name: '示范镇' })).id;
      const townCtx = { ...ctx, siteId: town };
      const townNews = (await createChannel(townCtx, TYPED_ACTOR, { name: '镇村动态', slug: 'zcdt', reviewLevels: 0 }))
        .id;
      const topic = await publishItem(ctx, columns.topic, '基层治理专题', {
        banner: { url: '/assets/banner.png', alt: '基层治理专题' },
        sections: [{ name: '镇村动态', channels: String(townNews) }],
      });
      events.length = 0;
      const news = await createArticle(townCtx, TYPED_ACTOR, {
        channelId: townNews,
        title: '示范镇召开基层治理推进会',
        bodyHtml: '<p>正文</p>',
      });
      await stepArticle(townCtx, TYPED_ACTOR, news.id, 'submit');
      await stepArticle(townCtx, TYPED_ACTOR, news.id, 'publish');
      assert.deepEqual(
        events.filter((e) => e.type === 'item.shown'),
        [{ type: 'item.shown', siteId: ctx.siteId ?? 0, articleId: topic.id, channelId: columns.topic }],
      );
    });

    test('an added field needs no change to any item; removing it is refused while it has values, and --force archives them', async () => {
      const admin = TYPED_ACTOR;
      const added = await addContentField(ctx, admin, '文章', { name: 'dutyUnit', label: '责任单位', kind: 'text' });
      assert.deepEqual(added.fields.at(-1), {
        name: 'dutyUnit',
        label: '责任单位',
        kind: 'text',
        required: false,
        added: true,
      });
      await refused(
        store,
        () => addContentField(ctx, admin, 'article', { name: 'dutyUnit', label: '又一个', kind: 'text' }),
        'CONTENT_FIELD_TAKEN',
        '文章已有名为 dutyUnit 的字段',
      );
      const news = ctx.store.db.selectFrom('channel').select('id').where('slug', '=', 'bqdt');
      const bqdt = (await news.executeTakeFirstOrThrow()).id;
      const article = await createArticle(ctx, admin, {
        channelId: bqdt,
        title: '区政府召开常务会议',
        bodyHtml: '<p>会议研究了有关事项。</p>',
        fields: { dutyUnit: '区政府办公室' },
      });
      assert.deepEqual(article.fields, { dutyUnit: '区政府办公室' });
      await refused(
        store,
        () => removeContentField(ctx, admin, '文章', 'dutyUnit'),
        'CONTENT_FIELD_HAS_VALUES',
        '字段 dutyUnit 已有 1 项内容填写了值，直接删除会丢失数据；确需删除，请选择“归档后删除”（命令行加 --force），这些值将先归档保存',
      );
      assert.deepEqual(await removeContentField(ctx, admin, '文章', 'dutyUnit', { force: true }), { archived: 1 });
      const archive = await store.db
        .selectFrom('contentFieldArchive')
        .select(['articleId', 'name', 'label', 'value'])
        .execute();
      assert.deepEqual(archive, [
        { articleId: article.id, name: 'dutyUnit', label: '责任单位', value: '"区政府办公室"' },
      ]);
      const row = await store.db
        .selectFrom('article')
        .select('fields')
        .where('id', '=', article.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(JSON.parse(row.fields), {});
      await refused(
        store,
        () => removeContentField(ctx, admin, '文章', 'title'),
        'CONTENT_FIELD_NOT_FOUND',
        '文章没有本站添加的字段 title',
      );
    });

    test('a policy’s 信息公开 metadata and its values stay one: the panel writes the values, a save the metadata', async () => {
      const policy = await publishItem(ctx, columns.policy, '示范区公开办法', policyValues());
      const row = await setDisclosure(ctx, TYPED_ACTOR, policy.id, {
        organization: '示范区司法局',
        organizationCode: '113205090141600114',
        documentNo: '示司发〔2025〕2号',
        writtenOn: '2025-01-20',
        topic: '公安、安全、司法',
      });
      assert.equal(row.indexNo, '113205090141600114/2025-00001');
      const now = await getArticle(ctx, TYPED_ACTOR, policy.id);
      assert.deepEqual(now.fields, {
        ...policyValues(),
        organization: '示范区司法局',
        documentNo: '示司发〔2025〕2号',
        writtenOn: '2025-01-20',
        topic: '公安、安全、司法',
      });
      await updateArticle(ctx, TYPED_ACTOR, policy.id, {
        version: now.version,
        fields: { documentNo: '示司发〔2025〕3号' },
      });
      const saved = await store.db
        .selectFrom('disclosure')
        .select(['indexNo', 'organization', 'documentNo', 'writtenOn', 'topic'])
        .where('articleId', '=', policy.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(saved, {
        indexNo: '113205090141600114/2025-00001',
        organization: '示范区司法局',
        documentNo: '示司发〔2025〕3号',
        writtenOn: '2025-01-20',
        topic: '公安、安全、司法',
      });
    });

    test('a writer of the 解读 column alone edits a 解读 linked to a policy they cannot read, and is not shown its title', async () => {
      const policy = await publishItem(ctx, columns.policy, '不可见栏目的文件', policyValues());
      const reading = await createArticle(ctx, TYPED_ACTOR, {
        channelId: columns.interpretation,
        title: '解读初稿',
        bodyHtml: '<p>初稿</p>',
        fields: { policies: [policy.id], form: '文字' },
      });
      const narrow: Actor = {
        userId: null,
        userName: '解读编辑',
        grants: [{ role: 'editor', channelId: columns.interpretation }],
        ip: null,
      };
      assert.deepEqual(
        (await getArticle(ctx, TYPED_ACTOR, reading.id)).relations.map((r) => [r.field, r.id, r.title]),
        [['policies', policy.id, '不可见栏目的文件']],
      );
      const seen = await getArticle(ctx, narrow, reading.id);
      assert.deepEqual(seen.relations, []);
      const edited = await updateArticle(ctx, narrow, reading.id, { version: seen.version, title: '解读定稿' });
      assert.deepEqual([edited.title, edited.fields.policies, edited.relations], ['解读定稿', [policy.id], []]);
    });

    test('deleting an item takes its id out of the items pointing at it (regression: their next save was refused with 422)', async () => {
      const kept = await publishItem(ctx, columns.policy, '保留的文件', policyValues());
      const draft = await createArticle(ctx, TYPED_ACTOR, {
        channelId: columns.policy,
        title: '作废的草稿',
        bodyHtml: '<p>草稿</p>',
        fields: policyValues(),
      });
      const reading = await publishItem(ctx, columns.interpretation, '两份文件的解读', {
        policies: [kept.id, draft.id],
        form: '文字',
      });
      events.length = 0;
      await deleteArticle(ctx, TYPED_ACTOR, draft.id);
      const now = await getArticle(ctx, TYPED_ACTOR, reading.id);
      assert.deepEqual(now.fields.policies, [kept.id]);
      assert.deepEqual(
        events.map((e) => [e.type, 'articleId' in e ? e.articleId : null]),
        [['item.shown', reading.id]],
      );
      const edited = await updateArticle(ctx, TYPED_ACTOR, reading.id, {
        version: now.version,
        title: '保留文件的解读',
      });
      assert.equal(edited.title, '保留文件的解读');
    });

    test('a revision made before a field was removed can still be restored (regression: 400 no such field)', async () => {
      await addContentField(ctx, TYPED_ACTOR, 'policy', { name: 'remark', label: '备注', kind: 'text' });
      const draft = await createArticle(ctx, TYPED_ACTOR, {
        channelId: columns.policy,
        title: '带备注的文件',
        bodyHtml: '<p>正文</p>',
        fields: policyValues({ remark: '试行' }),
      });
      const edited = await updateArticle(ctx, TYPED_ACTOR, draft.id, {
        version: draft.version,
        fields: { remark: '正式' },
      });
      await removeContentField(ctx, TYPED_ACTOR, 'policy', 'remark', { force: true });
      const restored = await restoreRevision(ctx, TYPED_ACTOR, draft.id, 1, edited.version + 1);
      assert.deepEqual(restored.fields, policyValues());
    });

    test('a column holding items keeps its type; restoring a revision restores the values', async () => {
      await assert.rejects(
        () => updateChannel(ctx, TYPED_ACTOR, columns.policy, { contentType: 'guide' }),
        (error: unknown) => error instanceof GazetteError && error.code === 'CHANNEL_TYPE_HAS_ITEMS',
      );
      const draft = await createArticle(ctx, TYPED_ACTOR, {
        channelId: columns.policy,
        title: '待修订的文件',
        bodyHtml: '<p>正文</p>',
        fields: policyValues({ effectiveOn: '2025-05-01' }),
      });
      const edited = await updateArticle(ctx, TYPED_ACTOR, draft.id, {
        version: draft.version,
        fields: { effectiveOn: null, documentNo: '示政发〔2025〕77号' },
      });
      assert.deepEqual([edited.fields.effectiveOn, edited.fields.documentNo], [undefined, '示政发〔2025〕77号']);
      const restored = await restoreRevision(ctx, TYPED_ACTOR, draft.id, 1, edited.version);
      assert.deepEqual(restored.fields, policyValues({ effectiveOn: '2025-05-01' }));
    });
  });
}
