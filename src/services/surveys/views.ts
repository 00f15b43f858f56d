import { Type, type Static } from 'typebox';
import { SURVEY_LIMITS } from '../../domain/index.js';
import { NewInfoRequestSchema } from '../cases/info-request-views.js';
import { Day, Nullable, Time } from '../views.js';

/** 网上调查 as the API reads and writes it: the services' types, the validation and OpenAPI. */

export const QuestionKindSchema = Type.Union([Type.Literal('single'), Type.Literal('multiple'), Type.Literal('text')], {
  description: 'single 单选 (radio), multiple 多选 (checkboxes), text 文字 (≤ 500 characters)',
});
export const RespondentRuleSchema = Type.Union([Type.Literal('phone'), Type.Literal('address')], {
  description: 'One answer per phone number (asked on the form) or per client address',
});
export const SurveyPhaseSchema = Type.Union(
  [
    Type.Literal('draft'),
    Type.Literal('upcoming'),
    Type.Literal('open'),
    Type.Literal('closed'),
    Type.Literal('withdrawn'),
  ],
  {
    description:
      'draft 草稿, upcoming 未开始, open 进行中, closed 已结束 (by the clock, site time zone), withdrawn 已撤回',
  },
);

export const QuestionInputSchema = Type.Object(
  {
    kind: QuestionKindSchema,
    title: Type.String({ maxLength: SURVEY_LIMITS.questionTitleMax }),
    required: Type.Boolean(),
    options: Type.Optional(
      Type.Array(Type.String({ maxLength: SURVEY_LIMITS.optionMax }), { maxItems: SURVEY_LIMITS.optionsMax }),
    ),
    minPicks: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
    maxPicks: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
  },
  { additionalProperties: false },
);

export const SurveyInputSchema = Type.Object(
  {
    title: Type.String({ maxLength: SURVEY_LIMITS.titleMax }),
    description: Type.String({ maxLength: 20000, description: 'Rich text (HTML), sanitised on the way in' }),
    startDay: Type.String({ maxLength: 10, description: 'First day, YYYY-MM-DD (site time zone)' }),
    endDay: Type.String({ maxLength: 10, description: 'Last day: the survey closes at its end' }),
    respondentRule: RespondentRuleSchema,
    resultsPublic: Type.Boolean({ description: 'Results on the public page once closed' }),
    questions: Type.Array(QuestionInputSchema, { maxItems: SURVEY_LIMITS.questionsMax }),
  },
  { additionalProperties: false },
);
export type SurveyInput = Static<typeof SurveyInputSchema>;

export const QuestionSchema = Type.Object({
  id: Type.Integer(),
  kind: QuestionKindSchema,
  title: Type.String(),
  required: Type.Boolean(),
  options: Type.Array(Type.String(), { description: 'The labels; an answer names them by number from 1' }),
  minPicks: Nullable(Type.Integer()),
  maxPicks: Nullable(Type.Integer()),
});

const SurveyFields = {
  id: Type.Integer(),
  title: Type.String(),
  startDay: Day,
  endDay: Day,
  respondentRule: RespondentRuleSchema,
  resultsPublic: Type.Boolean(),
  phase: SurveyPhaseSchema,
  phaseName: Type.String(),
};

export const SurveySummarySchema = Type.Object(SurveyFields);
export type SurveySummary = Static<typeof SurveySummarySchema>;

export const PublicSurveySchema = Type.Object({
  ...SurveyFields,
  descriptionHtml: Type.String(),
  questions: Type.Array(QuestionSchema),
});
export type PublicSurvey = Static<typeof PublicSurveySchema>;

export const SurveyDetailSchema = Type.Object({
  ...SurveyFields,
  status: Type.Union([Type.Literal('draft'), Type.Literal('published'), Type.Literal('withdrawn')]),
  descriptionHtml: Type.String(),
  questions: Type.Array(QuestionSchema),
  respondents: Type.Integer(),
  questionsFrozen: Type.Boolean({ description: 'Answers exist: the questions cannot change' }),
  createdAt: Time,
  updatedAt: Time,
  publishedAt: Nullable(Time),
});
export type SurveyDetail = Static<typeof SurveyDetailSchema>;

export const OfficeSurveyRowSchema = Type.Object({ ...SurveyFields, respondents: Type.Integer() });
export const OfficeSurveyListSchema = Type.Object({ items: Type.Array(OfficeSurveyRowSchema) });
export type OfficeSurveyList = Static<typeof OfficeSurveyListSchema>;

export const QuestionTallySchema = Type.Object({
  questionId: Type.Integer(),
  kind: QuestionKindSchema,
  title: Type.String(),
  answered: Type.Integer({ description: 'Respondents who answered this question' }),
  options: Type.Array(
    Type.Object({
      option: Type.Integer(),
      label: Type.String(),
      count: Type.Integer(),
      share: Type.Number({
        description: 'count / the question’s respondents (a multiple choice: of respondents; may add past 1)',
      }),
    }),
  ),
  texts: Type.Array(Type.String(), {
    description: 'Free-text answers, masked (back office only; empty on the public results)',
  }),
});

export const SurveyResultsSchema = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  phase: SurveyPhaseSchema,
  respondents: Type.Integer(),
  questions: Type.Array(QuestionTallySchema),
});
export type SurveyResults = Static<typeof SurveyResultsSchema>;

export const AnswerInputSchema = Type.Object(
  {
    questionId: Type.Integer({ minimum: 1 }),
    choices: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: SURVEY_LIMITS.optionsMax })),
    text: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

/** An answer sheet from the public, JSON or the page's form (then read field by field). */
export const SurveyAnswerSchema = Type.Object(
  {
    answers: Type.Array(AnswerInputSchema, { maxItems: SURVEY_LIMITS.questionsMax }),
    phone: Type.Optional(Type.String({ maxLength: 30, description: 'Required when the survey counts phones' })),
    // The anti-abuse fields, as every public form takes them.
    altcha: NewInfoRequestSchema.properties.altcha,
    challengeToken: NewInfoRequestSchema.properties.challengeToken,
    challengeAnswer: NewInfoRequestSchema.properties.challengeAnswer,
    website: NewInfoRequestSchema.properties.website,
  },
  { additionalProperties: false },
);
export type SurveyAnswer = Static<typeof SurveyAnswerSchema>;

export const SurveyAnsweredSchema = Type.Object({
  surveyId: Type.Integer(),
  submittedAt: Time,
});
export type SurveyAnswered = Static<typeof SurveyAnsweredSchema>;
