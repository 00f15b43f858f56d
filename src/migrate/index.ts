// Site migration (`gazette migrate-site`): crawl an old government site (or a saved copy of it),
// extract its articles by the CMS family that wrote them, store them with their files, and keep
// every old URL answering 301 to its new place.
export { migrateSite, type MigrateOptions } from './migrate.js';
export { openSource, type Source, type SourceOptions } from './source/index.js';
export { parseColumnMap, EMPTY_COLUMN_MAP, type ColumnMap } from './columns.js';
export { summaryLines, type MigrationReport } from './report.js';
export { DEFAULT_FILE_LIMITS, type FileLimits } from './files.js';
export type { CmsFamily } from './types.js';
