/**
 * The MCE's claim TSV (columns as in `../shared/corpora/mce/`): parsing a line into a claim and writing a
 * result line. Pure; the CLI streams lines through it.
 */
import type { MceClaim, RecordedEdit } from './model.js';

export const REQUIRED_COLUMNS = ['id', 'discharge_date', 'age', 'sex', 'discharge_status', 'pdx', 'sdx', 'procedures', 'los'] as const;

export interface ClaimColumns {
  index: Readonly<Record<string, number>>;
}

/** Maps a header line to column positions; lists every required column that is missing. */
export function readHeader(line: string): { columns: ClaimColumns } | { missing: string[] } {
  const names = line.replace(/\r$/, '').split('\t');
  const index: Record<string, number> = {};
  names.forEach((n, i) => {
    if (!(n in index)) index[n] = i;
  });
  const missing = REQUIRED_COLUMNS.filter((c) => !(c in index));
  return missing.length > 0 ? { missing } : { columns: { index } };
}

export type ParsedLine = { ok: true; id: string; version: string | null; claim: MceClaim } | { ok: false; id: string | null; problem: string };

const INT = /^[+-]?\d{1,9}$/;
const SEX: Readonly<Record<string, number>> = { M: 1, F: 2, U: 0 };

/** The most codes a claim line may carry per list (CMS's MCE takes 25 diagnoses and 25 procedures). */
export const MAX_CODES = 1000;

/**
 * Parses one data line. A malformed line gives the problem, never an exception.
 * @param line - one TSV line (without its newline)
 */
export function parseClaimLine(line: string, { index }: ClaimColumns): ParsedLine {
  const cells = line.replace(/\r$/, '').split('\t');
  const cell = (name: string): string | undefined => {
    const i = index[name];
    return i === undefined ? undefined : cells[i];
  };
  const id = cell('id') ?? null;
  const fail = (problem: string): ParsedLine => ({ ok: false, id, problem });
  if (id === null || id === '') return fail('the id is missing');
  if (/[\u0000-\u0008\u000e-\u001f\ufffd]/.test(line)) return fail('the line holds binary or control characters');
  const ints: Record<string, number> = {};
  for (const name of ['age', 'discharge_status', 'los'] as const) {
    const v = cell(name);
    if (v === undefined || !INT.test(v)) return fail(`${name} "${(v ?? '').slice(0, 20)}" is not a whole number`);
    ints[name] = Number(v);
  }
  const sexCell = cell('sex') ?? '';
  const sex = SEX[sexCell] ?? (INT.test(sexCell) ? Number(sexCell) : null);
  if (sex === null) return fail(`sex "${sexCell.slice(0, 20)}" is not M, F, U or a number`);
  const dischargeDate = cell('discharge_date');
  if (dischargeDate === undefined) return fail('the discharge date column is missing on this line');
  const pdx = cell('pdx');
  const sdx = cell('sdx');
  const px = cell('procedures');
  if (pdx === undefined || sdx === undefined || px === undefined) return fail('the line has fewer columns than the header');
  // A secondary diagnosis is CODE:POA; the POA is never read by the MCE.
  const secondary = sdx === '' ? [] : sdx.split(';').map((s) => {
    const colon = s.lastIndexOf(':');
    return colon < 0 ? s : s.slice(0, colon);
  });
  const procedures = px === '' ? [] : px.split(';');
  if (secondary.length + 1 > MAX_CODES || procedures.length > MAX_CODES) return fail(`more than ${MAX_CODES} codes in one list`);
  const admit = cell('admit_dx');
  const version = cell('version');
  return {
    ok: true,
    id,
    version: version === undefined || version === '' ? null : version,
    claim: {
      dischargeDate, age: ints.age!, sex, dischargeStatus: ints.discharge_status!, los: ints.los!,
      diagnoses: [pdx, ...secondary], procedures, admitDiagnosis: admit === undefined || admit === '' ? undefined : admit,
    },
  };
}

/** `EDIT:CODE;…` exactly as the corpus writes it. */
export function formatEdits(edits: readonly RecordedEdit[]): string {
  let out = '';
  for (const e of edits) {
    if (!e.counted && e.role === 'admit') continue;
    out += (out === '' ? '' : ';') + e.edit + ':' + e.code;
  }
  return out;
}
