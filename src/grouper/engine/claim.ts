import { Counter, type CompiledDiagnosis, type CompiledGrouper, type CompiledProcedure } from './compiled.js';
import { special, type EvalState } from './state.js';

/** One claim as the grouper reads it. */
export interface ClaimInput {
  pdx: string;
  sdx: readonly { code: string; poa: string }[];
  procedures: readonly string[];
  sex: string;
  dischargeStatus: string;
  /** Not used by the MS-DRG logic (kept for the caller's record). */
  age?: number | null;
}

const VALID_STATUS = new Set([
  '01', '02', '03', '04', '05', '06', '07', '20', '21', '30', '43', '50', '51', '61', '62', '63', '64', '65', '66', '69', '70',
  '81', '82', '83', '84', '85', '86', '87', '88', '89', '90', '91', '92', '93', '94', '95',
]);
const TRANSFER = new Set(['02', '05', '66', '82', '85', '94']);

/** What loading a claim found, besides the atoms stamped into the state. */
export interface LoadedClaim {
  pdxCode: string;
  sex: 'M' | 'F' | 'U';
  status: string;
  pdxMdc: number;
  sexConflict: boolean;
  sdxCodes: string[];
  sdxPoa: string[];
  /** CC-excluded by the principal diagnosis's list. */
  excluded: boolean[];
  deathExcluded: boolean[];
  /** Input procedures in input order, with their compiled row (null: not recognised). */
  procInput: { code: string; proc: CompiledProcedure | null }[];
}

function normaliseCode(code: string, stripDots: boolean): string {
  const t = code.trim();
  return stripDots ? t.replace(/\./g, '') : t;
}

function normaliseStatus(status: string): string {
  const t = status.trim();
  return /^\d$/.test(t) ? `0${t}` : t;
}

function popcount(n: number): number {
  let c = 0;
  for (let v = n; v !== 0; v &= v - 1) c++;
  return c;
}

function formClusters(s: EvalState): void {
  const procs = s.procs;
  s.formed = [];
  s.anySuppressed = false;
  for (let i = 0; i < procs.length; i++) s.procSuppression[i] = 0;
  const seen = new Set<string>();
  for (const p of procs) {
    for (const cluster of p.clusters) {
      if (seen.has(cluster.id)) continue;
      seen.add(cluster.id);
      const ticked = new Uint8Array(cluster.choices);
      const tickers = new Set<string>();
      let remaining = cluster.choices;
      for (const q of s.procCodes) {
        const choice = cluster.choiceOf.get(q);
        if (choice === undefined) continue;
        tickers.add(q);
        if (ticked[choice] === 0) {
          ticked[choice] = 1;
          if (--remaining === 0) break;
        }
      }
      if (remaining > 0) continue;
      s.formed.push(cluster);
      if (cluster.suppression === 0) continue;
      for (let i = 0; i < procs.length; i++) {
        if (tickers.has(s.procCodes[i] as string)) {
          s.procSuppression[i] = (s.procSuppression[i] ?? 0) | cluster.suppression;
          s.anySuppressed = true;
        }
      }
    }
  }
}

function countingAtoms(s: EvalState): void {
  let vessels = 0;
  let stents = 0;
  let ant = 0;
  let post = 0;
  let post1 = 0;
  let antSecTx = 0;
  let bilateral = false;
  const sides: number[] = [];
  for (const p of s.procs) {
    const c = p.counters;
    vessels += c[Counter.Vessels] ?? 0;
    stents += c[Counter.Stents] ?? 0;
    ant += c[Counter.SglAntFuse] ?? 0;
    post += c[Counter.SglPostFuse] ?? 0;
    post1 += c[Counter.SglPostFuse1] ?? 0;
    antSecTx += c[Counter.SglAntSecTxFuse] ?? 0;
    const m = c[Counter.Sides] ?? 0;
    if (m !== 0) {
      for (const other of sides) if (!(other === m && popcount(m) === 1)) bilateral = true;
      sides.push(m);
    }
  }
  const sp = s.special;
  sp[special('BILATERAL')] = bilateral ? 1 : 0;
  sp[special('FOUR_VESSELS')] = vessels >= 4 ? 1 : 0;
  sp[special('FOUR_STENTS')] = stents >= 4 ? 1 : 0;
  sp[special('SINGLEFUSIONCTR')] = ant >= 1 && post >= 1 && ant + post >= 3 ? 1 : 0;
  sp[special('SGLANTCTR')] = ant >= 2 ? 1 : 0;
  sp[special('SGLPOST1CTR')] = post1 >= 2 ? 1 : 0;
  sp[special('SGLANTSECTXCTR')] = antSecTx >= 2 ? 1 : 0;
  sp[special('SGLPOSTFUSECTR')] = post >= 2 ? 1 : 0;
  sp[special('MULTFUSE')] = ant + post1 >= 2 ? 1 : 0;
}

function stamp(target: Int32Array, atoms: Int32Array, gen: number): void {
  for (let k = 0; k < atoms.length; k++) target[atoms[k] as number] = gen;
}

/**
 * Load a claim into the evaluation state: codes looked up (upper-cased), clusters formed, atoms stamped,
 * exclusions found, claim-level atoms computed.
 */
export function loadClaim(c: CompiledGrouper, s: EvalState, claim: ClaimInput, stripDots: boolean): LoadedClaim {
  s.next();
  const gen = s.gen;
  const pdxCode = normaliseCode(claim.pdx, stripDots);
  const pdx = c.diagnoses.get(pdxCode.toUpperCase()) ?? null;
  const sexIn = claim.sex.trim().toUpperCase();
  const sex = sexIn === 'M' || sexIn === 'F' ? sexIn : 'U';
  const status = normaliseStatus(claim.dischargeStatus);
  const died = status === '20';
  s.pdxDx = pdx;
  let pdxMdc = -1;
  let sexConflict = false;
  let trauma = 0;
  if (pdx) {
    stamp(s.pdx, pdx.atoms, gen);
    pdxMdc = pdx.mdc;
    if (pdx.maleMdc !== null && pdx.femaleMdc !== null) {
      if (sex === 'M') pdxMdc = pdx.maleMdc;
      else {
        pdxMdc = pdx.femaleMdc;
        sexConflict = sex === 'U';
      }
    }
    trauma = pdx.traumaRegions;
  }
  const n = claim.sdx.length;
  const sdxCodes: string[] = new Array<string>(n);
  const sdxPoa: string[] = new Array<string>(n);
  const excluded: boolean[] = new Array<boolean>(n);
  const deathExcluded: boolean[] = new Array<boolean>(n);
  s.nSdx = n;
  s.sdxDx.length = n;
  s.sdxSeverity.length = n;
  s.sdxCounts.length = n;
  const exclusions = pdx?.exclusions ?? null;
  for (let i = 0; i < n; i++) {
    const entry = claim.sdx[i] as { code: string; poa: string };
    const code = normaliseCode(entry.code, stripDots);
    sdxCodes[i] = code;
    sdxPoa[i] = entry.poa.trim().toUpperCase();
    const dx = c.diagnoses.get(code.toUpperCase()) ?? null;
    s.sdxDx[i] = dx;
    // exclusion membership compares the code as written (a lower-case SDX is never excluded)
    const ex = dx !== null && exclusions !== null && exclusions.has(code);
    const dead = dx !== null && died && dx.mccAlive;
    excluded[i] = ex;
    deathExcluded[i] = dead;
    s.sdxSeverity[i] = dx ? dx.severity : 0;
    s.sdxCounts[i] = dx !== null && !ex && !dead;
    if (dx) {
      stamp(s.sdx, dx.atoms, gen);
      trauma |= dx.traumaRegions;
    }
  }
  const procInput = claim.procedures.map((p) => {
    const code = normaliseCode(p, stripDots);
    return { code, proc: c.procedures.get(code.toUpperCase()) ?? null };
  });
  // procedures in plain string order of the code as written (as CMS sorts them)
  const sorted = procInput.filter((p) => p.proc !== null).sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  s.procs = sorted.map((p) => p.proc as CompiledProcedure);
  s.procCodes = sorted.map((p) => p.code);
  s.procSuppression.length = sorted.length;
  formClusters(s);
  const sp = s.special;
  sp[special('ALIVE')] = died ? 0 : 1;
  sp[special('DIED')] = died ? 1 : 0;
  sp[special('AMA')] = status === '07' ? 1 : 0;
  sp[special('XFRNBA')] = TRANSFER.has(status) ? 1 : 0;
  sp[special('INVALID_DSTAT')] = VALID_STATUS.has(status) ? 0 : 1;
  sp[special('INVALID_PDX')] = pdx ? 0 : 1;
  sp[special('PDX_ECODE')] = /^[VWXY]/.test(pdxCode.toUpperCase()) ? 1 : 0;
  sp[special('INVALID_SEX')] = sexConflict ? 1 : 0;
  sp[special('MULTST')] = popcount(trauma) >= 2 ? 1 : 0;
  sp[special('ANYDX')] = 1;
  countingAtoms(s);
  return { pdxCode, sex, status, pdxMdc, sexConflict, sdxCodes, sdxPoa, excluded, deathExcluded, procInput };
}

export type { CompiledDiagnosis };
