import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import {
  OfficeSurveyListSchema,
  PublicSurveySchema,
  SurveyAnswerSchema,
  SurveyAnsweredSchema,
  SurveyDetailSchema,
  SurveyInputSchema,
  SurveyResultsSchema,
  SurveySummarySchema,
  answerSurvey,
  createSurvey,
  listOfficeSurveys,
  officeSurvey,
  officeSurveyResults,
  publicSurvey,
  publicSurveyResults,
  publicSurveys,
  setSurveyStatus,
  surveyResultsCsv,
  updateSurvey,
} from '../../services/index.js';
import { actorOf } from '../auth.js';
import { contextOf } from '../context.js';
import { isFormPost } from '../letter-pages.js';
import { answerSurveyForm, surveyAnswerFromForm } from '../survey-pages.js';
import { BACK_OFFICE_ERRORS, ErrorSchema, IdParams as Id } from './schemas.js';

const PUBLIC_ERRORS = { 400: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema, 429: ErrorSchema };

/** 网上调查, the public side: the list, one survey, its results once closed, an answer sheet. */
function registerPublicSurveyApi(app: FastifyInstance): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['surveys (public)'];
  api.get(
    '/api/v1/public/surveys',
    {
      config: { permission: 'public' },
      schema: {
        summary: 'The site’s published surveys: open ones first, then upcoming, then closed',
        tags,
        response: { 200: Type.Object({ items: Type.Array(SurveySummarySchema) }) },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      return { items: await publicSurveys(contextOf(request)) };
    },
  );
  api.get(
    '/api/v1/public/surveys/:id',
    {
      config: { permission: 'public' },
      schema: {
        summary: 'One published survey with its questions',
        tags,
        params: Id,
        response: { 200: PublicSurveySchema, ...PUBLIC_ERRORS },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      return publicSurvey(contextOf(request), request.params.id);
    },
  );
  api.get(
    '/api/v1/public/surveys/:id/results',
    {
      config: { permission: 'public' },
      schema: {
        summary: 'The tallies of a closed survey whose results are public (409 before it closes)',
        description: 'Free-text answers are not public: `texts` is empty here; the back office reads them, masked.',
        tags,
        params: Id,
        response: { 200: SurveyResultsSchema, ...PUBLIC_ERRORS },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      return publicSurveyResults(contextOf(request), request.params.id);
    },
  );
  api.post(
    '/api/v1/public/surveys/:id/answers',
    {
      config: { permission: 'public' },
      // The page's form posts its fields one by one (q<id>, q<id>_<option>, phone…): read as an answer sheet.
      preValidation: (request, _reply, done) => {
        if (isFormPost(request)) request.body = surveyAnswerFromForm(request.body);
        done();
      },
      schema: {
        summary: 'Answer an open survey: once per phone or per address within its period',
        description:
          'Needs a solved proof of work (`altcha`) or the answer to the form’s text question, like a letter. A second answer from the same phone (or address) is 409; outside the period, 409; an answer that does not fit a question, 400 naming it (`q<id>`). Nothing personal is kept: a keyed hash of the phone or address enforces the one answer. The site’s own form posts here as application/x-www-form-urlencoded and gets the thank-you page.',
        tags,
        params: Id,
        body: SurveyAnswerSchema,
        response: { 201: SurveyAnsweredSchema, ...PUBLIC_ERRORS },
      },
    },
    async (request, reply) =>
      isFormPost(request)
        ? answerSurveyForm(request, reply, request.params.id, request.body)
        : reply.code(201).send(await answerSurvey(contextOf(request), request.params.id, request.body, request.ip)),
  );
}

/** 网上调查, the office: surveys, their questions, publication, results and the CSV export. */
function registerSurveyOfficeApi(app: FastifyInstance): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['surveys'];
  const config = { permission: 'survey.manage' } as const;
  api.get(
    '/api/v1/surveys',
    {
      config,
      schema: {
        summary: 'The site’s surveys, with their phase and number of answers',
        tags,
        response: { 200: OfficeSurveyListSchema, ...BACK_OFFICE_ERRORS },
      },
    },
    async (request) => listOfficeSurveys(contextOf(request), actorOf(request)),
  );
  api.post(
    '/api/v1/surveys',
    {
      config,
      schema: {
        summary: 'A new survey (a draft) with its questions',
        tags,
        body: SurveyInputSchema,
        response: { 201: SurveyDetailSchema, ...BACK_OFFICE_ERRORS },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createSurvey(contextOf(request), actorOf(request), request.body)),
  );
  api.get(
    '/api/v1/surveys/:id',
    {
      config,
      schema: {
        summary: 'A survey with its questions',
        tags,
        params: Id,
        response: { 200: SurveyDetailSchema, ...BACK_OFFICE_ERRORS },
      },
    },
    async (request) => officeSurvey(contextOf(request), actorOf(request), request.params.id),
  );
  api.put(
    '/api/v1/surveys/:id',
    {
      config,
      schema: {
        summary: 'Change a survey; its questions only while it has no answers (409 SURVEY_FROZEN)',
        tags,
        params: Id,
        body: SurveyInputSchema,
        response: { 200: SurveyDetailSchema, ...BACK_OFFICE_ERRORS },
      },
    },
    async (request) => updateSurvey(contextOf(request), actorOf(request), request.params.id, request.body),
  );
  for (const [step, to] of [
    ['publish', 'published'],
    ['withdraw', 'withdrawn'],
  ] as const)
    api.post(
      `/api/v1/surveys/:id/${step}`,
      {
        config,
        schema: {
          summary: step === 'publish' ? 'Publish a draft: it opens on its start day' : 'Withdraw a published survey',
          tags,
          params: Id,
          response: { 200: SurveyDetailSchema, ...BACK_OFFICE_ERRORS },
        },
      },
      async (request) => setSurveyStatus(contextOf(request), actorOf(request), request.params.id, to),
    );
  api.get(
    '/api/v1/surveys/:id/results',
    {
      config,
      schema: {
        summary: 'The tallies, while open too, with the free-text answers (masked)',
        tags,
        params: Id,
        response: { 200: SurveyResultsSchema, ...BACK_OFFICE_ERRORS },
      },
    },
    async (request) => officeSurveyResults(contextOf(request), actorOf(request), request.params.id),
  );
  api.get(
    '/api/v1/surveys/:id/results.csv',
    {
      config,
      schema: {
        summary: 'The tallies as CSV (UTF-8 with BOM): 题号, 题目, 题型, 选项, 人数, 比例',
        tags,
        params: Id,
        produces: ['text/csv'],
        response: { 200: Type.String({ description: 'CSV text' }), ...BACK_OFFICE_ERRORS },
      },
    },
    async (request, reply) => {
      const file = await surveyResultsCsv(contextOf(request), actorOf(request), request.params.id);
      return reply
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .type('text/csv; charset=utf-8')
        .send(file.csv);
    },
  );
}

export function registerSurveyApi(app: FastifyInstance): void {
  registerPublicSurveyApi(app);
  registerSurveyOfficeApi(app);
}
