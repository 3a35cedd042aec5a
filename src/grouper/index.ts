/** The grouper module's public API: its service and the types callers (e.g. src/coding/) need. */
export { GrouperService, type GroupRequest, type GroupedClaim, type GrouperVersionView, type GrouperCatalogue } from './service.js';
export type { GroupResult, GroupOptions, ReturnCode, SdxUse, ProcedureUse, HacUse } from './engine/group.js';
export type { ClaimInput } from './engine/claim.js';
export type { HospitalPoaStatus } from './engine/hac.js';
export type { ImportedVersion } from './import.js';
