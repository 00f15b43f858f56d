import { Type, type Static } from 'typebox';
import { COMMENT_LIMITS } from '../../domain/index.js';
import { Day, Nullable, Time } from '../views.js';

/**
 * 意见征集 as the API reads and writes it, described once: the services' types, the API's
 * validation and /api/openapi.json.
 */

export const ConsultationKindSchema = Type.Union(
  [Type.Literal('rule'), Type.Literal('normative'), Type.Literal('other')],
  { description: 'rule 规章, normative 行政规范性文件, other 其他' },
);
export const ConsultationPhaseSchema = Type.Union(
  [
    Type.Literal('draft'),
    Type.Literal('withdrawn'),
    Type.Literal('upcoming'),
    Type.Literal('open'),
    Type.Literal('closed'),
  ],
  {
    description:
      'draft 草稿, withdrawn 已撤回; published ones by the clock in the site’s time zone: upcoming 未开始, open 征集中, closed 已结束 (from the midnight after the end day)',
  },
);
export const CommentDecisionSchema = Type.Union(
  [Type.Literal('adopted'), Type.Literal('partial'), Type.Literal('rejected')],
  { description: 'adopted 采纳, partial 部分采纳, rejected 不予采纳' },
);

/** What the office writes: the draft and everything readers need to respond. */
export const ConsultationInputSchema = Type.Object(
  {
    title: Type.String({ maxLength: 200, description: 'Required' }),
    kind: ConsultationKindSchema,
    concernsBusiness: Type.Boolean({ description: '与市场主体生产经营活动密切相关 (涉企): at least 30 days' }),
    draftingUnit: Type.String({ maxLength: 100, description: '起草单位; required' }),
    draftHtml: Type.String({
      maxLength: 500_000,
      description: 'The draft (征求意见稿), sanitised rich text; required',
    }),
    explanationHtml: Type.String({ maxLength: 200_000, description: '起草说明, sanitised rich text; required' }),
    interpretationHtml: Type.Optional(Type.String({ maxLength: 200_000, description: '解读, optional' })),
    startDay: Day,
    endDay: Day,
    contactName: Type.String({ maxLength: 40, description: 'The office to contact (联系人或处室); required' }),
    contactPhone: Type.String({ maxLength: 30, description: 'Required' }),
    contactEmail: Type.Optional(Type.String({ maxLength: 100 })),
    otherWays: Type.Optional(
      Type.String({
        maxLength: 2000,
        description: 'Other ways to respond besides the online form: post, fax, e-mail…',
      }),
    ),
    showComments: Type.Optional(Type.Boolean({ description: 'Show the comments chosen for display, masked' })),
  },
  { additionalProperties: false },
);
export type ConsultationInput = Static<typeof ConsultationInputSchema>;

/** The period measured against the rule for its kind: a short one is a warning, not a refusal. */
export const PeriodCheckSchema = Type.Object({
  days: Type.Integer({ description: 'Calendar days from start to end, both included' }),
  workingDays: Type.Integer({ description: 'Working days among them (holidays off, 调休 days worked)' }),
  minimum: Nullable(
    Type.Object({
      unit: Type.Union([Type.Literal('days'), Type.Literal('workingDays')]),
      count: Type.Integer(),
      rule: Type.String(),
    }),
  ),
  warning: Nullable(Type.String({ description: 'Why the period is too short; null when it is long enough' })),
});
export type PeriodCheckView = Static<typeof PeriodCheckSchema>;

export const PeriodQuerySchema = Type.Object(
  {
    kind: ConsultationKindSchema,
    concernsBusiness: Type.Boolean(),
    startDay: Day,
    endDay: Day,
  },
  { additionalProperties: false },
);
export type PeriodQuery = Static<typeof PeriodQuerySchema>;

const AttachmentSchema = Type.Object({
  id: Type.Integer(),
  fileName: Type.String(),
  mimeType: Type.String(),
  size: Type.Integer(),
  url: Type.String({ description: 'Public address (served while the consultation is published)' }),
});

const FeedbackSummarySchema = Type.Object({
  received: Type.Integer(),
  adopted: Type.Integer(),
  partial: Type.Integer(),
  rejected: Type.Integer(),
  items: Type.Array(
    Type.Object({
      clause: Type.String(),
      decision: CommentDecisionSchema,
      decisionName: Type.String(),
      reason: Type.String(),
    }),
  ),
});

/** The 反馈 once published: the counts and decisions fixed at publication, and the office's text. */
export const FeedbackSchema = Type.Object({
  headline: Type.String(),
  summary: FeedbackSummarySchema,
  text: Type.String(),
  publishedAt: Time,
});

const ConsultationRowFields = {
  id: Type.Integer(),
  title: Type.String(),
  kind: ConsultationKindSchema,
  kindName: Type.String(),
  concernsBusiness: Type.Boolean(),
  draftingUnit: Type.String(),
  startDay: Day,
  endDay: Day,
  phase: ConsultationPhaseSchema,
  phaseName: Type.String(),
  url: Type.String(),
};

/** The draft and how to respond. */
const ContentFields = {
  draftHtml: Type.String(),
  explanationHtml: Type.String(),
  interpretationHtml: Type.String(),
  contactName: Type.String(),
  contactPhone: Type.String(),
  contactEmail: Type.String(),
  otherWays: Type.String(),
};

/** A row of the back office's list. */
export const ConsultationRowSchema = Type.Object({
  ...ConsultationRowFields,
  comments: Type.Integer(),
  undecided: Type.Integer(),
  feedbackPublished: Type.Boolean(),
  updatedAt: Time,
});
export type ConsultationRow = Static<typeof ConsultationRowSchema>;

/** One consultation as the office edits it. */
export const ConsultationDetailSchema = Type.Object({
  ...ConsultationRowFields,
  comments: Type.Integer(),
  undecided: Type.Integer(),
  ...ContentFields,
  showComments: Type.Boolean(),
  publishedAt: Nullable(Time),
  attachments: Type.Array(AttachmentSchema),
  period: PeriodCheckSchema,
  feedbackText: Type.String(),
  feedback: Nullable(FeedbackSchema),
  createdBy: Type.String(),
  updatedAt: Time,
});
export type ConsultationDetail = Static<typeof ConsultationDetailSchema>;

/** A comment as the office moderates it: no personal data (that is a separate, audited reading). */
export const CommentRowSchema = Type.Object({
  id: Type.Integer(),
  receiptCode: Type.String(),
  clause: Type.String(),
  body: Type.String(),
  submittedAt: Time,
  wording: Type.Array(Type.Object({ word: Type.String(), severity: Type.String() }), {
    description: '错敏词 found in the comment: flags for the office, never a refusal',
  }),
  nearDuplicateOf: Nullable(
    Type.Integer({ description: 'An earlier comment of the consultation it nearly repeats: a flag, never a refusal' }),
  ),
  decision: Nullable(CommentDecisionSchema),
  decisionName: Nullable(Type.String()),
  reason: Type.String(),
  shown: Type.Boolean(),
  decidedBy: Nullable(Type.String()),
  decidedAt: Nullable(Time),
});
export type CommentRow = Static<typeof CommentRowSchema>;

export const CommentDecisionInputSchema = Type.Object(
  {
    decision: Nullable(CommentDecisionSchema),
    reason: Type.Optional(Type.String({ maxLength: 1000, description: 'Required for 部分采纳 and 不予采纳' })),
    shown: Type.Optional(Type.Boolean({ description: 'Show it (masked) on the public page when comments are shown' })),
  },
  { additionalProperties: false },
);
export type CommentDecisionInput = Static<typeof CommentDecisionInputSchema>;

export const CommenterSchema = Type.Object({
  name: Type.String(),
  phone: Type.String(),
  email: Type.String(),
  organisation: Type.String(),
});
export type Commenter = Static<typeof CommenterSchema>;

export const FeedbackInputSchema = Type.Object(
  { text: Type.String({ maxLength: 20_000, description: 'The office’s own words: how the opinions were used' }) },
  { additionalProperties: false },
);

/** A comment from the public form or a client. */
export const NewCommentSchema = Type.Object(
  {
    name: Type.String({ maxLength: COMMENT_LIMITS.nameMax, description: 'Required' }),
    phone: Type.String({ maxLength: 30, description: 'Required: a mobile or landline number' }),
    email: Type.Optional(Type.String({ maxLength: 100 })),
    organisation: Type.Optional(Type.String({ maxLength: COMMENT_LIMITS.organisationMax, description: '单位' })),
    clause: Type.Optional(
      Type.String({ maxLength: COMMENT_LIMITS.clauseMax, description: 'The article or clause concerned, e.g. 第五条' }),
    ),
    body: Type.String({ maxLength: COMMENT_LIMITS.bodyMax, description: 'The comment; required' }),
    altcha: Type.Optional(Type.String({ maxLength: 2000, description: 'The solved proof-of-work (base64 JSON)' })),
    challengeToken: Type.Optional(Type.String({ maxLength: 500, description: 'The text question’s token' })),
    challengeAnswer: Type.Optional(Type.String({ maxLength: 20 })),
    website: Type.Optional(Type.String({ maxLength: 200, description: 'Leave empty (a field people never see)' })),
  },
  { additionalProperties: false },
);
export type NewComment = Static<typeof NewCommentSchema>;

export const CommentReceiptSchema = Type.Object({
  receiptCode: Type.String({ description: 'The comment’s reference, to quote when asking about it' }),
  consultationId: Type.Integer(),
  submittedAt: Time,
});
export type CommentReceipt = Static<typeof CommentReceiptSchema>;

/** A consultation as readers see it. */
export const PublicConsultationSchema = Type.Object({
  ...ConsultationRowFields,
  ...ContentFields,
  attachments: Type.Array(AttachmentSchema),
  comments: Type.Array(
    Type.Object({
      name: Type.String({ description: 'Masked to the surname' }),
      clause: Type.String(),
      body: Type.String({ description: 'Personal data inside masked' }),
      submittedDay: Day,
    }),
    { description: 'The comments the office chose to show, when it shows comments' },
  ),
  feedback: Nullable(FeedbackSchema),
});
export type PublicConsultation = Static<typeof PublicConsultationSchema>;

export const PublicConsultationRowSchema = Type.Object(ConsultationRowFields);
export type PublicConsultationRow = Static<typeof PublicConsultationRowSchema>;
