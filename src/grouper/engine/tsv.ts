/** A malformed definitions file: names the file and the line (1-based, the header is line 1). */
export class DefinitionError extends Error {
  readonly file: string;
  readonly line: number;

  constructor(file: string, line: number, message: string) {
    super(`${file} line ${line}: ${message}`);
    this.name = 'DefinitionError';
    this.file = file;
    this.line = line;
  }
}

/** One data row of a TSV file, with its line number for error messages. */
export class TsvRow {
  constructor(
    readonly line: number,
    private readonly cells: string[],
    private readonly index: ReadonlyMap<string, number>,
  ) {}
  get(column: string): string {
    const at = this.index.get(column);
    return at === undefined ? '' : (this.cells[at] ?? '');
  }
}

/**
 * Split a TSV text with a header row into rows. Strict: the header must hold every required column, every row
 * must have exactly as many cells as the header; blank trailing lines are allowed.
 * @param file - the file's name, for error messages
 * @param text - the whole file's text
 * @param required - columns that must be present
 */
export function readTsv(file: string, text: string, required: readonly string[]): TsvRow[] {
  const lines = text.split('\n');
  const header = (lines[0] ?? '').replace(/\r$/, '').split('\t');
  if (header.length === 1 && header[0] === '') throw new DefinitionError(file, 1, 'the file is empty (no header row)');
  const index = new Map<string, number>();
  header.forEach((name, i) => index.set(name, i));
  const missing = required.filter((c) => !index.has(c));
  if (missing.length > 0) throw new DefinitionError(file, 1, `missing column(s) ${missing.join(', ')}`);
  let last = lines.length;
  while (last > 1 && (lines[last - 1] ?? '').replace(/\r$/, '') === '') last--;
  const rows: TsvRow[] = [];
  for (let i = 1; i < last; i++) {
    const raw = (lines[i] ?? '').replace(/\r$/, '');
    const cells = raw.split('\t');
    if (cells.length !== header.length) {
      throw new DefinitionError(file, i + 1, `expected ${header.length} tab-separated cells, found ${cells.length}`);
    }
    rows.push(new TsvRow(i + 1, cells, index));
  }
  return rows;
}

/**
 * Comma-separated list cells, memoised: identical cells (most codes share their attribute lists) give the same
 * array, which the compiler also uses to share its interned form. Treat the arrays as read-only.
 */
export class ListCells {
  private readonly seen = new Map<string, string[]>();
  get(value: string): string[] {
    let list = this.seen.get(value);
    if (list === undefined) {
      list = listCell(value);
      this.seen.set(value, list);
    }
    return list;
  }
}

/** A comma-separated list cell ('' = empty list). */
export function listCell(value: string): string[] {
  return value === '' ? [] : value.split(',');
}

/** An integer cell; `allowEmpty` turns '' into null. */
export function intCell(file: string, row: TsvRow, column: string, allowEmpty = false): number | null {
  const value = row.get(column);
  if (value === '' && allowEmpty) return null;
  const n = Number(value);
  if (value !== '' && Number.isInteger(n) && value.trim() === value) return n;
  if (!/^-?\d+$/.test(value)) throw new DefinitionError(file, row.line, `${column} must be an integer, found '${value}'`);
  return Number(value);
}

/** An integer cell that must be present. */
export function requiredInt(file: string, row: TsvRow, column: string): number {
  const n = intCell(file, row, column);
  if (n === null) throw new DefinitionError(file, row.line, `${column} is empty`);
  return n;
}

/** A decimal cell that must be present. */
export function decimalCell(file: string, row: TsvRow, column: string, allowEmpty = false): number | null {
  const value = row.get(column);
  if (value === '' && allowEmpty) return null;
  if (!/^-?\d+(\.\d+)?$/.test(value)) throw new DefinitionError(file, row.line, `${column} must be a number, found '${value}'`);
  return Number(value);
}
