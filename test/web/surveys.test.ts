import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../src/clock.js';
import type { ServiceContext } from '../../src/services/index.js';
import { demoApp } from '../helpers/app.js';
import { PINNED_NOW, testStore, type TestStore } from '../helpers/store.js';
import { makeRoleAccounts, signIn, type ApiClient } from '../helpers/backoffice.js';
import { answeredQuestion, solvedPow } from '../helpers/letters.js';
import { form, mainLines, questionOf } from '../helpers/pages.js';

/** The survey of these tests: one of each kind of question, one answer per phone, 1–7 December 2025. */
export const SURVEY = {
  title: '政务服务满意度调查',
  description: '<p>请根据您的办事体验填写。</p><script>alert(1)</script>',
  startDay: '2025-12-01',
  endDay: '2025-12-07',
  respondentRule: 'phone',
  resultsPublic: true,
  questions: [
    { kind: 'single', title: '您对本区政务服务的总体评价', required: true, options: ['满意', '基本满意', '不满意'] },
    {
      kind: 'multiple',
      title: '您常用的办事渠道',
      required: true,
      options: ['网上办事大厅', '政务服务中心窗口', '12345热线', '手机App'],
      minPicks: 1,
      maxPicks: 2,
    },
    { kind: 'text', title: '您的意见和建议', required: false },
  ],
} as const;

describe('网上调查 over HTTP: create, publish, answer (JSON and the form), one per phone, close, results', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let ctx: ServiceContext;
  let office: ApiClient;
  let serial = 0;
  const remote = () => ({ remoteAddress: `198.51.100.${++serial}` });
  let now = new Date(PINNED_NOW);
  const clock: Clock = { now: () => new Date(now) };
  let id = 0;
  let q: number[] = [];
  const responses = async () =>
    Number(
      (
        await store.db
          .selectFrom('surveyResponse')
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

  test('the office creates a survey (description sanitised) and publishes it; an editor may not', async () => {
    const editor = await signIn(app, 'editor');
    assert.equal((await editor.request('POST', '/api/v1/surveys', SURVEY)).statusCode, 403);
    const bad = await office.request('POST', '/api/v1/surveys', {
      ...SURVEY,
      questions: [{ kind: 'single', title: '只有一个选项', required: true, options: ['是'] }],
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json<{ message: string }>().message, '第 1 题填写有误：选项须为 2 至 20 个');
    const made = await office.request('POST', '/api/v1/surveys', SURVEY);
    assert.equal(made.statusCode, 201, made.body);
    const survey = made.json<{ id: number; descriptionHtml: string; phase: string; questions: { id: number }[] }>();
    id = survey.id;
    q = survey.questions.map((question) => question.id);
    assert.equal(survey.descriptionHtml, '<p>请根据您的办事体验填写。</p>');
    assert.equal(survey.phase, 'draft');
    assert.equal((await app.inject(`/api/v1/public/surveys/${id}`)).statusCode, 404);
    const published = await office.request('POST', `/api/v1/surveys/${id}/publish`);
    assert.equal(published.statusCode, 200, published.body);
    assert.deepEqual(
      [
        published.json<{ phase: string }>().phase,
        (await office.request('POST', `/api/v1/surveys/${id}/publish`)).statusCode,
      ],
      ['open', 409],
    );
  });

  test('answers: JSON, the form without JavaScript, a second one from the same phone 409, bad input 400 naming the question', async () => {
    const url = `/api/v1/public/surveys/${id}/answers`;
    const json = async (answers: unknown, phone: string) =>
      app.inject({ method: 'POST', url, payload: { answers, phone, altcha: await solvedPow(ctx) }, ...remote() });
    const first = await json(
      [
        { questionId: q[0], choices: [1] },
        { questionId: q[1], choices: [1, 3] },
        { questionId: q[2], text: '希望延长周末办事时间，联系我13912345678' },
      ],
      '13800138000',
    );
    assert.equal(first.statusCode, 201, first.body);
    assert.deepEqual(first.json(), { surveyId: id, submittedAt: new Date(PINNED_NOW).toISOString() });

    const page = await app.inject(`/wsdc/${id}`);
    assert.equal(page.statusCode, 200);
    const posted = await app.inject({
      method: 'POST',
      url,
      ...form({
        [`q${q[0]}`]: '1',
        [`q${q[1]}_2`]: '2',
        [`q${q[1]}_3`]: '3',
        [`t${q[2]}`]: '',
        phone: '139 0013 9000',
        website: '',
        altcha: '',
        ...questionOf(page.body),
      }),
      ...remote(),
    });
    assert.equal(posted.statusCode, 201, posted.body);
    assert.deepEqual(mainLines(posted.body), [
      '首页 > 网上调查 > 感谢参与',
      '感谢您参与本次调查',
      '您对“政务服务满意度调查”的答卷已提交。',
      '结果将于调查结束后（2025-12-07 之后）公布。',
      '返回调查页面 更多网上调查',
    ]);
    assert.equal(
      (
        await json(
          [
            { questionId: q[0], choices: [2] },
            { questionId: q[1], choices: [1] },
          ],
          '13700137000',
        )
      ).statusCode,
      201,
    );

    const before = await responses();
    const again = await json(
      [
        { questionId: q[0], choices: [3] },
        { questionId: q[1], choices: [4] },
      ],
      '+86 138 0013 8000',
    );
    assert.equal(again.statusCode, 409);
    assert.deepEqual(again.json(), {
      code: 'SURVEY_ALREADY_ANSWERED',
      message: '该手机号码已参与过本次调查，每个手机号码限答一次',
      messageEn: 'This phone number has already answered the survey: one answer each',
    });
    const tooMany = await json(
      [
        { questionId: q[0], choices: [1] },
        { questionId: q[1], choices: [1, 2, 3] },
      ],
      '13600136000',
    );
    assert.equal(tooMany.statusCode, 400);
    assert.equal(tooMany.json<{ message: string }>().message, '第 2 题“您常用的办事渠道”填写有误：最多选择 2 项');
    const missing = await json([{ questionId: q[1], choices: [1] }], '13600136000');
    assert.equal(
      missing.json<{ message: string }>().message,
      '第 1 题“您对本区政务服务的总体评价”填写有误：请选择一项',
    );
    // The form again with the reason, the answers kept.
    const formRefused = await app.inject({
      method: 'POST',
      url,
      ...form({ [`q${q[1]}_1`]: '1', phone: '13600136000', website: '', altcha: '', ...answeredQuestion(ctx) }),
      ...remote(),
    });
    assert.equal(formRefused.statusCode, 400);
    assert.ok(
      mainLines(formRefused.body).includes('提交未成功：第 1 题“您对本区政务服务的总体评价”填写有误：请选择一项'),
      formRefused.body,
    );
    assert.match(formRefused.body, new RegExp(`id="q${q[1]}-1" name="q${q[1]}_1" type="checkbox" value="1" checked`));

    const answers = [
      { questionId: q[0], choices: [1] },
      { questionId: q[1], choices: [1] },
    ];
    const badPow = await app.inject({
      method: 'POST',
      url,
      payload: { answers, phone: '13600136000', altcha: 'bm90IGEgcHJvb2Y=' },
      ...remote(),
    });
    const honeypot = await app.inject({
      method: 'POST',
      url,
      payload: { answers, phone: '13600136000', altcha: await solvedPow(ctx), website: 'http://spam.example' },
      ...remote(),
    });
    assert.deepEqual(
      [
        badPow.statusCode,
        badPow.json<{ code: string }>().code,
        honeypot.statusCode,
        honeypot.json<{ code: string }>().code,
      ],
      [400, 'CHALLENGE_FAILED', 400, 'CHALLENGE_FAILED'],
    );
    assert.equal(await responses(), before);
    // Answers exist: the questions are frozen.
    const edit = await office.request('PUT', `/api/v1/surveys/${id}`, {
      ...SURVEY,
      questions: [...SURVEY.questions, { kind: 'text', title: '补充一题', required: false }],
    });
    assert.equal(edit.statusCode, 409);
    assert.equal(edit.json<{ code: string }>().code, 'SURVEY_FROZEN');
    // Regression (the rule changed after answers): by address, every phone that answered could answer again.
    const rule = await office.request('PUT', `/api/v1/surveys/${id}`, { ...SURVEY, respondentRule: 'address' });
    assert.deepEqual(rule.json(), {
      code: 'SURVEY_FROZEN',
      message: '调查已有答卷，题目和答卷限制不能再修改',
      messageEn: 'The survey has answers: its questions and who may answer once cannot change any more',
    });
  });

  test('before the end the public results wait; past the end no answer is taken and the results are published', async () => {
    const early = await app.inject(`/api/v1/public/surveys/${id}/results`);
    assert.deepEqual([early.statusCode, early.json<{ message: string }>().message], [409, '结果将于调查结束后公布']);
    // Sunday 23:59 in Shanghai is still open; Monday 00:00 is closed.
    now = new Date('2025-12-07T23:59:00+08:00');
    assert.equal((await app.inject(`/api/v1/public/surveys/${id}`)).json<{ phase: string }>().phase, 'open');
    now = new Date('2025-12-08T00:00:00+08:00');
    const late = await app.inject({
      method: 'POST',
      url: `/api/v1/public/surveys/${id}/answers`,
      payload: {
        answers: [
          { questionId: q[0], choices: [1] },
          { questionId: q[1], choices: [1] },
        ],
        phone: '13500135000',
        altcha: await solvedPow(ctx),
      },
      ...remote(),
    });
    assert.deepEqual([late.statusCode, late.json<{ message: string }>().message], [409, '该调查已结束，不能提交答卷']);

    const results = await app.inject(`/api/v1/public/surveys/${id}/results`);
    assert.equal(results.statusCode, 200);
    const options = (labels: string[], counts: number[], shares: number[]) =>
      labels.map((label, i) => ({ option: i + 1, label, count: counts[i], share: shares[i] }));
    const expected = (texts: string[]) => ({
      id,
      title: '政务服务满意度调查',
      phase: 'closed',
      respondents: 3,
      questions: [
        {
          questionId: q[0],
          kind: 'single',
          title: '您对本区政务服务的总体评价',
          answered: 3,
          options: options(['满意', '基本满意', '不满意'], [2, 1, 0], [0.6667, 0.3333, 0]),
          texts: [],
        },
        {
          questionId: q[1],
          kind: 'multiple',
          title: '您常用的办事渠道',
          answered: 3,
          options: options(
            ['网上办事大厅', '政务服务中心窗口', '12345热线', '手机App'],
            [2, 1, 2, 0],
            [0.6667, 0.3333, 0.6667, 0],
          ),
          texts: [],
        },
        { questionId: q[2], kind: 'text', title: '您的意见和建议', answered: 1, options: [], texts },
      ],
    });
    assert.deepEqual(results.json(), expected([]));
    // The office reads the free texts, masked (signed in again: a week has passed).
    office = await signIn(app, 'office');
    const inOffice = await office.request('GET', `/api/v1/surveys/${id}/results`);
    assert.deepEqual(inOffice.json(), expected(['希望延长周末办事时间，联系我139****5678']));
    const csv = await office.request('GET', `/api/v1/surveys/${id}/results.csv`);
    assert.equal(csv.headers['content-type'], 'text/csv; charset=utf-8');
    assert.equal(
      csv.body,
      '\ufeff题号,题目,题型,选项,人数,比例\r\n1,您对本区政务服务的总体评价,单选,满意,2,66.7%\r\n1,您对本区政务服务的总体评价,单选,基本满意,1,33.3%\r\n1,您对本区政务服务的总体评价,单选,不满意,0,0.0%\r\n2,您常用的办事渠道,多选,网上办事大厅,2,66.7%\r\n2,您常用的办事渠道,多选,政务服务中心窗口,1,33.3%\r\n2,您常用的办事渠道,多选,12345热线,2,66.7%\r\n2,您常用的办事渠道,多选,手机App,0,0.0%\r\n3,您的意见和建议,文字,（文字答案）,1,\r\n,答卷总数,,,3,\r\n',
    );

    const page = await app.inject(`/wsdc/${id}`);
    assert.deepEqual(mainLines(page.body), [
      '首页 > 网上调查 > 政务服务满意度调查',
      '政务服务满意度调查',
      '调查时间：2025-12-01 至 2025-12-07 状态：已结束',
      '请根据您的办事体验填写。',
      '调查结果',
      '共收到答卷 3 份。',
      '1. 您对本区政务服务的总体评价（单选）',
      '第 1 题结果（答题 3 人）',
      '选项人数占本题答案比例',
      '满意266.7%',
      '基本满意133.3%',
      '不满意00.0%',
      '第 1 题 您对本区政务服务的总体评价：各选项人数满意：2 人（66.7%）；基本满意：1 人（33.3%）；不满意：0 人（0.0%）满意2（66.7%）基本满意1（33.3%）不满意0（0.0%）',
      '2. 您常用的办事渠道（多选）',
      '第 2 题结果（答题 3 人）',
      '选项人数占答题人数比例',
      '网上办事大厅266.7%',
      '政务服务中心窗口133.3%',
      '12345热线266.7%',
      '手机App00.0%',
      '第 2 题 您常用的办事渠道：各选项人数网上办事大厅：2 人（66.7%）；政务服务中心窗口：1 人（33.3%）；12345热线：2 人（66.7%）；手机App：0 人（0.0%）网上办事大厅2（66.7%）政务服务中心窗口1（33.3%）12345热线2（66.7%）手机App0（0.0%）',
      '3. 您的意见和建议（文字）',
      '本题共收到文字意见 1 条，不对外公布。',
      '返回网上调查列表',
    ]);
    assert.match(page.body, /<svg [^>]*role="img"[^>]*aria-labelledby="chart-q\d+-title chart-q\d+-desc">/);
    const list = await app.inject('/wsdc/');
    assert.ok(mainLines(list.body).includes('政务服务满意度调查已结束2025-12-012025-12-07'), list.body);
  });
});
