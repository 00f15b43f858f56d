// Content: columns, articles and their workflow, revisions, media, import, search indexing,
// 信息公开 metadata and the wording check — the operations editors trigger.
export { importPage, importKeyOf, type ImportResult } from './import.js';
export {
  storeMigratedArticle,
  relinkMigratedArticle,
  migrationKeyOf,
  type MigratedArticle,
  type MigratedDisclosure,
  type MigratedOutcome,
  type MigratedResult,
} from './migrated.js';
export { ensureChannelChain, createChannel, updateChannel, deleteChannel, channelViews } from './channels.js';
export { ensureSite, createDemoSite, DEMO_SITE, DEMO_CHANNELS } from './demo.js';
export {
  reindexSearch,
  settleSearchIndex,
  syncArticleIndex,
  syncChannelPageIndex,
  type ReindexProgress,
} from './search.js';
export { createArticle, updateArticle, deleteArticle, restoreRevision, ArticleVersionConflict } from './editorial.js';
export { stepArticle, runDueJobs, requireStepText, type StepInput, type JobRun } from './workflow.js';
export {
  getArticleMarks,
  setArticleMarks,
  ArticleMarksSchema,
  ArticleMarksInputSchema,
  type ArticleMarksView,
  type ArticleMarksInput,
} from './marks.js';
export { recordRevision } from './revisions.js';
export {
  getArticle,
  listArticles,
  dashboard,
  publicPathOf,
  type ArticleQuery,
  type Dashboard,
} from './article-views.js';
export { listRevisions, getRevision, diffArticleRevisions } from './revision-views.js';
export { diffWords } from './revisions.js';
export {
  uploadMedia,
  listMedia,
  sniffedDocument,
  keptDocument,
  sniffedLetterFile,
  MEDIA_LIMITS,
  MAX_IMAGE_PIXELS,
  type Upload,
} from './media.js';
export {
  builtInScanner,
  requireVirusFree,
  clamdScanner,
  EICAR,
  type VirusScanner,
  type ScanVerdict,
  type ClamdAddress,
} from './virus-scan.js';
export { zipHasEntry, MAX_ZIP_ENTRIES } from './zip.js';
export {
  generateSyntheticArticles,
  SYNTHETIC_LIMITS,
  SYNTHETIC_DEFAULTS,
  type SyntheticOptions,
  type SyntheticResult,
} from './synthetic.js';
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
export {
  ContentTypeViewSchema,
  FieldInputSchema,
  FieldViewSchema,
  addContentField,
  contentTypeNamed,
  contentTypeSchemas,
  listContentTypes,
  removeContentField,
  type ContentTypeView,
  type FieldInput,
} from './types.js';
export { siteContentType } from './items.js';
export {
  ITEM_COLUMNS,
  exchangeType,
  exportItems,
  importItems,
  type ExchangeItem,
  type ImportOutcome,
  type ImportRow,
  type ItemColumn,
  type ItemExport,
} from './exchange.js';
