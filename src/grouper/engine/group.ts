import type { CompiledGrouper, CompiledRow } from './compiled.js';
import { loadClaim, type ClaimInput, type LoadedClaim } from './claim.js';
import { processHacs, type HacResult, type HospitalPoaStatus } from './hac.js';
import { runPass, type PassResult } from './pass.js';
import { EvalState, suppressedByRow } from './state.js';
import { buildTrace } from './trace.js';

export type ReturnCode =
  | 'OK'
  | 'DX_CANNOT_BE_PDX'
  | 'INVALID_SEX'
  | 'INVALID_DISCHARGE_STATUS'
  | 'INVALID_PDX'
  | 'HAC_MISSING_ONE_POA'
  | 'HAC_STATUS_INVALID_POA_N_OR_U'
  | 'HAC_STATUS_INVALID_POA_INVALID_OR_1'
  | 'HAC_STATUS_INVALID_MULT_HACS_POA_NOT_Y_W'
  | 'NO_MATCHING_ROW';

export type SdxFlag = 'MCC' | 'CC' | 'MCC_EXCLUDED' | 'CC_EXCLUDED' | 'MCC_EXCLUDED_BY_DRG_LOGIC' | 'CC_EXCLUDED_BY_DRG_LOGIC' | 'NEITHER';
export type Impact = 'INITIAL' | 'FINAL' | 'BOTH' | 'NONE';
export type HacStatus = 'NOT_APPLICABLE' | 'FINAL_DRG_NO_CHANGE' | 'FINAL_DRG_CHANGES' | 'FINAL_DRG_UNGROUPABLE';
export type SeverityLevel = 'MCC' | 'CC' | 'NON_CC' | 'NONE';

export interface GroupOptions {
  /** Hospital POA reporting status; default 'non-exempt' (an IPPS hospital, as CMS's default). */
  hospital?: HospitalPoaStatus;
  /** Build the readable trace (default true; batch grouping turns it off for speed). */
  trace?: boolean;
  /** Remove dots from codes before lookup. CMS treats 'I50.9' as invalid, so the default is false. */
  stripDots?: boolean;
}

export interface SdxUse {
  code: string;
  poa: string;
  severity: 'MCC' | 'CC' | 'NCC' | 'INVALID';
  flag: SdxFlag;
  impact: Impact;
}

export interface ProcedureUse {
  code: string;
  class: 'OR' | 'NONOR' | 'INVALID';
  impact: Impact;
}

export interface HacUse {
  code: string;
  hac: number;
  status: string;
}

export interface GroupResult {
  drg: number;
  mdc: number;
  medSurg: 'MEDICAL' | 'SURGICAL' | 'NONE';
  /** Highest counting SDX severity at the matched row. */
  severity: SeverityLevel;
  /** Whether the matched final row used MCC, CC or neither. */
  drgCcMcc: 'MCC' | 'CC' | 'NON_CC';
  returnCode: ReturnCode;
  initial: { drg: number; mdc: number; returnCode: ReturnCode };
  hacStatus: HacStatus;
  sdx: SdxUse[];
  procedures: ProcedureUse[];
  hacs: HacUse[];
  weight: number | null;
  gmlos: number | null;
  amlos: number | null;
  trace: string[];
}

const states = new WeakMap<CompiledGrouper, EvalState>();

function stateFor(c: CompiledGrouper): EvalState {
  let s = states.get(c);
  if (!s) {
    s = new EvalState(c.atomCount);
    states.set(c, s);
  }
  return s;
}

function returnCode(p: PassResult): ReturnCode {
  if (p.kind === 'no-matching-row') return 'NO_MATCHING_ROW';
  return p.errorCode ?? 'OK';
}

const LEVELS: SeverityLevel[] = ['NON_CC', 'CC', 'MCC'];

function usedLevel(p: PassResult): number {
  const row = p.row;
  if (p.kind !== 'grouped' || row === null) return 0;
  if (p.severity === 2 && row.usesMcc) return 2;
  if (p.severity === 1 && row.usesCc) return 1;
  return 0;
}

/** The SDX credited with a pass's MCC/CC: first counting one in severity-then-code order. */
function credited(s: EvalState, claim: LoadedClaim, p: PassResult, counts: readonly boolean[]): number {
  const level = usedLevel(p);
  if (level === 0 || p.row === null) return -1;
  let best = -1;
  for (let i = 0; i < s.nSdx; i++) {
    if (!counts[i] || s.sdxSeverity[i] !== level || suppressedByRow(s, i, p.row.suppression)) continue;
    if (best < 0 || (claim.sdxCodes[i] as string) < (claim.sdxCodes[best] as string)) best = i;
  }
  return best;
}

function impact(initial: boolean, final: boolean): Impact {
  return initial ? (final ? 'BOTH' : 'INITIAL') : final ? 'FINAL' : 'NONE';
}

function sdxUses(s: EvalState, claim: LoadedClaim, row: CompiledRow | null, hac: HacResult | null, ci: number, cf: number): SdxUse[] {
  const out: SdxUse[] = [];
  for (let i = 0; i < s.nSdx; i++) {
    const dx = s.sdxDx[i] ?? null;
    const sev = dx ? dx.severity : -1;
    let flag: SdxFlag = 'NEITHER';
    if (dx && sev > 0) {
      const name = sev === 2 ? 'MCC' : 'CC';
      if (claim.excluded[i]) flag = `${name}_EXCLUDED`;
      else if (claim.deathExcluded[i] || hac?.met.has(i) === true) flag = 'NEITHER';
      else if (row !== null && suppressedByRow(s, i, row.suppression)) flag = `${name}_EXCLUDED_BY_DRG_LOGIC`;
      else flag = name;
    }
    out.push({
      code: claim.sdxCodes[i] ?? '',
      poa: claim.sdxPoa[i] ?? '',
      severity: sev < 0 ? 'INVALID' : sev === 2 ? 'MCC' : sev === 1 ? 'CC' : 'NCC',
      flag,
      impact: impact(i === ci, i === cf),
    });
  }
  return out;
}

/**
 * Group one claim with one compiled version (refdata README "Grouping, step by step").
 * @param c - the compiled definitions of the version
 * @param input - the claim
 * @param options - hospital POA status, trace, dot handling
 */
export function group(c: CompiledGrouper, input: ClaimInput, options: GroupOptions = {}): GroupResult {
  const s = stateFor(c);
  const claim = loadClaim(c, s, input, options.stripDots ?? false);
  const baseCounts = s.sdxCounts.slice();
  const initial = runPass(c, s, claim.pdxMdc);
  const initialCode = returnCode(initial);
  let final = initial;
  let finalCode = initialCode;
  let hac: HacResult | null = null;
  let finalCounts = baseCounts;
  if (initialCode === 'OK') {
    hac = processHacs(c, s, claim, options.hospital ?? 'non-exempt');
    if (hac.met.size > 0) {
      for (const i of hac.met) s.sdxCounts[i] = false;
      finalCounts = s.sdxCounts.slice();
      final = runPass(c, s, claim.pdxMdc);
      finalCode = returnCode(final);
    }
    if (hac.outcome !== 'NONE') finalCode = hac.outcome;
  }
  const ungroupable = finalCode !== 'OK';
  const drg = ungroupable ? (finalCode === 'NO_MATCHING_ROW' ? 0 : 999) : final.drg;
  const row = ungroupable ? null : final.row;
  const ci = credited(s, claim, initial, baseCounts);
  const cf = ungroupable ? -1 : credited(s, claim, final, finalCounts);
  const weight = c.weights.get(drg) ?? null;
  let hacStatus: HacStatus = 'NOT_APPLICABLE';
  if (hac !== null && hac.met.size > 0) hacStatus = ungroupable ? 'FINAL_DRG_UNGROUPABLE' : final.drg !== initial.drg ? 'FINAL_DRG_CHANGES' : 'FINAL_DRG_NO_CHANGE';
  else if (hac !== null && hac.outcome !== 'NONE') hacStatus = 'FINAL_DRG_UNGROUPABLE';
  const result: GroupResult = {
    drg,
    mdc: ungroupable ? 0 : final.mdc,
    medSurg: row === null || row.medSurg === 'NA' ? 'NONE' : row.medSurg,
    severity: row === null ? 'NONE' : (LEVELS[final.severity] ?? 'NON_CC'),
    drgCcMcc: ungroupable ? 'NON_CC' : (LEVELS[usedLevel(final)] as 'MCC' | 'CC' | 'NON_CC'),
    returnCode: finalCode,
    initial: { drg: initialCode === 'NO_MATCHING_ROW' ? 0 : initial.drg, mdc: initial.mdc, returnCode: initialCode },
    hacStatus,
    sdx: sdxUses(s, claim, row, hac, ci, cf),
    procedures: claim.procInput.map((p) => ({ code: p.code, class: p.proc === null ? 'INVALID' : p.proc.operatingRoom ? 'OR' : 'NONOR', impact: 'NONE' })),
    hacs: (hac?.evaluations ?? []).map((e) => ({ code: e.code, hac: e.status === 'HAC_CRITERIA_MET' ? e.hac : 0, status: e.status })),
    weight: weight?.weight ?? null,
    gmlos: weight?.gmlos ?? null,
    amlos: weight?.amlos ?? null,
    trace: [],
  };
  if (options.trace ?? true) result.trace = buildTrace(c, s, claim, { initial, final, hac, result });
  return result;
}
