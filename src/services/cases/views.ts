import { Type, type Static } from 'typebox';
import { MAX_LETTER_REVIEW_LEVELS } from '../../domain/index.js';
import { Day, Nullable, ROW_ID_MAX, Time } from '../views.js';
import { AttachmentLimitsSchema, LetterAttachmentSchema } from './attachment-views.js';

/**
 * 互动交流 as the API reads and writes it, described once: the services' types, the API's
 * validation and /api/openapi.json.
 */

export const LetterTypeSchema = Type.Union(
  [
    Type.Literal('consult'),
    Type.Literal('complaint'),
    Type.Literal('suggestion'),
    Type.Literal('help'),
    Type.Literal('report'),
  ],
  { description: 'consult 咨询, complaint 投诉, suggestion 建议, help 求助, report 举报' },
);

export const LetterStatusSchema = Type.Union(
  [
    Type.Literal('received'),
    Type.Literal('accepted'),
    Type.Literal('assigned'),
    Type.Literal('reviewing'),
    Type.Literal('answered'),
    Type.Literal('published'),
    Type.Literal('rejected'),
    Type.Literal('merged'),
  ],
  {
    description:
      'received 待审查, accepted 已受理, assigned 办理中, reviewing 审核中, answered 已答复, published 已公开, rejected 不予受理, merged 重复件',
  },
);

export const LetterDeskSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 20, description: 'The desk’s public name (领导信箱, 区长信箱…)' }),
    open: Type.Boolean({ description: 'Whether the site takes letters' }),
    types: Type.Array(
      Type.Object(
        {
          type: LetterTypeSchema,
          days: Type.Integer({ minimum: 1, maximum: 60, description: 'Working days to answer, from 受理' }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 5 },
    ),
    titleMin: Type.Integer({ minimum: 1, maximum: 200 }),
    titleMax: Type.Integer({ minimum: 1, maximum: 200 }),
    bodyMax: Type.Integer({ minimum: 50, maximum: 10_000 }),
    writerChoosesUnit: Type.Boolean(),
    reviewLevels: Type.Integer({
      minimum: 0,
      maximum: MAX_LETTER_REVIEW_LEVELS,
      description: '0: none; 1: the unit’s leader; 2: the leader, then the office',
    }),
    retentionYears: Type.Integer({ minimum: 1, maximum: 30, description: 'Years personal data is kept after closing' }),
    attachmentsMax: Type.Optional(AttachmentLimitsSchema.attachmentsMax),
    attachmentMb: Type.Optional(AttachmentLimitsSchema.attachmentMb),
  },
  { additionalProperties: false },
);
export type LetterDeskInput = Static<typeof LetterDeskSchema>;

const UnitRef = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  siteId: Type.Integer(),
  siteName: Type.String(),
});
export type UnitRef = Static<typeof UnitRef>;

/** What the public form shows: the desk's types and limits, and whether it is open now. */
export const PublicDeskSchema = Type.Object({
  name: Type.String(),
  open: Type.Boolean({
    description: 'Takes letters now: the site offers the desk and the server can keep personal data',
  }),
  closedReason: Nullable(Type.String()),
  types: Type.Array(Type.Object({ type: LetterTypeSchema, name: Type.String(), days: Type.Integer() })),
  titleMin: Type.Integer(),
  titleMax: Type.Integer(),
  bodyMax: Type.Integer(),
  ...AttachmentLimitsSchema,
  units: Type.Array(UnitRef, { description: 'The units a writer may choose; empty when the office routes' }),
});
export type PublicDesk = Static<typeof PublicDeskSchema>;

export const UnitSchema = Type.Object({
  id: Type.Integer(),
  siteId: Type.Integer(),
  siteName: Type.String(),
  name: Type.String(),
  sortOrder: Type.Integer(),
  active: Type.Boolean(),
  members: Type.Array(Type.Object({ userId: Type.Integer(), name: Type.String(), leader: Type.Boolean() })),
});
export type UnitView = Static<typeof UnitSchema>;

export const NewUnitSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 40 }),
    sortOrder: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
  },
  { additionalProperties: false },
);
export type NewUnit = Static<typeof NewUnitSchema>;

export const UnitPatchSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    sortOrder: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
    active: Type.Optional(Type.Boolean()),
    members: Type.Optional(
      Type.Array(
        Type.Object(
          { userId: Type.Integer({ minimum: 1, maximum: ROW_ID_MAX }), leader: Type.Boolean() },
          { additionalProperties: false },
        ),
        { maxItems: 200 },
      ),
    ),
  },
  { additionalProperties: false },
);
export type UnitPatch = Static<typeof UnitPatchSchema>;

/** A letter from the public, as the form or a client sends it (`POST /api/v1/public/letters`). */
export const NewLetterSchema = Type.Object(
  {
    type: LetterTypeSchema,
    title: Type.String({ maxLength: 200 }),
    body: Type.String({ maxLength: 10_000 }),
    name: Type.String({ maxLength: 40, description: 'Required' }),
    phone: Type.String({ maxLength: 30, description: 'Required: a mobile or landline number' }),
    email: Type.Optional(Type.String({ maxLength: 100 })),
    address: Type.Optional(Type.String({ maxLength: 200 })),
    unitId: Type.Optional(
      Type.Integer({ minimum: 1, maximum: ROW_ID_MAX, description: 'Where the site lets writers choose' }),
    ),
    agreePublish: Type.Boolean({ description: '是否同意公开: may the letter and its reply be published' }),
    showName: Type.Boolean({ description: '是否公开个人信息: may the name appear unmasked' }),
    altcha: Type.Optional(
      Type.String({
        maxLength: 2000,
        description: 'The solved proof-of-work: base64 JSON, as the ALTCHA widget sends it',
      }),
    ),
    challengeToken: Type.Optional(
      Type.String({ maxLength: 500, description: 'The text question’s token (the fallback without JavaScript)' }),
    ),
    challengeAnswer: Type.Optional(Type.String({ maxLength: 20 })),
    website: Type.Optional(Type.String({ maxLength: 200, description: 'Leave empty (a field people never see)' })),
  },
  { additionalProperties: false },
);
export type NewLetter = Static<typeof NewLetterSchema>;

export const LetterReceiptSchema = Type.Object({
  queryCode: Type.String({ description: 'Quote it with the password to follow the letter' }),
  password: Type.String(),
});
export type LetterReceipt = Static<typeof LetterReceiptSchema>;

const StepSchema = Type.Object({
  step: Type.String(),
  name: Type.String({ description: 'The step’s Chinese name' }),
  at: Time,
});

/** What the writer sees with the query code and password. */
export const LetterFollowSchema = Type.Object({
  queryCode: Type.String(),
  type: LetterTypeSchema,
  title: Type.String(),
  status: LetterStatusSchema,
  statusName: Type.String(),
  receivedAt: Time,
  acceptedAt: Nullable(Time),
  dueDay: Nullable(Day),
  answeredAt: Nullable(Time),
  replyUnit: Nullable(Type.String()),
  reply: Nullable(Type.String({ description: 'The reply (HTML), once answered' })),
  rejectReason: Nullable(Type.String()),
  rating: Nullable(Type.Integer({ minimum: 1, maximum: 5 })),
  canRate: Type.Boolean(),
  steps: Type.Array(StepSchema),
  replyAttachments: Type.Array(LetterAttachmentSchema, { description: 'The reply’s files, once answered' }),
});
export type LetterFollow = Static<typeof LetterFollowSchema>;

export const LetterRatingSchema = Type.Object(
  {
    rating: Type.Integer({ minimum: 1, maximum: 5, description: '5 非常满意 … 1 非常不满意; 2 and 1 reopen the case' }),
    comment: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type LetterRatingInput = Static<typeof LetterRatingSchema>;

export const LetterFlagsSchema = Type.Object({
  wording: Type.Array(Type.Object({ word: Type.String(), severity: Type.String() })),
  nearDuplicateOf: Nullable(Type.Integer()),
});
export type LetterFlags = Static<typeof LetterFlagsSchema>;

/** A letter in the back office's lists. */
export const LetterRowSchema = Type.Object({
  id: Type.Integer(),
  siteId: Type.Integer(),
  queryCode: Type.String(),
  type: LetterTypeSchema,
  title: Type.String(),
  status: LetterStatusSchema,
  reviewLevel: Type.Integer(),
  reviewLevels: Type.Integer(),
  unit: Nullable(UnitRef),
  receivedAt: Time,
  acceptedAt: Nullable(Time),
  dueDay: Nullable(Day),
  remainingWorkingDays: Nullable(
    Type.Integer({ description: 'Working days left to the due day (negative when late); null when no clock runs' }),
  ),
  answeredAt: Nullable(Time),
  publishedAt: Nullable(Time),
  rating: Nullable(Type.Integer()),
  reopenCount: Type.Integer(),
  agreePublish: Type.Boolean(),
  showName: Type.Boolean(),
  flags: LetterFlagsSchema,
});
export type LetterRow = Static<typeof LetterRowSchema>;

export const LetterDetailSchema = Type.Object({
  ...LetterRowSchema.properties,
  body: Type.String(),
  reply: Type.String({ description: 'The reply being drafted or given (HTML)' }),
  replyUnit: Nullable(UnitRef),
  rejectReason: Nullable(Type.String()),
  duplicateOf: Nullable(Type.Integer()),
  ratingComment: Nullable(Type.String()),
  published: Nullable(
    Type.Object({ title: Type.String(), body: Type.String(), reply: Type.String(), unit: Type.String() }),
  ),
  steps: Type.Array(
    Type.Object({
      step: Type.String(),
      name: Type.String(),
      fromStatus: Nullable(LetterStatusSchema),
      toStatus: LetterStatusSchema,
      actorName: Type.String(),
      unit: Nullable(Type.String()),
      note: Type.String(),
      dueDay: Nullable(Day),
      at: Time,
    }),
  ),
  /** What the reader may do next, so the back office shows only those buttons. */
  allowedSteps: Type.Array(Type.String()),
  writerAttachments: Type.Array(LetterAttachmentSchema, {
    description: 'The writer’s files (personal data: each download needs case.personal and is audited)',
  }),
  replyAttachments: Type.Array(LetterAttachmentSchema, { description: 'The reply’s files' }),
  /** Whether the reader may add and remove the reply's files now (a unit's member, reply in draft). */
  canEditReplyAttachments: Type.Boolean(),
});
export type LetterDetail = Static<typeof LetterDetailSchema>;

export const PersonalDataSchema = Type.Object({
  name: Type.String(),
  phone: Type.String(),
  email: Type.String(),
  address: Type.String(),
});
export type PersonalDataView = Static<typeof PersonalDataSchema>;

export const LetterStepInputSchema = Type.Object(
  {
    note: Type.Optional(Type.String({ maxLength: 2000, description: 'Why: kept with the step' })),
    unitId: Type.Optional(Type.Integer({ minimum: 1, maximum: ROW_ID_MAX, description: 'assign: the unit' })),
    dueDay: Type.Optional(Type.Union([Day], { description: 'assign: another due day than the type’s default' })),
    reason: Type.Optional(
      Type.String({ maxLength: 200, description: 'reject: one of the usual reasons, or the office’s own' }),
    ),
    duplicateOf: Type.Optional(
      Type.Integer({ minimum: 1, maximum: ROW_ID_MAX, description: 'merge: the earlier letter' }),
    ),
    reply: Type.Optional(Type.String({ maxLength: 20_000, description: 'reply: the answer (HTML, sanitised)' })),
  },
  { additionalProperties: false },
);
export type LetterStepInput = Static<typeof LetterStepInputSchema>;

export const LetterQuerySchema = Type.Object({
  status: Type.Optional(LetterStatusSchema),
  q: Type.Optional(Type.String({ maxLength: 50, description: 'A query code, or words of the title' })),
  overdue: Type.Optional(Type.Boolean({ description: 'Only letters still open past their due day' })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
});
export type LetterQuery = Static<typeof LetterQuerySchema>;

export const LetterPageSchema = Type.Object({
  items: Type.Array(LetterRowSchema),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});
export type LetterPage = Static<typeof LetterPageSchema>;

export const CalendarDaySchema = Type.Object(
  {
    day: Day,
    kind: Type.Union([Type.Literal('holiday'), Type.Literal('workday')], {
      description: 'holiday 放假 (a weekday off), workday 调休上班 (a weekend at work)',
    }),
    name: Type.String({ maxLength: 20 }),
  },
  { additionalProperties: false },
);
export type CalendarDayInput = Static<typeof CalendarDaySchema>;
