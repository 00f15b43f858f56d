import { Type, type Static } from 'typebox';

/**
 * What the back office reads and writes, described once: these schemas are the services' input
 * and output types (Static<>), the API's validation, and /api/openapi.json.
 */
export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
export const Time = Type.String({ format: 'date-time' });
/** A local day: the working-day deadlines of cases are days in the site's time zone. */
export const Day = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: 'A day, YYYY-MM-DD, in the site’s time zone',
});
/**
 * The largest id (or version) a row can have: they are PostgreSQL `integer`s. A larger one names
 * no row and is refused as input (400), not sent to the store.
 */
export const ROW_ID_MAX = 2_147_483_647;

export const RoleSchema = Type.Union(
  [
    Type.Literal('editor'),
    Type.Literal('reviewer'),
    Type.Literal('publisher'),
    Type.Literal('admin'),
    Type.Literal('security'),
    Type.Literal('auditor'),
    Type.Literal('platform'),
    Type.Literal('office'),
    Type.Literal('handler'),
  ],
  {
    description:
      'editor 撰稿, reviewer 审核, publisher 签发, admin 系统管理员, security 安全管理员, auditor 审计管理员, platform 平台管理员, office 互动受理, handler 承办',
  },
);
export const RoleGrantSchema = Type.Object({
  role: RoleSchema,
  channelId: Nullable(
    Type.Integer({ minimum: 1, maximum: ROW_ID_MAX, description: 'Channel subtree; null for the whole site' }),
  ),
});

export const UserViewSchema = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(RoleGrantSchema),
  mustChangePassword: Type.Boolean(),
  totpEnabled: Type.Boolean(),
  disabled: Type.Boolean(),
  locked: Type.Boolean(),
  lastLoginAt: Nullable(Time),
  createdAt: Time,
  email: Nullable(Type.String({ description: 'Where the letter desk’s deadline alerts are mailed; null: none' })),
});
export type UserView = Static<typeof UserViewSchema>;

/** What a user is told of at sign-in: the changes to their account's sign-in since the last time. */
export const SecurityNoticeKindSchema = Type.Union([
  Type.Literal('password-changed'),
  Type.Literal('password-reset'),
  Type.Literal('second-factor-on'),
  Type.Literal('second-factor-reset'),
  Type.Literal('roles-changed'),
  Type.Literal('disabled'),
  Type.Literal('locked'),
  Type.Literal('sessions-ended'),
]);
export type SecurityNoticeKind = Static<typeof SecurityNoticeKindSchema>;

export const SessionViewSchema = Type.Object({
  user: UserViewSchema,
  csrfToken: Type.String({ description: 'Send back in the X-CSRF-Token header on every write' }),
  permissions: Type.Array(Type.String()),
  mustEnrolSecondFactor: Type.Boolean({
    description: 'An administrative account must turn on two-step verification before any other request',
  }),
  notices: Type.Array(
    Type.Object({
      kind: SecurityNoticeKindSchema,
      at: Time,
      by: Type.String({ description: 'Who did it: the account itself, an administrator, or the system' }),
      ip: Nullable(Type.String()),
    }),
    {
      description:
        'Changes to how the account signs in since its sign-in before this session (ASVS 2.2.3): shown once signed in, so that a change the owner did not make is seen',
    },
  ),
});
export type SessionView = Static<typeof SessionViewSchema>;

export const ChannelTypeSchema = Type.Union([Type.Literal('list'), Type.Literal('page'), Type.Literal('link')]);
export const UpdateRuleSchema = Type.Union(
  [Type.Literal('dynamic'), Type.Literal('notice'), Type.Literal('policy'), Type.Literal('none')],
  {
    description:
      'How often the column must be updated: dynamic (动态/要闻, 14 days), notice (通知公告) and policy (政策文件, 6 months), none',
  },
);
export const ContentTypeKeySchema = Type.Union(
  [
    Type.Literal('article'),
    Type.Literal('policy'),
    Type.Literal('interpretation'),
    Type.Literal('guide'),
    Type.Literal('leader'),
    Type.Literal('organ'),
    Type.Literal('topic'),
  ],
  {
    description:
      'Content type of the items: article (文章), policy (政策文件), interpretation (政策解读), guide (办事指南), leader (领导信息), organ (机构职能), topic (专题)',
  },
);
export const ChannelViewSchema = Type.Object({
  id: Type.Integer(),
  parentId: Nullable(Type.Integer()),
  name: Type.String(),
  slug: Type.String(),
  type: ChannelTypeSchema,
  sortOrder: Type.Integer(),
  description: Type.String(),
  keywords: Type.String(),
  linkUrl: Nullable(Type.String()),
  bodyHtml: Nullable(Type.String()),
  reviewLevels: Type.Integer(),
  updateRule: UpdateRuleSchema,
  contentType: ContentTypeKeySchema,
  path: Type.String({ description: 'Public URL path, e.g. /zwgk/bmdt/' }),
});
export type ChannelView = Static<typeof ChannelViewSchema>;

export const ChannelInputSchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 50 }),
  slug: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' })),
  parentId: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: ROW_ID_MAX }))),
  type: Type.Optional(ChannelTypeSchema),
  sortOrder: Type.Optional(Type.Integer()),
  description: Type.Optional(Type.String({ maxLength: 500 })),
  keywords: Type.Optional(Type.String({ maxLength: 200 })),
  linkUrl: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  bodyHtml: Type.Optional(Nullable(Type.String({ maxLength: 1_000_000 }))),
  reviewLevels: Type.Optional(Type.Integer({ minimum: 0, maximum: 3 })),
  updateRule: Type.Optional(UpdateRuleSchema),
  contentType: Type.Optional(ContentTypeKeySchema),
});
export type ChannelInput = Static<typeof ChannelInputSchema>;
export const ChannelPatchSchema = Type.Partial(ChannelInputSchema);
export type ChannelPatch = Static<typeof ChannelPatchSchema>;

export const ArticleStatusSchema = Type.Union([
  Type.Literal('draft'),
  Type.Literal('submitted'),
  Type.Literal('approved'),
  Type.Literal('published'),
  Type.Literal('withdrawn'),
]);
export const AttachmentSchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 255 }),
  url: Type.String({ minLength: 1, maxLength: 2000 }),
  size: Nullable(Type.Integer({ minimum: 0 })),
});

export const ArticleSummarySchema = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  channelId: Type.Integer(),
  channelName: Type.String(),
  status: ArticleStatusSchema,
  createdBy: Nullable(Type.Integer()),
  createdByName: Type.String(),
  updatedAt: Time,
  publishedAt: Nullable(Time),
  version: Type.Integer(),
  reviewLevel: Type.Integer(),
  reviewLevels: Type.Integer(),
  url: Nullable(Type.String({ description: 'Public URL path while published' })),
  contentType: ContentTypeKeySchema,
});
export type ArticleSummary = Static<typeof ArticleSummarySchema>;

export const CommentSchema = Type.Object({
  id: Type.Integer(),
  userName: Type.String(),
  action: Type.String(),
  body: Type.String(),
  at: Time,
});

/** One wording (错敏词) finding: where, what, how serious, and the right form. */
export const WordingFindingSchema = Type.Object({
  field: Type.Union([Type.Literal('title'), Type.Literal('summary'), Type.Literal('body')]),
  start: Type.Integer({
    description: "Offset (UTF-16 code units) in the field's text; for the body, in the text of its HTML",
  }),
  end: Type.Integer(),
  text: Type.String(),
  occurrence: Type.Integer({
    description: 'How many times `text` occurs in the field before this one (to place it in the editor)',
  }),
  kind: Type.Union([Type.Literal('wrong'), Type.Literal('outdated'), Type.Literal('near-miss'), Type.Literal('order')]),
  severity: Type.Union([Type.Literal('serious'), Type.Literal('suspect'), Type.Literal('custom')], {
    description: 'serious blocks submission',
  }),
  suggestion: Type.String(),
  entry: Type.String({ description: 'The dictionary phrase the finding is about' }),
  reason: Type.String(),
});
export type WordingFinding = Static<typeof WordingFindingSchema>;

export const ArticleViewSchema = Type.Object({
  ...ArticleSummarySchema.properties,
  subtitle: Type.String(),
  source: Nullable(Type.String()),
  author: Type.String(),
  responsibleEditor: Type.String(),
  bodyHtml: Type.String(),
  summary: Type.String(),
  keywords: Type.String(),
  coverImage: Nullable(Type.String()),
  attachments: Type.Array(AttachmentSchema),
  comments: Type.Array(CommentSchema),
  scheduledPublishAt: Nullable(Time),
  scheduledWithdrawAt: Nullable(Time),
  withdrawReason: Nullable(Type.String()),
  contentType: ContentTypeKeySchema,
  fields: Type.Record(Type.String(), Type.Unknown(), { description: 'Typed values of its content type' }),
  relations: Type.Array(
    Type.Object({
      field: Type.String(),
      direction: Type.Union([Type.Literal('to'), Type.Literal('from')], {
        description: 'to: this item’s field points at it; from: its field points at this item',
      }),
      id: Type.Integer(),
      title: Type.String(),
      contentType: Type.String(),
      status: Type.String(),
    }),
    { description: 'The items its relation fields point to, and those pointing at it' },
  ),
  wordingFindings: Type.Optional(
    Type.Array(WordingFindingSchema, { description: 'On a save: the wording check of what was saved' }),
  ),
});
export type ArticleView = Static<typeof ArticleViewSchema>;

export const ArticleInputSchema = Type.Object({
  channelId: Type.Integer({ minimum: 1, maximum: ROW_ID_MAX }),
  title: Type.String({ minLength: 1, maxLength: 200 }),
  subtitle: Type.Optional(Type.String({ maxLength: 400 })),
  source: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  author: Type.Optional(Type.String({ maxLength: 100 })),
  responsibleEditor: Type.Optional(Type.String({ maxLength: 100 })),
  bodyHtml: Type.String({ maxLength: 2_000_000 }),
  summary: Type.Optional(Type.String({ maxLength: 500 })),
  keywords: Type.Optional(Type.String({ maxLength: 200 })),
  coverImage: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  attachments: Type.Optional(Type.Array(AttachmentSchema, { maxItems: 50 })),
  publishedAt: Type.Optional(Time),
  publishedAtReason: Type.Optional(
    Type.String({ maxLength: 500, description: 'Required when publishedAt is set or moved' }),
  ),
  fields: Type.Optional(
    Type.Record(Type.String(), Type.Unknown(), {
      description:
        'Typed values of the column’s content type (see the *Fields schemas and GET /api/v1/content-types). On an edit, a named field is set, or cleared by null; fields not named are kept',
    }),
  ),
});
export type ArticleInput = Static<typeof ArticleInputSchema>;
export const ArticlePatchSchema = Type.Object({
  version: Type.Integer({ minimum: 1, maximum: ROW_ID_MAX, description: 'The version the edit started from' }),
  ...Type.Partial(ArticleInputSchema).properties,
});
export type ArticlePatch = Static<typeof ArticlePatchSchema>;

export const RevisionSummarySchema = Type.Object({
  number: Type.Integer(),
  version: Type.Integer(),
  at: Time,
  userName: Type.String(),
  action: Type.String(),
  title: Type.String(),
});
export const RevisionSchema = Type.Object({
  ...RevisionSummarySchema.properties,
  subtitle: Type.String(),
  bodyHtml: Type.String(),
  channelId: Type.Integer(),
});
export type Revision = Static<typeof RevisionSchema>;
export const DiffPartSchema = Type.Object({
  op: Type.Union([Type.Literal('equal'), Type.Literal('insert'), Type.Literal('delete')]),
  text: Type.String(),
});
export type DiffPart = Static<typeof DiffPartSchema>;

export const MediaViewSchema = Type.Object({
  id: Type.Integer(),
  kind: Type.Union([Type.Literal('image'), Type.Literal('attachment')]),
  originalName: Type.String(),
  mimeType: Type.String(),
  size: Type.Integer(),
  width: Nullable(Type.Integer()),
  height: Nullable(Type.Integer()),
  alt: Type.String(),
  url: Type.String(),
  variants: Type.Array(Type.Object({ width: Type.Integer(), url: Type.String() })),
  createdAt: Time,
  uploaderName: Type.String(),
});
export type MediaView = Static<typeof MediaViewSchema>;

export const AuditEntrySchema = Type.Object({
  seq: Type.Integer(),
  at: Time,
  userId: Nullable(Type.Integer()),
  userName: Type.String(),
  action: Type.String(),
  targetType: Type.String(),
  targetId: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown()),
  ip: Nullable(Type.String()),
});
export type AuditEntry = Static<typeof AuditEntrySchema>;

export const pageOf = <T extends Parameters<typeof Type.Array>[0]>(item: T) =>
  Type.Object({ items: Type.Array(item), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() });
export interface Page<T> {
  readonly items: T[];
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
}
