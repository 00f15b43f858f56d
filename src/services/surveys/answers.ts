import { createHmac } from 'node:crypto';
import {
  GazetteError,
  checkAnswers,
  checkRespondentPhone,
  maskText,
  surveyPhase,
  tallySurvey,
  type SurveyPhase,
} from '../../domain/index.js';
import { letters, surveys, type Survey } from '../../store/index.js';
import { keysOf } from '../accounts/index.js';
import type { ServiceContext } from '../context.js';
import { normaliseForIndex } from '../cases/personal-data.js';
import { checkChallenge, hitLimit } from '../cases/public-access.js';
import { findOnSite, publicViewOf, summaryOf, surveyScope } from './common.js';
import type { PublicSurvey, SurveyAnswer, SurveyAnswered, SurveyResults, SurveySummary } from './views.js';

/** Answer sheets an address may send in an hour (across surveys). */
export const SURVEY_LIMITS_PER_ADDRESS_HOUR = 30;

const SHOWN: readonly SurveyPhase[] = ['upcoming', 'open', 'closed'];
const ORDER: Readonly<Record<SurveyPhase, number>> = { open: 0, upcoming: 1, closed: 2, draft: 3, withdrawn: 4 };

/** The published surveys of the site: open ones first, then upcoming, then closed; the latest end first in each. */
export async function publicSurveys(ctx: ServiceContext): Promise<SurveySummary[]> {
  const scope = await surveyScope(ctx);
  const list = await surveys.listSurveys(ctx.store.db, scope.siteId, ['published']);
  return list
    .map((s) => summaryOf(s, scope.today))
    .sort((a, b) => ORDER[a.phase] - ORDER[b.phase] || b.endDay.localeCompare(a.endDay) || b.id - a.id);
}

async function publishedSurvey(ctx: ServiceContext, id: number) {
  const scope = await surveyScope(ctx);
  const survey = await findOnSite(ctx, scope.siteId, id);
  if (!SHOWN.includes(surveyPhase(survey, scope.today))) throw new GazetteError('SURVEY_NOT_FOUND', { id });
  return { scope, survey };
}

/** One published survey with its questions (a draft or a withdrawn one is 404). */
export async function publicSurvey(ctx: ServiceContext, id: number): Promise<PublicSurvey> {
  const { scope, survey } = await publishedSurvey(ctx, id);
  return publicViewOf(survey, await surveys.questionsOf(ctx.store.db, survey.id), scope.today);
}

/** The tallies; free texts masked for the office, left out for the public. */
export async function resultsOf(
  ctx: ServiceContext,
  survey: Survey,
  today: string,
  texts: boolean,
): Promise<SurveyResults> {
  const db = ctx.store.db;
  const tally = tallySurvey(await surveys.questionsOf(db, survey.id), await surveys.responsesOf(db, survey.id));
  return {
    id: survey.id,
    title: survey.title,
    phase: surveyPhase(survey, today),
    respondents: tally.respondents,
    questions: tally.questions.map((q) => ({
      ...q,
      options: [...q.options],
      texts: texts ? q.texts.map((text) => maskText(text)) : [],
    })),
  };
}

/**
 * The public results: once the survey is closed and only when its results are public (409
 * SURVEY_NOT_OPEN otherwise: "结果将于调查结束后公布"). Free-text answers stay in the back office.
 */
export async function publicSurveyResults(ctx: ServiceContext, id: number): Promise<SurveyResults> {
  const { scope, survey } = await publishedSurvey(ctx, id);
  const phase = surveyPhase(survey, scope.today);
  if (phase !== 'closed' || !survey.resultsPublic)
    throw new GazetteError('SURVEY_RESULTS_HIDDEN', {
      reason: survey.resultsPublic
        ? { zh: '结果将于调查结束后公布', en: 'the results are published once the survey closes' }
        : { zh: '本次调查结果不公开', en: 'the results of this survey are not public' },
    });
  return resultsOf(ctx, survey, scope.today, false);
}

/** The respondent's key: an HMAC of the phone or the address under the installation's pepper, per survey. */
function respondentKey(ctx: ServiceContext, survey: Survey, phone: string | null, ip: string | null): string {
  const who =
    survey.respondentRule === 'phone' ? `phone:${normaliseForIndex('phone', phone ?? '')}` : `ip:${ip ?? '-'}`;
  return createHmac('sha256', keysOf(ctx).pepper).update(`survey:${survey.id}:${who}`).digest('base64url');
}

const NOT_OPEN = {
  upcoming: { zh: '尚未开始', en: 'not open yet' },
  closed: { zh: '已结束', en: 'closed' },
} as const;

const alreadyAnswered = (survey: Survey) =>
  new GazetteError('SURVEY_ALREADY_ANSWERED', {
    unit: survey.respondentRule === 'phone' ? { zh: '手机号码', en: 'phone number' } : { zh: 'IP地址', en: 'address' },
  });

const isUniqueViolation = (error: unknown) => {
  const code = (error as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
};

/**
 * An answer sheet from the public, checked in this order, each refusal storing nothing: the
 * period (409), the answers against the questions and the phone (400 naming the question), the
 * rate limit per address (429), the proof of work or the question and the honeypot (400), and
 * one answer per phone or address (409, kept by the unique index on the keyed hash).
 */
export async function answerSurvey(
  ctx: ServiceContext,
  id: number,
  input: SurveyAnswer,
  ip: string | null,
): Promise<SurveyAnswered> {
  const { scope, survey } = await publishedSurvey(ctx, id);
  const phase = surveyPhase(survey, scope.today);
  if (phase !== 'open')
    throw new GazetteError('SURVEY_NOT_OPEN', { phase: NOT_OPEN[phase === 'upcoming' ? 'upcoming' : 'closed'] });
  const db = ctx.store.db;
  const items = checkAnswers(await surveys.questionsOf(db, survey.id), input.answers);
  const phone = survey.respondentRule === 'phone' ? checkRespondentPhone(input.phone) : null;
  const now = ctx.clock.now();
  const nowMs = now.getTime();
  await hitLimit(ctx, `survey:ip:${ip ?? '-'}`, SURVEY_LIMITS_PER_ADDRESS_HOUR, 3_600_000, nowMs);
  const solved = await checkChallenge(ctx, input, nowMs);
  const key = respondentKey(ctx, survey, phone, ip);
  if (await surveys.hasResponded(db, survey.id, key)) throw alreadyAnswered(survey);
  try {
    await db.transaction().execute(async (trx) => {
      if (!(await letters.useChallenge(trx, solved.id, solved.expiresAtMs, nowMs)))
        throw new GazetteError('CHALLENGE_FAILED', {
          reason: { zh: '该验证已使用过，请重新验证', en: 'this challenge was already used' },
        });
      await surveys.insertResponse(trx, survey.id, key, now.toISOString(), items);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw alreadyAnswered(survey);
    throw error;
  }
  return { surveyId: survey.id, submittedAt: now.toISOString() };
}
