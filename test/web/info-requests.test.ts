import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { putReplyDocument, stepInfoRequest, type Actor, type ServiceContext } from '../../src/services/index.js';
import { demoApp } from '../helpers/app.js';
import { PINNED_NOW, testStore, type TestStore } from '../helpers/store.js';
import { actorFor, makeRoleAccounts, multipart, signIn } from '../helpers/backoffice.js';
import { solvedPow } from '../helpers/letters.js';
import { citizenRequest, companyRequest, requestCount, requestIdOf } from '../helpers/info-requests.js';
import { form, mainLines, questionOf } from '../helpers/pages.js';
import { pdfOfSize } from '../helpers/uploads.js';

describe('依申请公开 over HTTP: the API, the form without JavaScript, the follow-up and the reply document', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let ctx: ServiceContext;
  let office: Actor;
  let serial = 0;
  const remote = () => ({ remoteAddress: `192.0.2.${++serial}` });

  before(async () => {
    store = await testStore();
    app = await demoApp(store, { pages: false });
    ctx = app.gazette.context;
    office = actorFor((await makeRoleAccounts(ctx)).office);
  });
  after(async () => {
    await app.close();
    await store.dispose();
  });

  test('a JSON request gets its code and password; the follow-up answers the whole state, the same 404 for a wrong code or password', async () => {
    const sent = await app.inject({
      method: 'POST',
      url: '/api/v1/public/info-requests',
      payload: { ...companyRequest(), altcha: await solvedPow(ctx) },
      ...remote(),
    });
    assert.equal(sent.statusCode, 201, sent.body);
    const receipt = sent.json<{ queryCode: string; password: string }>();
    assert.deepEqual(Object.keys(receipt), ['queryCode', 'password']);
    const id = await requestIdOf(store.db, receipt.queryCode);
    await stepInfoRequest(ctx, office, id, 'confirm', {});
    const follow = (code: string, password: string) =>
      app.inject({
        url: `/api/v1/public/info-requests/${code}`,
        headers: { 'x-case-password': password },
        ...remote(),
      });
    const answer = await follow(receipt.queryCode, receipt.password);
    assert.equal(answer.statusCode, 200);
    // The app's clock is pinned to Monday 2025-12-01 09:00 (UTC+8): 20 working days end on the 29th.
    const at = new Date(PINNED_NOW).toISOString();
    assert.deepEqual(answer.json(), {
      queryCode: receipt.queryCode,
      description: '2025年区级工程招标项目目录',
      status: 'processing',
      statusName: '办理中',
      submittedAt: at,
      receivedDay: '2025-12-01',
      clockStartDay: '2025-12-01',
      dueDay: '2025-12-29',
      pausedSince: null,
      thirdPartyDueDay: null,
      extensionDays: 0,
      extensionReason: null,
      remainingWorkingDays: 20,
      outcome: null,
      outcomeName: null,
      answeredDay: null,
      replyDocument: null,
      steps: [
        { step: 'submit', name: '提交申请', note: '', dueDay: null, at },
        { step: 'confirm', name: '确认收到', note: '', dueDay: '2025-12-29', at },
      ],
    });
    const wrongPassword = await follow(receipt.queryCode, 'WRONG');
    const wrongCode = await follow('20250101XXXXXX', receipt.password);
    assert.deepEqual(
      [wrongPassword.statusCode, wrongPassword.json(), wrongCode.statusCode],
      [404, wrongCode.json(), 404],
    );
  });

  test('a missing field is a 400 naming it, and nothing is stored', async () => {
    const before = await requestCount(store.db);
    const { description: _d, ...rest } = citizenRequest();
    const refused = await app.inject({
      method: 'POST',
      url: '/api/v1/public/info-requests',
      payload: { ...rest, altcha: await solvedPow(ctx) },
      ...remote(),
    });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /description/);
    assert.equal(await requestCount(store.db), before);
  });

  test('the form without JavaScript: the question, the form again with the reason, the receipt, the follow-up and the document', async () => {
    const page = await app.inject('/ysqgk/shenqing');
    assert.equal(page.statusCode, 200);
    assert.deepEqual(mainLines(page.body).slice(0, 3), [
      '首页 > 依申请公开 > 申请表',
      '政府信息公开申请',
      '依据《中华人民共和国政府信息公开条例》第二十九条提出申请。带 *星号 的为必填项。提交后您会得到查询码和查询密码；本机关确认收到申请之日为收到申请之日，自该日起 20 个工作日内答复。',
    ]);
    const fields = {
      applicantClass: 'natural',
      name: '李四',
      idType: '居民身份证',
      idNumber: '110105194912310021',
      phone: '13912345678',
      email: '',
      address: '江苏省苏州市吴江区松陵镇人民路1号',
      postcode: '',
      legalRepresentative: '',
      contactName: '',
      description: '2025年松陵镇中山路道路改造工程的立项批复',
      documentNo: '',
      purpose: '',
      deliveryForm: '纸质',
      deliveryWay: '邮寄',
      website: '',
      altcha: '',
      ...questionOf(page.body),
    };
    const before = await requestCount(store.db);
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/v1/public/info-requests',
      ...form(fields),
      ...remote(),
    });
    assert.equal(wrong.statusCode, 400);
    assert.ok(mainLines(wrong.body).includes('提交未成功：证件号码填写有误：居民身份证号码不正确'), wrong.body);
    assert.match(wrong.body, /id="req-description"[^>]*>2025年松陵镇中山路道路改造工程的立项批复</);
    assert.equal(await requestCount(store.db), before);

    const sent = await app.inject({
      method: 'POST',
      url: '/api/v1/public/info-requests',
      ...form({ ...fields, idNumber: '11010519491231002X', ...questionOf(wrong.body) }),
      ...remote(),
    });
    assert.equal(sent.statusCode, 201, sent.body);
    assert.equal(sent.headers['content-disposition'], 'inline');
    const queryCode = /data-query-code>([^<]+)</.exec(sent.body)?.[1] ?? '';
    const password = /data-query-password>([^<]+)</.exec(sent.body)?.[1] ?? '';
    assert.match(queryCode, /^\d{8}[2-9A-HJ-NP-Z]{6}$/);

    const id = await requestIdOf(store.db, queryCode);
    await stepInfoRequest(ctx, office, id, 'confirm', {});
    await putReplyDocument(ctx, office, id, { filename: '答复告知书.pdf', data: pdfOfSize(3000, 'form') });
    await stepInfoRequest(ctx, office, id, 'answer', { outcome: 'open', note: '予以公开，见答复告知书' });
    const status = await app.inject({
      method: 'POST',
      url: '/ysqgk/chaxun',
      ...form({ queryCode, password }),
      ...remote(),
    });
    assert.equal(status.statusCode, 200);
    const lines = mainLines(status.body);
    assert.ok(lines.includes('办理状态已答复'), lines.join('\n'));
    assert.ok(lines.includes('办理结果予以公开'), lines.join('\n'));
    assert.ok(lines.includes('下载答复文书（答复告知书.pdf，3 KB）'), lines.join('\n'));
    const file = await app.inject({
      method: 'POST',
      url: '/ysqgk/wenshu',
      ...form({ queryCode, password }),
      ...remote(),
    });
    assert.equal(file.statusCode, 200);
    assert.equal(file.headers['content-type'], 'application/pdf');
    assert.equal(
      file.headers['content-disposition'],
      `attachment; filename="_____.pdf"; filename*=UTF-8''${encodeURIComponent('答复告知书.pdf')}`,
    );
    assert.ok(file.rawPayload.equals(pdfOfSize(3000, 'form')));
    const refused = await app.inject({
      method: 'POST',
      url: '/ysqgk/wenshu',
      ...form({ queryCode, password: 'WRONG' }),
      ...remote(),
    });
    assert.equal(refused.statusCode, 404);
    assert.ok(mainLines(refused.body).includes('查询码或查询密码不正确'));
  });

  test('a reply document whose bytes are not what its name says is refused with 415, and nothing is kept', async () => {
    const receipt = await app.inject({
      method: 'POST',
      url: '/api/v1/public/info-requests',
      payload: { ...citizenRequest(), altcha: await solvedPow(ctx) },
      ...remote(),
    });
    const id = await requestIdOf(store.db, receipt.json<{ queryCode: string }>().queryCode);
    const client = await signIn(app, 'office');
    const lying = multipart(
      {},
      { name: 'reply.pdf', data: Buffer.from('<html>not a pdf</html>'), type: 'application/pdf' },
    );
    const response = await client.request('PUT', `/api/v1/info-requests/${id}/reply-document`, lying.body, {
      'content-type': lying.contentType,
    });
    assert.equal(response.statusCode, 415);
    assert.equal(response.json<{ code: string }>().code, 'MEDIA_TYPE_MISMATCH');
    const detail = await client.request('GET', `/api/v1/info-requests/${id}`);
    assert.equal(detail.json<{ replyDocument: unknown }>().replyDocument, null);
  });

  test('OpenAPI documents the request’s fields', async () => {
    const spec = (await app.inject('/api/openapi.json')).json<{
      paths: Record<
        string,
        { post?: { requestBody: { content: Record<string, { schema: { properties: object } }> } } }
      >;
    }>();
    const body = spec.paths['/api/v1/public/info-requests']?.post?.requestBody.content['application/json']?.schema;
    assert.deepEqual(Object.keys(body?.properties ?? {}), [
      'applicantClass',
      'name',
      'idType',
      'idNumber',
      'legalRepresentative',
      'contactName',
      'phone',
      'email',
      'address',
      'postcode',
      'description',
      'documentNo',
      'purpose',
      'deliveryForm',
      'deliveryWay',
      'altcha',
      'challengeToken',
      'challengeAnswer',
      'website',
    ]);
  });
});
