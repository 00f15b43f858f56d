import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import {
  addUnit,
  stepLetter,
  submitLetter,
  updateUnit,
  type Actor,
  type ServiceContext,
} from '../../src/services/index.js';
import { demoApp } from '../helpers/app.js';
import { testStore, type TestStore } from '../helpers/store.js';
import { actorFor, makeRoleAccounts } from '../helpers/backoffice.js';
import { letterIdOf, letterInput, solvedPow } from '../helpers/letters.js';
import { form, mainLines, questionOf } from '../helpers/pages.js';

describe('the letter desk’s pages: the form without JavaScript, the follow-up, the published letters', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let ctx: ServiceContext;
  let office: Actor, handler: Actor;
  let unitId: number;
  let serial = 0;

  before(async () => {
    store = await testStore();
    app = await demoApp(store, { pages: false });
    // Through the app's own context, so that its publisher hears of each change.
    ctx = app.gazette.context;
    const accounts = await makeRoleAccounts(ctx);
    office = actorFor(accounts.office);
    handler = actorFor(accounts.handler);
    const admin = actorFor(accounts.admin);
    unitId = (await addUnit(ctx, admin, { name: '区城管局' })).id;
    await updateUnit(ctx, admin, unitId, { members: [{ userId: accounts.handler.id, leader: true }] });
  });
  after(async () => {
    await app.close();
    await store.dispose();
  });

  /** A letter through to publication, answered by the 区城管局. */
  async function published(
    overrides: Parameters<typeof letterInput>[0],
    reply: string,
  ): Promise<{ id: number; queryCode: string; password: string }> {
    const receipt = await submitLetter(
      ctx,
      { ...letterInput(overrides), altcha: await solvedPow(ctx) },
      `192.0.2.${++serial}`,
    );
    const id = await letterIdOf(store.db, receipt.queryCode);
    await stepLetter(ctx, office, id, 'accept', {});
    await stepLetter(ctx, office, id, 'assign', { unitId });
    await stepLetter(ctx, handler, id, 'reply', { reply });
    await stepLetter(ctx, handler, id, 'approve', {});
    await stepLetter(ctx, office, id, 'approve', {});
    await stepLetter(ctx, office, id, 'publish', {});
    await app.gazette.publisher.idle();
    return { id, ...receipt };
  }

  test('a letter sent by the form without JavaScript: the question, the receipt, the follow-up', async () => {
    const page = await app.inject('/xinxiang/xiexin');
    assert.equal(page.statusCode, 200);
    assert.equal(page.headers['cache-control'], 'no-store');
    const fields = {
      type: 'consult',
      unitId: String(unitId),
      title: '关于黎里古镇停车场收费标准的咨询',
      body: '请问黎里古镇停车场节假日的收费标准是多少？',
      name: '李四',
      phone: '13955556666',
      agreePublish: '1',
    };
    // A wrong answer: the form again, the reason, the letter as typed; nothing stored.
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/v1/public/letters',
      ...form({ ...fields, ...questionOf(page.body), challengeAnswer: '99' }),
    });
    assert.equal(wrong.statusCode, 400);
    assert.ok(
      mainLines(wrong.body).includes('提交未成功：人机验证未通过：答案不正确'),
      mainLines(wrong.body).join('\n'),
    );
    assert.ok(wrong.body.includes('value="关于黎里古镇停车场收费标准的咨询"'));
    assert.ok(wrong.body.includes('aria-invalid="true"'));
    // A title too short: the field is named and marked.
    const short = await app.inject({
      method: 'POST',
      url: '/api/v1/public/letters',
      ...form({ ...fields, title: '停车收费', ...questionOf(wrong.body) }),
    });
    assert.equal(short.statusCode, 400);
    assert.ok(mainLines(short.body).includes('提交未成功：标题填写有误：标题应为 10–50 个字（现为 4 个字）'));
    assert.ok(
      short.body.includes(
        'id="letter-title" name="title" type="text" required minlength="10" maxlength="50" value="停车收费" aria-describedby="letter-title-hint" aria-invalid="true"',
      ),
    );

    const sent = await app.inject({
      method: 'POST',
      url: '/api/v1/public/letters',
      ...form({ ...fields, ...questionOf(short.body) }),
    });
    assert.equal(sent.statusCode, 201);
    const code = /data-query-code>([^<]+)</.exec(sent.body)?.[1] ?? '';
    const password = /data-query-password>([^<]+)</.exec(sent.body)?.[1] ?? '';
    assert.match(code, /^20251201[2-9A-Z]{6}$/);
    assert.deepEqual(mainLines(sent.body), [
      '首页 > 领导信箱 > 信件查询',
      '信件已提交',
      '请记下您的查询码和查询密码，用于查询办理情况和评价答复：',
      `查询码${code}`,
      `查询密码${password}`,
      '查询码',
      '查询密码',
      '查询',
      '我要写信 已公开的信件',
    ]);

    const followed = await app.inject({
      method: 'POST',
      url: '/xinxiang/chaxun',
      ...form({ queryCode: code, password }),
    });
    assert.equal(followed.statusCode, 200);
    assert.deepEqual(mainLines(followed.body), [
      '首页 > 领导信箱 > 信件查询',
      '信件查询',
      '关于黎里古镇停车场收费标准的咨询',
      '办理情况',
      `查询码${code}`,
      '办理状态待审查',
      '来信日期2025-12-01',
      '2025-12-01 09:00 提交',
      '我要写信 已公开的信件',
    ]);
    const wrongPassword = await app.inject({
      method: 'POST',
      url: '/xinxiang/chaxun',
      ...form({ queryCode: code, password: 'NOTRIGHT' }),
    });
    assert.equal(wrongPassword.statusCode, 404);
    assert.ok(mainLines(wrongPassword.body).includes('查询码或查询密码不正确'));
  });

  test('a published letter: its page and the list, masked; the writer rates it from the follow-up page', async () => {
    const { id, queryCode, password } = await published(
      { title: '关于松陵镇夜间施工噪音扰民的投诉', type: 'complaint', phone: '13811112222', name: '王小明' },
      '<p>经核查，该工地已停止夜间施工。</p>',
    );
    const page = await app.inject(`/xinxiang/${id}.html`);
    assert.equal(page.statusCode, 200);
    assert.deepEqual(mainLines(page.body), [
      '首页 > 领导信箱 > 正文',
      '关于松陵镇夜间施工噪音扰民的投诉',
      '信件信息',
      '来信人王**信件类型投诉',
      '来信日期2025-12-01受理日期2025-12-01',
      '答复部门区城管局答复日期2025-12-01',
      '来信内容',
      '我住在吴江区，门口路灯已经坏了两周，晚上出行很不方便。我的电话是138****5678，请尽快修理。',
      '答复内容',
      '经核查，该工地已停止夜间施工。',
      '打印本页',
      '返回信件列表',
    ]);
    const list = await app.inject('/xinxiang/');
    assert.equal(list.statusCode, 200);
    assert.ok(
      list.body.includes(
        `<tr><td><a href="/xinxiang/${id}.html">关于松陵镇夜间施工噪音扰民的投诉</a></td><td>投诉</td><td>区城管局</td><td>2025-12-01</td><td>2025-12-01</td></tr>`,
      ),
    );
    // The writer sees the reply and rates it: 不满意 sends it back to the unit.
    const followed = await app.inject({ method: 'POST', url: '/xinxiang/chaxun', ...form({ queryCode, password }) });
    assert.ok(followed.body.includes('<legend>请对答复作出评价</legend>'));
    assert.ok(mainLines(followed.body).includes('经核查，该工地已停止夜间施工。'));
    const rated = await app.inject({
      method: 'POST',
      url: '/xinxiang/pingjia',
      ...form({ queryCode, password, rating: '2', comment: '夜间仍有施工' }),
    });
    assert.equal(rated.statusCode, 200);
    assert.deepEqual(mainLines(rated.body), [
      '首页 > 领导信箱 > 信件查询',
      '信件查询',
      '感谢您的评价，信件已重新交办理单位办理。',
      '关于松陵镇夜间施工噪音扰民的投诉',
      '办理情况',
      `查询码${queryCode}`,
      '办理状态办理中',
      '来信日期2025-12-01',
      // 投诉: 10 working days from Monday 1 December.
      '办理期限2025-12-15',
      '您的评价不满意',
      '2025-12-01 09:00 提交',
      '2025-12-01 09:00 受理',
      '2025-12-01 09:00 转办',
      '2025-12-01 09:00 答复',
      '2025-12-01 09:00 公开',
      '2025-12-01 09:00 评价',
      '2025-12-01 09:00 不满意重办',
      '我要写信 已公开的信件',
    ]);
    assert.ok(!rated.body.includes('请对答复作出评价'));
    // Unpublished: the page goes, and the list no longer links it.
    await stepLetter(ctx, office, id, 'unpublish', {});
    await app.gazette.publisher.idle();
    assert.equal((await app.inject(`/xinxiang/${id}.html`)).statusCode, 404);
    assert.ok(!(await app.inject('/xinxiang/')).body.includes(`/xinxiang/${id}.html`));
  });

  test('no published letter page shows personal data the writer did not agree to show', async () => {
    const writers = [
      {
        name: '赵大勇',
        phone: '13700001234',
        email: 'zhaody@example.com',
        address: '江苏省苏州市吴江区平望镇梅堰路66号',
        showName: false,
      },
      {
        name: '欧阳春晓',
        phone: '0512-63451234',
        email: 'oyang@example.com',
        address: '江苏省苏州市吴江区震泽镇宝塔街8号',
        showName: false,
      },
      {
        name: '钱芳',
        phone: '15900009876',
        email: 'qf@example.com',
        address: '江苏省苏州市吴江区同里镇东溪街3号',
        showName: true,
      },
    ];
    const ids: number[] = [];
    for (const [i, w] of writers.entries())
      ids.push(
        (
          await published(
            {
              ...w,
              title: `关于同里镇第${i + 1}号公厕卫生状况的建议`,
              type: 'suggestion',
              body: `我是${w.name}，住在${w.address}，电话${w.phone}，邮箱${w.email}，身份证号320584199001011234。公厕卫生状况较差，建议加强保洁。`,
            },
            `<p>${w.name}您好，已通知环卫所加强保洁。如有疑问请拨打${w.phone}回访。</p>`,
          )
        ).id,
      );
    for (const [i, w] of writers.entries()) {
      const html = (await app.inject(`/xinxiang/${ids[i]}.html`)).body;
      for (const secret of [w.phone, w.email, w.address, '320584199001011234', '梅堰路', '宝塔街', '东溪街'])
        assert.ok(!html.includes(secret), `letter ${i + 1} shows ${secret}`);
      assert.equal(html.includes(w.name), w.showName, `letter ${i + 1}: the name is shown only when agreed`);
    }
  });

  test('the form shows why it is closed when the server has no GAZETTE_DATA_KEY', async () => {
    const keyless = await testStore();
    const closed = await demoApp(keyless, { pages: false, context: { dataKeys: null } });
    try {
      const page = await closed.inject('/xinxiang/xiexin');
      assert.equal(page.statusCode, 200);
      assert.deepEqual(mainLines(page.body), [
        '首页 > 领导信箱 > 我要写信',
        '领导信箱 · 我要写信',
        '网上信箱暂不可用：服务器未配置个人信息加密密钥（GAZETTE_DATA_KEY）',
        '信件查询 已公开的信件',
      ]);
    } finally {
      await closed.close();
      await keyless.dispose();
    }
  });
});
