/** The patient-matching engine: pure functions, no I/O. See README.md. */
export type { Contribution, Decision, Field, FieldModel, Level, Model, NormRecord, PairScore, PersonRecord, Thresholds } from './types.js';
export { compare } from './score.js';
export { blockingKeys, BLOCKING_PASSES } from './blocking.js';
export { estimateModel, DEFAULT_THRESHOLDS, type EstimateOptions } from './model.js';
export { dedupe, link, type DedupeOptions, type DedupeResult, type DedupeStats, type ScoredPair, type Progress } from './dedupe.js';
export { normalise } from './normalise.js';
export { LEVELS } from './levels.js';
