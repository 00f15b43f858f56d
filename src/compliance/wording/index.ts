// The wording check (错敏词): the dictionary format, the compiled checker, the shipped dictionary.
export * from './types.js';
export { parseDictionary, checkEntry, formulaMembers, mergeEntries, type RawEntry } from './dictionary.js';
export { WordingChecker, FUNCTION_CHARS, nearKey } from './checker.js';
export { Automaton } from './automaton.js';
export { oneEdit, NearMissIndex, type Edit } from './near-miss.js';
export { pinyinReadings } from './pinyin.js';
export { shippedEntries, loadDictionaryFiles, SHIPPED_FILES } from './shipped.js';
