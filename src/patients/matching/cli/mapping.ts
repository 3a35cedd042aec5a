import { AppError } from '../../../platform/errors/app-error.js';
import type { PersonRecord } from '../types.js';

export const TARGET_COLUMNS = [
  'id', 'given_name', 'middle_name', 'family_name', 'full_name', 'suffix', 'birth_date', 'sex', 'address_line', 'city', 'state',
  'postal_code', 'phone', 'ssn', 'email',
] as const;
export type TargetColumn = (typeof TARGET_COLUMNS)[number];

/** One target column filled from one or more source columns (joined with a space). */
export interface ColumnMap {
  target: TargetColumn;
  sources: string[];
}

/** Parses `--map src=dst,a+b=dst2`; every problem is collected. */
export function parseMap(spec: string | undefined): ColumnMap[] {
  if (!spec || !spec.trim()) return [];
  const problems: string[] = [];
  const out: ColumnMap[] = [];
  for (const part of spec.split(',')) {
    const item = part.trim();
    if (!item) continue;
    const eq = item.indexOf('=');
    const src = eq < 0 ? '' : item.slice(0, eq).trim();
    const dst = eq < 0 ? '' : item.slice(eq + 1).trim();
    const sources = src.split('+').map((s) => s.trim());
    if (!src || !dst || sources.some((s) => !s)) {
      problems.push(`"${item}" is not source=target (join sources with +)`);
      continue;
    }
    if (!(TARGET_COLUMNS as readonly string[]).includes(dst)) {
      problems.push(`"${dst}" is not a column of the matching engine (${TARGET_COLUMNS.join(', ')})`);
      continue;
    }
    if (out.some((m) => m.target === dst)) problems.push(`"${dst}" is mapped twice`);
    out.push({ target: dst as TargetColumn, sources });
  }
  if (problems.length) throw new AppError('MPI_MAP_INVALID', problems.join('; '));
  return out;
}

/**
 * Resolves the mapping against one file's header (names trimmed): explicit mappings first, then header columns
 * named like a target. Returns a function from a row to a record. Unknown source columns are an error.
 */
export function rowMapper(file: string, header: string[], maps: ColumnMap[]): { toRecord: (row: string[], rowNumber: number) => PersonRecord; targets: TargetColumn[] } {
  const index = new Map<string, number>();
  header.forEach((h, i) => {
    const name = h.trim();
    if (!index.has(name)) index.set(name, i);
  });
  const missing = maps.flatMap((m) => m.sources.filter((s) => !index.has(s)));
  if (missing.length) throw new AppError('MPI_MAP_INVALID', `${file}: no column ${missing.map((s) => `"${s}"`).join(', ')} in the header (columns: ${header.join(', ')})`);
  const plan: { target: TargetColumn; cols: number[] }[] = maps.map((m) => ({ target: m.target, cols: m.sources.map((s) => index.get(s)!) }));
  for (const t of TARGET_COLUMNS) if (!plan.some((p) => p.target === t) && index.has(t)) plan.push({ target: t, cols: [index.get(t)!] });
  if (!plan.some((p) => p.target !== 'id')) {
    throw new AppError('MPI_CSV_INVALID', `${file}, line 1: the first line must be a header naming at least one of ${TARGET_COLUMNS.slice(1).join(', ')} (or use --map); found: ${header.slice(0, 8).join(', ')}`);
  }
  const hasId = plan.some((p) => p.target === 'id');
  return {
    targets: plan.map((p) => p.target),
    toRecord(row, rowNumber) {
      const r: PersonRecord = { id: hasId ? '' : String(rowNumber) };
      for (const p of plan) {
        const v = p.cols.map((c) => row[c] ?? '').filter((x) => x !== '').join(' ');
        r[p.target] = v;
      }
      return r;
    },
  };
}
