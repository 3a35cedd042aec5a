import type { CodeTable } from './code-table.js';
import type { DrgRow, FormulaRow, HacFormulaRow, MedSurg, WeightRow } from './definitions.js';
import type { Formula } from './formula.js';
import type { EvalState } from './state.js';

/** A compiled test: true when the formula holds for the claim loaded in the state. */
export type Test = (s: EvalState) => boolean;

export const SEV_NCC = 0;
export const SEV_CC = 1;
export const SEV_MCC = 2;

/** One ICD-10-CM code, ready for grouping. */
export interface CompiledDiagnosis {
  /** Row number in CompiledGrouper.diagnosisRows. */
  index: number;
  code: string;
  mdc: number;
  severity: number;
  /** The CC-exclusion list applied when this code is the principal diagnosis (row numbers of the codes). */
  exclusions: RowSet | null;
  exclusionGroup: number | null;
  /** Interned ids of attributes ∪ dxcat ∪ hac_attributes: what PDX:/SDX: atoms see. */
  atoms: Int32Array;
  /** Bits of the severity-suppression attributes this code carries (its `attributes` column only). */
  suppression: Uint32Array;
  mccAlive: boolean;
  hacNumbers: readonly number[];
  /** Valid, has hac_numbers and an upper-case HACnn entry: takes part in HAC processing as a secondary. */
  hacListed: boolean;
  hac06Show: boolean;
  maleMdc: number | null;
  femaleMdc: number | null;
  /** Significant-trauma body regions (bits) for MULTST. */
  traumaRegions: number;
}

/** Counters a procedure contributes to the counting atoms. */
export const Counter = {
  Vessels: 0,
  Stents: 1,
  SglAntFuse: 2,
  SglPostFuse: 3,
  SglPostFuse1: 4,
  SglAntSecTxFuse: 5,
  Sides: 6,
} as const;

/** One ICD-10-PCS code, ready for grouping. */
export interface CompiledProcedure {
  code: string;
  operatingRoom: boolean;
  atoms: Int32Array;
  clusters: readonly CompiledCluster[];
  /** The fewest choices among its clusters (a claim with fewer procedures cannot form any of them). */
  minClusterChoices: number;
  counters: Int32Array;
}

export interface CompiledCluster {
  id: string;
  /** Code as written → choice index (0-based). */
  choiceOf: ReadonlyMap<string, number>;
  choices: number;
  atoms: Int32Array;
  /** Bit per MDC list (0–29) in which the members' own attributes are switched off. */
  suppression: number;
}

export type RowKind = 'drg' | 'reroute' | 'error' | 'placeholder';

export type ErrorReturnCode = 'INVALID_PDX' | 'DX_CANNOT_BE_PDX' | 'INVALID_SEX' | 'INVALID_DISCHARGE_STATUS';

export interface CompiledRow {
  list: number;
  rank: number;
  kind: RowKind;
  drg: number;
  medSurg: MedSurg;
  reroute: number;
  errorCode: ErrorReturnCode | null;
  test: Test;
  /** Severity-suppression bits of the row, or null when it suppresses nothing. */
  suppression: Uint32Array | null;
  /** Interned ids of the row's unprefixed (procedure) atoms, for the procedures' impact. */
  procAtoms: Int32Array;
  usesMcc: boolean;
  usesCc: boolean;
  formula: Formula;
  source: FormulaRow;
}

/**
 * A set of row numbers kept as a sorted array: a CC-exclusion list is restored from the compiled cache as it is
 * stored (thousands of rows, most lists never consulted in a batch) instead of being hashed into a Set.
 */
export class RowSet implements Iterable<number> {
  private readonly rows: Int32Array;

  /** @param rows - row numbers in any order, without repeats */
  constructor(rows: Int32Array | Iterable<number>, sorted = false) {
    this.rows = sorted && rows instanceof Int32Array ? rows : Int32Array.from(rows).sort();
  }

  get size(): number {
    return this.rows.length;
  }

  has(row: number): boolean {
    const r = this.rows;
    let lo = 0;
    let hi = r.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = r[mid] as number;
      if (v === row) return true;
      if (v < row) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  /** The sorted rows (for serialisation). */
  sortedRows(): Int32Array {
    return this.rows;
  }

  [Symbol.iterator](): IterableIterator<number> {
    return this.rows[Symbol.iterator]();
  }
}

/**
 * The rows of a version's codes, read by row number. A version restored from the compiled cache builds a row
 * the first time it is read: a batch touches a few thousand of the 75,000 diagnoses, and building them all
 * cost more than grouping 15,000 claims.
 */
export class RowList<T> {
  private readonly rows: (T | undefined)[];

  constructor(
    readonly length: number,
    private readonly make: (index: number) => T,
  ) {
    this.rows = new Array<T | undefined>(length);
  }

  /** Rows that are already built. */
  static of<T>(rows: readonly T[]): RowList<T> {
    const list = new RowList<T>(rows.length, (i) => rows[i] as T);
    for (let i = 0; i < rows.length; i++) list.rows[i] = rows[i];
    return list;
  }

  /** The row at `index` (0 ≤ index < length). */
  at(index: number): T {
    let row = this.rows[index];
    if (row === undefined) this.rows[index] = row = this.make(index);
    return row;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.length; i++) yield this.at(i);
  }
}

/** One version's definitions compiled once: lookups, interned atoms and formula closures. */
export interface CompiledGrouper {
  /** Every ICD-10-CM / ICD-10-PCS code of the version, with case-insensitive packed lookups. */
  diagnosisTable: CodeTable;
  diagnosisRows: RowList<CompiledDiagnosis>;
  procedureTable: CodeTable;
  procedureRows: RowList<CompiledProcedure>;
  /** Formula lists by list number (0 pre-MDC, 1–25, 29), rows in evaluation order. */
  lists: ReadonlyMap<number, readonly CompiledRow[]>;
  hacTests: ReadonlyMap<number, Test>;
  /** The HAC formulas as written (kept so a compiled version can be serialised and restored). */
  hacFormulas: readonly HacFormulaRow[];
  hacTitles: ReadonlyMap<number, string>;
  atomCount: number;
  atomNames: readonly string[];
  suppressionWords: number;
  /** The formula rows as written (for serialisation). */
  formulas: readonly FormulaRow[];
  drgs: ReadonlyMap<number, DrgRow>;
  weights: ReadonlyMap<number, WeightRow>;
  mdcTitles: ReadonlyMap<number, string>;
}
