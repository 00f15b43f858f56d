import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { LETTER_STEPS, LETTER_STEP_PERMISSION } from '../../domain/index.js';
import {
  CalendarDaySchema,
  LetterDeskSchema,
  LetterDetailSchema,
  LetterFollowSchema,
  LetterPageSchema,
  LetterQuerySchema,
  LetterRatingSchema,
  LetterReceiptSchema,
  LetterStepInputSchema,
  NewLetterSchema,
  NewUnitSchema,
  PersonalDataSchema,
  PublicDeskSchema,
  UnitPatchSchema,
  UnitSchema,
  addUnit,
  calendarYear,
  markCalendarYear,
  createPowChallenge,
  followLetter,
  keysOf,
  letterDesk,
  letterDetail,
  letterPersonalData,
  listLetters,
  listUnits,
  publicDesk,
  putCalendarDays,
  rateLetter,
  removeCalendarDay,
  stepLetter,
  submitLetter,
  updateLetterDesk,
  updateUnit,
  unitCandidates,
} from '../../services/index.js';
import { actorOf } from '../auth.js';
import { contextOf } from '../context.js';
import { answerLetterForm, isFormPost } from '../letter-pages.js';
import { registerLetterAlertApi } from './letter-alerts.js';
import { registerLetterAttachmentApi } from './letter-attachments.js';
import { letterPostFiles, readLetterPost, wantsJson } from '../letter-uploads.js';
import { BACK_OFFICE_ERRORS, ErrorSchema, IdParams as Id } from './schemas.js';

const PUBLIC_ERRORS = { 400: ErrorSchema, 404: ErrorSchema, 415: ErrorSchema, 429: ErrorSchema, 503: ErrorSchema };

const QueryCodeParams = Type.Object({ queryCode: Type.String({ minLength: 1, maxLength: 40 }) });
const CasePasswordHeaders = Type.Object({
  'x-case-password': Type.String({
    minLength: 1,
    maxLength: 40,
    description: 'The password given with the query code',
  }),
});

/** The public side of 互动交流: the challenge, the desk, sending a letter, following and rating it. */
function registerPublicLetterApi(app: FastifyInstance): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['letters (public)'];
  api.get(
    '/api/v1/public/challenge',
    {
      config: { permission: 'public' },
      schema: {
        summary:
          'A proof-of-work challenge in the ALTCHA format: find n ≤ maxnumber with SHA-256(salt + n) = challenge',
        tags,
        response: {
          200: Type.Object({
            algorithm: Type.Literal('SHA-256'),
            challenge: Type.String(),
            salt: Type.String(),
            maxnumber: Type.Integer(),
            signature: Type.String(),
          }),
        },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      void reply.header('cache-control', 'no-store');
      return createPowChallenge(keysOf(ctx).challenge, ctx.clock.now().getTime());
    },
  );
  api.get(
    '/api/v1/public/letter-desk',
    {
      config: { permission: 'public' },
      schema: {
        summary: 'The letter desk of the site: its types, limits and units, and whether it takes letters now',
        tags,
        response: { 200: PublicDeskSchema, 404: ErrorSchema },
      },
    },
    async (request) => publicDesk(contextOf(request)),
  );
  api.post(
    '/api/v1/public/letters',
    {
      config: { permission: 'public', multipartForm: true },
      preValidation: readLetterPost,
      schema: {
        summary: 'Send a letter (领导信箱, 咨询, 投诉…): answers the query code and password to follow it',
        description:
          'Needs a solved proof of work (`altcha`, from GET /api/v1/public/challenge) or the answer to the text question of the site’s form. A filled `website` field, a failed or reused challenge: 400 with nothing stored. The site’s own form posts here as application/x-www-form-urlencoded, or as multipart/form-data with its files in the field `attachments` (as many and as large as the desk allows, `attachmentsMax` and `attachmentMb` of GET /api/v1/public/letter-desk: pdf, doc, docx, xls, xlsx, ofd, zip, jpg, png), and gets the receipt page (or the form again, with the reason) as HTML; a multipart post with `Accept: application/json` gets JSON. Too many files: 400 naming `attachments`; a file too large: 413, and one whose content is not what its name says: 415, both naming the file; every refusal stores nothing.',
        tags,
        consumes: ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'],
        body: NewLetterSchema,
        response: { 201: LetterReceiptSchema, ...PUBLIC_ERRORS, 413: ErrorSchema, 422: ErrorSchema },
      },
    },
    async (request, reply) => {
      const { files, refusal } = letterPostFiles(request);
      // The site's own form posts here too (no JavaScript needed): it gets a page, not JSON.
      if (isFormPost(request) || (request.isMultipart() && !wantsJson(request)))
        return answerLetterForm(request, reply, request.body, { files, refusal });
      if (refusal) throw refusal;
      return reply.code(201).send(await submitLetter(contextOf(request), request.body, request.ip, files));
    },
  );
  api.get(
    '/api/v1/public/letters/:queryCode',
    {
      config: { permission: 'public' },
      schema: {
        summary: 'Where a letter stands, and its reply once answered (the writer’s view)',
        description: 'A wrong query code and a wrong password both answer 404; attempts are limited per address.',
        tags,
        params: QueryCodeParams,
        headers: CasePasswordHeaders,
        response: { 200: LetterFollowSchema, ...PUBLIC_ERRORS },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      return followLetter(contextOf(request), request.params.queryCode, request.headers['x-case-password'], request.ip);
    },
  );
  api.post(
    '/api/v1/public/letters/:queryCode/rating',
    {
      config: { permission: 'public' },
      schema: {
        summary: 'Rate the reply (5 非常满意 … 1 非常不满意); 2 and 1 reopen the letter',
        tags,
        params: QueryCodeParams,
        headers: CasePasswordHeaders,
        body: LetterRatingSchema,
        response: { 200: LetterFollowSchema, 409: ErrorSchema, ...PUBLIC_ERRORS },
      },
    },
    async (request) =>
      rateLetter(
        contextOf(request),
        request.params.queryCode,
        request.headers['x-case-password'],
        request.body,
        request.ip,
      ),
  );
}

/** The back office of 互动交流: the desk's settings and units, the letters and their steps, the calendar. */
function registerLetterOfficeApi(app: FastifyInstance): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['letters'];
  api.get(
    '/api/v1/letter-desk',
    {
      config: { permission: 'case.read' },
      schema: {
        summary: 'The site’s letter desk settings',
        tags,
        response: { 200: LetterDeskSchema, ...BACK_OFFICE_ERRORS },
      },
    },
    async (request) => letterDesk(contextOf(request), actorOf(request)),
  );
  api.put(
    '/api/v1/letter-desk',
    {
      config: { permission: 'case.manage' },
      schema: {
        summary: 'Change the letter desk: its types and deadlines, limits, review levels, retention',
        tags,
        body: LetterDeskSchema,
        response: { 200: LetterDeskSchema, ...BACK_OFFICE_ERRORS },
      },
    },
    async (request) => updateLetterDesk(contextOf(request), actorOf(request), request.body),
  );
  api.get(
    '/api/v1/case-units',
    {
      config: { permission: 'case.read' },
      schema: {
        summary: 'Units that answer letters: the site’s, or every site’s (where the office may route to)',
        tags,
        querystring: Type.Object({
          scope: Type.Optional(Type.Union([Type.Literal('site'), Type.Literal('platform')])),
        }),
        response: { 200: Type.Object({ items: Type.Array(UnitSchema) }), ...BACK_OFFICE_ERRORS },
      },
    },
    async (request) => ({
      items: await listUnits(contextOf(request), actorOf(request), request.query.scope ?? 'site'),
    }),
  );
  api.get(
    '/api/v1/case-units/candidates',
    {
      config: { permission: 'case.manage' },
      schema: {
        summary: 'The accounts holding the handler (承办) role on the site: who may be made a unit’s member',
        tags,
        response: {
          200: Type.Object({ items: Type.Array(Type.Object({ userId: Type.Integer(), name: Type.String() })) }),
          ...BACK_OFFICE_ERRORS,
        },
      },
    },
    async (request) => ({ items: await unitCandidates(contextOf(request), actorOf(request)) }),
  );
  api.post(
    '/api/v1/case-units',
    {
      config: { permission: 'case.manage' },
      schema: {
        summary: 'Add a unit',
        tags,
        body: NewUnitSchema,
        response: { 201: UnitSchema, ...BACK_OFFICE_ERRORS },
      },
    },
    async (request, reply) => reply.code(201).send(await addUnit(contextOf(request), actorOf(request), request.body)),
  );
  api.patch(
    '/api/v1/case-units/:id',
    {
      config: { permission: 'case.manage' },
      schema: {
        summary: 'Rename, reorder or close a unit, or set its members (handlers) and leader',
        tags,
        params: Id,
        body: UnitPatchSchema,
        response: { 200: UnitSchema, ...BACK_OFFICE_ERRORS },
      },
    },
    async (request) => updateUnit(contextOf(request), actorOf(request), request.params.id, request.body),
  );
  api.get(
    '/api/v1/letters',
    {
      config: { permission: 'case.read' },
      schema: {
        summary: 'Letters: the office sees the site’s, a handler those of their units; newest first',
        tags,
        querystring: LetterQuerySchema,
        response: { 200: LetterPageSchema, ...BACK_OFFICE_ERRORS },
      },
    },
    async (request) => listLetters(contextOf(request), actorOf(request), request.query),
  );
  api.get(
    '/api/v1/letters/:id',
    {
      config: { permission: 'case.read' },
      schema: {
        summary: 'A letter with its steps, deadline and the steps the reader may take now (no personal data)',
        tags,
        params: Id,
        response: { 200: LetterDetailSchema, ...BACK_OFFICE_ERRORS },
      },
    },
    async (request) => letterDetail(contextOf(request), actorOf(request), request.params.id),
  );
  api.get(
    '/api/v1/letters/:id/personal',
    {
      config: { permission: 'case.personal' },
      schema: {
        summary: 'The writer’s name, phone, e-mail and address: every reading is an audit entry',
        tags,
        params: Id,
        response: { 200: PersonalDataSchema, ...BACK_OFFICE_ERRORS },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      return letterPersonalData(contextOf(request), actorOf(request), request.params.id);
    },
  );
  for (const step of LETTER_STEPS)
    api.post(
      `/api/v1/letters/:id/${step}`,
      {
        config: { permission: LETTER_STEP_PERMISSION[step] },
        schema: {
          summary: `Letter step: ${step}`,
          tags,
          params: Id,
          body: LetterStepInputSchema,
          response: { 200: LetterDetailSchema, ...BACK_OFFICE_ERRORS },
        },
      },
      async (request) => stepLetter(contextOf(request), actorOf(request), request.params.id, step, request.body),
    );
  api.get(
    '/api/v1/calendar/:year',
    {
      config: { permission: 'signed-in' },
      schema: {
        summary: 'A year’s days off and 调休 working days under every deadline, shipped or changed here',
        tags,
        params: Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) }),
        response: { 200: CalendarYearSchema, ...BACK_OFFICE_ERRORS },
      },
    },
    async (request) => calendarYear(contextOf(request), request.params.year),
  );
  api.put(
    '/api/v1/calendar',
    {
      config: { permission: 'platform.manage' },
      schema: {
        summary: 'Enter days (next year’s schedule once published, a correction): all or nothing',
        tags,
        body: Type.Object(
          { days: Type.Array(CalendarDaySchema, { minItems: 1, maxItems: 400 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ changed: Type.Integer() }), ...BACK_OFFICE_ERRORS },
      },
    },
    async (request) => putCalendarDays(contextOf(request), actorOf(request), request.body.days),
  );
  api.put(
    '/api/v1/calendar/:year',
    {
      config: { permission: 'platform.manage' },
      schema: {
        summary: 'Say a year’s official schedule is entered in full (or take it back)',
        tags,
        params: Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) }),
        body: Type.Object({ complete: Type.Boolean() }, { additionalProperties: false }),
        response: { 200: CalendarYearSchema, ...BACK_OFFICE_ERRORS },
      },
    },
    async (request) =>
      markCalendarYear(contextOf(request), actorOf(request), request.params.year, request.body.complete),
  );
  api.delete(
    '/api/v1/calendar/:day',
    {
      config: { permission: 'platform.manage' },
      schema: {
        summary: 'Drop a change: the day is again as shipped',
        tags,
        params: Type.Object({ day: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }) }),
        response: { 204: Type.Null(), ...BACK_OFFICE_ERRORS },
      },
    },
    async (request, reply) => {
      await removeCalendarDay(contextOf(request), actorOf(request), request.params.day);
      return reply.code(204).send(null);
    },
  );
}

const CalendarYearSchema = Type.Object({
  year: Type.Integer(),
  covered: Type.Boolean({
    description:
      'Whether the year’s schedule is known (shipped, or marked entered in full); otherwise only weekends are off',
  }),
  shipped: Type.Boolean({ description: 'Whether the schedule ships with Gazette (then it cannot be marked)' }),
  days: Type.Array(
    Type.Object({
      ...CalendarDaySchema.properties,
      source: Type.Union([Type.Literal('shipped'), Type.Literal('changed')]),
    }),
  ),
});

export function registerLetterApi(app: FastifyInstance): void {
  registerPublicLetterApi(app);
  registerLetterOfficeApi(app);
  registerLetterAlertApi(app);
  registerLetterAttachmentApi(app);
}
