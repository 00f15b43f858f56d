import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GazetteError, QUESTION_KIND_NAMES, SURVEYS_PATH, isGazetteError, sharePercent } from '../domain/index.js';
import { loadSiteView, type SiteView } from '../publish/index.js';
import { frame } from '../publish/pages.js';
import {
  answerSurvey,
  createTextChallenge,
  keysOf,
  publicSurvey,
  publicSurveyResults,
  publicSurveys,
  type PublicSurvey,
  type SurveyAnswer,
  type SurveyResults,
} from '../services/index.js';
import { contextOf, type AppContext } from './context.js';
import { sendNotFound } from './public.js';
import { onSitePage, sendSitePage } from './site-page.js';
import { barChartSvg } from './survey-chart.js';

/**
 * 网上调查's public pages, made on request: the list (/wsdc/), a survey's page with its form while
 * it is open (it works without JavaScript: the text question stands in for the proof of work)
 * and its results once closed (a table per question and a chart drawn on the server), and the
 * thank-you page the form's post answers with.
 */
const CRUMB = { title: '网上调查', url: SURVEYS_PATH };

type Fields = Record<string, string>;

/**
 * The form's fields as an answer sheet: `q<id>` the option of a single choice, `q<id>_<n>` each
 * ticked option of a multiple choice, `t<id>` a text; the phone and the anti-abuse fields as they are.
 */
export function surveyAnswerFromForm(body: unknown): SurveyAnswer {
  const fields: Fields = typeof body === 'object' && body !== null ? (body as Fields) : {};
  const answers = new Map<number, { questionId: number; choices: number[]; text?: string }>();
  const of = (id: number) => answers.get(id) ?? answers.set(id, { questionId: id, choices: [] }).get(id)!;
  for (const [name, value] of Object.entries(fields)) {
    const choice = /^q(\d{1,9})(?:_(\d{1,3}))?$/.exec(name);
    const text = /^t(\d{1,9})$/.exec(name);
    if (choice?.[1]) {
      const picked = Number(choice[2] ?? value);
      if (Number.isInteger(picked) && picked >= 1) of(Number(choice[1])).choices.push(picked);
      else of(Number(choice[1]));
    } else if (text?.[1]) of(Number(text[1])).text = value;
  }
  const optional = (name: string) => (fields[name] !== undefined ? { [name]: fields[name] } : {});
  return {
    answers: [...answers.values()],
    ...optional('phone'),
    ...(fields.altcha && { altcha: fields.altcha }),
    ...(fields.challengeToken && { challengeToken: fields.challengeToken }),
    ...optional('challengeAnswer'),
    ...optional('website'),
  };
}

const RULE_NAMES = { phone: '每个手机号码限答一次', address: '每个IP地址限答一次' } as const;

function surveyItem(s: {
  id: number;
  title: string;
  startDay: string;
  endDay: string;
  phaseName: string;
  phase: string;
}) {
  return { ...s, url: `${SURVEYS_PATH}${s.id}` };
}

function resultsModel(results: SurveyResults) {
  return {
    respondents: results.respondents,
    questions: results.questions.map((q, index) => ({
      number: index + 1,
      title: q.title,
      kind: QUESTION_KIND_NAMES[q.kind].zh,
      text: q.kind === 'text',
      answered: q.answered,
      shareOf: q.kind === 'multiple' ? '占答题人数比例' : '占本题答案比例',
      rows: q.options.map((o) => ({ label: o.label, count: o.count, percent: sharePercent(o.share) })),
      chartSvg:
        q.kind === 'text'
          ? ''
          : barChartSvg(
              `chart-q${q.questionId}`,
              `第 ${index + 1} 题 ${q.title}：各选项人数`,
              q.options.map((o) => ({ label: o.label, count: o.count, percent: sharePercent(o.share) })),
            ),
    })),
  };
}

interface FormState {
  readonly values?: SurveyAnswer;
  readonly error?: GazetteError;
}

function formModel(request: FastifyRequest, survey: PublicSurvey, state: FormState) {
  const site = contextOf(request);
  const question = createTextChallenge(keysOf(site).challenge, site.clock.now().getTime());
  const field = state.error?.code === 'CHALLENGE_FAILED' ? 'challenge' : state.error?.params.field;
  const given = new Map((state.values?.answers ?? []).map((a) => [a.questionId, a]));
  return {
    phoneRule: survey.respondentRule === 'phone',
    phone: state.values?.phone ?? '',
    phoneInvalid: field === 'phone',
    question: { text: question.question, token: question.token },
    challengeInvalid: field === 'challenge',
    error: state.error ? state.error.messageIn('zh') : null,
    questions: survey.questions.map((q, index) => {
      const answer = given.get(q.id);
      const picks =
        q.kind === 'multiple' && (q.minPicks !== null || q.maxPicks !== null)
          ? [q.minPicks !== null ? `至少选 ${q.minPicks} 项` : '', q.maxPicks !== null ? `最多选 ${q.maxPicks} 项` : '']
              .filter((p) => p !== '')
              .join('，')
          : '';
      return {
        id: q.id,
        number: index + 1,
        title: q.title,
        kind: q.kind,
        kindName: QUESTION_KIND_NAMES[q.kind].zh,
        required: q.required,
        hint: q.kind === 'text' ? '不超过 500 个字' : picks,
        invalid: field === `q${q.id}`,
        text: answer?.text ?? '',
        options: q.options.map((label, o) => ({
          value: o + 1,
          label,
          name: q.kind === 'multiple' ? `q${q.id}_${o + 1}` : `q${q.id}`,
          inputId: `q${q.id}-${o + 1}`,
          checked: answer?.choices?.includes(o + 1) ?? false,
        })),
      };
    }),
  };
}

async function surveyPageModel(request: FastifyRequest, view: SiteView, survey: PublicSurvey, state: FormState = {}) {
  const ctx = contextOf(request);
  const closed = survey.phase === 'closed';
  const results = closed && survey.resultsPublic ? resultsModel(await publicSurveyResults(ctx, survey.id)) : null;
  const notice =
    survey.phase === 'upcoming'
      ? `本次调查将于 ${survey.startDay} 开始。`
      : closed && !survey.resultsPublic
        ? '本次调查已结束，结果不对外公布。'
        : survey.phase === 'open' && survey.resultsPublic
          ? '结果将于调查结束后公布。'
          : null;
  return {
    frame: frame(view, `${survey.title} - 网上调查 - ${view.site.name}`, `${SURVEYS_PATH}${survey.id}`, null, {
      ArticleTitle: survey.title,
    }),
    breadcrumb: [CRUMB],
    survey: { ...surveyItem(survey), descriptionHtml: survey.descriptionHtml, rule: RULE_NAMES[survey.respondentRule] },
    form: survey.phase === 'open' ? formModel(request, survey, state) : null,
    results,
    notice,
  };
}

/** A form post of an answer sheet: the thank-you page, or the survey's page again with the reason. */
export async function answerSurveyForm(request: FastifyRequest, reply: FastifyReply, id: number, input: SurveyAnswer) {
  const ctx = contextOf(request);
  const view = await loadSiteView(ctx.store.db, request.siteContext?.siteId);
  if (!view) return sendNotFound(ctx, reply);
  void reply.header('content-disposition', 'inline');
  try {
    await answerSurvey(ctx, id, input, request.ip);
    const survey = await publicSurvey(ctx, id);
    const model = {
      frame: frame(view, `感谢参与 - 网上调查 - ${view.site.name}`, `${SURVEYS_PATH}${id}`, null, {}),
      breadcrumb: [CRUMB],
      survey: surveyItem(survey),
      resultsLater: survey.resultsPublic,
    };
    return await sendSitePage(ctx, reply, view, 'survey-thanks', model, 201);
  } catch (error) {
    if (!isGazetteError(error) || error.status >= 500 || error.code === 'SURVEY_NOT_FOUND') throw error;
    const survey = await publicSurvey(ctx, id);
    const model = await surveyPageModel(request, view, survey, { values: input, error });
    // Refused outside the period, the page says so where the form was.
    const shown = model.form ? model : { ...model, notice: error.messageIn('zh') };
    return sendSitePage(ctx, reply, view, 'survey', shown, error.status);
  }
}

export function registerSurveyPages(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    SURVEYS_PATH,
    onSitePage(ctx, async (request, reply, view) => {
      const list = await publicSurveys(contextOf(request));
      const model = {
        frame: frame(view, `网上调查 - ${view.site.name}`, SURVEYS_PATH, null, {}),
        breadcrumb: [CRUMB],
        surveys: list.map(surveyItem),
      };
      return sendSitePage(ctx, reply, view, 'surveys', model);
    }),
  );
  app.get<{ Params: { id: string } }>(
    `${SURVEYS_PATH}:id`,
    onSitePage(ctx, async (request, reply, view) => {
      const { id } = request.params as { id: string };
      if (!/^\d{1,9}$/.test(id)) return sendNotFound(ctx, reply);
      try {
        const survey = await publicSurvey(contextOf(request), Number(id));
        return await sendSitePage(ctx, reply, view, 'survey', await surveyPageModel(request, view, survey));
      } catch (error) {
        if (isGazetteError(error) && error.code === 'SURVEY_NOT_FOUND') return sendNotFound(ctx, reply);
        throw error;
      }
    }),
  );
}
