import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import {
  QUESTION_KINDS,
  RESPONDENT_RULES,
  SURVEY_STATUSES,
  type AnswerItem,
  type QuestionInput,
  type RespondentRule,
  type SurveyQuestion,
  type SurveyStatus,
} from '../domain/index.js';
import type { Database, SurveyTable } from './schema.js';

/** 网上调查's tables: the surveys of a site, their questions, the responses and their answers. */

export interface Survey extends Omit<Selectable<SurveyTable>, 'status' | 'respondentRule' | 'resultsPublic'> {
  readonly status: SurveyStatus;
  readonly respondentRule: RespondentRule;
  readonly resultsPublic: boolean;
}

function toSurvey(row: Selectable<SurveyTable>): Survey {
  const status = SURVEY_STATUSES.find((s) => s === row.status);
  const respondentRule = RESPONDENT_RULES.find((r) => r === row.respondentRule);
  if (!status || !respondentRule)
    throw new TypeError(`survey ${row.id} holds status "${row.status}" and rule "${row.respondentRule}"`);
  return { ...row, status, respondentRule, resultsPublic: row.resultsPublic === 1 };
}

export async function insertSurvey(db: Kysely<Database>, row: Insertable<SurveyTable>): Promise<Survey> {
  return toSurvey(await db.insertInto('survey').values(row).returningAll().executeTakeFirstOrThrow());
}

export async function findSurvey(db: Kysely<Database>, siteId: number, id: number): Promise<Survey | undefined> {
  const row = await db
    .selectFrom('survey')
    .selectAll()
    .where('id', '=', id)
    .where('siteId', '=', siteId)
    .executeTakeFirst();
  return row && toSurvey(row);
}

export async function updateSurvey(
  db: Kysely<Database>,
  siteId: number,
  id: number,
  patch: Updateable<SurveyTable>,
): Promise<Survey> {
  const row = await db
    .updateTable('survey')
    .set(patch)
    .where('id', '=', id)
    .where('siteId', '=', siteId)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toSurvey(row);
}

/** A site's surveys, the newest period first; `statuses` narrows them (the public sees published ones). */
export async function listSurveys(
  db: Kysely<Database>,
  siteId: number,
  statuses: readonly SurveyStatus[] = SURVEY_STATUSES,
): Promise<Survey[]> {
  const rows = await db
    .selectFrom('survey')
    .selectAll()
    .where('siteId', '=', siteId)
    .where('status', 'in', statuses)
    .orderBy('endDay', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toSurvey);
}

export async function questionsOf(db: Kysely<Database>, surveyId: number): Promise<SurveyQuestion[]> {
  const rows = await db
    .selectFrom('surveyQuestion')
    .selectAll()
    .where('surveyId', '=', surveyId)
    .orderBy('position')
    .execute();
  return rows.map((row) => {
    const kind = QUESTION_KINDS.find((k) => k === row.kind);
    if (!kind) throw new TypeError(`survey question ${row.id} holds kind "${row.kind}"`);
    return {
      id: row.id,
      kind,
      title: row.title,
      required: row.required === 1,
      options: JSON.parse(row.options) as string[],
      minPicks: row.minPicks,
      maxPicks: row.maxPicks,
    };
  });
}

/** Puts the questions in place of the survey's earlier ones (never once it has answers). */
export async function replaceQuestions(
  db: Kysely<Database>,
  surveyId: number,
  questions: readonly QuestionInput[],
): Promise<void> {
  await db.deleteFrom('surveyQuestion').where('surveyId', '=', surveyId).execute();
  if (questions.length === 0) return;
  await db
    .insertInto('surveyQuestion')
    .values(
      questions.map((q, position) => ({
        surveyId,
        position,
        kind: q.kind,
        title: q.title,
        required: q.required ? 1 : 0,
        options: JSON.stringify(q.options ?? []),
        minPicks: q.minPicks ?? null,
        maxPicks: q.maxPicks ?? null,
      })),
    )
    .execute();
}

export async function responseCount(db: Kysely<Database>, surveyId: number): Promise<number> {
  const row = await db
    .selectFrom('surveyResponse')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('surveyId', '=', surveyId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function hasResponded(db: Kysely<Database>, surveyId: number, respondentKey: string): Promise<boolean> {
  const row = await db
    .selectFrom('surveyResponse')
    .select('id')
    .where('surveyId', '=', surveyId)
    .where('respondentKey', '=', respondentKey)
    .executeTakeFirst();
  return row !== undefined;
}

/** One response and its answers. The unique index on (survey, respondent key) refuses a second one. */
export async function insertResponse(
  db: Kysely<Database>,
  surveyId: number,
  respondentKey: string,
  submittedAt: string,
  items: readonly AnswerItem[],
): Promise<number> {
  const { id } = await db
    .insertInto('surveyResponse')
    .values({ surveyId, respondentKey, submittedAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (items.length > 0)
    await db
      .insertInto('surveyAnswer')
      .values(items.map((i) => ({ responseId: id, questionId: i.questionId, choice: i.choice, text: i.text })))
      .execute();
  return id;
}

/** Every response of a survey with its answers, oldest first (what the tally counts). */
export async function responsesOf(
  db: Kysely<Database>,
  surveyId: number,
): Promise<{ id: number; items: AnswerItem[] }[]> {
  const rows = await db
    .selectFrom('surveyAnswer')
    .innerJoin('surveyResponse', 'surveyResponse.id', 'surveyAnswer.responseId')
    .select(['surveyAnswer.responseId', 'surveyAnswer.questionId', 'surveyAnswer.choice', 'surveyAnswer.text'])
    .where('surveyResponse.surveyId', '=', surveyId)
    .orderBy('surveyAnswer.responseId')
    .orderBy('surveyAnswer.id')
    .execute();
  const ids = await db
    .selectFrom('surveyResponse')
    .select('id')
    .where('surveyId', '=', surveyId)
    .orderBy('id')
    .execute();
  const byId = new Map(ids.map(({ id }) => [id, [] as AnswerItem[]]));
  for (const row of rows)
    byId.get(row.responseId)?.push({ questionId: row.questionId, choice: row.choice, text: row.text });
  return [...byId].map(([id, items]) => ({ id, items }));
}
