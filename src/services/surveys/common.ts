import { GazetteError, SURVEY_PHASE_NAMES, formatDate, surveyPhase, type SurveyQuestion } from '../../domain/index.js';
import { surveys, type Survey } from '../../store/index.js';
import type { ServiceContext } from '../context.js';
import { currentSite } from '../site.js';
import type { PublicSurvey, SurveySummary } from './views.js';

/** What the office's and the public's survey operations share: the site's day, a survey's summary. */

export interface SurveyScope {
  readonly siteId: number;
  readonly timeZone: string;
  /** The site's local day now (the injected clock): surveys open and close on it. */
  readonly today: string;
}

export async function surveyScope(
  ctx: ServiceContext,
): Promise<SurveyScope & { tree: Awaited<ReturnType<typeof currentSite>>['tree'] }> {
  const scope = await currentSite(ctx.store.db, ctx.siteId);
  return {
    siteId: scope.site.id,
    timeZone: scope.site.timeZone,
    today: formatDate(ctx.clock.now(), scope.site.timeZone),
    tree: scope.tree,
  };
}

export async function findOnSite(ctx: ServiceContext, siteId: number, id: number): Promise<Survey> {
  const survey = await surveys.findSurvey(ctx.store.db, siteId, id);
  if (!survey) throw new GazetteError('SURVEY_NOT_FOUND', { id });
  return survey;
}

export function summaryOf(survey: Survey, today: string): SurveySummary {
  const phase = surveyPhase(survey, today);
  return {
    id: survey.id,
    title: survey.title,
    startDay: survey.startDay,
    endDay: survey.endDay,
    respondentRule: survey.respondentRule,
    resultsPublic: survey.resultsPublic,
    phase,
    phaseName: SURVEY_PHASE_NAMES[phase].zh,
  };
}

export function publicViewOf(survey: Survey, questions: readonly SurveyQuestion[], today: string): PublicSurvey {
  return {
    ...summaryOf(survey, today),
    descriptionHtml: survey.description,
    questions: questions.map((q) => ({ ...q, options: [...q.options] })),
  };
}
