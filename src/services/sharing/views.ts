import { Type, type Static } from 'typebox';
import { ArticleStatusSchema, Nullable, ROW_ID_MAX, Time } from '../views.js';

/**
 * Shared articles (引用) and 信息报送 as the API reads and writes them, described once: the
 * services' types, the API's validation and /api/openapi.json.
 */

const SiteRef = Type.Object({ id: Type.Integer(), name: Type.String() });

export const PlacementSchema = Type.Object({
  id: Type.Integer(),
  articleId: Type.Integer(),
  title: Type.String(),
  homeSite: SiteRef,
  homeChannelName: Type.String(),
  articleStatus: ArticleStatusSchema,
  site: SiteRef,
  channelId: Type.Integer(),
  channelName: Type.String(),
  status: ArticleStatusSchema,
  reviewLevel: Type.Integer(),
  reviewLevels: Type.Integer(),
  live: Type.Boolean({ description: 'On the column list now: the placement and its article are both published' }),
  publishedAt: Nullable(Time),
  url: Nullable(
    Type.String({ description: "The article's one page (absolute URL on its home site), while published there" }),
  ),
  updatedAt: Time,
});
export type PlacementView = Static<typeof PlacementSchema>;

export const NewPlacementSchema = Type.Object(
  {
    articleId: Type.Integer({ minimum: 1, maximum: ROW_ID_MAX }),
    channelId: Type.Integer({
      minimum: 1,
      maximum: ROW_ID_MAX,
      description: 'The list column (of any site) to show it in',
    }),
  },
  { additionalProperties: false },
);
export type NewPlacement = Static<typeof NewPlacementSchema>;

export const SubmissionStatusSchema = Type.Union([
  Type.Literal('pending'),
  Type.Literal('adopted'),
  Type.Literal('returned'),
]);

export const SubmissionSchema = Type.Object({
  id: Type.Integer(),
  articleId: Type.Integer(),
  title: Type.String(),
  fromSite: SiteRef,
  site: SiteRef,
  channelId: Type.Integer(),
  channelName: Type.String(),
  status: SubmissionStatusSchema,
  note: Type.String(),
  reason: Type.String({ description: '退回原因' }),
  submitterName: Type.String(),
  submittedAt: Time,
  deciderName: Type.String(),
  decidedAt: Nullable(Time),
  adoptedAs: Nullable(Type.Union([Type.Literal('placement'), Type.Literal('copy')])),
  placementId: Nullable(Type.Integer()),
  copyId: Nullable(Type.Integer()),
  points: Type.Integer(),
  /** Where the adopted article stands on the receiving site. */
  adoptedStatus: Nullable(ArticleStatusSchema),
});
export type SubmissionView = Static<typeof SubmissionSchema>;

export const NewSubmissionSchema = Type.Object(
  {
    articleId: Type.Integer({ minimum: 1, maximum: ROW_ID_MAX }),
    channelId: Type.Integer({
      minimum: 1,
      maximum: ROW_ID_MAX,
      description: 'A column of another site that takes submissions (报送栏目)',
    }),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type NewSubmission = Static<typeof NewSubmissionSchema>;

export const AdoptionSchema = Type.Object(
  {
    as: Type.Union([Type.Literal('placement'), Type.Literal('copy')], {
      description:
        'placement: show the original (it must be published); copy: a draft copy to edit, keeping the link to the original',
    }),
  },
  { additionalProperties: false },
);
export type Adoption = Static<typeof AdoptionSchema>;

export const SubmissionTargetSchema = Type.Object({
  site: SiteRef,
  channelId: Type.Integer(),
  channelName: Type.String(),
  points: Type.Integer(),
});
export type SubmissionTarget = Static<typeof SubmissionTargetSchema>;

export const SubmissionColumnSchema = Type.Object(
  {
    open: Type.Boolean({ description: 'Whether the column takes submissions from other sites' }),
    points: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 1000, description: 'Points an adopted article earns (信息报送考核)' }),
    ),
  },
  { additionalProperties: false },
);
export type SubmissionColumnInput = Static<typeof SubmissionColumnSchema>;

export const SubmissionStatsRowSchema = Type.Object({
  site: SiteRef,
  submitted: Type.Integer({ description: '报送数' }),
  adopted: Type.Integer({ description: '采用数' }),
  returned: Type.Integer({ description: '退回数' }),
  pending: Type.Integer({ description: '待处理' }),
  rate: Type.Number({ description: '采用率, 0–1' }),
  points: Type.Integer(),
  rank: Type.Integer(),
});

export const SubmissionStatsSchema = Type.Object({
  period: Type.String({ description: 'YYYY or YYYY-MM' }),
  from: Time,
  to: Time,
  rows: Type.Array(SubmissionStatsRowSchema),
});
export type SubmissionStats = Static<typeof SubmissionStatsSchema>;
