import { Type, type Static } from 'typebox';

/**
 * The health report, described once: its TypeScript type, the API's answer, /api/openapi.json and
 * the JSON `gazette check --json` prints (and health_run.report stores).
 */
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const Time = Type.String({ format: 'date-time' });

export const VetoIdSchema = Type.Union([
  Type.Literal('home'),
  Type.Literal('stale-columns'),
  Type.Literal('long-stale-columns'),
  Type.Literal('empty-columns'),
  Type.Literal('wording'),
  Type.Literal('messages'),
  Type.Literal('services'),
  Type.Literal('tamper'),
]);
export type VetoId = Static<typeof VetoIdSchema>;

/** A wording (错敏词) finding in published content, with the article to fix. */
export const WordingReportFindingSchema = Type.Object({
  severity: Type.Union([Type.Literal('serious'), Type.Literal('suspect'), Type.Literal('custom')]),
  articleId: Nullable(Type.Integer()),
  where: Type.String({ description: "The article's title, or a page path" }),
  text: Type.String({ description: 'The text found' }),
  suggestion: Type.String({ description: 'What it should be (empty when the dictionary names nothing)' }),
  editUrl: Nullable(Type.String({ description: 'The back-office address of the article' })),
});

export const VetoItemSchema = Type.Object({
  id: VetoIdSchema,
  title: Type.String({ description: '单项否决 item, as the indicators name it' }),
  state: Type.Union(
    [
      Type.Literal('pass'),
      Type.Literal('warn'),
      Type.Literal('fail'),
      Type.Literal('not-checked'),
      Type.Literal('not-applicable'),
    ],
    { description: 'warn: nothing fails yet, but will soon (a letter nearing 3 months unanswered)' },
  ),
  count: Nullable(Type.Integer({ description: 'What was counted (days for the home page)' })),
  threshold: Nullable(Type.Integer({ description: 'The count at which the item fails' })),
  detail: Type.String(),
  todo: Type.String({ description: 'What to do' }),
  items: Type.Array(Type.String(), { description: 'The columns or findings behind the count' }),
});
export type VetoItem = Static<typeof VetoItemSchema>;

export const ScoredIdSchema = Type.Union([
  Type.Literal('broken-links'),
  Type.Literal('external-links'),
  Type.Literal('stale-columns'),
  Type.Literal('warning-columns'),
  Type.Literal('empty-columns'),
  Type.Literal('home-warning'),
  Type.Literal('wording-suspect'),
  Type.Literal('late-letters'),
  Type.Literal('interpretations'),
]);
export type ScoredId = Static<typeof ScoredIdSchema>;

export const ScoredItemSchema = Type.Object({
  id: ScoredIdSchema,
  title: Type.String(),
  state: Type.Union([
    Type.Literal('ok'),
    Type.Literal('warning'),
    Type.Literal('problem'),
    Type.Literal('not-checked'),
  ]),
  count: Nullable(Type.Integer()),
  perItem: Type.Integer({ description: 'Points taken off per counted thing' }),
  maxPenalty: Type.Integer({ description: 'At most this many points off for the item' }),
  penalty: Type.Integer({ description: 'Points taken off' }),
  todo: Type.String(),
  items: Type.Array(Type.String()),
});
export type ScoredItem = Static<typeof ScoredItemSchema>;

export const UpdateRuleNameSchema = Type.Union([
  Type.Literal('dynamic'),
  Type.Literal('notice'),
  Type.Literal('policy'),
  Type.Literal('none'),
]);

export const ColumnFreshnessSchema = Type.Object({
  channelId: Type.Integer(),
  name: Type.String(),
  path: Type.String(),
  rule: UpdateRuleNameSchema,
  lastUpdate: Nullable(Time),
  ageDays: Nullable(Type.Integer()),
  limitDays: Nullable(Type.Integer()),
  state: Type.Union([
    Type.Literal('ok'),
    Type.Literal('warning'),
    Type.Literal('stale'),
    Type.Literal('long-stale'),
    Type.Literal('empty'),
    Type.Literal('exempt'),
  ]),
});

export const HomeFreshnessSchema = Type.Object({
  lastUpdate: Nullable(Time),
  ageDays: Nullable(Type.Integer()),
  limitDays: Type.Integer(),
  state: Type.Union([Type.Literal('ok'), Type.Literal('warning'), Type.Literal('stale')]),
});

export const LinkKindSchema = Type.Union([Type.Literal('internal'), Type.Literal('media'), Type.Literal('external')]);

export const LinkFindingViewSchema = Type.Object({
  pagePath: Type.String(),
  articleId: Nullable(Type.Integer()),
  articleTitle: Nullable(Type.String()),
  editUrl: Nullable(Type.String({ description: 'The back-office page to fix it: /admin/articles/ID' })),
  url: Type.String({ description: 'The address as written on the page' }),
  kind: LinkKindSchema,
  status: Nullable(Type.Integer()),
  reason: Type.String(),
});
export type LinkFindingView = Static<typeof LinkFindingViewSchema>;

export const HealthReportSchema = Type.Object({
  at: Time,
  siteName: Type.String(),
  passed: Type.Boolean({ description: 'False when any veto item fails, whatever the score' }),
  score: Type.Integer({ minimum: 0, maximum: 100 }),
  vetoes: Type.Array(VetoItemSchema),
  scored: Type.Array(ScoredItemSchema),
  home: HomeFreshnessSchema,
  columns: Type.Array(ColumnFreshnessSchema),
  links: Type.Object({
    pages: Nullable(Type.Integer({ description: 'Pages checked by this run; null when it used the stored findings' })),
    external: Type.Boolean({ description: 'Whether links to other sites were checked' }),
    counts: Type.Object({ internal: Type.Integer(), media: Type.Integer(), external: Type.Integer() }),
    findings: Type.Array(LinkFindingViewSchema),
  }),
  wording: Type.Object({
    checked: Type.Boolean(),
    serious: Type.Integer(),
    suspect: Type.Integer(),
    custom: Type.Integer(),
    findings: Type.Array(WordingReportFindingSchema, {
      description: 'Every finding in published content, serious first: what to fix, where',
    }),
  }),
});
export type HealthReport = Static<typeof HealthReportSchema>;

export const HealthRunSummarySchema = Type.Object({
  id: Type.Integer(),
  at: Time,
  score: Type.Integer(),
  vetoes: Type.Integer(),
  nightly: Type.Boolean(),
});
export type HealthRunSummary = Static<typeof HealthRunSummarySchema>;

export const WeeklyUpdatesSchema = Type.Object({
  weeks: Type.Array(Type.String({ description: 'Monday of the week, YYYY-MM-DD in site time' })),
  series: Type.Array(
    Type.Object({ channelId: Type.Integer(), name: Type.String(), counts: Type.Array(Type.Integer()) }),
  ),
});
export type WeeklyUpdates = Static<typeof WeeklyUpdatesSchema>;

export const HealthOverviewSchema = Type.Object({
  latest: Nullable(HealthReportSchema),
  history: Type.Array(HealthRunSummarySchema, { description: 'Runs, oldest first (the last 90)' }),
  weekly: WeeklyUpdatesSchema,
});
export type HealthOverview = Static<typeof HealthOverviewSchema>;
