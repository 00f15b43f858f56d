// The API's types, copied from CONTRACT.md. Keep them in step with it.

export type Role =
  'editor' | 'reviewer' | 'publisher' | 'admin' | 'security' | 'auditor' | 'platform' | 'office' | 'handler';
export const ROLES: readonly Role[] = [
  'editor',
  'reviewer',
  'publisher',
  'admin',
  'security',
  'auditor',
  'platform',
  'office',
  'handler',
];

export type ArticleStatus = 'draft' | 'submitted' | 'approved' | 'published' | 'withdrawn';
export const ARTICLE_STATUSES: readonly ArticleStatus[] = ['draft', 'submitted', 'approved', 'published', 'withdrawn'];

/** channelId null = the whole site. */
export interface RoleGrant {
  role: Role;
  channelId: number | null;
}

export interface UserView {
  id: number;
  username: string;
  displayName: string;
  roles: RoleGrant[];
  mustChangePassword: boolean;
  totpEnabled: boolean;
  disabled: boolean;
  locked: boolean;
  lastLoginAt: string | null;
  createdAt: string;
  /** Where the letter desk's deadline alerts are mailed. */
  email: string | null;
}

/** permissions: action names the user holds somewhere ('article.approve', 'user.manage', …). */
export interface SessionView {
  user: UserView;
  csrfToken: string;
  permissions: string[];
  /** An administrative account that must turn on two-step verification first. */
  mustEnrolSecondFactor: boolean;
  /** Changes to how the account signs in since its previous sign-in. */
  notices: SecurityNotice[];
}

export interface SecurityNotice {
  kind:
    | 'password-changed'
    | 'password-reset'
    | 'second-factor-on'
    | 'second-factor-reset'
    | 'roles-changed'
    | 'disabled'
    | 'locked'
    | 'sessions-ended';
  at: string;
  by: string;
  ip: string | null;
}

export type ChannelType = 'list' | 'page' | 'link';
export const CHANNEL_TYPES: readonly ChannelType[] = ['list', 'page', 'link'];

/** How often a column must be updated (国办秘函〔2019〕19号): 动态 14 days, 通知公告 and 政策文件 6 months. */
export type UpdateRule = 'dynamic' | 'notice' | 'policy' | 'none';
export const UPDATE_RULES: readonly UpdateRule[] = ['dynamic', 'notice', 'policy', 'none'];

export interface ChannelView {
  id: number;
  parentId: number | null;
  name: string;
  slug: string;
  type: ChannelType;
  sortOrder: number;
  description: string;
  keywords: string;
  linkUrl: string | null;
  bodyHtml: string | null;
  reviewLevels: number;
  updateRule: UpdateRule;
  /** The content type of its items. */
  contentType: ContentTypeKey;
  path: string;
}

export interface ChannelInput {
  name: string;
  slug?: string;
  parentId?: number | null;
  type: ChannelType;
  sortOrder?: number;
  description?: string;
  keywords?: string;
  linkUrl?: string | null;
  bodyHtml?: string | null;
  reviewLevels?: number;
  updateRule?: UpdateRule;
  contentType?: ContentTypeKey;
}

export interface Attachment {
  name: string;
  url: string;
  size: number | null;
}

export interface ArticleSummary {
  id: number;
  title: string;
  channelId: number;
  channelName: string;
  status: ArticleStatus;
  createdBy: number | null;
  createdByName: string;
  updatedAt: string;
  publishedAt: string | null;
  version: number;
  reviewLevel: number;
  reviewLevels: number;
  /** Public path when published. */
  url: string | null;
  contentType: ContentTypeKey;
}

export interface Comment {
  id: number;
  userName: string;
  action: string;
  body: string;
  at: string;
}

export interface ArticleView extends ArticleSummary {
  subtitle: string;
  source: string | null;
  author: string;
  responsibleEditor: string;
  bodyHtml: string;
  summary: string;
  keywords: string;
  coverImage: string | null;
  attachments: Attachment[];
  comments: Comment[];
  scheduledPublishAt: string | null;
  scheduledWithdrawAt: string | null;
  withdrawReason: string | null;
  contentType: ContentTypeKey;
  /** Typed values of its content type; an empty field has no key. */
  fields: FieldValues;
  /** The items its relation fields point to (`to`), and those pointing at it (`from`). */
  relations: ItemRelation[];
}

/** Moving the shown 发布时间 (publishedAt) needs publishedAtReason. */
export interface ArticleInput {
  channelId: number;
  title: string;
  subtitle?: string;
  source?: string | null;
  author?: string;
  responsibleEditor?: string;
  bodyHtml: string;
  summary?: string;
  keywords?: string;
  coverImage?: string | null;
  attachments?: Attachment[];
  publishedAt?: string;
  publishedAtReason?: string;
  /** Typed values; on an edit a named field is set, or cleared by null, and others are kept. */
  fields?: Record<string, FieldValue | null>;
}

export interface RevisionSummary {
  number: number;
  version: number;
  at: string;
  userName: string;
  action: string;
  title: string;
}
export interface Revision extends RevisionSummary {
  subtitle: string;
  bodyHtml: string;
  channelId: number;
}
export interface DiffPart {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}
export interface RevisionDiff {
  title: DiffPart[];
  body: DiffPart[];
}

export type MediaKind = 'image' | 'attachment';
export interface MediaView {
  id: number;
  kind: MediaKind;
  originalName: string;
  mimeType: string;
  size: number;
  width: number | null;
  height: number | null;
  alt: string;
  url: string;
  variants: { width: number; url: string }[];
  createdAt: string;
  uploaderName: string;
}

export interface AuditEntry {
  seq: number;
  at: string;
  userId: number | null;
  userName: string;
  action: string;
  targetType: string;
  targetId: string | null;
  details: Record<string, unknown>;
  ip: string | null;
}
export interface AuditVerify {
  ok: boolean;
  entries: number;
  firstBadSeq: number | null;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
export interface Items<T> {
  items: T[];
}

export interface Dashboard {
  myDrafts: ArticleSummary[];
  awaitingMyReview: ArticleSummary[];
  awaitingPublish: ArticleSummary[];
  recentlyPublished: ArticleSummary[];
}

export interface SiteInfo {
  id: number;
  name: string;
  timeZone: string;
}
/** GET /api/v1/sessions: one of the signed-in user's sessions. */
export interface SessionItem {
  ref: string;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
  lastSeenAt: string;
  current: boolean;
}

export interface TotpEnrolment {
  secret: string;
  otpauthUrl: string;
}

/** The body of a 409 ARTICLE_VERSION_CONFLICT. */
export interface VersionConflict {
  current: ArticleView;
  changed: string[];
}

// 互动交流 (letters from the public): GET /api/v1/letters and the desk, units and calendar around them.
export type LetterType = 'consult' | 'complaint' | 'suggestion' | 'help' | 'report';
export const LETTER_TYPES: readonly LetterType[] = ['consult', 'complaint', 'suggestion', 'help', 'report'];
export type LetterStatus =
  'received' | 'accepted' | 'assigned' | 'reviewing' | 'answered' | 'published' | 'rejected' | 'merged';
export const LETTER_STATUSES: readonly LetterStatus[] = [
  'received',
  'accepted',
  'assigned',
  'reviewing',
  'answered',
  'published',
  'rejected',
  'merged',
];
export type LetterStep =
  | 'accept'
  | 'reject'
  | 'merge'
  | 'assign'
  | 'return'
  | 'recall'
  | 'reply'
  | 'approve'
  | 'send-back'
  | 'publish'
  | 'unpublish';
export const LETTER_STEPS: readonly LetterStep[] = [
  'accept',
  'reject',
  'merge',
  'assign',
  'return',
  'recall',
  'reply',
  'approve',
  'send-back',
  'publish',
  'unpublish',
];

export interface UnitRef {
  id: number;
  name: string;
  siteId: number;
  siteName: string;
}

export interface LetterFlags {
  wording: { word: string; severity: string }[];
  nearDuplicateOf: number | null;
}

export interface LetterRow {
  id: number;
  siteId: number;
  queryCode: string;
  type: LetterType;
  title: string;
  status: LetterStatus;
  reviewLevel: number;
  reviewLevels: number;
  unit: UnitRef | null;
  receivedAt: string;
  acceptedAt: string | null;
  /** YYYY-MM-DD in the site's zone. */
  dueDay: string | null;
  /** Negative when late; null when no clock runs. */
  remainingWorkingDays: number | null;
  answeredAt: string | null;
  publishedAt: string | null;
  rating: number | null;
  reopenCount: number;
  agreePublish: boolean;
  showName: boolean;
  flags: LetterFlags;
}

export interface LetterStepRecord {
  step: string;
  name: string;
  fromStatus: LetterStatus | null;
  toStatus: LetterStatus;
  actorName: string;
  unit: string | null;
  note: string;
  dueDay: string | null;
  at: string;
}

export interface LetterDetail extends LetterRow {
  body: string;
  /** HTML, sanitised by the server. */
  reply: string;
  replyUnit: UnitRef | null;
  rejectReason: string | null;
  duplicateOf: number | null;
  ratingComment: string | null;
  published: { title: string; body: string; reply: string; unit: string } | null;
  steps: LetterStepRecord[];
  allowedSteps: string[];
  writerAttachments: LetterAttachment[];
  replyAttachments: LetterAttachment[];
  canEditReplyAttachments: boolean;
}

/** A letter's file: the writer's (its name shown only to readers of personal data) or the reply's. */
export interface LetterAttachment {
  id: number;
  fileName: string;
  mimeType: string;
  size: number;
  uploadedBy: string;
  uploadedAt: string;
  url: string;
}

export interface LetterStepInput {
  note?: string;
  unitId?: number;
  dueDay?: string;
  reason?: string;
  duplicateOf?: number;
  reply?: string;
}

export interface LetterPersonalData {
  name: string;
  phone: string;
  email: string;
  address: string;
}

export interface LetterDesk {
  name: string;
  open: boolean;
  types: { type: LetterType; days: number }[];
  titleMin: number;
  titleMax: number;
  bodyMax: number;
  writerChoosesUnit: boolean;
  reviewLevels: number;
  retentionYears: number;
  attachmentsMax: number;
  attachmentMb: number;
}

export interface CaseUnit {
  id: number;
  siteId: number;
  siteName: string;
  name: string;
  sortOrder: number;
  active: boolean;
  members: { userId: number; name: string; leader: boolean }[];
}

export type CalendarDayKind = 'holiday' | 'workday';
export interface CalendarDay {
  day: string;
  kind: CalendarDayKind;
  name: string;
}
export interface CalendarYear {
  year: number;
  covered: boolean;
  shipped: boolean;
  days: (CalendarDay & { source: 'shipped' | 'changed' })[];
}

/** The 12345 hotline link (GET /api/v1/hotline) and the webhooks it sent. */
export interface HotlineSettings {
  enabled: boolean;
  url: string;
  hasSecret: boolean;
  secretSetAt: string | null;
  callbackPath: string;
}
export type HotlineDeliveryStatus = 'pending' | 'delivered' | 'failed';
export interface HotlineDelivery {
  id: number;
  eventId: string;
  type: string;
  letterId: number;
  queryCode: string;
  status: HotlineDeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

/** A deadline alert of a letter, on the dashboard (GET /api/v1/letter-alerts). */
export interface LetterAlertItem {
  id: number;
  letterId: number;
  siteId: number;
  queryCode: string;
  title: string;
  unit: { id: number; name: string } | null;
  dueDay: string | null;
  alert: 'deadline-50' | 'deadline-80' | 'deadline-100' | 'veto-60' | 'veto-80' | 'veto-90';
  label: { zh: string; en: string };
  raisedAt: string;
}

/** Content types (GET /api/v1/content-types): the keys and kinds are the domain's own. */
export { CONTENT_TYPE_KEYS } from '../domain/content-types/shipped';
export { SIMPLE_KINDS as ADDABLE_KINDS } from '../domain/content-types/fields';
export type {
  ContentTypeKey,
  FieldKind,
  FieldValue,
  FieldValues,
  FileValue,
  GroupEntry,
  ImageValue,
  LinkValue,
} from '../domain/content-types/fields';
import type { ContentTypeKey, FieldKind, FieldValue, FieldValues } from '../domain/content-types/fields';

export interface FieldDefView {
  name: string;
  label: string;
  kind: FieldKind;
  required: boolean;
  maxLength?: number;
  options?: string[];
  /** relation: the type it points to, and whether it holds several. */
  to?: ContentTypeKey;
  many?: boolean;
  inverse?: { name: string; label: string };
  help?: string;
}

export interface FieldView extends FieldDefView {
  /** group: the parts of each entry. */
  fields?: FieldDefView[];
  /** Added by the site's administrator (may be removed). */
  added: boolean;
}

export interface ContentTypeView {
  key: ContentTypeKey;
  label: string;
  titleLabel: string;
  /** Null: the type has no free body. */
  bodyLabel: string | null;
  fields: FieldView[];
}

export interface FieldInput {
  name: string;
  label: string;
  kind: FieldKind;
  required?: boolean;
  maxLength?: number;
  options?: string[];
  help?: string;
}

export interface ItemRelation {
  field: string;
  direction: 'to' | 'from';
  id: number;
  title: string;
  contentType: string;
  status: string;
}
