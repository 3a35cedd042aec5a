import type { CompiledGrouper } from './compiled.js';
import type { LoadedClaim } from './claim.js';
import { NO_SUPPRESSION_LIST, type EvalState } from './state.js';

export type HospitalPoaStatus = 'non-exempt' | 'exempt' | 'unknown';

export type HacCriterion = 'HAC_CRITERIA_MET' | 'HAC_CRITERIA_NOT_MET' | 'HAC_NOT_APPLICABLE_EXCLUSION';

/** One (HAC-listed SDX, HAC number) pair and what HAC processing found. */
export interface HacEvaluation {
  sdxIndex: number;
  code: string;
  poa: string;
  hac: number;
  status: HacCriterion;
  /** Why: POA present, CC-excluded, formula met/not met, or set back by the HAC 6 rule. */
  reason: 'poa-present' | 'cc-excluded' | 'formula-met' | 'formula-not-met' | 'hac06-show-rule';
}

export type HacOutcome =
  | 'NONE'
  | 'HAC_MISSING_ONE_POA'
  | 'HAC_STATUS_INVALID_POA_N_OR_U'
  | 'HAC_STATUS_INVALID_POA_INVALID_OR_1'
  | 'HAC_STATUS_INVALID_MULT_HACS_POA_NOT_Y_W';

export interface HacResult {
  evaluations: HacEvaluation[];
  /** SDX indexes whose HAC criterion is met (after the HAC 6 rule): they lose their severity. */
  met: Set<number>;
  outcome: HacOutcome;
}

const HAC_UTI = 6;

function unusable(poa: string): boolean {
  return !(poa === 'Y' || poa === 'W' || poa === 'N' || poa === 'U');
}

/**
 * HAC (POA) processing after an OK initial result (refdata README step 10).
 * @param status - the hospital's POA reporting status; 'exempt' hospitals skip HAC processing
 */
export function processHacs(c: CompiledGrouper, s: EvalState, claim: LoadedClaim, status: HospitalPoaStatus): HacResult {
  const evaluations: HacEvaluation[] = [];
  const met = new Set<number>();
  if (status === 'exempt') return { evaluations, met, outcome: 'NONE' };
  let reachedFormulaUnusable = false;
  s.useList(NO_SUPPRESSION_LIST);
  for (let i = 0; i < s.nSdx; i++) {
    const dx = s.sdxDx[i];
    if (!dx?.hacListed) continue;
    const poa = claim.sdxPoa[i] ?? '';
    for (const hac of dx.hacNumbers) {
      const code = claim.sdxCodes[i] ?? '';
      if (poa === 'Y' || poa === 'W') {
        evaluations.push({ sdxIndex: i, code, poa, hac, status: 'HAC_CRITERIA_NOT_MET', reason: 'poa-present' });
      } else if (claim.excluded[i]) {
        evaluations.push({ sdxIndex: i, code, poa, hac, status: 'HAC_NOT_APPLICABLE_EXCLUSION', reason: 'cc-excluded' });
      } else {
        if (unusable(poa)) reachedFormulaUnusable = true;
        const test = c.hacTests.get(hac);
        const ok = test !== undefined && test(s);
        evaluations.push({ sdxIndex: i, code, poa, hac, status: ok ? 'HAC_CRITERIA_MET' : 'HAC_CRITERIA_NOT_MET', reason: ok ? 'formula-met' : 'formula-not-met' });
      }
    }
  }
  // HAC 6: a UTI code (hac06_show) is a HAC only together with a catheter code that met HAC 6
  const catheterMet = evaluations.some((e) => e.hac === HAC_UTI && e.status === 'HAC_CRITERIA_MET' && !s.sdxDx[e.sdxIndex]?.hac06Show);
  if (!catheterMet) {
    for (const e of evaluations) {
      if (e.hac === HAC_UTI && e.status === 'HAC_CRITERIA_MET') {
        e.status = 'HAC_CRITERIA_NOT_MET';
        e.reason = 'hac06-show-rule';
      }
    }
  }
  const metEvals = evaluations.filter((e) => e.status === 'HAC_CRITERIA_MET');
  for (const e of metEvals) met.add(e.sdxIndex);
  let outcome: HacOutcome = 'NONE';
  const otherMet = metEvals.some((e) => e.hac !== HAC_UTI);
  const utiUnusable = catheterMet && metEvals.some((e) => e.hac === HAC_UTI && unusable(e.poa));
  if (status === 'non-exempt') {
    if ((otherMet && reachedFormulaUnusable) || utiUnusable) outcome = 'HAC_MISSING_ONE_POA';
  } else if (metEvals.length > 0) {
    // hospital POA status unknown: CMS's HAC status codes (not exercised by the corpus)
    if (met.size > 1) outcome = 'HAC_STATUS_INVALID_MULT_HACS_POA_NOT_Y_W';
    else if (metEvals.some((e) => e.poa === 'N' || e.poa === 'U')) outcome = 'HAC_STATUS_INVALID_POA_N_OR_U';
    else outcome = 'HAC_STATUS_INVALID_POA_INVALID_OR_1';
  }
  return { evaluations, met, outcome };
}
