// The migration's source: where pages and files come from (a live site, or a wget mirror on
// disk), at what pace, within which host, and how a page's bytes become text.
export { openSource } from './open.js';
export { decodePage } from './decode.js';
export { SourceError } from './types.js';
export type { FetchedFile, Source, SourceFailure, SourceOptions } from './types.js';
