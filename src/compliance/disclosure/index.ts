// 信息公开: the metadata of disclosed government information (索引号, 发布机构, 文号, 成文日期,
// 主题分类, 公开方式), its catalogue and the annual report's figures.
export * from './rules.js';
export { buildDisclosureReport, type DisclosureReport, type ReportCount } from './report.js';
export type { DisclosureRow, CatalogueFilter, CatalogueEntry } from './store.js';
export {
  CATALOGUE_PATH,
  CATALOGUE_PAGE_SIZE,
  NO_FILTER,
  cataloguePage,
  readCatalogueParams,
  type CatalogueParams,
} from './catalogue.js';
