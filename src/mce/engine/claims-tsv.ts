/**
 * The MCE's claim TSV (columns as in `../shared/corpora/mce/`): parsing a line into a claim and writing a
 * result line. Pure; the CLI streams lines through it.
 */
import type { MceClaim, RecordedEdit } from './model.js';

export const REQUIRED_COLUMNS = ['id', 'discharge_date', 'age', 'sex', 'discharge_status', 'pdx', 'sdx', 'procedures', 'los'] as const;

export interface ClaimColumns {
  index: Readonly<Record<string, number>>;
  /** Positions of the columns the parser reads (-1 when absent). */
  at: Readonly<Record<'id' | 'version' | 'discharge_date' | 'age' | 'sex' | 'discharge_status' | 'pdx' | 'sdx' | 'procedures' | 'los' | 'admit_dx', number>>;
}

/** Maps a header line to column positions; lists every required column that is missing. */
export function readHeader(line: string): { columns: ClaimColumns } | { missing: string[] } {
  const names = line.replace(/\r$/, '').split('\t');
  const index: Record<string, number> = {};
  names.forEach((n, i) => {
    if (!(n in index)) index[n] = i;
  });
  const missing = REQUIRED_COLUMNS.filter((c) => !(c in index));
  if (missing.length > 0) return { missing };
  const pos = (n: string) => index[n] ?? -1;
  return {
    columns: {
      index,
      at: {
        id: pos('id'), version: pos('version'), discharge_date: pos('discharge_date'), age: pos('age'), sex: pos('sex'),
        discharge_status: pos('discharge_status'), pdx: pos('pdx'), sdx: pos('sdx'), procedures: pos('procedures'), los: pos('los'), admit_dx: pos('admit_dx'),
      },
    },
  };
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
export function parseClaimLine(line: string, { at }: ClaimColumns): ParsedLine {
  const cells = (line.endsWith('\r') ? line.slice(0, -1) : line).split('\t');
  const id = at.id >= 0 ? (cells[at.id] ?? null) : null;
  if (id === null || id === '') return { ok: false, id, problem: 'the id is missing' };
  if (BINARY.test(line)) return { ok: false, id, problem: 'the line holds binary or control characters' };
  const age = intCell(cells[at.age]);
  if (age === null) return badNumber(id, 'age', cells[at.age]);
  const dischargeStatus = intCell(cells[at.discharge_status]);
  if (dischargeStatus === null) return badNumber(id, 'discharge_status', cells[at.discharge_status]);
  const los = intCell(cells[at.los]);
  if (los === null) return badNumber(id, 'los', cells[at.los]);
  const sexCell = cells[at.sex] ?? '';
  const sex = SEX[sexCell] ?? intCell(sexCell);
  if (sex === null) return { ok: false, id, problem: `sex "${sexCell.slice(0, 20)}" is not M, F, U or a number` };
  const dischargeDate = cells[at.discharge_date];
  const pdx = cells[at.pdx];
  const sdx = cells[at.sdx];
  const px = cells[at.procedures];
  if (dischargeDate === undefined || pdx === undefined || sdx === undefined || px === undefined) return { ok: false, id, problem: 'the line has fewer columns than the header' };
  const diagnoses = [pdx];
  if (sdx !== '') {
    // A secondary diagnosis is CODE:POA; the POA is never read by the MCE.
    for (const s of sdx.split(';')) {
      const colon = s.lastIndexOf(':');
      diagnoses.push(colon < 0 ? s : s.slice(0, colon));
    }
  }
  const procedures = px === '' ? [] : px.split(';');
  if (diagnoses.length - 1 > MAX_CODES || procedures.length > MAX_CODES) return { ok: false, id, problem: `more than ${MAX_CODES} codes in one list` };
  const admit = at.admit_dx >= 0 ? cells[at.admit_dx] : undefined;
  const version = at.version >= 0 ? cells[at.version] : undefined;
  return {
    ok: true,
    id,
    version: version === undefined || version === '' ? null : version,
    claim: { dischargeDate, age, sex, dischargeStatus, los, diagnoses, procedures, admitDiagnosis: admit === undefined || admit === '' ? undefined : admit },
  };
}

const BINARY = /[\u0000-\u0008\u000e-\u001f\ufffd]/;

function intCell(v: string | undefined): number | null {
  return v !== undefined && INT.test(v) ? Number(v) : null;
}

function badNumber(id: string, name: string, v: string | undefined): ParsedLine {
  return { ok: false, id, problem: `${name} "${(v ?? '').slice(0, 20)}" is not a whole number` };
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
