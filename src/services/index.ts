// Services: the operations that change content. The CLI, importers, HTTP API and tests call these.
export type { ServiceContext } from './context.js';
export { importPage, importKeyOf, type ImportResult } from './import.js';
export { ensureChannelChain } from './channels.js';
export { ensureSite, createDemoSite, DEMO_SITE, DEMO_CHANNELS } from './demo.js';
export { withdrawArticle } from './articles.js';
export { reindexSearch, syncArticleIndex, syncChannelPageIndex, type ReindexProgress } from './search.js';
