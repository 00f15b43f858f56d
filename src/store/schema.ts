import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { LetterAttachmentTable } from './letter-attachments.js';

/** Table shapes as Kysely sees them (camelCase; the CamelCasePlugin maps to snake_case columns). */
export interface SiteTable {
  id: Generated<number>;
  name: string;
  domain: string;
  hostOrganization: string;
  siteCode: string;
  icpRecord: string;
  policeRecord: string;
  address: string;
  contact: string;
  timeZone: string;
  description: string;
  keywords: string;
  createdAt: string;
  updatedAt: string;
  /** 1 while the site shows in grey for a day of mourning (哀悼日置灰), set by an administrator. */
  mourning: Generated<number>;
  /** 'active' | 'archived': an archived site keeps everything and is served no more. */
  status: Generated<string>;
  /** The site this one sits under on the platform (a department's or town's site under the portal). */
  parentId: Generated<number | null>;
  /** 'link' | 'copy': how its lists show articles placed from other sites (引用). */
  placedPages: Generated<string>;
  /** What each user may upload to the site, in MiB (ASVS 12.1.3). */
  mediaQuotaMb: Generated<number>;
  /** Working days a published policy may wait for its 解读 before the health report warns. */
  interpretationDueDays: Generated<number>;
}

/** Every host name that reaches a site: a request finds its site by its Host header here. */
export interface SiteHostTable {
  host: string;
  siteId: number;
}

/** Platform-wide settings, one row per key (e.g. `default_site`, the site an unknown host gets). */
export interface PlatformSettingTable {
  key: string;
  value: string;
}

export interface ChannelTable {
  id: Generated<number>;
  siteId: number;
  parentId: number | null;
  name: string;
  slug: string;
  type: string;
  sortOrder: number;
  description: string;
  keywords: string;
  linkUrl: string | null;
  bodyHtml: string | null;
  reviewLevels: Generated<number>;
  createdAt: string;
  updatedAt: string;
  /** How often the column must be updated: 'dynamic' | 'notice' | 'policy' | 'none'. */
  updateRule: Generated<string>;
  /** The content type of its items (a ContentTypeKey). */
  contentType: Generated<string>;
}

export interface ArticleTable {
  id: Generated<number>;
  siteId: number;
  channelId: number;
  title: string;
  subtitle: string;
  source: string | null;
  author: string;
  responsibleEditor: string;
  publishedAt: string | null;
  bodyHtml: string;
  summary: string;
  keywords: string;
  coverImage: string | null;
  /** JSON array of attachments. */
  attachments: string;
  status: string;
  viewCount: number;
  version: number;
  importKey: string | null;
  createdBy: number | null;
  reviewLevel: Generated<number>;
  withdrawReason: string | null;
  createdAt: string;
  updatedAt: string;
  /** The item's content type (a ContentTypeKey). */
  contentType: Generated<string>;
  /** JSON object of its typed values. */
  fields: Generated<string>;
  /** What lists show beside its title, from its values ('' for nothing). */
  listMark: Generated<string>;
}

/** A field a site's administrator added to a content type. */
export interface ContentFieldTable {
  id: Generated<number>;
  siteId: number;
  contentType: string;
  name: string;
  label: string;
  kind: string;
  required: Generated<number>;
  /** JSON: maxLength, options, help. */
  settings: Generated<string>;
  sortOrder: number;
  createdBy: string;
  createdAt: string;
}

/** A relation field's value, one row per item pointed to: read backwards for two-way relations. */
export interface ArticleRelationTable {
  articleId: number;
  field: string;
  targetId: number;
  position: number;
}

/** The values of a field removed with --force, kept as they were. */
export interface ContentFieldArchiveTable {
  id: Generated<number>;
  siteId: number;
  contentType: string;
  name: string;
  label: string;
  articleId: number;
  /** The value as JSON. */
  value: string;
  archivedBy: string;
  archivedAt: string;
}

export interface SearchDocTable {
  id: Generated<number>;
  /** `article:12` or `channel:5` (a single-page column). */
  docKey: string;
  siteId: number;
  contentType: string;
  articleId: number | null;
  channelId: number;
  title: string;
  bodyText: string;
  publishedAt: string;
}

export interface SearchTermTable {
  siteId: number;
  term: string;
  /** How many indexed titles hold the term. */
  df: number;
}

export interface SearchSynonymTable {
  siteId: number;
  term: string;
  synonym: string;
}

export interface SearchStopwordTable {
  siteId: number;
  word: string;
}

export interface UserAccountTable {
  id: Generated<number>;
  username: string;
  displayName: string;
  passwordHash: string;
  /** 0/1 flags: SQLite has no boolean type. */
  mustChangePassword: number;
  totpSecret: string | null;
  /** A secret being enrolled: the current one stays in force until this one is confirmed. */
  totpPendingSecret: string | null;
  totpEnabled: number;
  /** The time step of the last code accepted: a code is good once (RFC 6238 §5.2). */
  totpLastStep: number | null;
  disabled: number;
  failedLogins: number;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  passwordChangedAt: string;
  createdAt: string;
  updatedAt: string;
  /** Where the letter desk's alerts are mailed (0014_user_email); null: no mail. */
  email: string | null;
}

export interface RoleGrantTable {
  id: Generated<number>;
  userId: number;
  role: string;
  /** The site the role is held on; null for the platform-level roles (security, auditor, platform). */
  siteId: number | null;
  channelId: number | null;
}

export interface SessionTable {
  /** SHA-256 of the cookie's token: a stolen copy of the store does not hand out sessions. */
  id: string;
  userId: number;
  csrfToken: string;
  ip: string | null;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  /** The browser's User-Agent when the session was opened (cut to 256 characters), for the session list. */
  userAgent: string | null;
  /** When the owner last gave their password in this session: sign-in, or a confirmation before a sensitive action. */
  verifiedAt: string | null;
}

export interface ArticleRevisionTable {
  id: Generated<number>;
  articleId: number;
  number: number;
  version: number;
  action: string;
  userId: number | null;
  userName: string;
  at: string;
  /** JSON of the article's editable fields after the change. */
  snapshot: string;
}

export interface ArticleCommentTable {
  id: Generated<number>;
  articleId: number;
  userId: number | null;
  userName: string;
  action: string;
  body: string;
  at: string;
}

export interface AuditLogTable {
  seq: number;
  at: string;
  userId: number | null;
  userName: string;
  action: string;
  targetType: string;
  targetId: string | null;
  /** JSON object. */
  details: string;
  ip: string | null;
  prevHash: string;
  hash: string;
}

export interface MediaTable {
  id: Generated<number>;
  siteId: number;
  kind: string;
  storageKey: string;
  originalName: string;
  mimeType: string;
  size: number;
  width: number | null;
  height: number | null;
  alt: string;
  /** JSON array of { width, file }. */
  variants: string;
  sha256: string;
  uploadedBy: number | null;
  uploaderName: string;
  createdAt: string;
}

export interface JobTable {
  id: Generated<number>;
  kind: string;
  articleId: number;
  runAt: string;
  status: string;
  /** JSON: who asked, and the withdrawal reason. */
  payload: string;
  attempts: number;
  lastError: string | null;
  createdBy: number | null;
  createdAt: string;
  finishedAt: string | null;
  /** When an instance took it: a running job whose lease ran out is taken again. */
  claimedAt: string | null;
}

/** A content event whose pages are not all written yet (the publisher's durable queue). */
export interface PublishTaskTable {
  id: Generated<number>;
  /** The ContentEvent, as JSON. */
  event: string;
  createdAt: string;
  claimedAt: string | null;
  /** The instance working on it (host and process), for the operator. */
  claimedBy: string | null;
  /** Pages of the task's run rendered so far, and in all (0 and 0 until a large run counts them). */
  progressDone: Generated<number>;
  progressTotal: Generated<number>;
}

/** Requests in the current window per rate-limit key, shared by every app instance. */
export interface RateLimitTable {
  key: string;
  /** Start of the window, in milliseconds since the epoch. */
  windowStart: number;
  hits: number;
}

export interface PageManifestTable {
  /** URL path of the page (`/bqdt/`, `/bqdt/202105/t20210520_1.html`, `/rss.xml`). */
  path: string;
  /** SHA-256 of the stored bytes (hex); empty for a page that was removed. */
  hash: string;
  size: number;
  updatedAt: string;
  /** Order of changes: every write or removal takes the next number. */
  seq: number;
}

export interface BuildRunTable {
  id: Generated<number>;
  /** The site built (null only for a run left by a release before the platform). */
  siteId: number | null;
  startedAt: string;
  finishedAt: string | null;
  /** Where the build got to: `phase:lastId`. */
  cursor: string;
  done: number;
  written: number;
}

export interface ChannelCountTable {
  channelId: number;
  /** Published articles in the channel itself (not its sub-channels). */
  published: number;
  /** Live placements of other columns' articles in the channel (引用). */
  placed: Generated<number>;
}

/** An article shown in one more column (引用), of its own site or another: never a copy. */
export interface PlacementTable {
  id: Generated<number>;
  articleId: number;
  /** The site of the column it is placed in. */
  siteId: number;
  channelId: number;
  /** The placement's own workflow state in that column (an ArticleStatus). */
  status: string;
  reviewLevel: Generated<number>;
  /** 1 while the placement and its article are both published (kept by a trigger on article). */
  live: Generated<number>;
  /** Its place in the column: when it first went live there. */
  publishedAt: string | null;
  createdBy: number | null;
  createdAt: string;
  updatedAt: string;
}

/** A column of a site that takes 信息报送 from other sites, and the points an adopted article earns. */
export interface SubmissionColumnTable {
  channelId: number;
  points: Generated<number>;
}

/** An article offered by one site to another site's column (信息报送). */
export interface SubmissionTable {
  id: Generated<number>;
  articleId: number;
  fromSiteId: number;
  /** The receiving site and column. */
  siteId: number;
  channelId: number;
  /** 'pending' | 'adopted' | 'returned'. */
  status: string;
  /** The sender's note to the receiving editors. */
  note: Generated<string>;
  /** Why it was returned (退回原因). */
  reason: Generated<string>;
  submittedBy: number | null;
  submitterName: string;
  submittedAt: string;
  decidedBy: number | null;
  deciderName: Generated<string>;
  decidedAt: string | null;
  /** 'placement' | 'copy' once adopted. */
  adoptedAs: string | null;
  placementId: number | null;
  copyId: number | null;
  /** Points earned on adoption (the receiving column's setting at that moment). */
  points: Generated<number>;
}

/** The site's own wording dictionary, on top of the one shipped in the repository. */
export interface WordingEntryTable {
  id: Generated<number>;
  siteId: number;
  phrase: string;
  /** 'canonical' | 'wrong' | 'outdated'. */
  kind: string;
  /** 'serious' | 'suspect' | 'custom'. */
  severity: string;
  suggestion: Generated<string>;
  note: Generated<string>;
  enabled: Generated<number>;
  createdBy: number | null;
  createdAt: string;
  updatedAt: string;
}

/** A security administrator's override of serious wording findings for one version of an article. */
export interface WordingOverrideTable {
  id: Generated<number>;
  articleId: number;
  version: number;
  /** JSON array of the findings overridden. */
  findings: string;
  reason: string;
  userId: number | null;
  at: string;
}

/** 信息公开 metadata of an article that is disclosed government information. */
export interface DisclosureTable {
  articleId: number;
  /** 索引号: organisation code / year - 5-digit serial, e.g. 11320509MB1234567X/2025-00012. */
  indexNo: string;
  /** 发布机构. */
  organization: string;
  organizationCode: string;
  /** 文号. */
  documentNo: Generated<string>;
  /** 成文日期, YYYY-MM-DD. */
  writtenOn: string | null;
  /** 主题分类. */
  topic: string;
  /** 公开方式 (主动公开, 依申请公开). */
  disclosureForm: string;
  year: number;
  serial: number;
}

export interface DisclosureSerialTable {
  organizationCode: string;
  year: number;
  lastSerial: number;
}

/** A broken link or missing media found on a published page. */
export interface LinkFindingTable {
  id: Generated<number>;
  siteId: number;
  pagePath: string;
  articleId: number | null;
  url: string;
  /** 'internal' | 'media' | 'external'. */
  kind: string;
  status: number | null;
  reason: string;
  checkedAt: string;
}

export interface HealthRunTable {
  id: Generated<number>;
  siteId: number;
  at: string;
  score: number;
  vetoes: number;
  report: string;
  /** The nightly run's day (YYYY-MM-DD, site time); null for a run someone asked for. */
  slot: string | null;
}

/** One site's letter desk (领导信箱): its settings as JSON, validated by the service. */
export interface LetterDeskTable {
  siteId: number;
  settings: string;
  updatedAt: string;
}

/** A unit (承办单位) that answers letters: a department or town, under a site. */
export interface CaseUnitTable {
  id: Generated<number>;
  siteId: number;
  name: string;
  sortOrder: number;
  active: number;
  createdAt: string;
}

export interface CaseUnitMemberTable {
  unitId: number;
  userId: number;
  /** 1 for the unit's leader, who gives a reply its first review. */
  leader: number;
}

export interface LetterTable {
  id: Generated<number>;
  siteId: number;
  type: string;
  queryCode: string;
  passwordHash: string;
  status: string;
  reviewLevel: Generated<number>;
  title: string;
  body: string;
  personal: string;
  personalKeyId: string;
  phoneIndex: string;
  agreePublish: number;
  showName: number;
  chosenUnitId: number | null;
  unitId: number | null;
  receivedAt: string;
  acceptedAt: string | null;
  clockStartDay: string | null;
  dueDay: string | null;
  deadlineDays: number | null;
  replyHtml: Generated<string>;
  replyUnitId: number | null;
  answeredAt: string | null;
  firstAnsweredAt: string | null;
  publishedAt: string | null;
  publishedTitle: string | null;
  publishedBody: string | null;
  publishedReply: string | null;
  publishedUnit: string | null;
  publishedWriter: string | null;
  rating: number | null;
  ratedAt: string | null;
  ratingComment: string | null;
  reopenCount: Generated<number>;
  duplicateOf: number | null;
  rejectReason: string | null;
  flags: Generated<string>;
  anonymisedAt: string | null;
  updatedAt: string;
}

export interface LetterStepTable {
  id: Generated<number>;
  letterId: number;
  step: string;
  fromStatus: string | null;
  toStatus: string;
  actorId: number | null;
  actorName: string;
  unitId: number | null;
  note: string;
  dueDay: string | null;
  at: string;
}

export interface LetterAlertTable {
  id: Generated<number>;
  letterId: number;
  alert: string;
  round: number;
  raisedAt: string;
  mailedAt: string | null;
}

/** The administrator's changes to the shipped holiday calendar (a new year's schedule, a fix). */
export interface CalendarDayTable {
  day: string;
  kind: string;
  name: string;
  updatedBy: string;
  updatedAt: string;
}

/** Years whose official schedule the administrator has entered in full (marked so by hand). */
export interface CalendarYearTable {
  year: number;
  updatedBy: string;
  updatedAt: string;
}

/** Proof-of-work and text challenges already answered: each is good for one submission. */
export interface UsedChallengeTable {
  id: string;
  expiresMs: number;
}

/** 依申请公开: a request for government information and its statutory clock. */
export interface InfoRequestTable {
  id: Generated<number>;
  siteId: number;
  queryCode: string;
  passwordHash: string;
  status: string;
  applicantClass: string;
  personal: string;
  personalKeyId: string;
  phoneIndex: string;
  description: string;
  documentNo: Generated<string>;
  purpose: Generated<string>;
  deliveryForm: string;
  deliveryWay: string;
  submittedAt: string;
  receivedDay: string | null;
  clockStartDay: string | null;
  dueDay: string | null;
  pausedSince: string | null;
  extensionDays: Generated<number>;
  extensionReason: string | null;
  correctionAsked: Generated<number>;
  outcome: string | null;
  answeredAt: string | null;
  answeredDay: string | null;
  anonymisedAt: string | null;
  updatedAt: string;
}

export interface InfoRequestStepTable {
  id: Generated<number>;
  requestId: number;
  step: string;
  fromStatus: string | null;
  toStatus: string;
  actorId: number | null;
  actorName: string;
  note: Generated<string>;
  dueDay: string | null;
  at: string;
}

/** The reply document of a request (one per request; a new upload replaces it until the answer). */
export interface InfoRequestDocumentTable {
  id: Generated<number>;
  requestId: number;
  fileName: string;
  mimeType: string;
  size: number;
  sha256: string;
  /** The file, base64. */
  content: string;
  uploadedBy: string;
  uploadedAt: string;
}

/** A site's link to the 12345 city hotline (0015_hotline): where webhooks go, the sealed shared secret. */
export interface HotlineLinkTable {
  siteId: number;
  /** The hotline's webhook address; '' until set. */
  url: string;
  /** The shared secret, sealed with the data key (it must be opened to sign); null until generated. */
  secret: string | null;
  secretKeyId: string | null;
  secretSetAt: string | null;
  enabled: number;
  updatedAt: string;
}

/** The outbox of the hotline link: one row per case event, delivered and retried by the scheduler. */
export interface HotlineEventTable {
  id: Generated<number>;
  siteId: number;
  letterId: number;
  /** The id the hotline sees (X-Gazette-Event-Id), unique. */
  eventId: string;
  type: string;
  /** The JSON body as sent, made in the step's transaction: the signature covers these bytes. */
  body: string;
  status: string;
  attempts: number;
  /** When the next attempt is due (or the current attempt's lease ends); null once delivered or failed. */
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

/** Callbacks taken from the hotline: each event id once per site (a replay is refused). */
export interface HotlineCallbackTable {
  id: Generated<number>;
  siteId: number;
  eventId: string;
  letterId: number | null;
  kind: string;
  receivedAt: string;
}

/** A draft put out for comment (0016_consultations). */
export interface ConsultationTable {
  id: Generated<number>;
  siteId: number;
  title: string;
  kind: string;
  concernsBusiness: number;
  draftingUnit: string;
  draftHtml: string;
  explanationHtml: string;
  interpretationHtml: Generated<string>;
  startDay: string;
  endDay: string;
  contactName: string;
  contactPhone: string;
  contactEmail: Generated<string>;
  otherWays: Generated<string>;
  showComments: Generated<number>;
  status: string;
  publishedAt: string | null;
  feedbackText: Generated<string>;
  /** The 反馈's counts and decisions as published (JSON), fixed at publication. */
  feedbackSummary: string | null;
  feedbackPublishedAt: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface ConsultationAttachmentTable {
  id: Generated<number>;
  consultationId: number;
  fileName: string;
  mimeType: string;
  size: number;
  sha256: string;
  /** The file, base64. */
  content: string;
  uploadedBy: string;
  uploadedAt: string;
}

/** A comment from the public; the commenter is sealed (`personal`). */
export interface ConsultationCommentTable {
  id: Generated<number>;
  consultationId: number;
  receiptCode: string;
  personal: string;
  personalKeyId: string;
  phoneIndex: string;
  clause: Generated<string>;
  body: string;
  flags: Generated<string>;
  decision: string | null;
  decisionReason: Generated<string>;
  shown: Generated<number>;
  publicName: string | null;
  publicBody: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  submittedAt: string;
  anonymisedAt: string | null;
}

export interface Database {
  site: SiteTable;
  siteHost: SiteHostTable;
  platformSetting: PlatformSettingTable;
  channel: ChannelTable;
  article: ArticleTable;
  searchDoc: SearchDocTable;
  searchTerm: SearchTermTable;
  searchSynonym: SearchSynonymTable;
  searchStopword: SearchStopwordTable;
  userAccount: UserAccountTable;
  roleGrant: RoleGrantTable;
  session: SessionTable;
  articleRevision: ArticleRevisionTable;
  articleComment: ArticleCommentTable;
  auditLog: AuditLogTable;
  media: MediaTable;
  job: JobTable;
  pageManifest: PageManifestTable;
  buildRun: BuildRunTable;
  channelCount: ChannelCountTable;
  placement: PlacementTable;
  submissionColumn: SubmissionColumnTable;
  submission: SubmissionTable;
  publishTask: PublishTaskTable;
  rateLimit: RateLimitTable;
  wordingEntry: WordingEntryTable;
  wordingOverride: WordingOverrideTable;
  disclosure: DisclosureTable;
  disclosureSerial: DisclosureSerialTable;
  linkFinding: LinkFindingTable;
  healthRun: HealthRunTable;
  letterDesk: LetterDeskTable;
  caseUnit: CaseUnitTable;
  caseUnitMember: CaseUnitMemberTable;
  letter: LetterTable;
  letterStep: LetterStepTable;
  letterAlert: LetterAlertTable;
  letterAttachment: LetterAttachmentTable;
  calendarDay: CalendarDayTable;
  calendarYear: CalendarYearTable;
  contentField: ContentFieldTable;
  articleRelation: ArticleRelationTable;
  contentFieldArchive: ContentFieldArchiveTable;
  usedChallenge: UsedChallengeTable;
  infoRequest: InfoRequestTable;
  infoRequestStep: InfoRequestStepTable;
  infoRequestDocument: InfoRequestDocumentTable;
  hotlineLink: HotlineLinkTable;
  hotlineEvent: HotlineEventTable;
  hotlineCallback: HotlineCallbackTable;
  consultation: ConsultationTable;
  consultationAttachment: ConsultationAttachmentTable;
  consultationComment: ConsultationCommentTable;
  survey: SurveyTable;
  surveyQuestion: SurveyQuestionTable;
  surveyResponse: SurveyResponseTable;
  surveyAnswer: SurveyAnswerTable;
  frontServer: FrontServerTable;
  frontEvent: FrontEventTable;
  migrationUrls: MigrationUrlsTable;
  redirects: RedirectsTable;
  siteLook: SiteLookTable;
  articleMark: ArticleMarkTable;
  themeOverride: ThemeOverrideTable;
  themeRevision: ThemeRevisionTable;
}

/** A site's look (站点外观, 0023_site_look): the SiteLook of src/domain/look.ts as JSON. */
export interface SiteLookTable {
  siteId: number;
  look: string;
  /** Bumped by every save, for optimistic concurrency. */
  version: Generated<number>;
  updatedAt: string;
  updatedBy: number | null;
}

/** An article's place on the home page: 'headline' (头条) or 'picture' (图片新闻). */
export interface ArticleMarkTable {
  articleId: number;
  siteId: number;
  mark: string;
  createdAt: string;
}

/** A site's own version of one template of the default theme (its name, e.g. `article`, `blocks/headline`). */
export interface ThemeOverrideTable {
  siteId: number;
  name: string;
  source: string;
  updatedAt: string;
  updatedBy: number | null;
}

/** Every change to a site's template overrides, oldest first; `source` null: back to the default. */
export interface ThemeRevisionTable {
  id: Generated<number>;
  siteId: number;
  name: string;
  source: string | null;
  /** 'save' | 'restore' | 'reset' | 'import'. */
  action: string;
  createdAt: string;
  createdBy: number | null;
}

export interface SurveyTable {
  id: Generated<number>;
  siteId: number;
  title: string;
  description: Generated<string>;
  startDay: string;
  endDay: string;
  respondentRule: string;
  resultsPublic: Generated<number>;
  status: string;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
}

export interface SurveyQuestionTable {
  id: Generated<number>;
  surveyId: number;
  position: number;
  kind: string;
  title: string;
  required: Generated<number>;
  /** JSON array of the option labels, in order (numbered from 1). */
  options: Generated<string>;
  minPicks: number | null;
  maxPicks: number | null;
}

export interface SurveyResponseTable {
  id: Generated<number>;
  surveyId: number;
  /** A keyed HMAC of the phone or the address: no personal data is kept. */
  respondentKey: string;
  submittedAt: string;
}

export interface SurveyAnswerTable {
  id: Generated<number>;
  responseId: number;
  questionId: number;
  choice: number | null;
  text: string | null;
}

export type SiteRow = Selectable<SiteTable>;
export type ChannelRow = Selectable<ChannelTable>;
export type ArticleRow = Selectable<ArticleTable>;
export type NewArticleRow = Insertable<ArticleTable>;
export type ArticleUpdate = Updateable<ArticleTable>;

/** A front server the CMS pushes published pages to (分发), and how far it has got. */
export interface FrontServerTable {
  id: Generated<number>;
  name: string;
  /** The agent's base URL (`https://front1.example.gov.cn:8700`). */
  url: string;
  /** The file on the CMS machine holding the token shared with that front (read at each round). */
  tokenFile: string;
  /** '' for every site, else the served site ids, comma-separated. */
  siteIds: Generated<string>;
  /** The last manifest seq the front applied; -1 until its state is read. */
  ackedSeq: Generated<number>;
  /** 'new' | 'ok' | 'behind' | 'down' | 'refused' | 'disk-full'. */
  state: Generated<string>;
  lastError: Generated<string | null>;
  /** Failed attempts in a row (the backoff grows with them). */
  failures: Generated<number>;
  /** Before this, the front is not tried again (backing off); null: at once. */
  nextAttemptAt: Generated<string | null>;
  lastContactAt: Generated<string | null>;
  lastPushAt: Generated<string | null>;
  /** When the front's last full hash sweep ended, and how often it sweeps (from its state). */
  lastSweepAt: Generated<string | null>;
  sweepEveryMs: Generated<number | null>;
  /** The last tamper event id collected from the front. */
  eventCursor: Generated<number>;
  /** The last views batch added to the articles (a batch seen again is not added twice). */
  viewsBatch: Generated<number>;
  /** Until when one distributor serves the front (the others pass it by); null: nobody now. */
  leaseUntil: Generated<string | null>;
  createdAt: string;
}

/** A tamper event a front reported (网页防篡改), kept until someone handles it. */
export interface FrontEventTable {
  id: Generated<number>;
  /** Null once the front is removed (its name stays). */
  frontId: number | null;
  frontName: string;
  /** The event's id on the front. */
  remoteId: number;
  at: string;
  siteId: number;
  path: string;
  /** The file under the front's www folder. */
  file: string;
  kind: string;
  /** A unified diff, or a description. */
  detail: string;
  quarantine: string | null;
  restored: number;
  handledAt: Generated<string | null>;
  /** The user who handled it (null: the console, or not handled). */
  handledBy: Generated<number | null>;
  note: Generated<string>;
}

/**
 * A site migration's frontier and its map of old URLs (0022_site_migration): one row per URL of
 * the old site, taken in `seq` order; a re-run finds the article or file made from it here.
 */
export interface MigrationUrlsTable {
  /** Order of insertion (the dialect's identity column): the frontier is taken in this order. */
  seq: Generated<number>;
  siteId: number;
  /** Absolute, with its query; at most 2,048 bytes. */
  url: string;
  /** 'queued' | 'done' | 'failed' | 'skipped'. */
  state: string;
  /** 'list' | 'article' | 'file' | 'page' | 'proxy' (a POST to a list's data proxy). */
  role: string;
  /** The link's text (a file's name comes from it). */
  text: Generated<string>;
  depth: number;
  /** JSON of the POST form of a 'proxy' row; null for the others. */
  form: string | null;
  articleId: number | null;
  /** The new URL of a fetched file. */
  mediaUrl: string | null;
  /** SHA-256 (hex) of what was imported from it: an unchanged page is not imported again. */
  contentHash: string | null;
  /** JSON array of a list page's column names from the top (after the column map); null until known. */
  columns: string | null;
  /** Why it failed or was skipped ('' otherwise). */
  reason: Generated<string>;
  updatedAt: string;
}

/** An old path of a migrated site that answers 301 to its new place. */
export interface RedirectsTable {
  siteId: number;
  /** Path, and `?query` when there is one, as the old site wrote it; at most 2,048 bytes. */
  oldPath: string;
  /** A path on the site (`/bqdt/202105/t20210520_12.html`, `/media/…`). */
  target: string;
  /** 'article' | 'list' | 'file' | 'page'. */
  kind: string;
  /**
   * The old path as a browser sends it (percent-encoded, dot segments resolved), ASCII letters in
   * lower case: what a case-blind matcher (nginx's map) compares. Two old paths with one key
   * collide there.
   */
  requestKey: string;
  createdAt: string;
}
