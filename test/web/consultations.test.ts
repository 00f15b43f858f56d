import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { ServiceContext } from '../../src/services/index.js';
import { demoApp } from '../helpers/app.js';
import { PINNED_NOW, testStore, type TestStore } from '../helpers/store.js';
import { makeRoleAccounts, multipart, signIn, type ApiClient } from '../helpers/backoffice.js';
import { solvedPow } from '../helpers/letters.js';
import { form, mainLines, questionOf } from '../helpers/pages.js';
import { pdfOfSize } from '../helpers/uploads.js';

/** The app's clock: pinned, and moved by the test (past the end day). */
const clock = { at: new Date(PINNED_NOW), now: () => new Date(clock.at) };

const DRAFT = {
  title: '示范区促进中小企业发展若干措施（征求意见稿）',
  kind: 'normative',
  concernsBusiness: false,
  draftingUnit: '示范区发展和改革局',
  draftHtml: '<p>第一条 为促进中小企业健康发展，制定本措施。</p><script>alert(1)</script>',
  explanationHtml: '<p>为落实《中华人民共和国中小企业促进法》，起草本措施。</p>',
  startDay: '2025-12-01',
  endDay: '2025-12-05',
  contactName: '区发展改革局法规科',
  contactPhone: '0512-63001234',
  contactEmail: 'fgj@example.gov.cn',
  otherWays: '信函：示范区人民路1号区发展改革局法规科（邮编215200）\n传真：0512-63001235',
};

const COMMENT = {
  name: '张三',
  phone: '13812345678',
  email: 'zhangsan@example.com',
  organisation: '示范区某某科技有限公司',
  clause: '第一条',
  body: '建议明确“中小企业”的认定标准，联系电话13812345678。',
};

describe('意见征集 over HTTP: the office’s API, the public pages and API, the form without JavaScript', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let ctx: ServiceContext;
  let office: ApiClient;
  let serial = 0;
  const remote = () => ({ remoteAddress: `198.51.100.${++serial}` });
  const commentCount = async () =>
    Number(
      (
        await store.db
          .selectFrom('consultationComment')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  before(async () => {
    store = await testStore();
    app = await demoApp(store, { pages: false, clock });
    ctx = app.gazette.context;
    await makeRoleAccounts(ctx);
    office = await signIn(app, 'office');
  });
  after(async () => {
    await app.close();
    await store.dispose();
  });

  let id = 0;
  const at = new Date(PINNED_NOW).toISOString();

  test('the office creates a draft (400 naming a missing field), sees the period warning, fixes it and publishes', async () => {
    const missing = await office.request('POST', '/api/v1/consultations', { ...DRAFT, draftingUnit: ' ' });
    assert.equal(missing.statusCode, 400);
    assert.deepEqual(missing.json(), {
      code: 'CASE_FIELD_INVALID',
      message: '起草单位填写有误：必须填写',
      messageEn: 'Field draftingUnit is invalid: required',
    });
    const created = await office.request('POST', '/api/v1/consultations', DRAFT);
    assert.equal(created.statusCode, 201, created.body);
    const detail = created.json<{ id: number }>();
    id = detail.id;
    assert.deepEqual(detail, {
      id,
      title: DRAFT.title,
      kind: 'normative',
      kindName: '行政规范性文件',
      concernsBusiness: false,
      draftingUnit: '示范区发展和改革局',
      startDay: '2025-12-01',
      endDay: '2025-12-05',
      phase: 'draft',
      phaseName: '草稿',
      url: `/yjzj/${id}.html`,
      comments: 0,
      undecided: 0,
      draftHtml: '<p>第一条 为促进中小企业健康发展，制定本措施。</p>',
      explanationHtml: DRAFT.explanationHtml,
      interpretationHtml: '',
      contactName: DRAFT.contactName,
      contactPhone: DRAFT.contactPhone,
      contactEmail: DRAFT.contactEmail,
      otherWays: DRAFT.otherWays,
      showComments: false,
      publishedAt: null,
      attachments: [],
      period: {
        days: 5,
        workingDays: 5,
        minimum: { unit: 'workingDays', count: 7, rule: '行政规范性文件征求意见期限不少于 7 个工作日' },
        warning:
          '征求意见期限为 5 个工作日，短于要求：行政规范性文件征求意见期限不少于 7 个工作日。如确需缩短，请在起草说明中说明理由。',
      },
      feedbackText: '',
      feedback: null,
      createdBy: 'office',
      updatedAt: at,
    });
    const period = await office.request('POST', '/api/v1/consultations/period', {
      kind: 'normative',
      concernsBusiness: false,
      startDay: '2025-12-01',
      endDay: '2025-12-10',
    });
    assert.deepEqual(period.json(), {
      days: 10,
      workingDays: 8,
      minimum: { unit: 'workingDays', count: 7, rule: '行政规范性文件征求意见期限不少于 7 个工作日' },
      warning: null,
    });
    const changed = await office.request('PUT', `/api/v1/consultations/${id}`, {
      ...DRAFT,
      endDay: '2025-12-10',
      showComments: true,
    });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.equal(changed.json<{ period: { warning: null } }>().period.warning, null);
    const pdf = pdfOfSize(2048, 'draft');
    const upload = multipart({}, { name: '征求意见稿.pdf', data: pdf, type: 'application/pdf' });
    const attached = await office.request('POST', `/api/v1/consultations/${id}/attachments`, upload.body, {
      'content-type': upload.contentType,
    });
    assert.equal(attached.statusCode, 200, attached.body);
    // A draft's file: the office opens it at its own address; the public's is not there yet.
    const draftFile = attached.json<{ attachments: { id: number; url: string }[] }>().attachments[0];
    assert.equal(draftFile?.url, `/api/v1/consultations/${id}/attachments/${draftFile?.id}`);
    const officeCopy = await office.request('GET', draftFile?.url ?? '');
    assert.deepEqual([officeCopy.statusCode, officeCopy.rawPayload.equals(pdf)], [200, true]);
    const notYet = await app.inject(`/api/v1/public/consultations/${id}/attachments/${draftFile?.id}`);
    assert.equal(notYet.statusCode, 404);
    const lying = multipart({}, { name: 'draft.pdf', data: Buffer.from('<html>not a pdf</html>') });
    const refused = await office.request('POST', `/api/v1/consultations/${id}/attachments`, lying.body, {
      'content-type': lying.contentType,
    });
    assert.equal(refused.statusCode, 415);
    const published = await office.request('POST', `/api/v1/consultations/${id}/publish`);
    assert.equal(published.statusCode, 200, published.body);
    const shown = published.json<{ phase: string; attachments: { id: number }[] }>();
    assert.equal(shown.phase, 'open');
    const attachmentId = shown.attachments[0]?.id ?? 0;
    assert.deepEqual(shown.attachments, [
      {
        id: attachmentId,
        fileName: '征求意见稿.pdf',
        mimeType: 'application/pdf',
        size: 2048,
        url: `/api/v1/consultations/${id}/attachments/${attachmentId}`,
      },
    ]);
    const file = await app.inject(`/api/v1/public/consultations/${id}/attachments/${attachmentId}`);
    assert.equal(file.statusCode, 200);
    assert.ok(file.rawPayload.equals(pdf));
    const again = await office.request('POST', `/api/v1/consultations/${id}/publish`);
    assert.equal(again.statusCode, 409);
  });

  test('the public list and page; a comment in JSON; refusals store nothing', async () => {
    const list = await app.inject('/api/v1/public/consultations');
    assert.deepEqual(list.json(), {
      items: [
        {
          id,
          title: DRAFT.title,
          kind: 'normative',
          kindName: '行政规范性文件',
          concernsBusiness: false,
          draftingUnit: '示范区发展和改革局',
          startDay: '2025-12-01',
          endDay: '2025-12-10',
          phase: 'open',
          phaseName: '征集中',
          url: `/yjzj/${id}.html`,
        },
      ],
    });
    const page = await app.inject('/yjzj/');
    assert.equal(page.statusCode, 200);
    assert.deepEqual(mainLines(page.body), [
      '首页 > 意见征集',
      '意见征集',
      '本机关起草的规章、行政规范性文件等草案在此公开征求意见。征集中的草案可在其页面上在线提交意见。',
      '征求意见的草案',
      '标题类别起草单位征集时间状态',
      `${DRAFT.title}行政规范性文件示范区发展和改革局2025-12-01 至 2025-12-10征集中`,
    ]);

    const before = await commentCount();
    const post = async (payload: Record<string, unknown>) =>
      app.inject({ method: 'POST', url: `/api/v1/public/consultations/${id}/comments`, payload, ...remote() });
    const noBody = await post({ ...COMMENT, body: '  ', altcha: await solvedPow(ctx) });
    assert.deepEqual(
      [noBody.statusCode, noBody.json()],
      [
        400,
        {
          code: 'CASE_FIELD_INVALID',
          message: '意见内容填写有误：请填写意见内容',
          messageEn: 'Field body is invalid: the comment is empty',
        },
      ],
    );
    const tooLong = await post({ ...COMMENT, body: '意'.repeat(2001), altcha: await solvedPow(ctx) });
    assert.equal(tooLong.statusCode, 400);
    assert.match(tooLong.body, /body/);
    const honeypot = await post({ ...COMMENT, website: 'http://spam.example', altcha: await solvedPow(ctx) });
    assert.deepEqual([honeypot.statusCode, honeypot.json<{ code: string }>().code], [400, 'CHALLENGE_FAILED']);
    const badPow = await post({ ...COMMENT, altcha: Buffer.from('{"number":1}').toString('base64') });
    assert.deepEqual([badPow.statusCode, badPow.json<{ code: string }>().code], [400, 'CHALLENGE_FAILED']);
    const noPow = await post(COMMENT);
    assert.deepEqual([noPow.statusCode, noPow.json<{ code: string }>().code], [400, 'CHALLENGE_FAILED']);
    assert.equal(await commentCount(), before);

    const sent = await post({ ...COMMENT, altcha: await solvedPow(ctx) });
    assert.equal(sent.statusCode, 201, sent.body);
    const receipt = sent.json<{ receiptCode: string }>();
    assert.match(receipt.receiptCode, /^20251201[2-9A-HJ-NP-Z]{6}$/);
    assert.deepEqual(sent.json(), { receiptCode: receipt.receiptCode, consultationId: id, submittedAt: at });
    assert.equal(await commentCount(), before + 1);
  });

  test('the form without JavaScript: the question, the page again with the reason, the confirmation page', async () => {
    const page = await app.inject(`/yjzj/${id}.html`);
    assert.equal(page.statusCode, 200);
    const lines = mainLines(page.body);
    assert.deepEqual(lines.slice(0, 12), [
      '首页 > 意见征集 > 正文',
      DRAFT.title,
      '征集信息',
      '征集状态征集中草案类别行政规范性文件',
      '征集时间2025-12-01 至 2025-12-10起草单位示范区发展和改革局',
      '联系人区发展改革局法规科联系电话0512-63001234',
      '电子邮箱fgj@example.gov.cn',
      '征求意见稿',
      '第一条 为促进中小企业健康发展，制定本措施。',
      '征求意见稿.pdf（2 KB）',
      '起草说明',
      '为落实《中华人民共和国中小企业促进法》，起草本措施。',
    ]);
    assert.ok(lines.includes('信函：示范区人民路1号区发展改革局法规科（邮编215200）'), lines.join('\n'));
    assert.ok(lines.includes('提交意见'));
    const fields = {
      clause: '第三条',
      body: '建议将申报材料改为网上提交。',
      name: '李四',
      phone: '13912345678',
      email: '',
      organisation: '',
      website: '',
      altcha: '',
    };
    const before = await commentCount();
    const url = `/api/v1/public/consultations/${id}/comments`;
    const wrong = await app.inject({
      method: 'POST',
      url,
      ...form({ ...fields, phone: '12', ...questionOf(page.body) }),
      ...remote(),
    });
    assert.equal(wrong.statusCode, 400);
    assert.ok(mainLines(wrong.body).includes('提交未成功：联系电话填写有误：联系电话格式不正确'), wrong.body);
    assert.match(wrong.body, /id="comment-body"[^>]*>建议将申报材料改为网上提交。</);
    assert.equal(await commentCount(), before);
    const sent = await app.inject({
      method: 'POST',
      url,
      ...form({ ...fields, ...questionOf(wrong.body) }),
      ...remote(),
    });
    assert.equal(sent.statusCode, 201, sent.body);
    assert.equal(sent.headers['content-disposition'], 'inline');
    const code = /data-receipt-code>([^<]+)</.exec(sent.body)?.[1] ?? '';
    assert.deepEqual(mainLines(sent.body), [
      `首页 > 意见征集 > ${DRAFT.title} > 意见已提交`,
      '意见已提交',
      `感谢您对“${DRAFT.title}”提出意见。本机关将认真研究，并在征集结束后公布意见采纳情况。`,
      `意见编号${code}`,
      '提交时间2025-12-01 09:00',
      '返回草案页面 意见征集列表',
    ]);
    assert.equal(await commentCount(), before + 1);
  });

  test('the office decides each comment, reads a commenter (audited), and after the end day publishes the 反馈', async () => {
    const listed = await office.request('GET', `/api/v1/consultations/${id}/comments`);
    const comments = listed.json<{ items: { id: number; receiptCode: string }[] }>().items;
    assert.equal(comments.length, 2);
    const [first, second] = comments as [{ id: number; receiptCode: string }, { id: number; receiptCode: string }];
    assert.deepEqual(comments[0], {
      id: first.id,
      receiptCode: first.receiptCode,
      clause: '第一条',
      body: COMMENT.body,
      submittedAt: at,
      wording: [],
      nearDuplicateOf: null,
      decision: null,
      decisionName: null,
      reason: '',
      shown: false,
      decidedBy: null,
      decidedAt: null,
    });
    const commenter = await office.request('GET', `/api/v1/consultations/${id}/comments/${first.id}/commenter`);
    assert.deepEqual(commenter.json(), {
      name: '张三',
      phone: '13812345678',
      email: 'zhangsan@example.com',
      organisation: '示范区某某科技有限公司',
    });
    const audited = await store.db
      .selectFrom('auditLog')
      .select(['action', 'targetId'])
      .where('action', '=', 'consultation.personal-read')
      .execute();
    assert.deepEqual(audited, [{ action: 'consultation.personal-read', targetId: String(first.id) }]);

    const decide = (commentId: number, body: Record<string, unknown>) =>
      office.request('PUT', `/api/v1/consultations/${id}/comments/${commentId}`, body);
    const noReason = await decide(second.id, { decision: 'rejected' });
    assert.deepEqual(
      [noReason.statusCode, noReason.json<{ message: string }>().message],
      [400, '理由填写有误：部分采纳或不予采纳须说明理由'],
    );
    const adopted = await decide(first.id, { decision: 'adopted', shown: true });
    assert.deepEqual(adopted.json(), {
      id: first.id,
      receiptCode: first.receiptCode,
      clause: '第一条',
      body: COMMENT.body,
      submittedAt: at,
      wording: [],
      nearDuplicateOf: null,
      decision: 'adopted',
      decisionName: '采纳',
      reason: '',
      shown: true,
      decidedBy: 'office',
      decidedAt: at,
    });
    const early = await office.request('POST', `/api/v1/consultations/${id}/feedback/publish`);
    assert.equal(early.statusCode, 409);

    // The last second of the end day: still open. At midnight: closed, and a comment is a 409.
    clock.at = new Date('2025-12-10T23:59:59+08:00');
    assert.equal((await app.inject(`/api/v1/public/consultations/${id}`)).json<{ phase: string }>().phase, 'open');
    clock.at = new Date('2025-12-11T00:00:00+08:00');
    // Ten days on, the office's session has long expired: it signs in again.
    office = await signIn(app, 'office');
    const late = await app.inject({
      method: 'POST',
      url: `/api/v1/public/consultations/${id}/comments`,
      payload: { ...COMMENT, altcha: await solvedPow(ctx) },
      ...remote(),
    });
    assert.deepEqual(
      [late.statusCode, late.json()],
      [
        409,
        {
          code: 'CONSULTATION_NOT_OPEN',
          message: `“${DRAFT.title}”已于 2025-12-10 截止，不再接收意见`,
          messageEn: `The consultation “${DRAFT.title}” takes no comments: it closed at the end of 2025-12-10`,
        },
      ],
    );
    const undecided = await office.request('POST', `/api/v1/consultations/${id}/feedback/publish`);
    assert.deepEqual(
      [undecided.statusCode, undecided.json<{ message: string }>().message],
      [400, '采纳情况填写有误：还有 1 条意见未标明采纳情况'],
    );
    await decide(second.id, { decision: 'partial', reason: '网上申报已在第六条中规定' });
    const text = '经认真研究，对公众意见予以吸收采纳。\n感谢社会各界的关心和支持。';
    assert.equal((await office.request('PUT', `/api/v1/consultations/${id}/feedback`, { text })).statusCode, 200);
    const done = await office.request('POST', `/api/v1/consultations/${id}/feedback/publish`);
    assert.equal(done.statusCode, 200, done.body);
    const closedAt = new Date('2025-12-11T00:00:00+08:00').toISOString();
    const feedback = {
      headline: '共收到意见 2 条，采纳 1 条，部分采纳 1 条，不予采纳 0 条。',
      summary: {
        received: 2,
        adopted: 1,
        partial: 1,
        rejected: 0,
        items: [
          { clause: '第一条', decision: 'adopted', decisionName: '采纳', reason: '' },
          { clause: '第三条', decision: 'partial', decisionName: '部分采纳', reason: '网上申报已在第六条中规定' },
        ],
      },
      text,
      publishedAt: closedAt,
    };
    assert.deepEqual(done.json<{ feedback: unknown }>().feedback, feedback);

    const one = await app.inject(`/api/v1/public/consultations/${id}`);
    const attachments = one.json<{ attachments: unknown[] }>().attachments;
    assert.deepEqual(one.json(), {
      id,
      title: DRAFT.title,
      kind: 'normative',
      kindName: '行政规范性文件',
      concernsBusiness: false,
      draftingUnit: '示范区发展和改革局',
      startDay: '2025-12-01',
      endDay: '2025-12-10',
      phase: 'closed',
      phaseName: '已结束',
      url: `/yjzj/${id}.html`,
      draftHtml: '<p>第一条 为促进中小企业健康发展，制定本措施。</p>',
      explanationHtml: DRAFT.explanationHtml,
      interpretationHtml: '',
      contactName: DRAFT.contactName,
      contactPhone: DRAFT.contactPhone,
      contactEmail: DRAFT.contactEmail,
      otherWays: DRAFT.otherWays,
      attachments,
      comments: [
        {
          name: '张**',
          clause: '第一条',
          body: '建议明确“中小企业”的认定标准，联系电话138****5678。',
          submittedDay: '2025-12-01',
        },
      ],
      feedback,
    });
    const page = mainLines((await app.inject(`/yjzj/${id}.html`)).body);
    const from = page.indexOf('意见采纳情况反馈');
    assert.deepEqual(page.slice(from, from + 10), [
      '意见采纳情况反馈',
      '共收到意见 2 条，采纳 1 条，部分采纳 1 条，不予采纳 0 条。',
      '经认真研究，对公众意见予以吸收采纳。',
      '感谢社会各界的关心和支持。',
      '意见采纳情况',
      '序号涉及条款采纳情况理由',
      '1第一条采纳',
      '2第三条部分采纳网上申报已在第六条中规定',
      '反馈公布时间：2025-12-11 00:00',
      '公众意见选登',
    ]);
    assert.ok(page.includes('本次意见征集已于 2025-12-10 结束，不再接收意见。'));
    assert.ok(!page.includes('提交意见'));

    const withdrawn = await office.request('POST', `/api/v1/consultations/${id}/withdraw`);
    assert.equal(withdrawn.json<{ phase: string }>().phase, 'withdrawn');
    assert.equal((await app.inject(`/yjzj/${id}.html`)).statusCode, 404);
    assert.equal((await app.inject(`/api/v1/public/consultations/${id}`)).statusCode, 404);
    assert.deepEqual((await app.inject('/api/v1/public/consultations')).json(), { items: [] });
  });
});
