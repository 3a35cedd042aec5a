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

/** The header of a claims TSV: column name → index. Throws on a header without the needed columns. */
export function claimColumns(header: string): Map<string, number> {
  const cols = new Map<string, number>();
  header.replace(/\r$/, '').split('\t').forEach((c, i) => cols.set(c.trim(), i));
  const missing = ['id', 'pdx'].filter((c) => !cols.has(c));
  if (!cols.has('version') && !cols.has('discharge_date')) missing.push('version or discharge_date');
  if (missing.length > 0) throw new Error(`the header lacks column(s): ${missing.join(', ')}`);
  return cols;
}

function date(value: string): string | null | undefined {
  if (value === '') return null;
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(value);
  if (!m) return undefined;
  const iso = `${m[1]}-${m[2]}-${m[3]}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso ? undefined : iso;
}

const SAFE = /^[\x20-\x7e]*$/;

/**
 * Parse one data line of a claims TSV (columns as in the corpus; others ignored).
 * @param text - the line without its newline
 * @param line - its 1-based line number
 */
export function parseClaimLine(cols: Map<string, number>, text: string, line: number): ClaimLineResult {
  const cells = text.replace(/\r$/, '').split('\t');
  const get = (name: string): string => {
    const i = cols.get(name);
    return i === undefined ? '' : (cells[i] ?? '').trim();
  };
  const fail = (message: string): ClaimLineResult => ({ ok: false, line, message });
  if (cells.length < 2) return fail('not a tab-separated claim line');
  if (!SAFE.test(text.replace(/\t/g, ' '))) return fail('the line holds characters that are not printable ASCII');
  const id = get('id');
  if (id === '') return fail('id is empty');
  const version = get('version') || null;
  const dischargeDate = date(get('discharge_date'));
  if (dischargeDate === undefined) return fail(`discharge_date '${get('discharge_date')}' is not a date (YYYYMMDD or YYYY-MM-DD)`);
  if (version === null && dischargeDate === null) return fail('neither version nor discharge_date is given');
  const sdxText = get('sdx');
  const sdx: { code: string; poa: string }[] = [];
  if (sdxText !== '') {
    for (const part of sdxText.split(';')) {
      if (part === '') continue;
      const colon = part.lastIndexOf(':');
      sdx.push(colon < 0 ? { code: part, poa: '' } : { code: part.slice(0, colon), poa: part.slice(colon + 1) });
    }
  }
  const procText = get('procedures');
  const procedures = procText === '' ? [] : procText.split(';').filter((p) => p !== '');
  const ageText = get('age');
  const age = /^\d{1,3}$/.test(ageText) ? Number(ageText) : null;
  return {
    ok: true,
    value: { line, id, version, dischargeDate, claim: { pdx: get('pdx'), sdx, procedures, sex: get('sex'), dischargeStatus: get('discharge_status'), age } },
  };
}
