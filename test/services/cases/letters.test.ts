import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addUnit,
  followLetter,
  letterDetail,
  letterPersonalData,
  listLetters,
  rateLetter,
  stepLetter,
  submitLetter,
  updateLetterDesk,
  updateUnit,
  letterDesk,
  type Actor,
  type LetterReceipt,
  type ServiceContext,
  type UnitView,
} from '../../../src/services/index.js';
import { BACKENDS, contextFor, type TestStore } from '../../helpers/store.js';
import { demoSite } from '../../helpers/factories.js';
import { actorFor, makeRoleAccounts, makeUser } from '../../helpers/backoffice.js';
import {
  answeredQuestion,
  letterCount,
  letterIdOf,
  letterInput,
  refusedWith,
  solvedPow,
} from '../../helpers/letters.js';

for (const backend of BACKENDS) {
  describe(`letters (互动交流) on ${backend.name}`, () => {
    let store: TestStore;
    let now: Date;
    let ctx: ServiceContext;
    let office: Actor, leader: Actor, handler: Actor, townHandler: Actor, admin: Actor, editor: Actor;
    let bureau: UnitView, town: UnitView;
    let ipSeq = 0;
    const ip = () => `203.0.113.${++ipSeq}`;
    const at = (iso: string) => {
      now = new Date(iso);
    };
    const count = () => letterCount(store.db);

    before(async () => {
      store = await backend.open();
      at('2025-09-26T10:00:00+08:00');
      ctx = { ...contextFor(store), clock: { now: () => now } };
      await demoSite(ctx);
      const accounts = await makeRoleAccounts(ctx);
      office = actorFor(accounts.office);
      admin = actorFor(accounts.admin);
      editor = actorFor(accounts.editor);
      const leaderUser = await makeUser(ctx, 'bureau-head', [{ role: 'handler' }]);
      const handlerUser = accounts.handler;
      const townUser = await makeUser(ctx, 'town-clerk', [{ role: 'handler' }]);
      leader = actorFor(leaderUser);
      handler = actorFor(handlerUser);
      townHandler = actorFor(townUser);
      bureau = await addUnit(ctx, admin, { name: '区住建局' });
      town = await addUnit(ctx, admin, { name: '松陵镇人民政府', sortOrder: 2 });
      bureau = await updateUnit(ctx, admin, bureau.id, {
        members: [
          { userId: leaderUser.id, leader: true },
          { userId: handlerUser.id, leader: false },
        ],
      });
      town = await updateUnit(ctx, admin, town.id, { members: [{ userId: townUser.id, leader: true }] });
    });
    after(() => store.dispose());

    const send = async (overrides = {}): Promise<LetterReceipt> =>
      submitLetter(ctx, { ...letterInput(overrides), altcha: await solvedPow(ctx) }, ip());

    test('a letter is received, accepted on a Friday before National Day, routed, returned, answered through two reviews, published masked and rated', async () => {
      assert.deepEqual(bureau.members, [
        { userId: leader.userId, name: 'bureau-head', leader: true },
        { userId: handler.userId, name: 'handler', leader: false },
      ]);
      const receipt = await send();
      assert.match(receipt.queryCode, /^20250926[2-9A-HJKMNP-Z]{6}$/);
      assert.match(receipt.password, /^[2-9A-HJKMNP-Z]{8}$/);

      // Sealed at rest: neither the name nor the phone is in the row.
      const row = await store.db.selectFrom('letter').selectAll().executeTakeFirstOrThrow();
      assert.match(row.personal, /^p1\.[0-9a-f]{8}\./);
      assert.ok(!row.personal.includes('张三丰') && !JSON.stringify(row).includes('zhang@example.com'));

      let follow = await followLetter(ctx, receipt.queryCode, receipt.password, ip());
      assert.deepEqual(
        {
          status: follow.status,
          statusName: follow.statusName,
          steps: follow.steps,
          reply: follow.reply,
          canRate: follow.canRate,
        },
        {
          status: 'received',
          statusName: '待审查',
          steps: [{ step: 'submit', name: '提交', at: '2025-09-26T02:00:00.000Z' }],
          reply: null,
          canRate: false,
        },
      );
      const id = row.id;
      // 咨询 has 5 working days: Sun 28 Sep (调休), 29, 30 Sep, then 9 and 10 Oct after the holiday.
      let detail = await stepLetter(ctx, office, id, 'accept', {});
      assert.deepEqual([detail.status, detail.dueDay, detail.remainingWorkingDays], ['accepted', '2025-10-10', 5]);
      assert.deepEqual(detail.allowedSteps, ['merge', 'assign']);

      detail = await stepLetter(ctx, office, id, 'assign', { unitId: town.id, note: '请松陵镇办理' });
      assert.deepEqual([detail.status, detail.unit?.name, detail.dueDay], ['assigned', '松陵镇人民政府', '2025-10-10']);
      // The town's clerk sees it in the town's inbox; the bureau's handler does not.
      assert.deepEqual(
        (await listLetters(ctx, townHandler, {})).items.map((l) => l.id),
        [id],
      );
      assert.deepEqual((await listLetters(ctx, handler, {})).items, []);
      await refusedWith(letterDetail(ctx, handler, id), 'CASE_MISSING');
      await refusedWith(stepLetter(ctx, townHandler, id, 'return', {}), 'CASE_FIELD_INVALID', 'note');
      detail = await stepLetter(ctx, townHandler, id, 'return', { note: '属于住建部门职责' });
      assert.deepEqual([detail.status, detail.unit], ['accepted', null]);
      await refusedWith(letterDetail(ctx, townHandler, id), 'CASE_MISSING');
      // Regression (assign due day on a day off): a due day in the National Day holiday is refused.
      await refusedWith(
        stepLetter(ctx, office, id, 'assign', { unitId: bureau.id, dueDay: '2025-10-05' }),
        'CASE_FIELD_INVALID',
        'dueDay',
      );
      detail = await stepLetter(ctx, office, id, 'assign', { unitId: bureau.id });
      assert.deepEqual([detail.status, detail.unit?.name], ['assigned', '区住建局']);

      // Two review levels: the unit's leader, then the office. The handler cannot approve.
      at('2025-10-09T09:00:00+08:00');
      assert.equal((await letterDetail(ctx, handler, id)).remainingWorkingDays, 1);
      detail = await stepLetter(ctx, handler, id, 'reply', {
        reply: '<p>您好，已安排维修，联系电话 13812345678 的来信人已告知。</p><script>alert(1)</script>',
      });
      assert.deepEqual(
        [detail.status, detail.reviewLevel, detail.reply],
        ['reviewing', 0, '<p>您好，已安排维修，联系电话 13812345678 的来信人已告知。</p>'],
      );
      await refusedWith(stepLetter(ctx, handler, id, 'approve', {}), 'PERMISSION_DENIED');
      await refusedWith(stepLetter(ctx, office, id, 'approve', {}), 'PERMISSION_DENIED');
      detail = await stepLetter(ctx, leader, id, 'approve', {});
      assert.deepEqual([detail.status, detail.reviewLevel], ['reviewing', 1]);
      await refusedWith(stepLetter(ctx, leader, id, 'approve', {}), 'PERMISSION_DENIED');
      at('2025-10-10T16:00:00+08:00');
      detail = await stepLetter(ctx, office, id, 'approve', {});
      assert.deepEqual(
        [detail.status, detail.answeredAt, detail.remainingWorkingDays],
        ['answered', '2025-10-10T08:00:00.000Z', null],
      );

      follow = await followLetter(ctx, receipt.queryCode, receipt.password, ip());
      assert.deepEqual(
        {
          status: follow.status,
          replyUnit: follow.replyUnit,
          canRate: follow.canRate,
          steps: follow.steps.map((s) => s.name),
        },
        { status: 'answered', replyUnit: '区住建局', canRate: true, steps: ['提交', '受理', '转办', '转办', '答复'] },
      );

      detail = await stepLetter(ctx, office, id, 'publish', {});
      assert.deepEqual(detail.published, {
        title: '关于松陵镇中山路路灯不亮的咨询',
        body: '我住在吴江区，门口路灯已经坏了两周，晚上出行很不方便。我的电话是138****5678，请尽快修理。',
        reply: '<p>您好，已安排维修，联系电话 138****5678 的来信人已告知。</p>',
        unit: '区住建局',
      });
      const published = await store.db
        .selectFrom('letter')
        .select('publishedWriter')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      assert.equal(published.publishedWriter, '张**');

      // 不满意 reopens it with the bureau, on a new clock: 5 working days from Monday 13 Oct.
      at('2025-10-13T09:00:00+08:00');
      follow = await rateLetter(ctx, receipt.queryCode, receipt.password, { rating: 2, comment: '路灯仍未修好' }, ip());
      assert.deepEqual(
        [follow.status, follow.rating, follow.canRate, follow.dueDay],
        ['assigned', 2, false, '2025-10-20'],
      );
      await refusedWith(rateLetter(ctx, receipt.queryCode, receipt.password, { rating: 5 }, ip()), 'CASE_STEP_INVALID');
      detail = await letterDetail(ctx, office, id);
      assert.deepEqual(
        [detail.status, detail.unit?.name, detail.reopenCount, detail.published?.unit],
        ['assigned', '区住建局', 1, '区住建局'],
      );
      // The inbox finds it by a word of its title or its query code, and among the overdue once
      // its new due day has passed (a look a week ahead, then back).
      const found = async (query: Parameters<typeof listLetters>[2]) =>
        (await listLetters(ctx, office, query)).items.map((l) => l.id);
      assert.deepEqual(
        [await found({ q: '路灯' }), await found({ q: receipt.queryCode.toLowerCase() }), await found({ q: '路%' })],
        [[id], [id], []],
      );
      assert.deepEqual(await found({ overdue: true }), []);
      at('2025-10-21T09:00:00+08:00');
      assert.deepEqual([await found({ overdue: true }), await found({ overdue: true, q: '路灯' })], [[id], [id]]);
      assert.deepEqual(await found({ overdue: true, status: 'answered' }), []);
      at('2025-10-13T09:00:00+08:00');
      await stepLetter(ctx, handler, id, 'reply', { reply: '<p>路灯已于10月14日修复。</p>' });
      await stepLetter(ctx, leader, id, 'approve', {});
      at('2025-10-15T09:00:00+08:00');
      await stepLetter(ctx, office, id, 'approve', {});
      follow = await rateLetter(ctx, receipt.queryCode, receipt.password, { rating: 5 }, ip());
      assert.deepEqual(
        [follow.status, follow.rating, follow.canRate, follow.reply],
        ['answered', 5, false, '<p>路灯已于10月14日修复。</p>'],
      );
      detail = await stepLetter(ctx, office, id, 'publish', {});
      assert.equal(detail.published?.reply, '<p>路灯已于10月14日修复。</p>');
      assert.deepEqual(
        detail.steps.map((s) => `${s.step}:${s.fromStatus ?? '-'}>${s.toStatus}:${s.actorName}`),
        [
          'submit:->received:公众',
          'accept:received>accepted:office',
          'assign:accepted>assigned:office',
          'return:assigned>accepted:town-clerk',
          'assign:accepted>assigned:office',
          'reply:assigned>reviewing:handler',
          'approve:reviewing>reviewing:bureau-head',
          'approve:reviewing>answered:office',
          'publish:answered>published:office',
          'rate:published>published:写信人',
          'reopen:published>assigned:写信人',
          'reply:assigned>reviewing:handler',
          'approve:reviewing>reviewing:bureau-head',
          'approve:reviewing>answered:office',
          'rate:answered>answered:写信人',
          'publish:answered>published:office',
        ],
      );
    });

    test('the writer’s personal data is opened only for case.personal, and every reading is audited', async () => {
      const receipt = await send({ phone: '13900001111', title: '关于区图书馆周末开放时间的咨询' });
      const letter = await store.db
        .selectFrom('letter')
        .select('id')
        .where('queryCode', '=', receipt.queryCode)
        .executeTakeFirstOrThrow();
      assert.deepEqual(await letterPersonalData(ctx, office, letter.id), {
        name: '张三丰',
        phone: '13900001111',
        email: 'zhang@example.com',
        address: '江苏省苏州市吴江区松陵镇中山路88号',
      });
      await refusedWith(letterPersonalData(ctx, admin, letter.id), 'PERMISSION_DENIED');
      await refusedWith(letterPersonalData(ctx, editor, letter.id), 'PERMISSION_DENIED');
      const audits = await store.db
        .selectFrom('auditLog')
        .select(['action', 'userName'])
        .where('targetType', '=', 'letter')
        .where('targetId', '=', String(letter.id))
        .orderBy('seq')
        .execute();
      assert.deepEqual(audits, [
        { action: 'letter.receive', userName: '公众' },
        { action: 'letter.personal-read', userName: 'office' },
      ]);
    });

    test('bad letters are refused naming the field, and store nothing', async () => {
      const before = await count();
      const cases: [Record<string, unknown>, string][] = [
        [{ title: '路灯坏了' }, 'title'],
        [{ title: '关'.repeat(51) }, 'title'],
        [{ body: '  ' }, 'body'],
        [{ body: '字'.repeat(1001) }, 'body'],
        [{ name: ' ' }, 'name'],
        [{ phone: '' }, 'phone'],
        [{ phone: '12345' }, 'phone'],
        [{ email: 'not-mail' }, 'email'],
        [{ unitId: 999_999 }, 'unitId'],
      ];
      for (const [overrides, field] of cases) await refusedWith(send(overrides), 'CASE_FIELD_INVALID', field);
      await refusedWith(submitLetter(ctx, letterInput({ phone: '13700000001' }), ip()), 'CHALLENGE_FAILED');
      await refusedWith(
        submitLetter(
          ctx,
          { ...letterInput({ phone: '13700000002' }), altcha: await solvedPow(ctx), website: 'http://spam' },
          ip(),
        ),
        'CHALLENGE_FAILED',
      );
      await refusedWith(
        submitLetter(ctx, { ...letterInput({ phone: '13700000003' }), altcha: 'bm90IGpzb24=' }, ip()),
        'CHALLENGE_FAILED',
      );
      await refusedWith(
        submitLetter(
          ctx,
          {
            ...letterInput({ phone: '13700000004' }),
            challengeToken: answeredQuestion(ctx).challengeToken,
            challengeAnswer: '99',
          },
          ip(),
        ),
        'CHALLENGE_FAILED',
      );
      await refusedWith(submitLetter({ ...ctx, dataKeys: null }, letterInput(), ip()), 'DATA_KEY_MISSING');
      assert.equal(await count(), before);
    });

    test('a challenge is good for one letter; the text question works without JavaScript', async () => {
      const altcha = await solvedPow(ctx);
      await submitLetter(
        ctx,
        { ...letterInput({ phone: '13600000001', title: '关于区体育馆游泳池开放的咨询' }), altcha },
        ip(),
      );
      const before = await count();
      await refusedWith(
        submitLetter(
          ctx,
          { ...letterInput({ phone: '13600000002', title: '关于区体育馆羽毛球馆开放的咨询' }), altcha },
          ip(),
        ),
        'CHALLENGE_FAILED',
      );
      assert.equal(await count(), before);
      const question = answeredQuestion(ctx);
      const receipt = await submitLetter(
        ctx,
        { ...letterInput({ phone: '13600000003', title: '关于区体育馆篮球场开放时间的咨询' }), ...question },
        ip(),
      );
      assert.equal((await followLetter(ctx, receipt.queryCode, receipt.password, ip())).status, 'received');
      await refusedWith(
        submitLetter(
          ctx,
          { ...letterInput({ phone: '13600000004', title: '关于区体育馆网球场开放时间的咨询' }), ...question },
          ip(),
        ),
        'CHALLENGE_FAILED',
      );
    });

    test('a near duplicate is flagged, not refused; the office merges it into the earlier letter', async () => {
      const first = await send({
        phone: '13500000001',
        title: '关于芦墟镇菜市场噪音扰民的投诉',
        type: 'complaint',
        body: '芦墟镇菜市场每天凌晨四点开始卸货，噪音很大，严重影响周边居民休息，请有关部门管理。',
      });
      const second = await send({
        phone: '13500000002',
        title: '关于芦墟镇菜市场噪音扰民的投诉',
        type: 'complaint',
        body: '芦墟镇菜市场每天凌晨四点开始卸货，噪音很大，严重影响周边居民休息，请有关部门尽快管理。',
      });
      const ids = await Promise.all([first, second].map(async (r) => letterIdOf(store.db, r.queryCode)));
      const [firstId, secondId] = ids as [number, number];
      const detail = await letterDetail(ctx, office, secondId);
      assert.deepEqual(detail.flags, { wording: [], nearDuplicateOf: firstId });
      await refusedWith(
        stepLetter(ctx, office, firstId, 'merge', { duplicateOf: secondId }),
        'CASE_FIELD_INVALID',
        'duplicateOf',
      );
      const merged = await stepLetter(ctx, office, secondId, 'merge', { duplicateOf: firstId, note: '重复件' });
      assert.deepEqual([merged.status, merged.duplicateOf, merged.allowedSteps], ['merged', firstId, []]);
      await refusedWith(stepLetter(ctx, office, secondId, 'accept', {}), 'CASE_STEP_INVALID');
    });

    test('不予受理 needs a reason, and the writer sees it; a letter not agreed for publication is never published', async () => {
      const declined = await send({ phone: '13400000001', title: '关于某公司拖欠工资的仲裁咨询', agreePublish: false });
      const id = await letterIdOf(store.db, declined.queryCode);
      await refusedWith(stepLetter(ctx, office, id, 'reject', {}), 'CASE_FIELD_INVALID', 'reason');
      await refusedWith(stepLetter(ctx, editor, id, 'reject', { reason: 'x' }), 'PERMISSION_DENIED');
      await stepLetter(ctx, office, id, 'reject', { reason: '属于诉讼、仲裁、行政复议等法定途径解决的事项' });
      const follow = await followLetter(ctx, declined.queryCode, declined.password, ip());
      assert.deepEqual(
        [follow.status, follow.statusName, follow.rejectReason],
        ['rejected', '不予受理', '属于诉讼、仲裁、行政复议等法定途径解决的事项'],
      );

      const privateOne = await send({ phone: '13400000002', title: '关于小区物业收费标准的咨询', agreePublish: false });
      const pid = await letterIdOf(store.db, privateOne.queryCode);
      await stepLetter(ctx, office, pid, 'accept', {});
      await stepLetter(ctx, office, pid, 'assign', { unitId: bureau.id });
      await stepLetter(ctx, handler, pid, 'reply', { reply: '<p>请咨询物价部门。</p>' });
      await stepLetter(ctx, leader, pid, 'approve', {});
      const answered = await stepLetter(ctx, office, pid, 'approve', {});
      assert.deepEqual(answered.allowedSteps, []);
      await refusedWith(stepLetter(ctx, office, pid, 'publish', {}), 'LETTER_NOT_PUBLISHABLE');
    });

    test('a wrong query code and a wrong password get the same answer; tries are limited per address', async () => {
      const receipt = await send({ phone: '13300000001', title: '关于公交线路调整的意见建议', type: 'suggestion' });
      await refusedWith(followLetter(ctx, receipt.queryCode, 'WRONGPWD', '198.51.100.1'), 'CASE_NOT_FOUND');
      await refusedWith(followLetter(ctx, 'NOSUCHCODE', receipt.password, '198.51.100.1'), 'CASE_NOT_FOUND');
      for (let i = 0; i < 18; i++)
        await refusedWith(followLetter(ctx, receipt.queryCode, `WRONG${i}`, '198.51.100.1'), 'CASE_NOT_FOUND');
      await refusedWith(followLetter(ctx, receipt.queryCode, receipt.password, '198.51.100.1'), 'RATE_LIMITED');
      // Another address is not held up, and the code is read case-blind.
      assert.equal(
        (await followLetter(ctx, receipt.queryCode.toLowerCase(), receipt.password, '198.51.100.2')).type,
        'suggestion',
      );
    });

    test('a phone sends at most 3 letters a day, an address 5 an hour', async () => {
      for (let i = 0; i < 3; i++)
        await send({ phone: '13200000001', title: `关于社区卫生服务中心第${i + 1}次咨询事项` });
      await refusedWith(send({ phone: '132 0000 0001', title: '关于社区卫生服务中心第4次咨询事项' }), 'RATE_LIMITED');
      const address = '192.0.2.77';
      for (let i = 0; i < 5; i++)
        await submitLetter(
          ctx,
          {
            ...letterInput({ phone: `1310000000${i}`, title: `关于区政务服务中心窗口第${i + 1}次咨询` }),
            altcha: await solvedPow(ctx),
          },
          address,
        );
      await refusedWith(
        submitLetter(
          ctx,
          {
            ...letterInput({ phone: '13100000009', title: '关于区政务服务中心窗口第6次咨询' }),
            altcha: await solvedPow(ctx),
          },
          address,
        ),
        'RATE_LIMITED',
      );
    });

    test('the desk decides the types it takes and its limits; only its administrator changes them', async () => {
      const desk = await letterDesk(ctx, office);
      await refusedWith(updateLetterDesk(ctx, office, desk), 'PERMISSION_DENIED');
      await refusedWith(
        updateLetterDesk(ctx, admin, { ...desk, titleMin: 60, titleMax: 50 }),
        'CASE_FIELD_INVALID',
        'titleMin',
      );
      await refusedWith(
        updateLetterDesk(ctx, admin, {
          ...desk,
          types: [
            { type: 'consult', days: 5 },
            { type: 'consult', days: 3 },
          ],
        }),
        'CASE_FIELD_INVALID',
        'types[1].type',
      );
      await updateLetterDesk(ctx, admin, { ...desk, types: [{ type: 'consult', days: 3 }], reviewLevels: 0 });
      await refusedWith(
        send({ phone: '13000000001', type: 'report', title: '关于某小区违章搭建的举报信件' }),
        'CASE_TYPE_CLOSED',
      );
      const receipt = await send({ phone: '13000000002', title: '关于区政务服务中心停车的咨询' });
      const id = await letterIdOf(store.db, receipt.queryCode);
      at('2025-09-30T09:00:00+08:00');
      // 3 working days from 30 Sep: 9, 10 and 11 Oct (Saturday 11 Oct is a 调休 working day).
      assert.equal((await stepLetter(ctx, office, id, 'accept', {})).dueDay, '2025-10-11');
      await stepLetter(ctx, office, id, 'assign', { unitId: bureau.id });
      // No review levels: the reply goes straight to the writer.
      assert.equal(
        (await stepLetter(ctx, handler, id, 'reply', { reply: '<p>可停在地下车库。</p>' })).status,
        'answered',
      );
      await updateLetterDesk(ctx, admin, desk);
    });
  });
}
