import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  disclosureReport,
  followInfoRequest,
  infoRequestApplicant,
  infoRequestDetail,
  listInfoRequests,
  putReplyDocument,
  applicantReplyDocument,
  stepInfoRequest,
  submitInfoRequest,
  messagesHealth,
  type Actor,
  type ServiceContext,
} from '../../../src/services/index.js';
import { sites } from '../../../src/store/index.js';
import { BACKENDS, contextFor, type TestStore } from '../../helpers/store.js';
import { demoSite } from '../../helpers/factories.js';
import { actorFor, makeRoleAccounts } from '../../helpers/backoffice.js';
import { answeredQuestion, refusedWith, solvedPow } from '../../helpers/letters.js';
import { citizenRequest, companyRequest, requestCount, requestIdOf } from '../../helpers/info-requests.js';
import { pdfOfSize } from '../../helpers/uploads.js';

for (const backend of BACKENDS) {
  describe(`disclosure requests (依申请公开) on ${backend.name}`, () => {
    let store: TestStore;
    let now: Date;
    let ctx: ServiceContext;
    let office: Actor, handler: Actor, editor: Actor, publisher: Actor;
    let ipSeq = 0;
    const ip = () => `198.51.100.${++ipSeq}`;
    const at = (iso: string) => {
      now = new Date(iso);
    };

    before(async () => {
      store = await backend.open();
      at('2025-09-22T10:00:00+08:00');
      ctx = { ...contextFor(store), clock: { now: () => now } };
      await demoSite(ctx);
      const accounts = await makeRoleAccounts(ctx);
      office = actorFor(accounts.office);
      handler = actorFor(accounts.handler);
      editor = actorFor(accounts.editor);
      publisher = actorFor(accounts.publisher);
    });
    after(() => store.dispose());

    test('a request is confirmed, paused for 补正, restarted, consulted, extended once, answered 部分公开 and counted in the annual table', async () => {
      const receipt = await submitInfoRequest(ctx, { ...citizenRequest(), altcha: await solvedPow(ctx) }, ip());
      assert.match(receipt.queryCode, /^20250922[2-9A-HJ-NP-Z]{6}$/);
      const id = await requestIdOf(store.db, receipt.queryCode);
      const follow = () => followInfoRequest(ctx, receipt.queryCode, receipt.password, ip());
      assert.equal((await follow()).statusName, '待确认收到');

      at('2025-09-23T09:00:00+08:00');
      let detail = await stepInfoRequest(ctx, office, id, 'confirm', {});
      assert.deepEqual(
        [detail.status, detail.receivedDay, detail.dueDay, detail.remainingWorkingDays],
        ['processing', '2025-09-23', '2025-10-27', 20],
      );
      at('2025-09-25T09:00:00+08:00');
      detail = await stepInfoRequest(ctx, office, id, 'ask-correction', {
        note: '请补充所需信息的文号或项目名称，并在 15 个工作日内补正',
      });
      assert.deepEqual([detail.status, detail.dueDay, detail.remainingWorkingDays], ['correcting', null, null]);
      // Waiting for its correction, it can only be closed as not corrected; and never without the reply document.
      await refusedWith(stepInfoRequest(ctx, office, id, 'answer', { outcome: 'open' }), 'CASE_STEP_INVALID');
      await refusedWith(
        stepInfoRequest(ctx, office, id, 'answer', { outcome: 'other-1' }),
        'CASE_FIELD_INVALID',
        'file',
      );

      at('2025-10-09T09:00:00+08:00');
      detail = await stepInfoRequest(ctx, office, id, 'corrected', { note: '申请人已补充文号' });
      assert.deepEqual(
        [detail.status, detail.clockStartDay, detail.dueDay],
        ['processing', '2025-10-09', '2025-11-05'],
      );
      await refusedWith(stepInfoRequest(ctx, office, id, 'ask-correction', { note: '再次补正' }), 'CASE_STEP_INVALID');

      at('2025-10-20T09:00:00+08:00');
      detail = await stepInfoRequest(ctx, office, id, 'consult', { note: '涉及第三方商业秘密，书面征求意见' });
      assert.deepEqual(
        [detail.status, detail.pausedSince, detail.thirdPartyDueDay, detail.remainingWorkingDays],
        ['consulting', '2025-10-20', '2025-11-10', 12],
      );
      at('2025-10-31T09:00:00+08:00');
      detail = await stepInfoRequest(ctx, office, id, 'consulted', { note: '第三方不同意公开其报价' });
      assert.deepEqual([detail.status, detail.dueDay], ['processing', '2025-11-18']);

      at('2025-11-10T09:00:00+08:00');
      await refusedWith(
        stepInfoRequest(ctx, handler, id, 'extend', { days: 15, note: '需调取档案' }),
        'PERMISSION_DENIED',
      );
      await refusedWith(stepInfoRequest(ctx, office, id, 'extend', { days: 15 }), 'CASE_FIELD_INVALID', 'note');
      detail = await stepInfoRequest(ctx, office, id, 'extend', { days: 15, note: '需调取历史档案，经负责人同意延期' });
      assert.deepEqual([detail.extensionDays, detail.dueDay], [15, '2025-12-09']);
      await refusedWith(stepInfoRequest(ctx, office, id, 'extend', { days: 1, note: '再延' }), 'CASE_STEP_INVALID');
      const told = await follow();
      assert.deepEqual(
        told.steps.map((s) => `${s.name}|${s.note}|${s.dueDay ?? ''}`),
        [
          '提交申请||',
          '确认收到||2025-10-27',
          '告知补正|请补充所需信息的文号或项目名称，并在 15 个工作日内补正|',
          '收到补正||2025-11-05',
          '征求第三方意见||2025-11-05',
          '第三方意见已收回||2025-11-18',
          '延期答复|需调取历史档案，经负责人同意延期|2025-12-09',
        ],
      );
      assert.equal(told.extensionReason, '需调取历史档案，经负责人同意延期');

      at('2025-12-05T15:00:00+08:00');
      await refusedWith(
        putReplyDocument(ctx, office, id, {
          filename: '答复告知书.pdf',
          data: Buffer.from('PK\u0003\u0004 not a pdf'),
        }),
        'MEDIA_TYPE_MISMATCH',
      );
      detail = await putReplyDocument(ctx, office, id, { filename: '答复告知书.pdf', data: pdfOfSize(2048, 'reply') });
      assert.equal(detail.replyDocument?.fileName, '答复告知书.pdf');
      await refusedWith(applicantReplyDocument(ctx, receipt.queryCode, receipt.password, ip()), 'CASE_NOT_FOUND');
      detail = await stepInfoRequest(ctx, office, id, 'answer', { outcome: 'partial', note: '报价部分不予公开' });
      assert.deepEqual(
        [detail.status, detail.outcome, detail.outcomeName, detail.answeredDay, detail.allowedSteps],
        ['answered', 'partial', '部分公开', '2025-12-05', []],
      );
      const answered = await follow();
      assert.deepEqual(
        [answered.statusName, answered.outcomeName, answered.replyDocument],
        ['已答复', '部分公开', { fileName: '答复告知书.pdf', size: 2048 }],
      );
      const file = await applicantReplyDocument(ctx, receipt.queryCode, receipt.password, ip());
      assert.deepEqual([file.mimeType, file.data.equals(pdfOfSize(2048, 'reply'))], ['application/pdf', true]);

      const report = await disclosureReport(ctx, publisher, 2025);
      const row = (key: string) => report.requests.rows.find((r) => r.key === key)?.counts?.natural;
      assert.deepEqual(['received', 'carried-in', 'partial', 'handled', 'carried-out'].map(row), [1, 0, 1, 1, 0]);
      assert.equal(report.requests.balanced, true);
    });

    test('an organisation’s request left open at the year’s end is carried into the next year’s table', async () => {
      at('2025-12-29T10:00:00+08:00');
      const receipt = await submitInfoRequest(ctx, { ...companyRequest(), ...answeredQuestion(ctx) }, ip());
      const id = await requestIdOf(store.db, receipt.queryCode);
      await stepInfoRequest(ctx, office, id, 'confirm', {});
      const end2025 = await disclosureReport(ctx, publisher, 2025);
      assert.equal(end2025.requests.rows.find((r) => r.key === 'carried-out')?.counts?.business, 1);
      at('2026-01-12T10:00:00+08:00');
      await putReplyDocument(ctx, office, id, { filename: 'reply.pdf', data: pdfOfSize(1024, 'company') });
      await stepInfoRequest(ctx, office, id, 'answer', { outcome: 'withheld-4' });
      const table = (await disclosureReport(ctx, publisher, 2026)).requests;
      const counts = (key: string) => table.rows.find((r) => r.key === key)?.counts;
      assert.deepEqual(counts('carried-in'), {
        natural: 0,
        business: 1,
        research: 0,
        charity: 0,
        legal: 0,
        other: 0,
        total: 1,
      });
      assert.equal(counts('withheld-4')?.business, 1);
      assert.equal(table.balanced, true);
    });

    test('bad input is refused naming the field, and nothing is stored', async () => {
      at('2026-02-02T10:00:00+08:00');
      const before = await requestCount(store.db);
      const refused = async (input: object, code: string, field?: string) =>
        refusedWith(
          submitInfoRequest(ctx, { ...citizenRequest(), ...input, altcha: await solvedPow(ctx) }, ip()),
          code,
          field,
        );
      await refused({ name: ' ' }, 'CASE_FIELD_INVALID', 'name');
      await refused({ idNumber: '110105194912310021' }, 'CASE_FIELD_INVALID', 'idNumber');
      await refused({ phone: '12345' }, 'CASE_FIELD_INVALID', 'phone');
      await refused({ email: undefined }, 'CASE_FIELD_INVALID', 'email');
      await refused({ description: '' }, 'CASE_FIELD_INVALID', 'description');
      await refused({ deliveryWay: '邮寄', address: '' }, 'CASE_FIELD_INVALID', 'address');
      await refused({ ...companyRequest(), idNumber: '91350100M000100Y44' }, 'CASE_FIELD_INVALID', 'idNumber');
      await refused({ ...companyRequest(), contactName: '' }, 'CASE_FIELD_INVALID', 'contactName');
      await refused({ website: 'http://spam.example' }, 'CHALLENGE_FAILED');
      await refusedWith(submitInfoRequest(ctx, citizenRequest(), ip()), 'CHALLENGE_FAILED');
      assert.equal(await requestCount(store.db), before);
      await refusedWith(followInfoRequest(ctx, 'NOSUCHCODE', 'X', ip()), 'CASE_NOT_FOUND');
    });

    test('the applicant is opened for the office only, each reading audited; handlers and editors see no requests', async () => {
      at('2026-02-03T10:00:00+08:00');
      const receipt = await submitInfoRequest(ctx, { ...citizenRequest(), altcha: await solvedPow(ctx) }, ip());
      const id = await requestIdOf(store.db, receipt.queryCode);
      assert.deepEqual(await infoRequestApplicant(ctx, office, id), {
        name: '李四',
        idType: '居民身份证',
        idNumber: '11010519491231002X',
        legalRepresentative: '',
        contactName: '',
        phone: '13912345678',
        email: 'lisi@example.com',
        address: '江苏省苏州市吴江区松陵镇人民路1号',
        postcode: '215200',
      });
      const audits = await store.db
        .selectFrom('auditLog')
        .select(['action', 'targetId'])
        .where('action', '=', 'info-request.personal-read')
        .execute();
      assert.deepEqual(audits, [{ action: 'info-request.personal-read', targetId: String(id) }]);
      const stored = await store.db
        .selectFrom('infoRequest')
        .select('personal')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      assert.doesNotMatch(stored.personal, /李四|11010519491231002X|13912345678/);
      await refusedWith(infoRequestDetail(ctx, handler, id), 'PERMISSION_DENIED');
      await refusedWith(infoRequestDetail(ctx, editor, id), 'PERMISSION_DENIED');
      const list = await listInfoRequests(ctx, office, { status: 'submitted' });
      assert.deepEqual(
        list.items.map((r) => r.queryCode),
        [receipt.queryCode],
      );
    });

    test('a request past its due day is an overdue case of the health report; one waiting for a third party is not', async () => {
      at('2026-03-02T10:00:00+08:00');
      const late = await submitInfoRequest(ctx, { ...citizenRequest(), altcha: await solvedPow(ctx) }, ip());
      const stopped = await submitInfoRequest(ctx, { ...companyRequest(), altcha: await solvedPow(ctx) }, ip());
      const lateId = await requestIdOf(store.db, late.queryCode);
      const stoppedId = await requestIdOf(store.db, stopped.queryCode);
      await stepInfoRequest(ctx, office, lateId, 'confirm', {});
      await stepInfoRequest(ctx, office, stoppedId, 'confirm', {});
      await stepInfoRequest(ctx, office, stoppedId, 'consult', { note: '征求第三方意见' });
      at('2026-04-10T10:00:00+08:00');
      const [site] = await sites.listSites(store.db);
      assert.ok(site);
      assert.deepEqual((await messagesHealth(store.db, site, now)).late, [
        `依申请公开 ${late.queryCode}（应于 2026-03-30 前答复，已超期 8 个工作日）`,
      ]);
    });
  });
}
