import type { CompiledCluster, CompiledDiagnosis, CompiledProcedure } from './compiled.js';

/** Claim-level atoms computed once per claim (index into EvalState.special). */
export const SPECIAL_ATOMS = [
  'ALIVE',
  'DIED',
  'AMA',
  'XFRNBA',
  'INVALID_DSTAT',
  'INVALID_PDX',
  'PDX_ECODE',
  'INVALID_SEX',
  'MULTST',
  'BILATERAL',
  'FOUR_VESSELS',
  'FOUR_STENTS',
  'SINGLEFUSIONCTR',
  'SGLANTCTR',
  'SGLPOST1CTR',
  'SGLANTSECTXCTR',
  'SGLPOSTFUSECTR',
  'MULTFUSE',
  'ANYDX',
] as const;
export type SpecialAtom = (typeof SPECIAL_ATOMS)[number];
export const SPECIAL_INDEX: ReadonlyMap<string, number> = new Map(SPECIAL_ATOMS.map((name, i) => [name, i]));
export function special(name: SpecialAtom): number {
  return SPECIAL_INDEX.get(name) ?? -1;
}

/** MDC list used for HAC formulas: no cluster suppression applies there. */
export const NO_SUPPRESSION_LIST = 31;

/**
 * The mutable evaluation state of one claim. Atom presence is stamped with a generation number instead of
 * clearing arrays, so loading a claim costs only what the claim holds. One state per thread, reused.
 */
export class EvalState {
  gen = 0;
  readonly pdx: Int32Array;
  readonly sdx: Int32Array;
  readonly proc: Int32Array;
  procGen = 0;
  /** The list the procedure mask was built for (-1: none yet). */
  procList = -1;
  readonly special = new Uint8Array(SPECIAL_ATOMS.length);

  pdxDx: CompiledDiagnosis | null = null;
  /** Per SDX (first nSdx entries; capacity grows): its compiled row, severity and whether it counts. */
  sdxDx: (CompiledDiagnosis | null)[] = new Array<CompiledDiagnosis | null>(32).fill(null);
  sdxSeverity = new Int8Array(32);
  /** Whether the SDX counts toward severity in this pass (not excluded, not death-excluded, not a met HAC). */
  sdxCounts = new Uint8Array(32);
  nSdx = 0;

  procs: CompiledProcedure[] = [];
  /** The recognised procedures' codes as written, sorted (parallel to procs). */
  procCodes: string[] = [];
  /** Per recognised procedure: bits of the MDC lists where its own attributes are suppressed. */
  procSuppression: number[] = [];
  anySuppressed = false;
  formed: CompiledCluster[] = [];

  /** Severity-suppression of the row being evaluated, and its severity (-1 = not computed yet). */
  rowSuppression: Uint32Array | null = null;
  rowSeverity = -1;
  /** Severity for rows without suppression, computed once per pass (-1 = not yet). */
  passSeverity = -1;

  constructor(atomCount: number) {
    this.pdx = new Int32Array(atomCount);
    this.sdx = new Int32Array(atomCount);
    this.proc = new Int32Array(atomCount);
  }

  /** Make room for n secondary diagnoses. */
  reserve(n: number): void {
    if (n <= this.sdxSeverity.length) return;
    const cap = Math.max(n, this.sdxSeverity.length * 2);
    this.sdxDx = new Array<CompiledDiagnosis | null>(cap).fill(null);
    this.sdxSeverity = new Int8Array(cap);
    this.sdxCounts = new Uint8Array(cap);
  }

  /** Start a new claim: all atoms false. */
  next(): void {
    if (this.gen >= 0x3fffffff) {
      this.gen = 0;
      this.pdx.fill(-1);
      this.sdx.fill(-1);
    }
    this.gen++;
    this.procList = -1;
  }

  /** Make the procedure mask the one seen by formulas of `list` (cluster suppression). */
  useList(list: number): void {
    if (this.procList === list || (this.procList >= 0 && !this.anySuppressed)) return;
    if (this.procGen >= 0x3fffffff) {
      this.procGen = 0;
      this.proc.fill(-1);
    }
    const g = ++this.procGen;
    const bit = list < 31 ? 1 << list : 0;
    const procs = this.procs;
    for (let i = 0; i < procs.length; i++) {
      if (((this.procSuppression[i] ?? 0) & bit) !== 0) continue;
      const atoms = (procs[i] as CompiledProcedure).atoms;
      for (let k = 0; k < atoms.length; k++) this.proc[atoms[k] as number] = g;
    }
    for (const cluster of this.formed) {
      const atoms = cluster.atoms;
      for (let k = 0; k < atoms.length; k++) this.proc[atoms[k] as number] = g;
    }
    this.procList = list;
  }
}

function intersects(a: Uint32Array, b: Uint32Array): boolean {
  for (let k = 0; k < b.length; k++) if (((a[k] ?? 0) & (b[k] ?? 0)) !== 0) return true;
  return false;
}

/** Highest severity among counting SDX, ignoring those that carry `suppression` attributes. */
export function severityFor(s: EvalState, suppression: Uint32Array | null): number {
  let best = 0;
  for (let i = 0; i < s.nSdx; i++) {
    if (s.sdxCounts[i] === 0) continue;
    const v = s.sdxSeverity[i] ?? 0;
    if (v <= best) continue;
    if (suppression !== null && intersects((s.sdxDx[i] as CompiledDiagnosis).suppression, suppression)) continue;
    best = v;
    if (best === 2) break;
  }
  return best;
}

/** The MCC/CC atom's view: severity of the current row, computed on first use. */
export function currentRowSeverity(s: EvalState): number {
  if (s.rowSeverity >= 0) return s.rowSeverity;
  let v: number;
  if (s.rowSuppression === null) {
    if (s.passSeverity < 0) s.passSeverity = severityFor(s, null);
    v = s.passSeverity;
  } else {
    v = severityFor(s, s.rowSuppression);
  }
  s.rowSeverity = v;
  return v;
}

/** Whether SDX `i` is kept out of the current row's severity by the row's suppression list. */
export function suppressedByRow(s: EvalState, i: number, suppression: Uint32Array | null): boolean {
  const dx = s.sdxDx[i];
  return suppression !== null && dx !== null && dx !== undefined && intersects(dx.suppression, suppression);
}
