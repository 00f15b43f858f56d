// The platform (集约化): the sites of one installation, their host names and status.
export {
  addSite,
  changeSite,
  archiveSite,
  removeSite,
  listPlatformSites,
  setDefaultSite,
  resolveSite,
  siteByHost,
  siteIdForHost,
  platformConsole,
  sitesOfUser,
  sitesUnder,
} from './sites.js';
export {
  PlatformSiteSchema,
  NewSiteSchema,
  SitePatchSchema,
  SiteHealthSchema,
  type NewSiteInput,
  type SitePatch,
  type SiteHealth,
} from './views.js';
export { platformHealth } from './health.js';
export {
  siteSettings,
  setMourning,
  setPlacedPages,
  setMediaQuota,
  setInterpretationDueDays,
  MAX_MEDIA_QUOTA_MB,
  INTERPRETATION_DUE_DAYS,
  type SiteSettings,
} from './site-settings.js';
export {
  siteLook,
  saveLook,
  lookChanges,
  lookProgress,
  requireReadableColours,
  type LookState,
  type LookProgress,
} from './look.js';
export { previewLook } from './look-preview.js';
export { uploadLookImage, checkLookImage, byteSize, LOOK_SLOTS, SLOT_RULES, type LookSlot } from './look-images.js';
export {
  listTemplates,
  getTemplate,
  checkTemplate,
  saveOverride,
  resetTemplate,
  restoreTemplateRevision,
  templateRevisions,
  templateRevisionDiff,
  type TemplateSummary,
  type TemplateDetail,
  type TemplateRevisionView,
  type TemplateDiff,
} from './theme.js';
export { previewTemplate, MAX_PREVIEW_PAGES, type PreviewPage } from './theme-preview.js';
export { exportOverrides, importOverrides, type TemplateFile } from './theme-transfer.js';
