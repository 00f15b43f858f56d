import { createHash } from 'node:crypto';
import { checkAnswers, formatDate, type AnswerInput, type Site } from '../domain/index.js';
import { createSurvey, setSurveyStatus, type Actor, type ServiceContext, type SurveyInput } from '../services/index.js';
import { surveys } from '../store/index.js';

/**
 * The demo portal's 网上调查 (/wsdc/): one survey open now and one closed a month ago with its
 * answers, so that the list, the form and the published results all have something to show.
 */

const DAY_MS = 86_400_000;

const QUESTIONS: SurveyInput['questions'] = [
  { kind: 'single', title: '您对本区政务服务的总体评价', required: true, options: ['满意', '基本满意', '不满意'] },
  {
    kind: 'multiple',
    title: '您通常通过哪些渠道办理政务服务事项',
    required: true,
    options: ['网上办事大厅', '政务服务中心窗口', '12345热线', '手机App'],
    minPicks: 1,
    maxPicks: 3,
  },
  { kind: 'text', title: '您对改进政务服务的意见和建议', required: false },
];

/** The closed survey's answer sheets: [总体评价, 渠道…, 建议]. */
const SHEETS: [number, number[], string][] = [
  [1, [1, 2], '希望周末也能办理部分业务'],
  [1, [1], ''],
  [2, [2, 3], '窗口排队时间较长'],
  [1, [1, 3], ''],
  [3, [2], '材料要求能否一次性告知'],
  [2, [1, 3], ''],
  [1, [2], ''],
];

export async function createDemoSurveys(ctx: ServiceContext, portal: Site): Promise<number> {
  const site = { ...ctx, siteId: portal.id };
  const office: Actor = {
    userId: null,
    userName: 'gazette serve',
    grants: [{ role: 'office', channelId: null }],
    ip: null,
  };
  const now = ctx.clock.now().getTime();
  const day = (offset: number) => formatDate(new Date(now + offset * DAY_MS), portal.timeZone);
  const open = await createSurvey(site, office, {
    title: '2025年度政务服务满意度网上调查',
    description: '<p>为进一步提升政务服务水平，现开展满意度网上调查，欢迎参与。</p>',
    startDay: day(-3),
    endDay: day(30),
    respondentRule: 'phone',
    resultsPublic: true,
    questions: QUESTIONS,
  });
  await setSurveyStatus(site, office, open.id, 'published');
  const closed = await createSurvey(site, office, {
    title: '关于公共文化设施开放时间的网上调查',
    description: '<p>就图书馆、文化馆延长开放时间征求意见。</p>',
    startDay: day(-60),
    endDay: day(-30),
    respondentRule: 'address',
    resultsPublic: true,
    questions: [
      { kind: 'single', title: '您是否支持延长开放时间', required: true, options: ['支持', '不支持', '无所谓'] },
      {
        kind: 'multiple',
        title: '您希望在哪些时段开放',
        required: true,
        options: ['工作日晚间', '周末全天', '节假日'],
      },
      { kind: 'text', title: '其他意见', required: false },
    ],
  });
  await setSurveyStatus(site, office, closed.id, 'published');
  const questions = await surveys.questionsOf(ctx.store.db, closed.id);
  const at = new Date(now - 45 * DAY_MS).toISOString();
  for (const [index, [single, multiple, text]] of SHEETS.entries()) {
    const [q1, q2, q3] = questions;
    if (!q1 || !q2 || !q3) break;
    const answers: AnswerInput[] = [
      { questionId: q1.id, choices: [single] },
      { questionId: q2.id, choices: multiple },
      { questionId: q3.id, text },
    ];
    const key = createHash('sha256').update(`demo survey respondent ${index}`).digest('base64url');
    await surveys.insertResponse(ctx.store.db, closed.id, key, at, checkAnswers(questions, answers));
  }
  return 2;
}
