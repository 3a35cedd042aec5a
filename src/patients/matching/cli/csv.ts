import { AppError } from '../../../platform/errors/app-error.js';

/**
 * A strict, streaming RFC 4180 reader: comma-separated, fields optionally in double quotes (a quote inside a
 * quoted field is doubled), CRLF or LF line ends, spaces around fields allowed (and trimmed). Rows come out as
 * they complete, so a file of a million rows never has to be held as text. Binary data (NUL bytes, bytes that are
 * not UTF-8) and a quote left open are errors naming the file and line.
 */
export class CsvReader {
  private field = '';
  private row: string[] = [];
  private inQuotes = false;
  private afterQuote = false;
  private quoteLine = 0;
  private pendingCr = false;
  line = 1;

  constructor(private readonly file: string) {}

  private fail(why: string, line = this.line): never {
    throw new AppError('MPI_CSV_INVALID', `${this.file}, line ${line}: ${why}`);
  }

  private endField(): void {
    this.row.push(this.afterQuote ? this.field : this.field.trim());
    this.field = '';
    this.afterQuote = false;
  }

  /** Feeds a chunk of text; returns the rows completed by it. */
  push(chunk: string): string[][] {
    const rows: string[][] = [];
    for (let k = 0; k < chunk.length; k++) {
      const c = chunk[k]!;
      if (c === '\u0000' || c === '\ufffd') this.fail('binary data (not UTF-8 text)');
      if (this.pendingCr) {
        this.pendingCr = false;
        if (c === '\n') continue;
      }
      if (this.inQuotes) {
        if (c === '"') {
          if (chunk[k + 1] === '"') {
            this.field += '"';
            k++;
          } else if (k + 1 === chunk.length) {
            // A quote at the end of a chunk: decide when the next chunk comes.
            this.field += '\u0001';
            this.inQuotes = false;
            this.afterQuote = true;
          } else {
            this.inQuotes = false;
            this.afterQuote = true;
          }
        } else {
          if (c === '\n') this.line++;
          this.field += c;
        }
        continue;
      }
      if (this.afterQuote && this.field.endsWith('\u0001')) {
        this.field = this.field.slice(0, -1);
        if (c === '"') {
          this.field += '"';
          this.inQuotes = true;
          this.afterQuote = false;
          continue;
        }
      }
      if (c === ',') this.endField();
      else if (c === '\n' || c === '\r') {
        this.endField();
        rows.push(this.row);
        this.row = [];
        this.line++;
        if (c === '\r') this.pendingCr = true;
      } else if (c === '"') {
        if (this.afterQuote || this.field.trim() !== '') this.fail('a double quote inside an unquoted field (quote the whole field and double the quote)');
        this.field = '';
        this.inQuotes = true;
        this.quoteLine = this.line;
      } else if (this.afterQuote) {
        if (c !== ' ' && c !== '\t') this.fail('text after a closing quote');
      } else this.field += c;
    }
    return rows;
  }

  /** Ends the input; returns the last row if the file has no final line end. */
  end(): string[][] {
    if (this.inQuotes) this.fail('a quoted field is never closed', this.quoteLine);
    if (this.afterQuote && this.field.endsWith('\u0001')) this.field = this.field.slice(0, -1);
    if (this.field !== '' || this.row.length > 0 || this.afterQuote) {
      this.endField();
      const r = this.row;
      this.row = [];
      return [r];
    }
    return [];
  }
}

/** Reads every row of a text (a convenience for tests and small inputs). */
export function parseCsv(text: string, file = 'input'): string[][] {
  const r = new CsvReader(file);
  return [...r.push(text), ...r.end()];
}
