/**
 * The Medicare Code Editor: `edit(tables, claim)` applies every edit of CMS's MCE 2.0 in CMS's order
 * (README of `../shared/refdata/mce/`, steps 0–5). Pure: tables and claim in, edits out.
 */
import { FIRST_DISCHARGE_DATE, isoDate, javaTrim, resolveDischargeDate } from './date.js';
import { explainAgeConflict, explainClaimEdit, explainCodeEdit, explainLengthOfStay, explainSexConflict } from './explain.js';
import { AGE_FLAGS, DX, LCOV_VARIANTS, PX } from './flags.js';
import type { AgeConflictType, CodeRole, CodeRow, EditType, MceClaim, MceOutcome, MceTables, RecordedEdit, WindowTables } from './model.js';

/** Discharges after this date use the FY2025 sex rules (0 = unknown is valid and never conflicts). */
const SEX_CUTOVER = 20240930;
/** Pancreas transplants are covered with a kidney transplant or type I diabetes from this date. */
const PANCREAS_RULE_DATE = 20060426;
const MIN_AGE = 0;
const MAX_AGE = 124;
/** ICD-10 length of stay below which a `los` procedure is inconsistent. */
const MIN_LOS = 5;

/** The window whose folder holds the rows for a resolved discharge date. */
export function windowFor(tables: MceTables, date: number): WindowTables | null {
  for (const w of tables.windows) if (w.windowStart <= date && date <= w.windowEnd) return w;
  return null;
}

function rowFor(rows: readonly CodeRow[] | undefined, date: number): CodeRow | null {
  if (!rows) return null;
  for (const r of rows) if (r.start <= date && date <= r.end) return r;
  return null;
}

function allZeros(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== 0x30) return false;
  return true;
}

/** The row of a code that is valid without a row (blank, or all zeros as given): it carries no flags. */
const BLANK: CodeRow = { code: '', start: 0, end: 0, flags: [], mask: 0 };

/**
 * Validity as the MCE sees it: blank, all zeros as given, or in the master (upper-cased) on the date.
 * @returns the code's row, {@link BLANK} for a valid code without one, or null for an invalid code
 */
function look(map: ReadonlyMap<string, readonly CodeRow[]>, code: string, date: number): CodeRow | null {
  const row = rowFor(map.get(code), date);
  if (row) return row;
  const upper = code.toUpperCase();
  if (upper !== code) {
    const r = rowFor(map.get(upper), date);
    if (r) return r;
  }
  return javaTrim(code) === '' || allZeros(code) ? BLANK : null;
}

/**
 * One claim being edited: collects its edits in CMS's order and keeps the counter. A class rather than
 * closures, so that editing a claim allocates little.
 */
class ClaimRun {
  readonly edits: RecordedEdit[] = [];
  /** Per edit ordinal; allocated at the first counted edit. */
  counts: number[] | null = null;
  private bilateralCounted = false;
  readonly after: boolean;

  constructor(
    private readonly w: WindowTables,
    private readonly claim: MceClaim,
    private readonly date: number,
  ) {
    this.after = date > SEX_CUTOVER;
  }

  add(edit: string, code: string, role: CodeRole | 'claim', position: number, explanation: string, counts: boolean, ageConflict?: AgeConflictType): void {
    // A code records each edit once.
    if (role !== 'claim') {
      for (let i = this.edits.length - 1; i >= 0; i--) {
        const e = this.edits[i]!;
        if (e.role !== role || e.position !== position) break;
        if (e.edit === edit) return;
      }
    }
    const def = this.w.editByName.get(edit);
    let counted = counts && (def?.counted ?? false);
    if (edit === 'BILATERAL') {
      if (this.bilateralCounted) counted = false;
      else if (counted) this.bilateralCounted = true;
    }
    if (def && counted) {
      this.counts ??= new Array<number>(this.w.edits.length).fill(0);
      this.counts[def.ordinal]!++;
    }
    const recorded: RecordedEdit = { edit, code, role, position, counted, explanation };
    if (ageConflict) recorded.ageConflict = ageConflict;
    this.edits.push(recorded);
  }

  code(edit: string, code: string, role: CodeRole, position: number, counts = true): void {
    this.add(edit, code, role, position, explainCodeEdit(edit, code, role), counts);
  }

  ageConflict(row: CodeRow | null, code: string, role: CodeRole, position: number, counts: boolean): void {
    if (!row) return;
    const { age } = this.claim;
    for (const a of AGE_FLAGS) {
      if ((row.mask & a.bit) === 0) continue;
      for (const r of this.w.ageRanges) {
        if (r.group !== a.group || r.start > this.date || this.date > r.end) continue;
        if (age < r.startAge || age > r.endAge) {
          this.add('AGE_CONFLICT', code, role, position, explainAgeConflict(code, r, age), counts, a.type);
          return;
        }
        break;
      }
    }
  }

  sexConflict(mask: number, male: number, female: number, code: string, role: CodeRole, position: number, counts: boolean): void {
    const { sex } = this.claim;
    if ((mask & (male | female)) === 0 || (this.after && sex === 0)) return;
    if ((mask & male) !== 0 && sex !== 1) this.add('SEX_CONFLICT', code, role, position, explainSexConflict(code, sex, 'male'), counts);
    else if ((mask & female) !== 0 && sex !== 2) this.add('SEX_CONFLICT', code, role, position, explainSexConflict(code, sex, 'female'), counts);
  }
}

/**
 * Edits one claim.
 * @param tables - every loaded window
 * @param claim - the claim as the MCE reads it
 * @returns the edit type and the recorded edits, or `tables-missing` for a valid date no loaded window covers
 */
export function edit(tables: MceTables, claim: MceClaim): MceOutcome {
  // Step 0: the discharge date.
  const date = resolveDischargeDate(claim.dischargeDate);
  let termination = 0;
  for (const w of tables.windows) termination = Math.max(termination, w.terminationDate);
  if (date === null || date < FIRST_DISCHARGE_DATE || (tables.windows.length > 0 && date > termination)) {
    return { kind: 'edited', editType: 'INVALID_DISCHARGE_DATE', version: null, dischargeDate: date === null ? null : isoDate(date), edits: [], counts: [] };
  }
  const w = windowFor(tables, date);
  if (!w) return { kind: 'tables-missing', dischargeDate: isoDate(date) };

  const run = new ClaimRun(w, claim, date);
  const { age, sex, dischargeStatus, diagnoses, procedures } = claim;

  // Step 1: validation (codes now; the claim-level checks are listed last).
  const dx: (CodeRow | null)[] = new Array<CodeRow | null>(diagnoses.length);
  for (let i = 0; i < diagnoses.length; i++) dx[i] = look(w.diagnoses, diagnoses[i]!, date);
  const px: (CodeRow | null)[] = new Array<CodeRow | null>(procedures.length);
  for (let i = 0; i < procedures.length; i++) px[i] = look(w.procedures, procedures[i]!, date);

  // Edits are listed per code in claim order, so each code's step-1 result opens its own block.
  const pdxCode = diagnoses[0];
  if (pdxCode !== undefined) {
    const row = dx[0]!;
    if (row === null || javaTrim(pdxCode).replaceAll('0', '') === '') run.code('INVALID_CODE', pdxCode, 'principal', 0);
    // Step 2: the principal diagnosis.
    const m = row?.mask ?? 0;
    if (m !== 0) {
      if (m & DX.ecodepdx) run.code('E_CODE_AS_PDX', pdxCode, 'principal', 0);
      if (m & DX.manifestation) run.code('MANIFESTATION_AS_PDX', pdxCode, 'principal', 0);
      if (m & DX.unacceptable) {
        if (m & DX.reqsdx) {
          if (diagnoses.length < 2) run.code('REQUIRES_SDX', pdxCode, 'principal', 0);
        } else run.code('UNACCEPTABLE_PDX', pdxCode, 'principal', 0);
      }
      if (m & DX.nonspecific && dischargeStatus !== 20) run.code('NONSPECIFIC_PDX', pdxCode, 'principal', 0);
      if (m & DX.qadm) run.code('QUESTIONABLE_ADMISSION', pdxCode, 'principal', 0);
      run.ageConflict(row, pdxCode, 'principal', 0, true);
      run.sexConflict(m, DX.male, DX.female, pdxCode, 'principal', 0, true);
      if (m & DX.wrngproc) run.code('WRONG_PROCEDURE_PERFORMED', pdxCode, 'principal', 0);
      if (m & DX.msp) run.code('MEDICARE_IS_SECONDARY_PAYER', pdxCode, 'principal', 0);
      if (m & DX.unspecified) run.code('UNSPECIFIED', pdxCode, 'principal', 0);
    }
  }

  // Step 4: each secondary diagnosis.
  for (let i = 1; i < diagnoses.length; i++) {
    const code = diagnoses[i]!;
    const row = dx[i]!;
    if (row === null) run.code('INVALID_CODE', code, 'secondary', i);
    if (code === pdxCode) run.code('DUPLICATE_OF_PDX', code, 'secondary', i);
    const m = row?.mask ?? 0;
    if (m === 0) continue;
    if (m & DX.msp) run.code('MEDICARE_IS_SECONDARY_PAYER', code, 'secondary', i);
    if (m & DX.unspecified) run.code('UNSPECIFIED', code, 'secondary', i);
    if (m & DX.wrngproc) run.code('WRONG_PROCEDURE_PERFORMED', code, 'secondary', i);
    run.ageConflict(row, code, 'secondary', i, true);
    run.sexConflict(m, DX.male, DX.female, code, 'secondary', i, true);
  }

  // Step 5: each procedure, against claim-wide facts.
  if (procedures.length > 0) procedureEdits(run, claim, date, dx, px);

  // Step 3: the admit diagnosis (its conflicts are recorded, never counted); listed after the claim's codes.
  const admitCode = claim.admitDiagnosis;
  if (admitCode !== undefined) {
    const admit = look(w.diagnoses, admitCode, date);
    if (admit === null) run.code('INVALID_ADMIT_DX', admitCode, 'admit', 0);
    run.ageConflict(admit, admitCode, 'admit', 0, false);
    run.sexConflict(admit?.mask ?? 0, DX.male, DX.female, admitCode, 'admit', 0, false);
  }

  // Claim-level validation (step 1), listed last in the edits' ordinal order.
  const sexValid = sex === 1 || sex === 2 || (run.after && sex === 0);
  let statusValid = false;
  for (const s of w.dischargeStatus) {
    if (s.code === dischargeStatus && s.start <= date && date <= s.end) {
      statusValid = true;
      break;
    }
  }
  const ageValid = age >= MIN_AGE && age <= MAX_AGE;
  if (!sexValid || !statusValid || !ageValid) {
    const claimEdits: string[] = [];
    if (!sexValid) claimEdits.push('INVALID_SEX');
    if (!statusValid) claimEdits.push('INVALID_DISCHARGE_STATUS');
    if (!ageValid) claimEdits.push('INVALID_AGE');
    claimEdits.sort((a, b) => (w.editByName.get(a)?.ordinal ?? 0) - (w.editByName.get(b)?.ordinal ?? 0));
    for (const e of claimEdits) run.add(e, '', 'claim', -1, explainClaimEdit(e, claim), true);
  }

  const counts = run.counts;
  return {
    kind: 'edited', editType: counts ? editTypeOf(w, counts) : 'NONE', version: w.version, dischargeDate: isoDate(date),
    edits: run.edits, counts: counts ? countsOf(w, counts) : [],
  };
}

function procedureEdits(run: ClaimRun, claim: MceClaim, date: number, dx: (CodeRow | null)[], px: (CodeRow | null)[]): void {
  const { procedures, age, los } = claim;
  // Claim-wide facts: flags of all procedures, of all diagnoses, of the secondary diagnoses alone.
  let pxAll = 0;
  let specificOr = false;
  let bilateral: Set<string> | null = null;
  for (let i = 0; i < px.length; i++) {
    const m = px[i]?.mask ?? 0;
    pxAll |= m;
    if (m & PX.or_indic && !(m & PX.nonspecific)) specificOr = true;
    if (m & PX.bilateral) (bilateral ??= new Set()).add(px[i]!.code);
  }
  let sdxAll = 0;
  for (let i = 1; i < dx.length; i++) sdxAll |= dx[i]?.mask ?? 0;
  const pdxMask = dx.length > 0 ? (dx[0]?.mask ?? 0) : 0;
  const dxAll = pdxMask | sdxAll;
  const artBoth = (pxAll & PX.lcov_artheartxpa) !== 0 && (pxAll & PX.lcov_artheartxpb) !== 0;
  const clintrial = (dxAll & DX.clintrial) !== 0;

  for (let i = 0; i < procedures.length; i++) {
    const code = procedures[i]!;
    const row = px[i]!;
    if (row === null) run.code('INVALID_CODE', code, 'procedure', i);
    const m = row?.mask ?? 0;
    if (m === 0) continue;
    run.sexConflict(m, PX.male, PX.female, code, 'procedure', i, true);
    if (m & PX.nonspecific && !specificOr) run.code('NONSPECIFIC_OR', code, 'procedure', i);
    if (m & PX.biopsy) run.code('OPEN_BIOPSY', code, 'procedure', i);
    if (m & PX.los && los < MIN_LOS) run.add('INCONSISTENT_WITH_LENGTH_OF_STAY', code, 'procedure', i, explainLengthOfStay(code, los, MIN_LOS), true);
    const art = (m & (PX.lcov_artheartxpa | PX.lcov_artheartxpb)) !== 0 && artBoth;
    const nonCovered =
      (m & PX.noncovered) !== 0 ||
      ((m & PX.ncov45) !== 0 &&
        (date >= PANCREAS_RULE_DATE
          ? (pxAll & PX.kidneyxp) === 0 && (dxAll & DX.diabtypeI) === 0
          : !((dxAll & DX.ncov4) !== 0 && (dxAll & DX.ncov5) !== 0))) ||
      (art && !clintrial) ||
      ((m & PX.ncov6) !== 0 && (dxAll & DX.ncov6) !== 0) ||
      ((m & PX.ncov7) !== 0 && (dxAll & DX.ncov7) !== 0) ||
      ((m & PX.ncov12agele60) !== 0 && (age > 60 || age < 0)) ||
      ((m & PX.ncov_z302) !== 0 && (dxAll & DX.ncov_z302) !== 0) ||
      ((m & PX.lcov_artheartxp) !== 0 && !clintrial);
    if (nonCovered) run.code('NON_COVERED', code, 'procedure', i);
    else if ((m & PX.lcov) !== 0 || (art && clintrial)) run.code('LIMITED_COVERAGE', code, 'procedure', i);
    else for (const v of LCOV_VARIANTS) if (m & v.bit) run.code(v.edit, code, 'procedure', i);
    if (m & PX.bilateral && pdxMask & DX.mdc08 && bilateral !== null && bilateral.size >= 2) run.code('BILATERAL', code, 'procedure', i);
    if (m & (PX.csect | PX.vagdel) && !(sdxAll & DX.delout)) run.code('QUESTIONABLE_OBSTETRIC_ADMISSION', code, 'procedure', i);
  }
}

function editTypeOf(w: WindowTables, counts: number[]): EditType {
  let pre = false;
  let post = false;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i] === 0) continue;
    const p = w.edits[i]!.payment;
    if (p === 'PREPAYMENT') pre = true;
    else if (p === 'POSTPAYMENT') post = true;
  }
  return pre && post ? 'BOTH' : pre ? 'PREPAYMENT' : post ? 'POSTPAYMENT' : 'NONE';
}

function countsOf(w: WindowTables, counts: number[]): { edit: string; count: number }[] {
  const out: { edit: string; count: number }[] = [];
  for (let i = 0; i < counts.length; i++) if (counts[i]! > 0) out.push({ edit: w.edits[i]!.name, count: counts[i]! });
  return out;
}
