import { SourceError, type ReleaseCode } from '../model.js';

/**
 * The CMS order file (ICD-10-CM and ICD-10-PCS share the layout): fixed width, one code or header a line.
 * 1–5 order number, 7–13 code, 15 flag (1 valid/billable, 0 header), 17–76 short title, 78– long title.
 * Every line is checked; the first bad one stops the import with its file and line.
 */
export function parseOrderFile(text: string, fileName: string, system: 'icd10cm' | 'icd10pcs'): ReleaseCode[] {
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  if (lines.length === 0) throw new SourceError(fileName, null, 'is empty');
  const codes: ReleaseCode[] = [];
  const seen = new Set<string>();
  const codePattern = system === 'icd10pcs' ? /^[0-9A-HJ-NP-Z]{3}([0-9A-HJ-NP-Z]{4})?$/ : /^[A-Z][0-9A-Z][0-9A-Z]{1,5}$/;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const n = i + 1;
    if (line.length < 78) throw new SourceError(fileName, n, `line is ${line.length} characters; an order-file line has at least 78 (truncated?)`);
    const order = line.slice(0, 5);
    const code = line.slice(6, 13).trimEnd();
    const flag = line[14];
    if (!/^\d{5}$/.test(order)) throw new SourceError(fileName, n, `order number "${order}" is not 5 digits`);
    if (Number(order) !== n) throw new SourceError(fileName, n, `order number ${order} out of sequence (expected ${n})`);
    if (line[5] !== ' ' || line[13] !== ' ' || line[15] !== ' ' || line[76] !== ' ') throw new SourceError(fileName, n, 'the fixed-width columns are misaligned');
    if (!codePattern.test(code)) throw new SourceError(fileName, n, `"${code}" is not a valid ${system === 'icd10pcs' ? 'ICD-10-PCS' : 'ICD-10-CM'} code`);
    if (flag !== '0' && flag !== '1') throw new SourceError(fileName, n, `flag "${flag}" must be 0 (header) or 1 (valid code)`);
    if (seen.has(code)) throw new SourceError(fileName, n, `code ${code} appears twice`);
    seen.add(code);
    const longTitle = line.slice(77).trim();
    if (longTitle.length === 0) throw new SourceError(fileName, n, `code ${code} has no long title`);
    codes.push({ code, billable: flag === '1', shortTitle: line.slice(16, 76).trim(), longTitle, order: n });
  }
  return codes;
}

/** Adds the dot of ICD-10-CM codes after the category (`F4310` → `F43.10`); PCS and HCPCS have none. */
export function formatCode(system: string, code: string): string {
  return system === 'icd10cm' && code.length > 3 ? `${code.slice(0, 3)}.${code.slice(3)}` : code;
}

/** Normalises what a user types as a code: no dot, no spaces, upper case. */
export function normaliseCode(input: string): string {
  return input.replace(/[.\s]/g, '').toUpperCase();
}

/** The CDC POA-exempt list: tab-delimited with a header `OrderNN<TAB>POAexemptCode<TAB>Description`. */
export function parsePoaExempt(text: string, fileName: string): Set<string> {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0]?.split('\t') ?? [];
  if (!/^Ord(er)?(FY)?\d{2}$/i.test(header[0] ?? '') || header[1] !== 'POAexemptCode') {
    throw new SourceError(fileName, 1, 'header must be OrdFYnn<TAB>POAexemptCode<TAB>Description');
  }
  const codes = new Set<string>();
  for (let i = 1; i < lines.length; i++) {
    const cols = lines[i]!.split('\t');
    const code = normaliseCode(cols[1] ?? '');
    if (!/^[A-Z][0-9A-Z][0-9A-Z]{1,5}$/.test(code)) throw new SourceError(fileName, i + 1, `"${cols[1] ?? ''}" is not an ICD-10-CM code`);
    codes.add(code);
  }
  return codes;
}

export interface AddendaCounts {
  added: number;
  deleted: number;
  revised: number;
}

/** Counts the changes an order addenda file lists (`Add:`, `Delete:`, `Revise from:`/`Revise to:` labels). */
export function parseOrderAddenda(text: string): AddendaCounts {
  const counts: AddendaCounts = { added: 0, deleted: 0, revised: 0 };
  for (const line of text.split(/\r?\n/)) {
    const label = line.slice(0, 13).trim();
    if (label === 'Add:') counts.added++;
    else if (label === 'Delete:') counts.deleted++;
    else if (label === 'Revise to:') counts.revised++;
  }
  return counts;
}
