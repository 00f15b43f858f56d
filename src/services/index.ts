// Services: the operations that change content. The CLI, importers, HTTP API, scheduler and tests
// call these; each validates, checks permission, writes in one transaction, appends to the audit
// log and, after the commit, tells the publisher what changed.
export type { ServiceContext, ContentEventSink } from './context.js';
export { EventHub, type ContentEvent } from './events.js';
export { systemActor, requirePermission, requireAnywhere, type Actor } from './actor.js';
export { currentSite, type SiteScope } from './site.js';
export { siteSettings, setMourning, type SiteSettings } from './site-settings.js';
export { importPage, importKeyOf, type ImportResult } from './import.js';
export { ensureChannelChain, createChannel, updateChannel, deleteChannel, channelViews } from './channels.js';
export { ensureSite, createDemoSite, DEMO_SITE, DEMO_CHANNELS } from './demo.js';
export { reindexSearch, syncArticleIndex, syncChannelPageIndex, type ReindexProgress } from './search.js';
export { appendAudit, recordAudit, verifyAuditChain, entryHash, GENESIS_HASH, type ChainReport, type AuditRecord } from './audit.js';
export { listAuditEntries, type AuditQuery } from './audit-views.js';
export {
  login,
  logout,
  resolveSession,
  changePassword,
  beginTotp,
  confirmTotp,
  AUTH_POLICY,
  type ActiveSession,
  type SignedIn,
  type Credentials,
} from './auth.js';
export { createUser, listUsers, updateUser, userView, type NewUser, type UserPatch, type AccountManager } from './users.js';
export { hashPassword, verifyPassword } from './passwords.js';
export { totpCode, base32Decode, checkTotp } from './totp.js';
export { createArticle, updateArticle, deleteArticle, restoreRevision, ArticleVersionConflict } from './editorial.js';
export { stepArticle, runDueJobs, type StepInput, type JobRun } from './workflow.js';
export { getArticle, listArticles, dashboard, publicPathOf, type ArticleQuery, type Dashboard } from './article-views.js';
export { listRevisions, getRevision, diffArticleRevisions } from './revision-views.js';
export { diffWords } from './revisions.js';
export { uploadMedia, listMedia, MEDIA_LIMITS, type Upload } from './media.js';
export * from './views.js';
export { generateSyntheticArticles, SYNTHETIC_LIMITS, SYNTHETIC_DEFAULTS, type SyntheticOptions, type SyntheticResult } from './synthetic.js';
export {
  getDisclosure,
  setDisclosure,
  removeDisclosure,
  disclosureReport,
  DisclosureViewSchema,
  DisclosureInputSchema,
  DisclosureEditSchema,
  DisclosureReportSchema,
  type DisclosureView,
  type DisclosureEdit,
} from './disclosure.js';
export {
  computeHealthReport,
  runHealthCheck,
  runNightlyHealth,
  nightlySlot,
  nightlyDone,
  healthOverview,
  weeklyUpdates,
  linkFindingViews,
  NIGHTLY_HOUR,
  type HealthContext,
  type HealthRunOptions,
} from './health.js';
export {
  checkWording,
  findingsOf,
  wordingChecker,
  requireWordingClear,
  publishedWordingFindings,
  overrideWording,
  listWordingEntries,
  createWordingEntry,
  updateWordingEntry,
  deleteWordingEntry,
  WordingBlocked,
  WordingEntrySchema,
  WordingEntryInputSchema,
  WordingEntryPatchSchema,
  WordingCheckInputSchema,
  WordingOverrideSchema,
  type WordingEntryView,
  type WordingEntryInput,
  type WordingEntryPatch,
  type WordingCheckInput,
  type WordingOverrideView,
  type WordingEntryQuery,
  type SiteWordingEntry,
  type PublishedWordingFinding,
} from './wording.js';
export * from './platform/index.js';
