import type { CompiledGrouper, CompiledProcedure, CompiledRow } from './compiled.js';
import { loadClaim, type ClaimInput, type LoadedClaim } from './claim.js';
import { processHacs, type HacEvaluation, type HacResult, type HospitalPoaStatus } from './hac.js';
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
function credited(s: EvalState, claim: LoadedClaim, p: PassResult): number {
  const level = usedLevel(p);
  if (level === 0 || p.row === null) return -1;
  let best = -1;
  for (let i = 0; i < s.nSdx; i++) {
    if (s.sdxCounts[i] === 0 || s.sdxSeverity[i] !== level || suppressedByRow(s, i, p.row.suppression)) continue;
    if (best < 0 || (claim.sdxCodes[i] as string) < (claim.sdxCodes[best] as string)) best = i;
  }
  return best;
}

function impact(initial: boolean, final: boolean): Impact {
  return initial ? (final ? 'BOTH' : 'INITIAL') : final ? 'FINAL' : 'NONE';
}

function hacUses(hac: HacResult | null): HacUse[] {
  const out: HacUse[] = [];
  if (hac === null) return out;
  const bySdx = new Map<number, HacEvaluation[]>();
  for (const e of hac.evaluations) bySdx.set(e.sdxIndex, [...(bySdx.get(e.sdxIndex) ?? []), e]);
  for (const list of bySdx.values()) {
    const met = list.filter((e) => e.status === 'HAC_CRITERIA_MET');
    if (met.length > 0) for (const e of met) out.push({ code: e.code, hac: e.hac, status: e.status });
    else for (const e of list) out.push({ code: e.code, hac: 0, status: e.status });
  }
  return out;
}

/** A procedure affects a pass when the deciding row is surgical and it carries a procedure atom of that row. */
function procedureImpact(p: CompiledProcedure | null, pass: PassResult | null): boolean {
  const row = pass?.row ?? null;
  if (p === null || row === null || pass?.kind !== 'grouped' || row.medSurg !== 'SURGICAL') return false;
  for (const id of row.procAtoms) if (p.atoms.includes(id)) return true;
  return false;
}

function procedureUses(claim: LoadedClaim, initial: PassResult, final: PassResult | null): ProcedureUse[] {
  return claim.procInput.map((p) => ({
    code: p.code,
    class: p.proc === null ? 'INVALID' : p.proc.operatingRoom ? 'OR' : 'NONOR',
    impact: impact(procedureImpact(p.proc, initial), procedureImpact(p.proc, final)),
  }));
}

function sdxUses(
  s: EvalState,
  claim: LoadedClaim,
  row: CompiledRow | null,
  grouped: boolean,
  hac: HacResult | null,
  ci: number,
  cf: number,
): SdxUse[] {
  const out: SdxUse[] = [];
  for (let i = 0; i < s.nSdx; i++) {
    const dx = s.sdxDx[i] ?? null;
    const sev = dx ? dx.severity : -1;
    let flag: SdxFlag = 'NEITHER';
    if (dx && sev > 0 && grouped) {
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
  const initial = runPass(c, s, claim.pdxMdc);
  const initialCode = returnCode(initial);
  const ci = credited(s, claim, initial);
  let final = initial;
  let finalCode = initialCode;
  let hac: HacResult | null = null;
  if (initialCode === 'OK') {
    hac = processHacs(c, s, claim, options.hospital ?? 'non-exempt');
    if (hac.met.size > 0) {
      for (const i of hac.met) s.sdxCounts[i] = 0;
      final = runPass(c, s, claim.pdxMdc);
      finalCode = returnCode(final);
    }
    if (hac.outcome !== 'NONE') finalCode = hac.outcome;
  }
  const ungroupable = finalCode !== 'OK';
  const drg = ungroupable ? (finalCode === 'NO_MATCHING_ROW' ? 0 : 999) : final.drg;
  const row = ungroupable ? null : final.row;
  const cf = ungroupable ? -1 : credited(s, claim, final);
  const weight = c.weights.get(drg) ?? null;
  let hacStatus: HacStatus = 'NOT_APPLICABLE';
  if (hac !== null && hac.met.size > 0) hacStatus = ungroupable ? 'FINAL_DRG_UNGROUPABLE' : final.drg !== initial.drg ? 'FINAL_DRG_CHANGES' : 'FINAL_DRG_NO_CHANGE';
  else if (hac !== null && hac.outcome !== 'NONE') hacStatus = 'FINAL_DRG_UNGROUPABLE';
  const result: GroupResult = {
    drg,
    mdc: ungroupable ? 0 : final.mdc,
    medSurg: row === null || row.medSurg === 'NA' ? 'NONE' : row.medSurg,
    severity: row === null || row.medSurg === 'NA' ? 'NONE' : (LEVELS[final.severity] ?? 'NON_CC'),
    drgCcMcc: ungroupable ? 'NON_CC' : (LEVELS[usedLevel(final)] as 'MCC' | 'CC' | 'NON_CC'),
    returnCode: finalCode,
    initial: { drg: initialCode === 'NO_MATCHING_ROW' ? 0 : initial.drg, mdc: initial.mdc, returnCode: initialCode },
    hacStatus,
    sdx: sdxUses(s, claim, initialCode === 'OK' ? row : null, initialCode === 'OK' && final.kind === 'grouped', hac, ci, cf),
    procedures: procedureUses(claim, initial, ungroupable ? null : final),
    hacs: hacUses(hac),
    weight: weight?.weight ?? null,
    gmlos: weight?.gmlos ?? null,
    amlos: weight?.amlos ?? null,
    trace: [],
  };
  if (options.trace ?? true) result.trace = buildTrace(c, s, claim, { initial, final, hac, result });
  return result;
}
