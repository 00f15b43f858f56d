import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { addUnit, stepLetter, submitLetter, updateUnit, type ServiceContext } from '../../src/services/index.js';
import { demoApp } from '../helpers/app.js';
import { testStore, type TestStore } from '../helpers/store.js';
import { actorFor, makeRoleAccounts, signIn } from '../helpers/backoffice.js';
import { letterIdOf, letterInput, solvedPow } from '../helpers/letters.js';
import { mainLines } from '../helpers/pages.js';

describe('办理统计: the letter desk’s figures in the back office and on the public page', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let ctx: ServiceContext;

  before(async () => {
    store = await testStore();
    app = await demoApp(store, { pages: false });
    ctx = app.gazette.context;
    const accounts = await makeRoleAccounts(ctx);
    const office = actorFor(accounts.office);
    const handler = actorFor(accounts.handler);
    const admin = actorFor(accounts.admin);
    const unitId = (await addUnit(ctx, admin, { name: '区城管局' })).id;
    await updateUnit(ctx, admin, unitId, { members: [{ userId: accounts.handler.id, leader: true }] });
    const answered = await submitLetter(ctx, { ...letterInput(), altcha: await solvedPow(ctx) }, '192.0.2.80');
    const declined = await submitLetter(
      ctx,
      {
        ...letterInput({ type: 'complaint', title: '关于广告牌遮挡视线的投诉意见', phone: '13800001111' }),
        altcha: await solvedPow(ctx),
      },
      '192.0.2.81',
    );
    const id = await letterIdOf(store.db, answered.queryCode);
    await stepLetter(ctx, office, id, 'accept', {});
    await stepLetter(ctx, office, id, 'assign', { unitId });
    await stepLetter(ctx, handler, id, 'reply', { reply: '<p>已修复。</p>' });
    await stepLetter(ctx, handler, id, 'approve', {});
    await stepLetter(ctx, office, id, 'approve', {});
    await stepLetter(ctx, office, id, 'publish', {});
    await stepLetter(ctx, office, await letterIdOf(store.db, declined.queryCode), 'reject', { reason: '重复提交' });
  });
  after(async () => {
    await app.close();
    await store.dispose();
  });

  test('the back office and the public API answer the same figures by type, unit and month', async () => {
    const office = await signIn(app, 'office');
    const inside = await office.request('GET', '/api/v1/letter-stats?year=2025');
    assert.equal(inside.statusCode, 200);
    const outside = await app.inject('/api/v1/public/letter-stats?year=2025');
    assert.deepEqual(outside.json(), inside.json());
    const stats = inside.json<{
      total: object;
      byType: { key: string }[];
      byUnit: object[];
      byMonth: { key: string; received: number }[];
    }>();
    const none = { closedRate: null, onTimeRate: null, averageWorkingDays: null, satisfiedRate: null };
    assert.deepEqual(stats.total, {
      received: 2,
      accepted: 1,
      rejected: 1,
      closed: 1,
      closedRate: 1,
      onTimeRate: 1,
      late: 0,
      averageWorkingDays: 0,
      published: 1,
      rated: 0,
      satisfiedRate: null,
    });
    assert.deepEqual(stats.byUnit, [
      {
        key: '区城管局',
        name: '区城管局',
        received: 1,
        accepted: 1,
        rejected: 0,
        closed: 1,
        closedRate: 1,
        onTimeRate: 1,
        late: 0,
        averageWorkingDays: 0,
        published: 1,
        rated: 0,
        satisfiedRate: null,
      },
      {
        key: '',
        name: '未转办',
        received: 1,
        accepted: 0,
        rejected: 1,
        closed: 0,
        ...none,
        late: 0,
        published: 0,
        rated: 0,
      },
    ]);
    assert.deepEqual(
      stats.byType.map((r) => r.key),
      ['consult', 'complaint', 'suggestion', 'help', 'report'],
    );
    assert.deepEqual(
      stats.byMonth.map((r) => `${r.key}:${r.received}`),
      [
        '2025-01:0',
        '2025-02:0',
        '2025-03:0',
        '2025-04:0',
        '2025-05:0',
        '2025-06:0',
        '2025-07:0',
        '2025-08:0',
        '2025-09:0',
        '2025-10:0',
        '2025-11:0',
        '2025-12:2',
      ],
    );
  });

  test('the public page prints the tables; a bad year is a 400 that still shows this year', async () => {
    const page = await app.inject('/xinxiang/tongji?year=2025');
    assert.equal(page.statusCode, 200);
    const lines = mainLines(page.body);
    const typeTable = lines.indexOf('2025 年按信件类型统计');
    assert.deepEqual(lines.slice(typeTable, typeTable + 14), [
      '2025 年按信件类型统计',
      '信件类型来信量受理量不予受理办结量办结率按期办结率超期数平均办理时长（工作日）公开答复满意率',
      '咨询1101100.0%100.0%00 个工作日1—',
      '投诉1010——0—0—',
      '建议0000——0—0—',
      '求助0000——0—0—',
      '举报0000——0—0—',
      '2025 年按承办单位统计',
      '承办单位来信量受理量不予受理办结量办结率按期办结率超期数平均办理时长（工作日）公开答复满意率',
      '区城管局1101100.0%100.0%00 个工作日1—',
      '未转办1010——0—0—',
      '2025 年按月统计',
      '月份来信量受理量不予受理办结量办结率按期办结率超期数平均办理时长（工作日）公开答复满意率',
      '1月0000——0—0—',
    ]);
    assert.ok(
      lines.includes(
        '2025 年共收到来信 2 封，受理 1 封，办结 1 封，办结率 100.0%，按期办结率 100.0%，平均办理时长 0 个工作日，满意率 —。',
      ),
      lines.join('\n'),
    );
    const bad = await app.inject('/xinxiang/tongji?year=abc');
    assert.equal(bad.statusCode, 400);
    assert.ok(mainLines(bad.body).includes('年度“abc”无效，显示 2025 年'));
  });
});
