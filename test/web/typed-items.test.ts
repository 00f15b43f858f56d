import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { createArticle, type ArticleView, type ServiceContext } from '../../src/services/index.js';
import { demoApp } from '../helpers/app.js';
import { makeRoleAccounts, signIn, type ApiClient } from '../helpers/backoffice.js';
import { mainLines } from '../helpers/pages.js';
import { BACKENDS, type TestStore } from '../helpers/store.js';
import { guideValues, policyValues, publishItem, system, typedColumns } from '../helpers/items.js';

for (const backend of BACKENDS) {
  describe(`typed items over HTTP on ${backend.name}`, () => {
    let store: TestStore;
    let app: FastifyInstance;
    let ctx: ServiceContext;
    let columns: Awaited<ReturnType<typeof typedColumns>>;
    let editor: ApiClient;
    let guide: ArticleView;

    before(async () => {
      store = await backend.open();
      app = await demoApp(store, { pages: false });
      ctx = app.gazette.context;
      await makeRoleAccounts(ctx);
      columns = await typedColumns(ctx);
      editor = await signIn(app, 'editor');
      guide = await publishItem(ctx, columns.guide, '城乡居民基本养老保险参保登记', guideValues());
      await app.gazette.publisher.idle();
    });
    after(async () => {
      await app?.close();
      await store.dispose();
    });

    test('the guide page shows its elements as a table', async () => {
      const answer = await app.inject({ url: guide.url ?? '' });
      assert.equal(answer.statusCode, 200);
      const lines = mainLines(answer.body);
      const from = lines.indexOf('办事指南要素');
      assert.deepEqual(lines.slice(from, lines.indexOf('打印本页')), [
        '办事指南要素',
        '事项编码 320509-001',
        '设定依据 《中华人民共和国行政许可法》第二十九条',
        '受理范围 本区居民',
        '申请条件 具有本区户籍年满十八周岁',
        '办理材料 材料名称 材料形式 份数 来源 空白表格 示例样表 居民身份证 原件 1 公安机关 申请表 原件、电子 2 申请表.docx',
        '办理流程 提交申请窗口受理审核办结',
        '办件类型 承诺件',
        '承诺时限（工作日） 5',
        '法定时限（工作日） 20',
        '收费依据及标准 不收费',
        '办理地点 示范区政务服务中心一楼',
        '办理时间 工作日 9:00-17:00',
        '咨询电话 0512-00000001',
        '监督投诉电话 12345',
        '网上办理 全国一体化政务服务平台',
      ]);
    });

    test('a relation to an unpublished item shows nothing of it on the public page (regression: a draft’s title was shown)', async () => {
      const draft = await createArticle(ctx, system, {
        channelId: columns.policy,
        title: '尚未公布的新办法',
        bodyHtml: '<p>草稿</p>',
        fields: policyValues(),
      });
      const repealed = await publishItem(
        ctx,
        columns.policy,
        '被替代的旧办法',
        policyValues({ validity: '已废止', validityDate: '2025-03-01', changedBy: draft.id }),
      );
      await app.gazette.publisher.idle();
      const lines = mainLines((await app.inject({ url: repealed.url ?? '' })).body);
      assert.equal(lines[1], '本文件已于2025年3月1日废止');
      assert.deepEqual(
        lines.filter((l) => l.includes('尚未公布')),
        [],
      );
    });

    test('search finds a guide by its values and filters by content type', async () => {
      const search = (query: string) =>
        app
          .inject({ url: `/api/v1/search?${query}` })
          .then((r) => r.json<{ total: number; hits: { title: string; contentType: string }[] }>());
      const q = encodeURIComponent('政务服务中心一楼');
      const all = await search(`q=${q}`);
      assert.deepEqual(
        all.hits.map((h) => [h.title, h.contentType]),
        [['城乡居民基本养老保险参保登记', 'guide']],
      );
      assert.equal((await search(`q=${q}&type=guide`)).total, 1);
      assert.equal((await search(`q=${q}&type=policy`)).total, 0);
    });

    test('a wrong value is 400 naming the field; an incomplete guide 422 naming the element; a wrong relation 422', async () => {
      const wrong = await editor.request('POST', '/api/v1/articles', {
        channelId: columns.guide,
        title: '错填',
        bodyHtml: '',
        fields: { timeKind: '加急件' },
      });
      assert.equal(wrong.statusCode, 400);
      assert.deepEqual(wrong.json(), {
        code: 'FIELD_INVALID',
        message: '字段 fields.timeKind 无效：须为以下之一：即办件、承诺件',
        messageEn: 'Invalid fields.timeKind: one of 即办件, 承诺件',
      });
      const draft = await editor.request('POST', '/api/v1/articles', {
        channelId: columns.guide,
        title: '不完整的指南',
        bodyHtml: '',
        fields: guideValues({ place: null }),
      });
      assert.equal(draft.statusCode, 201);
      const submitted = await editor.request('POST', `/api/v1/articles/${draft.json<ArticleView>().id}/submit`, {});
      assert.equal(submitted.statusCode, 422);
      assert.deepEqual(
        submitted.json<{ code: string; message: string }>().message,
        '办事指南缺少以下内容，不能发布：办理地点',
      );
      const relation = await editor.request('POST', '/api/v1/articles', {
        channelId: columns.interpretation,
        title: '解读',
        bodyHtml: '<p>解读</p>',
        fields: { policies: [guide.id], form: '文字' },
      });
      assert.equal(relation.statusCode, 422);
      assert.equal(relation.json<{ code: string }>().code, 'RELATION_WRONG_TYPE');
    });

    test('only a site administrator adds fields; the OpenAPI document shows each type’s values', async () => {
      const denied = await editor.request('POST', '/api/v1/content-types/article/fields', {
        name: 'dutyUnit',
        label: '责任单位',
        kind: 'text',
      });
      assert.equal(denied.statusCode, 403);
      const admin = await signIn(app, 'siteadmin');
      const bad = await admin.request('POST', '/api/v1/content-types/article/fields', {
        name: 'Duty-Unit',
        label: '责任单位',
        kind: 'text',
      });
      assert.equal(bad.statusCode, 400);
      assert.equal(
        bad.json<{ message: string }>().message,
        '字段 name 无效：须以小写字母开头，只含字母和数字，最多 40 个',
      );
      const types = await editor.request('GET', '/api/v1/content-types');
      assert.deepEqual(
        types.json<{ key: string; label: string }[]>().map((t) => `${t.key} ${t.label}`),
        [
          'article 文章',
          'policy 政策文件',
          'interpretation 政策解读',
          'guide 办事指南',
          'leader 领导信息',
          'organ 机构职能',
          'topic 专题',
        ],
      );
      const openapi = (await app.inject({ url: '/api/openapi.json' })).json<{
        components: { schemas: Record<string, { properties: Record<string, unknown> }> };
      }>();
      assert.deepEqual(Object.keys(openapi.components.schemas.PolicyFields?.properties ?? {}), [
        'documentNo',
        'organization',
        'writtenOn',
        'effectiveOn',
        'topic',
        'validity',
        'validityDate',
        'changedBy',
      ]);
    });

    test('the leaders’ column shows each leader in order; the library search refuses a bad year with 400', async () => {
      await publishItem(ctx, columns.leader, '李红', {
        photo: { url: '/assets/p2.png', alt: '李红' },
        post: '副区长',
        resume: '<p>简历</p>',
        duties: '<p>分工</p>',
        rank: 2,
      });
      await publishItem(ctx, columns.leader, '张明', {
        photo: { url: '/assets/p1.png', alt: '张明' },
        post: '区长',
        resume: '<p>简历</p>',
        duties: '<p>分工</p>',
        rank: 1,
      });
      await publishItem(ctx, columns.policy, '示范区政策', policyValues());
      await app.gazette.publisher.idle();
      const leaders = mainLines((await app.inject({ url: '/zwgk/ldxx/' })).body);
      assert.deepEqual(leaders, ['首页 > 政务公开 > 领导信息', '领导信息', '张明', '区长', '李红', '副区长']);
      const refused = await app.inject({ url: '/zcwjk/search?year=25' });
      assert.equal(refused.statusCode, 400);
      assert.ok(mainLines(refused.body).includes('筛选条件 year 无效：须为四位年份'));
      const found = await app.inject({ url: `/zcwjk/search?validity=${encodeURIComponent('有效')}` });
      assert.deepEqual(
        mainLines(found.body).filter((l) => l.startsWith('示范区政策')),
        ['示范区政策 示政发〔2025〕1号 示范区人民政府 2025年1月10日 2025-12-01 有效'],
      );
    });
  });
}
