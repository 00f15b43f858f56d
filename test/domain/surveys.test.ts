import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  GazetteError,
  checkAnswers,
  checkQuestions,
  checkSurveyFields,
  surveyPhase,
  tallyCsv,
  tallySurvey,
  type SurveyQuestion,
} from '../../src/domain/index.js';

const QUESTIONS: SurveyQuestion[] = [
  {
    id: 11,
    kind: 'single',
    title: '总体评价',
    required: true,
    options: ['满意', '一般', '不满意'],
    minPicks: null,
    maxPicks: null,
  },
  {
    id: 12,
    kind: 'multiple',
    title: '常用渠道',
    required: false,
    options: ['网站', '窗口', '热线'],
    minPicks: 2,
    maxPicks: 3,
  },
  { id: 13, kind: 'text', title: '建议', required: false, options: [], minPicks: null, maxPicks: null },
];

function refusal(run: () => unknown): { field: unknown; message: string } {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof GazetteError);
    return { field: error.params.field, message: error.messageIn('zh') };
  }
  assert.fail('no refusal');
}

describe('网上调查: the rules', () => {
  test('the phase follows the local day: open from the first day to the last, closed the day after', () => {
    const survey = { status: 'published' as const, startDay: '2025-12-01', endDay: '2025-12-07' };
    assert.deepEqual(
      ['2025-11-30', '2025-12-01', '2025-12-07', '2025-12-08'].map((day) => surveyPhase(survey, day)),
      ['upcoming', 'open', 'open', 'closed'],
    );
    assert.equal(surveyPhase({ ...survey, status: 'draft' }, '2025-12-03'), 'draft');
    assert.equal(surveyPhase({ ...survey, status: 'withdrawn' }, '2025-12-03'), 'withdrawn');
  });

  test('the survey and its questions are checked, each problem naming its field', () => {
    const fields = { title: '调查', startDay: '2025-12-08', endDay: '2025-12-01', respondentRule: 'phone' };
    assert.deepEqual(
      refusal(() => checkSurveyFields(fields)),
      {
        field: 'endDay',
        message: '结束日期填写有误：结束日期不能早于开始日期',
      },
    );
    assert.deepEqual(
      refusal(() => checkSurveyFields({ ...fields, endDay: '2025-12-09', respondentRule: 'email' })),
      {
        field: 'respondentRule',
        message: '答卷限制填写有误：请选择“每个手机号”或“每个IP地址”',
      },
    );
    assert.deepEqual(
      refusal(() =>
        checkQuestions([
          { kind: 'text', title: '一', required: true },
          { kind: 'single', title: '二', required: true, options: ['是', '是'] },
        ]),
      ),
      { field: 'questions[1].options', message: '第 2 题填写有误：选项不能重复' },
    );
    assert.deepEqual(
      refusal(() =>
        checkQuestions([
          { kind: 'multiple', title: '多', required: true, options: ['甲', '乙'], minPicks: 2, maxPicks: 1 },
        ]),
      ),
      { field: 'questions[0].minPicks', message: '第 1 题填写有误：最少、最多选择项数须在 1 至选项数之间' },
    );
    assert.deepEqual(checkQuestions([{ kind: 'text', title: ' 建议 ', required: false, options: ['x'] }]), [
      { kind: 'text', title: '建议', required: false, options: [], minPicks: null, maxPicks: null },
    ]);
  });

  test('answers are checked against the questions: the first problem names the question', () => {
    const cases: [Parameters<typeof checkAnswers>[1], string, string][] = [
      [[], 'q11', '第 1 题“总体评价”填写有误：请选择一项'],
      [[{ questionId: 11, choices: [1, 2] }], 'q11', '第 1 题“总体评价”填写有误：只能选择一项'],
      [[{ questionId: 11, choices: [4] }], 'q11', '第 1 题“总体评价”填写有误：所选选项不存在'],
      [
        [
          { questionId: 11, choices: [1] },
          { questionId: 12, choices: [2] },
        ],
        'q12',
        '第 2 题“常用渠道”填写有误：至少选择 2 项',
      ],
      [
        [
          { questionId: 11, choices: [1] },
          { questionId: 13, text: '字'.repeat(501) },
        ],
        'q13',
        '第 3 题“建议”填写有误：最多 500 个字（现为 501 个字）',
      ],
      [[{ questionId: 99, choices: [1] }], 'answers', '答卷填写有误：没有编号为 99 的题目'],
    ];
    for (const [answers, field, message] of cases)
      assert.deepEqual(
        refusal(() => checkAnswers(QUESTIONS, answers)),
        { field, message },
      );
    assert.deepEqual(
      checkAnswers(QUESTIONS, [
        { questionId: 12, choices: [3, 1, 3] },
        { questionId: 11, choices: [2] },
        { questionId: 13, text: '  ' },
      ]),
      [
        { questionId: 11, choice: 2, text: null },
        { questionId: 12, choice: 1, text: null },
        { questionId: 12, choice: 3, text: null },
      ],
    );
  });

  test('the tally: counts, shares of the question’s respondents, texts in order, and the CSV', () => {
    const sheet = (single: number | null, multiple: number[], text: string | null) => ({
      items: [
        ...(single === null ? [] : [{ questionId: 11, choice: single, text: null }]),
        ...multiple.map((choice) => ({ questionId: 12, choice, text: null })),
        ...(text === null ? [] : [{ questionId: 13, choice: null, text }]),
      ],
    });
    const tally = tallySurvey(QUESTIONS, [
      sheet(1, [1, 2], '多开窗口'),
      sheet(1, [1, 3], null),
      sheet(3, [], '网站太慢'),
      sheet(2, [1, 2, 3], null),
    ]);
    assert.deepEqual(tally, {
      respondents: 4,
      questions: [
        {
          questionId: 11,
          kind: 'single',
          title: '总体评价',
          answered: 4,
          options: [
            { option: 1, label: '满意', count: 2, share: 0.5 },
            { option: 2, label: '一般', count: 1, share: 0.25 },
            { option: 3, label: '不满意', count: 1, share: 0.25 },
          ],
          texts: [],
        },
        {
          questionId: 12,
          kind: 'multiple',
          title: '常用渠道',
          answered: 3,
          options: [
            { option: 1, label: '网站', count: 3, share: 1 },
            { option: 2, label: '窗口', count: 2, share: 0.6667 },
            { option: 3, label: '热线', count: 2, share: 0.6667 },
          ],
          texts: [],
        },
        { questionId: 13, kind: 'text', title: '建议', answered: 2, options: [], texts: ['多开窗口', '网站太慢'] },
      ],
    });
    assert.equal(
      tallyCsv(tally),
      '\ufeff题号,题目,题型,选项,人数,比例\r\n1,总体评价,单选,满意,2,50.0%\r\n1,总体评价,单选,一般,1,25.0%\r\n1,总体评价,单选,不满意,1,25.0%\r\n2,常用渠道,多选,网站,3,100.0%\r\n2,常用渠道,多选,窗口,2,66.7%\r\n2,常用渠道,多选,热线,2,66.7%\r\n3,建议,文字,（文字答案）,2,\r\n,答卷总数,,,4,\r\n',
    );
    assert.deepEqual(tallySurvey(QUESTIONS, []).questions[0]?.options[0], {
      option: 1,
      label: '满意',
      count: 0,
      share: 0,
    });
  });
});
