import type { ClaimInput } from './engine/claim.js';

/** One claim line of a batch file, parsed. */
export interface ClaimLine {
  line: number;
  id: string;
  version: string | null;
  /** Discharge date as YYYY-MM-DD, or null. */
  dischargeDate: string | null;
  claim: ClaimInput;
}

export type ClaimLineResult = { ok: true; value: ClaimLine } | { ok: false; line: number; message: string };

/** Where the columns a claim needs are in a file (-1: absent). */
export interface ClaimColumns {
  id: number;
  version: number;
  dischargeDate: number;
  age: number;
  sex: number;
  dischargeStatus: number;
  pdx: number;
  sdx: number;
  procedures: number;
  /** Memo of discharge dates already read (dates repeat across a file). */
  dates: Map<string, string | null | undefined>;
}

/** The header of a claims TSV → where its columns are. Throws on a header without the needed columns. */
export function claimColumns(header: string): ClaimColumns {
  const names = header.replace(/\r$/, '').split('\t').map((c) => c.trim());
  const at = (name: string) => names.indexOf(name);
  const missing = ['id', 'pdx'].filter((c) => at(c) < 0);
  if (at('version') < 0 && at('discharge_date') < 0) missing.push('version or discharge_date');
  if (missing.length > 0) throw new Error(`the header lacks column(s): ${missing.join(', ')}`);
  return {
    id: at('id'), version: at('version'), dischargeDate: at('discharge_date'), age: at('age'), sex: at('sex'),
    dischargeStatus: at('discharge_status'), pdx: at('pdx'), sdx: at('sdx'), procedures: at('procedures'), dates: new Map(),
  };
}

function readDate(value: string): string | null | undefined {
  if (value === '') return null;
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(value);
  if (!m) return undefined;
  const iso = `${m[1]}-${m[2]}-${m[3]}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso ? undefined : iso;
}

function date(cols: ClaimColumns, value: string): string | null | undefined {
  if (value === '') return null;
  if (cols.dates.has(value)) return cols.dates.get(value);
  const d = readDate(value);
  if (cols.dates.size < 10_000) cols.dates.set(value, d);
  return d;
}

// anything but tab and printable ASCII: NUL, control characters, bytes of binary junk, non-ASCII text
const UNSAFE = /[^\t\x20-\x7e]/;

/**
 * Parse one data line of a claims TSV (columns as in the corpus; others ignored).
 * @param text - the line without its newline
 * @param line - its 1-based line number
 */
export function parseClaimLine(cols: ClaimColumns, text: string, line: number): ClaimLineResult {
  const body = text.charCodeAt(text.length - 1) === 13 ? text.slice(0, -1) : text;
  const fail = (message: string): ClaimLineResult => ({ ok: false, line, message });
  const cells = body.split('\t');
  if (cells.length < 2) return fail('not a tab-separated claim line');
  if (UNSAFE.test(body)) return fail('the line holds characters that are not printable ASCII');
  const get = (i: number): string => {
    if (i < 0) return '';
    const v = cells[i] ?? '';
    const n = v.length;
    return n > 0 && (v.charCodeAt(0) === 32 || v.charCodeAt(n - 1) === 32) ? v.trim() : v;
  };
  const id = get(cols.id);
  if (id === '') return fail('id is empty');
  const version = get(cols.version) || null;
  const dateText = get(cols.dischargeDate);
  const dischargeDate = date(cols, dateText);
  if (dischargeDate === undefined) return fail(`discharge_date '${dateText.slice(0, 20)}' is not a date (YYYYMMDD or YYYY-MM-DD)`);
  if (version === null && dischargeDate === null) return fail('neither version nor discharge_date is given');
  const sdxText = get(cols.sdx);
  const sdx: { code: string; poa: string }[] = [];
  if (sdxText !== '') {
    for (const part of sdxText.split(';')) {
      if (part === '') continue;
      const colon = part.lastIndexOf(':');
      sdx.push(colon < 0 ? { code: part, poa: '' } : { code: part.slice(0, colon), poa: part.slice(colon + 1) });
    }
  }
  const procText = get(cols.procedures);
  const procedures = procText === '' ? [] : procText.split(';').filter((p) => p !== '');
  const ageText = get(cols.age);
  const age = ageText.length > 0 && ageText.length <= 3 && /^\d+$/.test(ageText) ? Number(ageText) : null;
  return {
    ok: true,
    value: { line, id, version, dischargeDate, claim: { pdx: get(cols.pdx), sdx, procedures, sex: get(cols.sex), dischargeStatus: get(cols.dischargeStatus), age } },
  };
}
