import { SourceError } from '../model.js';
import { normaliseCode } from './order-file.js';

export interface ConversionRow {
  currentCode: string;
  /** YYYY-MM-DD; "Unless otherwise specified the code effective date is October 1 of the year listed." */
  effectiveFrom: string | null;
  /** Previous code(s), without dots, comma-separated. */
  previousCodes: string;
}

/**
 * The CDC ICD-10-CM conversion table (sheet rows): a header row `Current code assignment | Effective |
 * Previous Code(s) Assignment`, then one row per code that replaced earlier ones.
 */
export function parseConversionRows(rows: string[][], fileName: string): ConversionRow[] {
  const header = rows.findIndex((r) => /^current code/i.test((r[0] ?? '').trim()));
  if (header < 0 || header > 20) throw new SourceError(fileName, null, 'no "Current code assignment" header row in the first 20 rows');
  const out: ConversionRow[] = [];
  for (let i = header + 1; i < rows.length; i++) {
    const [current = '', effective = '', previous = ''] = rows[i]!.map((c) => c.trim());
    if (current === '' && previous === '') continue;
    const code = normaliseCode(current);
    if (!/^[A-Z][0-9A-Z][0-9A-Z]{1,5}$/.test(code)) throw new SourceError(fileName, i + 1, `"${current}" is not an ICD-10-CM code`);
    const year = /^(\d{4})$/.exec(effective);
    const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(effective) ?? /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(effective);
    const effectiveFrom = year ? `${year[1]}-10-01` : date ? (date[0].includes('/') ? `${date[3]}-${date[1]!.padStart(2, '0')}-${date[2]!.padStart(2, '0')}` : date[0]) : null;
    const previousCodes = previous.split(/[,;\s]+/).map(normaliseCode).filter((c) => /^[A-Z][0-9A-Z][0-9A-Z]{1,5}$/.test(c)).join(',');
    out.push({ currentCode: code, effectiveFrom, previousCodes });
  }
  return out;
}
