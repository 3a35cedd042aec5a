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
  const first = code.charCodeAt(0);
  const last = code.charCodeAt(code.length - 1);
  const t = first <= 0x20 || last <= 0x20 ? code.trim() : code;
  return stripDots && t.includes('.') ? t.replace(/\./g, '') : t;
}

/** ASCII upper case; returns the same string when it has no lower-case letter (the usual case, no allocation). */
export function upper(code: string): string {
  for (let i = 0; i < code.length; i++) {
    const ch = code.charCodeAt(i);
    if (ch >= 0x61 && ch <= 0x7a) return code.toUpperCase();
  }
  return code;
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
  s.procSuppression = [];
  for (let i = 0; i < procs.length; i++) s.procSuppression.push(0);
  let seen: Set<string> | null = null;
  for (const p of procs) {
    if (p.minClusterChoices > procs.length) continue;
    for (const cluster of p.clusters) {
      if (cluster.choices > procs.length) continue;
      seen ??= new Set<string>();
      if (seen.has(cluster.id)) continue;
      seen.add(cluster.id);
      // choices ticked: a bit mask, or an array for a cluster of more than 30 choices
      const many = cluster.choices > 30 ? new Uint8Array(cluster.choices) : null;
      let mask = 0;
      const tickers: string[] = [];
      let remaining = cluster.choices;
      for (const q of s.procCodes) {
        const choice = cluster.choiceOf.get(q);
        if (choice === undefined) continue;
        tickers.push(q);
        let fresh: boolean;
        if (many === null) {
          fresh = (mask & (1 << choice)) === 0;
          mask |= 1 << choice;
        } else {
          fresh = many[choice] === 0;
          many[choice] = 1;
        }
        if (fresh && --remaining === 0) break;
      }
      if (remaining > 0) continue;
      s.formed.push(cluster);
      if (cluster.suppression === 0) continue;
      for (let i = 0; i < procs.length; i++) {
        if (tickers.includes(s.procCodes[i] as string)) {
          s.procSuppression[i] = (s.procSuppression[i] ?? 0) | cluster.suppression;
          s.anySuppressed = true;
        }
      }
    }
  }
}

const I_BILATERAL = special('BILATERAL');
const I_FOUR_VESSELS = special('FOUR_VESSELS');
const I_FOUR_STENTS = special('FOUR_STENTS');
const I_SINGLEFUSIONCTR = special('SINGLEFUSIONCTR');
const I_SGLANTCTR = special('SGLANTCTR');
const I_SGLPOST1CTR = special('SGLPOST1CTR');
const I_SGLANTSECTXCTR = special('SGLANTSECTXCTR');
const I_SGLPOSTFUSECTR = special('SGLPOSTFUSECTR');
const I_MULTFUSE = special('MULTFUSE');

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
  sp[I_BILATERAL] = bilateral ? 1 : 0;
  sp[I_FOUR_VESSELS] = vessels >= 4 ? 1 : 0;
  sp[I_FOUR_STENTS] = stents >= 4 ? 1 : 0;
  sp[I_SINGLEFUSIONCTR] = ant >= 1 && post >= 1 && ant + post >= 3 ? 1 : 0;
  sp[I_SGLANTCTR] = ant >= 2 ? 1 : 0;
  sp[I_SGLPOST1CTR] = post1 >= 2 ? 1 : 0;
  sp[I_SGLANTSECTXCTR] = antSecTx >= 2 ? 1 : 0;
  sp[I_SGLPOSTFUSECTR] = post >= 2 ? 1 : 0;
  sp[I_MULTFUSE] = ant + post1 >= 2 ? 1 : 0;
}

function stamp(target: Int32Array, atoms: Int32Array, gen: number): void {
  for (let k = 0; k < atoms.length; k++) target[atoms[k] as number] = gen;
}

const I_ALIVE = special('ALIVE');
const I_DIED = special('DIED');
const I_AMA = special('AMA');
const I_XFRNBA = special('XFRNBA');
const I_INVALID_DSTAT = special('INVALID_DSTAT');
const I_INVALID_PDX = special('INVALID_PDX');
const I_PDX_ECODE = special('PDX_ECODE');
const I_INVALID_SEX = special('INVALID_SEX');
const I_MULTST = special('MULTST');
const I_ANYDX = special('ANYDX');

function isExternalCause(code: string): boolean {
  const ch = code.charCodeAt(0) & ~0x20; // upper-case ASCII letter
  return ch === 0x56 || ch === 0x57 || ch === 0x58 || ch === 0x59; // V W X Y
}

/**
 * Load a claim into the evaluation state: codes looked up (upper-cased), clusters formed, atoms stamped,
 * exclusions found, claim-level atoms computed.
 */
export function loadClaim(c: CompiledGrouper, s: EvalState, claim: ClaimInput, stripDots: boolean): LoadedClaim {
  s.next();
  const gen = s.gen;
  const pdxCode = normaliseCode(claim.pdx, stripDots);
  const pdxRow = c.diagnosisTable.find(pdxCode);
  const pdx = pdxRow < 0 ? null : c.diagnosisRows.at(pdxRow);
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
  s.reserve(n);
  const sdxCodes: string[] = [];
  const sdxPoa: string[] = [];
  const excluded: boolean[] = [];
  const deathExcluded: boolean[] = [];
  s.nSdx = n;
  const exclusions = pdx?.exclusions ?? null;
  for (let i = 0; i < n; i++) {
    const entry = claim.sdx[i] as { code: string; poa: string };
    const code = normaliseCode(entry.code, stripDots);
    sdxCodes.push(code);
    sdxPoa.push(entry.poa.length === 1 ? entry.poa.toUpperCase() : entry.poa.trim().toUpperCase());
    const row = c.diagnosisTable.find(code);
    const dx = row < 0 ? null : c.diagnosisRows.at(row);
    s.sdxDx[i] = dx;
    // exclusion membership compares the code as written (a lower-case SDX is never excluded)
    const ex = dx !== null && exclusions !== null && !c.diagnosisTable.lowerCase && exclusions.has(row);
    const dead = dx !== null && died && dx.mccAlive;
    excluded.push(ex);
    deathExcluded.push(dead);
    s.sdxSeverity[i] = dx ? dx.severity : 0;
    s.sdxCounts[i] = dx !== null && !ex && !dead ? 1 : 0;
    if (dx) {
      stamp(s.sdx, dx.atoms, gen);
      trauma |= dx.traumaRegions;
    }
  }
  const procInput: { code: string; proc: CompiledProcedure | null }[] = [];
  const procs: CompiledProcedure[] = [];
  const procCodes: string[] = [];
  for (const p of claim.procedures) {
    const code = normaliseCode(p, stripDots);
    const row = c.procedureTable.find(code);
    const proc = row < 0 ? null : c.procedureRows.at(row);
    procInput.push({ code, proc });
    if (proc === null) continue;
    // insertion in plain string order of the code as written (as CMS sorts them)
    let at = procCodes.length;
    while (at > 0 && (procCodes[at - 1] as string) > code) at--;
    procCodes.splice(at, 0, code);
    procs.splice(at, 0, proc);
  }
  s.procs = procs;
  s.procCodes = procCodes;
  formClusters(s);
  const sp = s.special;
  sp[I_ALIVE] = died ? 0 : 1;
  sp[I_DIED] = died ? 1 : 0;
  sp[I_AMA] = status === '07' ? 1 : 0;
  sp[I_XFRNBA] = TRANSFER.has(status) ? 1 : 0;
  sp[I_INVALID_DSTAT] = VALID_STATUS.has(status) ? 0 : 1;
  sp[I_INVALID_PDX] = pdx ? 0 : 1;
  sp[I_PDX_ECODE] = isExternalCause(pdxCode) ? 1 : 0;
  sp[I_INVALID_SEX] = sexConflict ? 1 : 0;
  sp[I_MULTST] = popcount(trauma) >= 2 ? 1 : 0;
  sp[I_ANYDX] = 1;
  countingAtoms(s);
  return { pdxCode, sex, status, pdxMdc, sexConflict, sdxCodes, sdxPoa, excluded, deathExcluded, procInput };
}

export type { CompiledDiagnosis };
