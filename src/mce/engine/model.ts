/**
 * The MCE's data model: the tables of one window (as parsed from `../shared/refdata/mce/<version>/`), a claim,
 * and the outcome of editing it. Pure types, no I/O.
 */

/** One master row (diagnosis or procedure): the code's dates and its MCE flags. */
export interface CodeRow {
  readonly code: string;
  /** `yyyymmdd` as an integer, inclusive. */
  readonly start: number;
  readonly end: number;
  /** The row's flags as named in CMS's data, in CMS's order (for explanations). */
  readonly flags: readonly string[];
  /** Bit set over the engine's flags of this code type (see flags.ts). */
  readonly mask: number;
}

export interface AgeRange {
  readonly group: AgeGroup;
  readonly startAge: number;
  readonly endAge: number;
  readonly start: number;
  readonly end: number;
}

export type AgeGroup = 'newborn' | 'pediatric' | 'maternity' | 'adult';
export type AgeConflictType = 'NEWBORN' | 'PEDIATRIC' | 'MATERNITY' | 'ADULT';

export interface DatedCode {
  readonly code: number;
  readonly start: number;
  readonly end: number;
}

export type EditPayment = 'PREPAYMENT' | 'POSTPAYMENT' | 'NONE';

/** One row of `edits.tsv`. */
export interface EditDefinition {
  readonly ordinal: number;
  readonly name: string;
  readonly codeType: 'DIAGNOSIS' | 'PROCEDURE' | 'BOTH' | 'NONE';
  readonly payment: EditPayment;
  /** Counted by the edit counter for ICD-10 claims. */
  readonly counted: boolean;
}

/** One row of `flags.tsv`. */
export interface FlagDefinition {
  readonly flag: string;
  readonly attribute: string;
  readonly codeType: 'DIAGNOSIS' | 'PROCEDURE' | 'BOTH';
}

/** The tables of one version folder (one discharge-date window), with their lookups built once. */
export interface WindowTables {
  readonly version: string;
  readonly windowStart: number;
  readonly windowEnd: number;
  /** The MCE release's termination date: later discharge dates are `INVALID_DISCHARGE_DATE`. */
  readonly terminationDate: number;
  readonly meta: Readonly<Record<string, string>>;
  /** Upper-case code → its rows (within a window normally one). */
  readonly diagnoses: ReadonlyMap<string, readonly CodeRow[]>;
  readonly procedures: ReadonlyMap<string, readonly CodeRow[]>;
  readonly ageRanges: readonly AgeRange[];
  readonly dischargeStatus: readonly DatedCode[];
  /** In ordinal order. */
  readonly edits: readonly EditDefinition[];
  readonly editByName: ReadonlyMap<string, EditDefinition>;
  readonly flags: readonly FlagDefinition[];
}

/** Every loaded window, ordered by window start. */
export interface MceTables {
  readonly windows: readonly WindowTables[];
}

/** A claim as the MCE reads it. Sex is CMS's integer: 0 unknown, 1 male, 2 female. */
export interface MceClaim {
  /** `yyyyMMdd`, as given (step 0 trims and resolves it). */
  dischargeDate: string;
  age: number;
  sex: number;
  dischargeStatus: number;
  /** Length of stay in days. */
  los: number;
  /** Principal diagnosis first, then the secondary diagnoses, as given. */
  diagnoses: readonly string[];
  procedures: readonly string[];
  /** Optional admit diagnosis (its conflicts are recorded but never counted). */
  admitDiagnosis?: string | undefined;
}

export type CodeRole = 'principal' | 'secondary' | 'procedure' | 'admit';

/** One recorded edit. `code` is the code as given; empty for claim-level edits. */
export interface RecordedEdit {
  edit: string;
  code: string;
  role: CodeRole | 'claim';
  /** Position of the code in its list (diagnoses: 0 = principal; procedures from 0); -1 for claim level. */
  position: number;
  /** False for an edit the counter ignores (admit-diagnosis conflicts, edits not counted for ICD-10). */
  counted: boolean;
  ageConflict?: AgeConflictType;
  explanation: string;
}

export type EditType = 'NONE' | 'PREPAYMENT' | 'POSTPAYMENT' | 'BOTH' | 'INVALID_DISCHARGE_DATE';

export type MceOutcome =
  | {
      kind: 'edited';
      editType: EditType;
      /** The folder whose rows were used; null for `INVALID_DISCHARGE_DATE`. */
      version: string | null;
      /** Resolved discharge date `yyyy-mm-dd`; null when it could not be read. */
      dischargeDate: string | null;
      edits: RecordedEdit[];
      /** The edit counter, non-zero entries in CMS's enum order. */
      counts: { edit: string; count: number }[];
    }
  | { kind: 'tables-missing'; dischargeDate: string };
