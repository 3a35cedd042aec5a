/**
 * The encoder: a pure, in-memory search engine over one code system's release (ICD-10-CM, ICD-10-PCS or
 * HCPCS), fed with typed values by the caller. See build.ts (the index) and search.ts (the ranking).
 */
export { buildEncoderIndex, type EncoderIndex, type EncoderInput, type EncoderStats, type SupplementVersion } from './build.js';
export { search, searchAll, MAX_QUERY_LENGTH, type SearchHit, type SearchOptions } from './search.js';
export { parseProcedureRules, parseSynonyms, type EncoderVocabulary, type ProcedureRule, type SynonymEntry } from './data.js';
export { analyse, type Analysis, type Group } from './query.js';
