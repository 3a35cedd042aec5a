/**
 * The Medicare Code Editor: `edit(tables, claim)` applies every edit of CMS's MCE 2.0 in CMS's order
 * (README of `../shared/refdata/mce/`, steps 0–5). Pure: tables and claim in, edits out.
 */
import { FIRST_DISCHARGE_DATE, isoDate, javaTrim, resolveDischargeDate } from './date.js';
import { explainAgeConflict, explainClaimEdit, explainCodeEdit, explainLengthOfStay, explainSexConflict } from './explain.js';
import { AGE_FLAGS, DX, LCOV_VARIANTS, PX } from './flags.js';
import type { CodeRole, CodeRow, EditType, MceClaim, MceOutcome, MceTables, RecordedEdit, WindowTables } from './model.js';

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

interface Looked {
  valid: boolean;
  row: CodeRow | null;
}

const BLANK: Looked = { valid: true, row: null };
const INVALID: Looked = { valid: false, row: null };

/** Validity as the MCE sees it: blank, all zeros as given, or in the master (upper-cased) on the date. */
function look(map: ReadonlyMap<string, readonly CodeRow[]>, code: string, date: number): Looked {
  const row = rowFor(map.get(code), date) ?? rowFor(map.get(code.toUpperCase()), date);
  if (row) return { valid: true, row };
  if (javaTrim(code) === '' || allZeros(code)) return BLANK;
  return INVALID;
}

/** Collects the edits of one claim in CMS's order and keeps the counter. */
class Recorder {
  readonly edits: RecordedEdit[] = [];
  readonly counts: number[];
  private bilateralCounted = false;

  constructor(private readonly w: WindowTables) {
    this.counts = new Array<number>(w.edits.length).fill(0);
  }

  add(edit: string, code: string, role: CodeRole | 'claim', position: number, explanation: string, counts = true, extra?: Partial<RecordedEdit>): void {
    const def = this.w.editByName.get(edit);
    // A code records each edit once.
    if (role !== 'claim') {
      for (let i = this.edits.length - 1; i >= 0; i--) {
        const e = this.edits[i]!;
        if (e.role !== role || e.position !== position) break;
        if (e.edit === edit) return;
      }
    }
    let counted = counts && (def?.counted ?? false);
    if (edit === 'BILATERAL') {
      if (this.bilateralCounted) counted = false;
      else if (counted) this.bilateralCounted = true;
    }
    if (def && counted) this.counts[def.ordinal]!++;
    this.edits.push({ edit, code, role, position, counted, explanation, ...extra });
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

  const rec = new Recorder(w);
  const { age, sex, dischargeStatus, diagnoses, procedures } = claim;
  const after = date > SEX_CUTOVER;

  // Step 1: validation.
  const admit = claim.admitDiagnosis !== undefined ? look(w.diagnoses, claim.admitDiagnosis, date) : null;
  const dx: Looked[] = new Array<Looked>(diagnoses.length);
  for (let i = 0; i < diagnoses.length; i++) dx[i] = look(w.diagnoses, diagnoses[i]!, date);
  const px: Looked[] = new Array<Looked>(procedures.length);
  for (let i = 0; i < procedures.length; i++) px[i] = look(w.procedures, procedures[i]!, date);

  const ageConflict = (row: CodeRow | null, code: string, role: CodeRole, position: number, counts: boolean) => {
    if (!row) return;
    for (const a of AGE_FLAGS) {
      if ((row.mask & a.bit) === 0) continue;
      const range = w.ageRanges.find((r) => r.group === a.group && r.start <= date && date <= r.end);
      if (range && (age < range.startAge || age > range.endAge)) {
        rec.add('AGE_CONFLICT', code, role, position, explainAgeConflict(code, range, age), counts, { ageConflict: a.type });
        return;
      }
    }
  };
  const sexConflict = (mask: number, male: number, female: number, code: string, role: CodeRole, position: number, counts: boolean) => {
    if (after && sex === 0) return;
    if ((mask & male) !== 0 && sex !== 1) rec.add('SEX_CONFLICT', code, role, position, explainSexConflict(code, sex, 'male'), counts);
    else if ((mask & female) !== 0 && sex !== 2) rec.add('SEX_CONFLICT', code, role, position, explainSexConflict(code, sex, 'female'), counts);
  };
  const codeEdit = (name: string, code: string, role: CodeRole, position: number, counts = true) =>
    rec.add(name, code, role, position, explainCodeEdit(name, code, role), counts);

  // Edits are recorded per code in claim order, so each code's step-1 result comes first in its own block.
  const pdxCode = diagnoses[0];
  if (pdxCode !== undefined) {
    const p = dx[0]!;
    if (!p.valid) codeEdit('INVALID_CODE', pdxCode, 'principal', 0);
    else if (javaTrim(pdxCode).replaceAll('0', '') === '') codeEdit('INVALID_CODE', pdxCode, 'principal', 0);
    // Step 2: the principal diagnosis.
    const row = p.row;
    const m = row?.mask ?? 0;
    if (m & DX.ecodepdx) codeEdit('E_CODE_AS_PDX', pdxCode, 'principal', 0);
    if (m & DX.manifestation) codeEdit('MANIFESTATION_AS_PDX', pdxCode, 'principal', 0);
    if (m & DX.unacceptable) {
      if (m & DX.reqsdx) {
        if (diagnoses.length < 2) codeEdit('REQUIRES_SDX', pdxCode, 'principal', 0);
      } else codeEdit('UNACCEPTABLE_PDX', pdxCode, 'principal', 0);
    }
    if (m & DX.nonspecific && dischargeStatus !== 20) codeEdit('NONSPECIFIC_PDX', pdxCode, 'principal', 0);
    if (m & DX.qadm) codeEdit('QUESTIONABLE_ADMISSION', pdxCode, 'principal', 0);
    ageConflict(row, pdxCode, 'principal', 0, true);
    sexConflict(m, DX.male, DX.female, pdxCode, 'principal', 0, true);
    if (m & DX.wrngproc) codeEdit('WRONG_PROCEDURE_PERFORMED', pdxCode, 'principal', 0);
    if (m & DX.msp) codeEdit('MEDICARE_IS_SECONDARY_PAYER', pdxCode, 'principal', 0);
    if (m & DX.unspecified) codeEdit('UNSPECIFIED', pdxCode, 'principal', 0);
  }

  // Step 4: each secondary diagnosis.
  for (let i = 1; i < diagnoses.length; i++) {
    const code = diagnoses[i]!;
    const s = dx[i]!;
    if (!s.valid) codeEdit('INVALID_CODE', code, 'secondary', i);
    if (code === pdxCode) codeEdit('DUPLICATE_OF_PDX', code, 'secondary', i);
    const row = s.row;
    const m = row?.mask ?? 0;
    if (m & DX.msp) codeEdit('MEDICARE_IS_SECONDARY_PAYER', code, 'secondary', i);
    if (m & DX.unspecified) codeEdit('UNSPECIFIED', code, 'secondary', i);
    if (m & DX.wrngproc) codeEdit('WRONG_PROCEDURE_PERFORMED', code, 'secondary', i);
    ageConflict(row, code, 'secondary', i, true);
    sexConflict(m, DX.male, DX.female, code, 'secondary', i, true);
  }

  // Step 5: each procedure, against claim-wide facts.
  if (procedures.length > 0) procedureEdits(claim, date, dx, px, rec, codeEdit, sexConflict);

  // Step 3: the admit diagnosis (its conflicts are recorded, never counted); listed after the claim's codes.
  if (admit && claim.admitDiagnosis !== undefined) {
    const code = claim.admitDiagnosis;
    if (!admit.valid) codeEdit('INVALID_ADMIT_DX', code, 'admit', 0);
    ageConflict(admit.row, code, 'admit', 0, false);
    sexConflict(admit.row?.mask ?? 0, DX.male, DX.female, code, 'admit', 0, false);
  }

  // Claim-level validation (step 1), listed last in the edits' ordinal order.
  const claimEdits: string[] = [];
  const sexValid = sex === 1 || sex === 2 || (after && sex === 0);
  if (!sexValid) claimEdits.push('INVALID_SEX');
  if (!w.dischargeStatus.some((s) => s.code === dischargeStatus && s.start <= date && date <= s.end)) claimEdits.push('INVALID_DISCHARGE_STATUS');
  if (age < MIN_AGE || age > MAX_AGE) claimEdits.push('INVALID_AGE');
  claimEdits.sort((a, b) => (w.editByName.get(a)?.ordinal ?? 0) - (w.editByName.get(b)?.ordinal ?? 0));
  for (const e of claimEdits) rec.add(e, '', 'claim', -1, explainClaimEdit(e, claim));

  return { kind: 'edited', editType: editTypeOf(w, rec.counts), version: w.version, dischargeDate: isoDate(date), edits: rec.edits, counts: countsOf(w, rec.counts) };
}

type CodeEdit = (name: string, code: string, role: CodeRole, position: number, counts?: boolean) => void;
type SexConflict = (mask: number, male: number, female: number, code: string, role: CodeRole, position: number, counts: boolean) => void;

function procedureEdits(claim: MceClaim, date: number, dx: Looked[], px: Looked[], rec: Recorder, codeEdit: CodeEdit, sexConflict: SexConflict): void {
  const { procedures, age, los } = claim;
  // Claim-wide facts: flags of all procedures, of all diagnoses, of the secondary diagnoses alone.
  let pxAll = 0;
  let specificOr = false;
  const bilateral = new Set<string>();
  for (let i = 0; i < px.length; i++) {
    const m = px[i]!.row?.mask ?? 0;
    pxAll |= m;
    if (m & PX.or_indic && !(m & PX.nonspecific)) specificOr = true;
    if (m & PX.bilateral) bilateral.add(px[i]!.row!.code);
  }
  let sdxAll = 0;
  for (let i = 1; i < dx.length; i++) sdxAll |= dx[i]!.row?.mask ?? 0;
  const pdxMask = dx.length > 0 ? (dx[0]!.row?.mask ?? 0) : 0;
  const dxAll = pdxMask | sdxAll;
  const artBoth = (pxAll & PX.lcov_artheartxpa) !== 0 && (pxAll & PX.lcov_artheartxpb) !== 0;
  const clintrial = (dxAll & DX.clintrial) !== 0;

  for (let i = 0; i < procedures.length; i++) {
    const code = procedures[i]!;
    const p = px[i]!;
    if (!p.valid) codeEdit('INVALID_CODE', code, 'procedure', i);
    const m = p.row?.mask ?? 0;
    if (m === 0) continue;
    sexConflict(m, PX.male, PX.female, code, 'procedure', i, true);
    if (m & PX.nonspecific && !specificOr) codeEdit('NONSPECIFIC_OR', code, 'procedure', i);
    if (m & PX.biopsy) codeEdit('OPEN_BIOPSY', code, 'procedure', i);
    if (m & PX.los && los < MIN_LOS) rec.add('INCONSISTENT_WITH_LENGTH_OF_STAY', code, 'procedure', i, explainLengthOfStay(code, los, MIN_LOS));
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
    if (nonCovered) codeEdit('NON_COVERED', code, 'procedure', i);
    else if ((m & PX.lcov) !== 0 || (art && clintrial)) codeEdit('LIMITED_COVERAGE', code, 'procedure', i);
    else for (const v of LCOV_VARIANTS) if (m & v.bit) codeEdit(v.edit, code, 'procedure', i);
    if (m & PX.bilateral && pdxMask & DX.mdc08 && bilateral.size >= 2) codeEdit('BILATERAL', code, 'procedure', i);
    if (m & (PX.csect | PX.vagdel) && !(sdxAll & DX.delout)) codeEdit('QUESTIONABLE_OBSTETRIC_ADMISSION', code, 'procedure', i);
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
