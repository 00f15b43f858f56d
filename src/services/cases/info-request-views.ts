import { Type, type Static } from 'typebox';
import { DELIVERY_FORMS, DELIVERY_WAYS, OUTCOME_CODES } from '../../domain/index.js';
import { Day, Nullable, Time } from '../views.js';

/**
 * 依申请公开 as the API reads and writes it, described once: the services' types, the API's
 * validation and /api/openapi.json.
 */

export const ApplicantClassSchema = Type.Union(
  [
    Type.Literal('natural'),
    Type.Literal('business'),
    Type.Literal('research'),
    Type.Literal('charity'),
    Type.Literal('legal'),
    Type.Literal('other'),
  ],
  {
    description:
      'natural 自然人 (公民); for 法人或其他组织: business 商业企业, research 科研机构, charity 社会公益组织, legal 法律服务机构, other 其他',
  },
);
export const InfoRequestStatusSchema = Type.Union(
  [
    Type.Literal('submitted'),
    Type.Literal('processing'),
    Type.Literal('correcting'),
    Type.Literal('consulting'),
    Type.Literal('answered'),
  ],
  {
    description:
      'submitted 待确认收到, processing 办理中, correcting 待补正, consulting 征求第三方意见, answered 已答复',
  },
);
export const OutcomeSchema = Type.String({
  enum: [...OUTCOME_CODES],
  description:
    'A row of the annual report’s table 三: open 予以公开, partial 部分公开, withheld-1…8 不予公开, unavailable-1…3 无法提供, refused-1…5 不予处理, other-1…3 其他处理',
});

/** The applicant and the request, as the public form or a client sends it (条例 Art. 29). */
export const NewInfoRequestSchema = Type.Object(
  {
    applicantClass: ApplicantClassSchema,
    name: Type.String({ maxLength: 100, description: '姓名 (a citizen) or 名称 (an organisation); required' }),
    idType: Type.Optional(
      Type.String({
        maxLength: 20,
        description: 'A citizen’s 身份证明 type: 居民身份证, 护照, 港澳居民来往内地通行证…',
      }),
    ),
    idNumber: Type.String({
      maxLength: 40,
      description: 'A citizen’s ID number, or an organisation’s 统一社会信用代码; required',
    }),
    legalRepresentative: Type.Optional(Type.String({ maxLength: 40, description: '法定代表人 (an organisation)' })),
    contactName: Type.Optional(Type.String({ maxLength: 40, description: '联系人: required for an organisation' })),
    phone: Type.String({ maxLength: 30, description: 'Required: a mobile or landline number' }),
    email: Type.Optional(
      Type.String({ maxLength: 100, description: 'Required when the information is to be e-mailed' }),
    ),
    address: Type.Optional(Type.String({ maxLength: 200, description: 'Required when it is to be posted' })),
    postcode: Type.Optional(Type.String({ maxLength: 10 })),
    description: Type.String({
      maxLength: 2000,
      description: '所需信息的名称、文号或者便于行政机关查询的其他特征性描述; required',
    }),
    documentNo: Type.Optional(Type.String({ maxLength: 100, description: '文号, when known' })),
    purpose: Type.Optional(Type.String({ maxLength: 500, description: '用途 (not required by the 2019 条例)' })),
    deliveryForm: Type.String({ enum: [...DELIVERY_FORMS], description: '获取信息的形式' }),
    deliveryWay: Type.String({ enum: [...DELIVERY_WAYS], description: '获取信息的方式' }),
    altcha: Type.Optional(Type.String({ maxLength: 2000, description: 'The solved proof-of-work (base64 JSON)' })),
    challengeToken: Type.Optional(Type.String({ maxLength: 500, description: 'The text question’s token' })),
    challengeAnswer: Type.Optional(Type.String({ maxLength: 20 })),
    website: Type.Optional(Type.String({ maxLength: 200, description: 'Leave empty (a field people never see)' })),
  },
  { additionalProperties: false },
);
export type NewInfoRequest = Static<typeof NewInfoRequestSchema>;

/** The applicant as sealed in the store and shown, audited, to the office. */
export const ApplicantSchema = Type.Object({
  name: Type.String(),
  idType: Type.String(),
  idNumber: Type.String(),
  legalRepresentative: Type.String(),
  contactName: Type.String(),
  phone: Type.String(),
  email: Type.String(),
  address: Type.String(),
  postcode: Type.String(),
});
export type Applicant = Static<typeof ApplicantSchema>;

const ClockFields = {
  receivedDay: Nullable(Day),
  clockStartDay: Nullable(Day),
  dueDay: Nullable(Day),
  pausedSince: Nullable(Day),
  thirdPartyDueDay: Nullable(Day),
  extensionDays: Type.Integer({ description: '0 when not extended' }),
  extensionReason: Nullable(Type.String()),
  remainingWorkingDays: Nullable(
    Type.Integer({ description: 'Working days left (negative when late); null when no clock runs' }),
  ),
};

const PublicStepSchema = Type.Object({
  step: Type.String(),
  name: Type.String(),
  note: Type.String({ description: 'What the applicant is told: the correction wanted, the extension’s reason…' }),
  dueDay: Nullable(Day),
  at: Time,
});

/** What the applicant sees with the query code and password. */
export const InfoRequestFollowSchema = Type.Object({
  queryCode: Type.String(),
  description: Type.String(),
  status: InfoRequestStatusSchema,
  statusName: Type.String(),
  submittedAt: Time,
  ...ClockFields,
  outcome: Nullable(OutcomeSchema),
  outcomeName: Nullable(Type.String()),
  answeredDay: Nullable(Day),
  replyDocument: Nullable(Type.Object({ fileName: Type.String(), size: Type.Integer() })),
  steps: Type.Array(PublicStepSchema),
});
export type InfoRequestFollow = Static<typeof InfoRequestFollowSchema>;

export const InfoRequestRowSchema = Type.Object({
  id: Type.Integer(),
  siteId: Type.Integer(),
  queryCode: Type.String(),
  applicantClass: ApplicantClassSchema,
  description: Type.String(),
  status: InfoRequestStatusSchema,
  submittedAt: Time,
  ...ClockFields,
  outcome: Nullable(OutcomeSchema),
  answeredDay: Nullable(Day),
});
export type InfoRequestRow = Static<typeof InfoRequestRowSchema>;

export const InfoRequestDetailSchema = Type.Object({
  ...InfoRequestRowSchema.properties,
  documentNo: Type.String(),
  purpose: Type.String(),
  deliveryForm: Type.String(),
  deliveryWay: Type.String(),
  correctionAsked: Type.Boolean(),
  outcomeName: Nullable(Type.String()),
  replyDocument: Nullable(
    Type.Object({
      fileName: Type.String(),
      mimeType: Type.String(),
      size: Type.Integer(),
      sha256: Type.String(),
      uploadedBy: Type.String(),
      uploadedAt: Time,
    }),
  ),
  steps: Type.Array(
    Type.Object({
      step: Type.String(),
      name: Type.String(),
      fromStatus: Nullable(InfoRequestStatusSchema),
      toStatus: InfoRequestStatusSchema,
      actorName: Type.String(),
      note: Type.String(),
      dueDay: Nullable(Day),
      at: Time,
    }),
  ),
  allowedSteps: Type.Array(Type.String(), { description: 'The steps the reader may take now' }),
});
export type InfoRequestDetail = Static<typeof InfoRequestDetailSchema>;

export const InfoRequestStepInputSchema = Type.Object(
  {
    note: Type.Optional(
      Type.String({
        maxLength: 2000,
        description:
          'ask-correction: what to correct (required), extend: the reason (required), answer: the reply’s summary — these three the applicant is shown; others: the office’s own note, kept with the step',
      }),
    ),
    day: Type.Optional(
      Type.Union([Day], {
        description:
          'confirm: the day both sides confirmed receipt (Art. 31), corrected: the day the correction arrived; default today',
      }),
    ),
    days: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, description: 'extend: working days added (once)' })),
    outcome: Type.Optional(OutcomeSchema),
  },
  { additionalProperties: false },
);
export type InfoRequestStepInput = Static<typeof InfoRequestStepInputSchema>;

export const InfoRequestQuerySchema = Type.Object({
  status: Type.Optional(InfoRequestStatusSchema),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
});
export type InfoRequestQuery = Static<typeof InfoRequestQuerySchema>;

export const InfoRequestPageSchema = Type.Object({
  items: Type.Array(InfoRequestRowSchema),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});
export type InfoRequestPage = Static<typeof InfoRequestPageSchema>;

const Counts = Type.Object({
  natural: Type.Integer(),
  business: Type.Integer(),
  research: Type.Integer(),
  charity: Type.Integer(),
  legal: Type.Integer(),
  other: Type.Integer(),
  total: Type.Integer(),
});

/** The annual report's 收到和处理政府信息公开申请情况 table. */
export const RequestTableSchema = Type.Object({
  year: Type.Integer(),
  rows: Type.Array(
    Type.Object({
      key: Type.String({
        description: 'received, carried-in, results, an outcome group or code, handled, carried-out',
      }),
      label: Type.String(),
      counts: Nullable(Counts),
    }),
  ),
  balanced: Type.Boolean({ description: 'Per column: 新收 + 上年结转 = 总计 + 结转下年度' }),
});
