/** The MCE module's public API: its service and the types callers (e.g. src/coding/) need. */
export { MceService, type ClaimEditor, type MceResult, type MceVersionView } from './service.js';
export type { MceClaim, RecordedEdit, EditType, AgeConflictType, CodeRole } from './engine/model.js';
export type { ImportedVersion } from './import.js';
