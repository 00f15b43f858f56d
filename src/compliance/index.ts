// Government-site health: 错敏词 wording check, link check, column freshness, 信息公开 metadata
// and the health report with its score (国办秘函〔2019〕19号 indicators).
export * from './links/index.js';
export * from './freshness/index.js';
export * from './report/index.js';
export * from './disclosure/index.js';
