import {
  GazetteError,
  SURVEY_PHASE_NAMES,
  checkQuestions,
  checkSurveyFields,
  sanitizeBodyHtml,
  tallyCsv,
  tallySurvey,
  type QuestionInput,
  type SurveyQuestion,
} from '../../domain/index.js';
import { surveys, type Survey } from '../../store/index.js';
import { requireAnywhere, type Actor } from '../actor.js';
import { appendAudit } from '../audit.js';
import type { ServiceContext } from '../context.js';
import { resultsOf } from './answers.js';
import { findOnSite, publicViewOf, summaryOf, surveyScope } from './common.js';
import type { OfficeSurveyList, SurveyDetail, SurveyInput, SurveyResults } from './views.js';

/**
 * 网上调查 in the back office: the office (permission survey.manage) writes a survey and its
 * questions, publishes and withdraws it, and reads its results while it is open too. Each
 * operation checks the permission and writes in one transaction with its audit entry.
 */

async function officeScope(ctx: ServiceContext, actor: Actor) {
  const scope = await surveyScope(ctx);
  requireAnywhere(actor, 'survey.manage', scope.tree);
  return scope;
}

function detailOf(
  survey: Survey,
  questions: readonly SurveyQuestion[],
  respondents: number,
  today: string,
): SurveyDetail {
  return {
    ...publicViewOf(survey, questions, today),
    status: survey.status,
    respondents,
    questionsFrozen: respondents > 0,
    createdAt: survey.createdAt,
    updatedAt: survey.updatedAt,
    publishedAt: survey.publishedAt,
  };
}

async function detail(ctx: ServiceContext, survey: Survey, today: string): Promise<SurveyDetail> {
  const db = ctx.store.db;
  return detailOf(survey, await surveys.questionsOf(db, survey.id), await surveys.responseCount(db, survey.id), today);
}

function checked(input: SurveyInput): { fields: SurveyInput; questions: QuestionInput[] } {
  checkSurveyFields(input);
  const questions = checkQuestions(input.questions);
  return {
    fields: { ...input, title: input.title.trim(), description: sanitizeBodyHtml(input.description) },
    questions,
  };
}

/** The survey's own columns, as written from the checked input. */
const columnsOf = (fields: SurveyInput) => ({
  title: fields.title,
  description: fields.description,
  startDay: fields.startDay,
  endDay: fields.endDay,
  respondentRule: fields.respondentRule,
  resultsPublic: fields.resultsPublic ? 1 : 0,
});

export async function listOfficeSurveys(ctx: ServiceContext, actor: Actor): Promise<OfficeSurveyList> {
  const scope = await officeScope(ctx, actor);
  const list = await surveys.listSurveys(ctx.store.db, scope.siteId);
  const items = [];
  for (const survey of list)
    items.push({
      ...summaryOf(survey, scope.today),
      respondents: await surveys.responseCount(ctx.store.db, survey.id),
    });
  return { items };
}

export async function officeSurvey(ctx: ServiceContext, actor: Actor, id: number): Promise<SurveyDetail> {
  const scope = await officeScope(ctx, actor);
  return detail(ctx, await findOnSite(ctx, scope.siteId, id), scope.today);
}

/** A new survey, as a draft. */
export async function createSurvey(ctx: ServiceContext, actor: Actor, input: SurveyInput): Promise<SurveyDetail> {
  const scope = await officeScope(ctx, actor);
  const { fields, questions } = checked(input);
  const now = ctx.clock.now().toISOString();
  const survey = await ctx.store.db.transaction().execute(async (trx) => {
    const made = await surveys.insertSurvey(trx, {
      siteId: scope.siteId,
      ...columnsOf(fields),
      status: 'draft',
      createdAt: now,
      updatedAt: now,
      publishedAt: null,
    });
    await surveys.replaceQuestions(trx, made.id, questions);
    await appendAudit(trx, ctx.store.dialect, ctx.clock.now(), actor, {
      action: 'survey.create',
      targetType: 'survey',
      targetId: made.id,
      details: { title: made.title },
    });
    return made;
  });
  return detail(ctx, survey, scope.today);
}

const sameQuestions = (a: readonly QuestionInput[], b: readonly SurveyQuestion[]) =>
  JSON.stringify(
    a.map((q) => [q.kind, q.title, q.required, q.options ?? [], q.minPicks ?? null, q.maxPicks ?? null]),
  ) === JSON.stringify(b.map((q) => [q.kind, q.title, q.required, q.options, q.minPicks, q.maxPicks]));

/**
 * The survey changed: its fields at any time before it is withdrawn; its questions only while
 * no one has answered (409 SURVEY_FROZEN), so every answer counted was given to the same questions.
 */
export async function updateSurvey(
  ctx: ServiceContext,
  actor: Actor,
  id: number,
  input: SurveyInput,
): Promise<SurveyDetail> {
  const scope = await officeScope(ctx, actor);
  const { fields, questions } = checked(input);
  const survey = await ctx.store.db.transaction().execute(async (trx) => {
    const found = await findOnSite({ ...ctx, store: { ...ctx.store, db: trx } }, scope.siteId, id);
    if (found.status === 'withdrawn')
      throw new GazetteError('SURVEY_STATUS_INVALID', {
        status: SURVEY_PHASE_NAMES.withdrawn,
        action: { zh: '修改', en: 'edited' },
      });
    const answered = (await surveys.responseCount(trx, id)) > 0;
    // Once answered, the questions and who may answer once are fixed: the answers are keyed by
    // the rule (phone or address), so a changed rule would let every respondent answer again.
    if (answered && fields.respondentRule !== found.respondentRule) throw new GazetteError('SURVEY_FROZEN');
    if (!sameQuestions(questions, await surveys.questionsOf(trx, id))) {
      if (answered) throw new GazetteError('SURVEY_FROZEN');
      await surveys.replaceQuestions(trx, id, questions);
    }
    const changed = await surveys.updateSurvey(trx, scope.siteId, id, {
      ...columnsOf(fields),
      updatedAt: ctx.clock.now().toISOString(),
    });
    await appendAudit(trx, ctx.store.dialect, ctx.clock.now(), actor, {
      action: 'survey.update',
      targetType: 'survey',
      targetId: id,
      details: { title: changed.title },
    });
    return changed;
  });
  return detail(ctx, survey, scope.today);
}

/** draft → published (it opens on its start day), published → withdrawn (gone from the public pages). */
export async function setSurveyStatus(
  ctx: ServiceContext,
  actor: Actor,
  id: number,
  to: 'published' | 'withdrawn',
): Promise<SurveyDetail> {
  const scope = await officeScope(ctx, actor);
  const from = to === 'published' ? 'draft' : 'published';
  const survey = await ctx.store.db.transaction().execute(async (trx) => {
    const found = await findOnSite({ ...ctx, store: { ...ctx.store, db: trx } }, scope.siteId, id);
    if (found.status !== from)
      throw new GazetteError('SURVEY_STATUS_INVALID', {
        status: found.status === 'published' ? { zh: '已发布', en: 'published' } : SURVEY_PHASE_NAMES[found.status],
        action: to === 'published' ? { zh: '发布', en: 'published' } : { zh: '撤回', en: 'withdrawn' },
      });
    const now = ctx.clock.now().toISOString();
    const changed = await surveys.updateSurvey(trx, scope.siteId, id, {
      status: to,
      updatedAt: now,
      ...(to === 'published' && { publishedAt: now }),
    });
    await appendAudit(trx, ctx.store.dialect, ctx.clock.now(), actor, {
      action: to === 'published' ? 'survey.publish' : 'survey.withdraw',
      targetType: 'survey',
      targetId: id,
      details: {},
    });
    return changed;
  });
  return detail(ctx, survey, scope.today);
}

/** The results for the office, while open too, with the free-text answers (masked). */
export async function officeSurveyResults(ctx: ServiceContext, actor: Actor, id: number): Promise<SurveyResults> {
  const scope = await officeScope(ctx, actor);
  return resultsOf(ctx, await findOnSite(ctx, scope.siteId, id), scope.today, true);
}

/** The tallies as CSV (题号, 题目, 题型, 选项, 人数, 比例), for a spreadsheet. */
export async function surveyResultsCsv(
  ctx: ServiceContext,
  actor: Actor,
  id: number,
): Promise<{ fileName: string; csv: string }> {
  const scope = await officeScope(ctx, actor);
  const survey = await findOnSite(ctx, scope.siteId, id);
  const db = ctx.store.db;
  const tally = tallySurvey(await surveys.questionsOf(db, survey.id), await surveys.responsesOf(db, survey.id));
  return { fileName: `survey-${survey.id}-results.csv`, csv: tallyCsv(tally) };
}
