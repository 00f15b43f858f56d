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
