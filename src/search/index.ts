// Site search: one tokenizer for indexing and queries (Han bigrams, jieba words, pinyin), an
// index per dialect (FTS5, tsvector), the query language, ranking, snippets and suggestions.
export { normalizeText } from './normalize.js';
export { grams, words, segment } from './tokenize.js';
export { pinyinOf, splitPinyin, addPlaceNames } from './pinyin.js';
export { parseQuery, MAX_QUERY_LENGTH, type ParsedQuery, type QueryTerm } from './query.js';
export { tokensOf, CONTENT_TYPES, type ContentType, type SearchSource } from './document.js';
export {
  indexDocument,
  indexDocuments,
  indexRebuildBatch,
  tokenizeGradually,
  unindexDocument,
  unindexDocuments,
  backendFor,
  type TokenizedSource,
} from './indexer.js';
export { articleSource, channelPageSource, articleKey, channelKey } from './sources.js';
export {
  searchSite,
  MAX_PAGE,
  type SearchRequest,
  type SearchResult,
  type SearchHit,
  type SearchScope,
} from './search.js';
export { highlight, snippet } from './highlight.js';
export { SearchHitSchema, SearchResultSchema, SearchTypeSchema } from './schema.js';
export { suggestTerm, editDistance } from './suggest.js';
export * as searchLists from './lists.js';
export { DEFAULT_STOP_WORDS } from './lists.js';
