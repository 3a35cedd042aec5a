export { parseDefinitions, DEFINITION_FILES, type Definitions } from './definitions.js';
export { compileDefinitions } from './compile.js';
export { group, type GroupOptions, type GroupResult, type ReturnCode, type SdxUse, type ProcedureUse, type HacUse } from './group.js';
export type { ClaimInput } from './claim.js';
export type { CompiledGrouper } from './compiled.js';
export type { HospitalPoaStatus } from './hac.js';
export { DefinitionError } from './tsv.js';
export { parseFormula, FormulaSyntaxError, type Formula } from './formula.js';
