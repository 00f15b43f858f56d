// Publishing: page models rendered by the theme, the dependency map from changes to pages,
// the output store of rendered files, and the publisher that keeps it up to date.
export { fillIncludes, hasIncludes, type IncludeValues } from './includes.js';
export { FEED_SIZE, SITEMAP_LIMIT, feed, sitemap, sitemapLayout, robots } from './feeds.js';
export { searchPage, articlePage, type SiteView, type SearchPageParams, type ErrorStatus } from './pages.js';
export {
  loadSiteView,
  locatePublicPath,
  renderPublicPath,
  renderErrorPage,
  resolvePublicPath,
  type Located,
  type Rendered,
} from './render.js';
export { pagesForArticle, pagesForPlacement, mergeChanges, type PageChanges, type ArticleChange } from './deps.js';
export {
  OutputStore,
  TEMP_FOLDER,
  brotliPage,
  compressPage,
  contentTypeOf,
  fileOf,
  gzipPage,
  keepsForms,
  sha256,
  type Encoding,
  type PageStore,
} from './output.js';
export { Publisher, type MissingPage, type PublishRun, type PageOutcome, type PublisherOptions } from './publisher.js';
export { buildSite, type BuildOptions, type BuildProgress, type BuildSummary } from './build.js';
export { renderSource, renderOnRequest, pageModelOf, type PageSource } from './page-job.js';
export { pagesForTemplates, pageTemplateOf } from './theme-deps.js';
export { articlesInOrder } from './site-walk.js';
export { ROOT_SITE_ID, siteKey, siteKeyPrefix, splitSiteKey, siteOutputDir } from './site-output.js';
export { SitePublishers } from './site-publishers.js';
export {
  letterFormPage,
  letterFollowPage,
  fileSizeText,
  infoRequestFormPage,
  letterStatsPage,
  infoRequestFollowPage,
  type InfoRequestFormValues,
  type InfoRequestStatusView,
  pagesForLetter,
  type LetterFormValues,
  type LetterFormDesk,
  type LetterStatusView,
} from './letter-pages.js';
export { librarySearchPage, readLibraryParams, NO_LIBRARY_FILTER, type LibraryParams } from './library.js';
export { verifyOutput, type OutputCheck, type VerifyOutputOptions } from './verify-output.js';
export { lookStylesheet } from './look-stylesheet.js';
export { siteMapContent, siteMapPage, type SiteMapContent } from './site-map.js';
