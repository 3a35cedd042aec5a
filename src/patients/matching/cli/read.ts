import fs from 'node:fs';
import { AppError } from '../../../platform/errors/app-error.js';
import type { PersonRecord } from '../types.js';
import { CsvReader } from './csv.js';
import { rowMapper, type ColumnMap } from './mapping.js';

/** Reads one CSV file of person records (streaming), with the column mapping applied. */
export async function readRecords(file: string, maps: ColumnMap[], onRows?: (n: number) => void): Promise<PersonRecord[]> {
  let stream: fs.ReadStream;
  try {
    await fs.promises.access(file, fs.constants.R_OK);
    stream = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  } catch (error) {
    throw new AppError('MPI_FILE_UNREADABLE', `${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error });
  }
  const reader = new CsvReader(file);
  const out: PersonRecord[] = [];
  const ids = new Set<string>();
  let header: string[] | null = null;
  let mapper: ReturnType<typeof rowMapper> | null = null;
  let rowNumber = 0;
  const take = (rows: string[][], line: number): void => {
    for (const row of rows) {
      if (row.length === 1 && row[0] === '') continue;
      if (!header) {
        header = row.map((h) => h.trim().replace(/^\ufeff/, ''));
        mapper = rowMapper(file, header, maps);
        continue;
      }
      rowNumber++;
      if (row.length !== header.length) {
        throw new AppError('MPI_CSV_INVALID', `${file}, data row ${rowNumber} (near line ${line}): ${row.length} fields where the header has ${header.length}`);
      }
      const r = mapper!.toRecord(row, rowNumber);
      if (!r.id) throw new AppError('MPI_CSV_INVALID', `${file}, data row ${rowNumber}: the id is empty`);
      if (ids.has(r.id)) throw new AppError('MPI_CSV_INVALID', `${file}, data row ${rowNumber}: the id "${r.id}" appears twice`);
      ids.add(r.id);
      out.push(r);
    }
    onRows?.(rowNumber);
  };
  try {
    for await (const chunk of stream) take(reader.push(chunk as string), reader.line);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('MPI_FILE_UNREADABLE', `${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error });
  }
  take(reader.end(), reader.line);
  if (!header) throw new AppError('MPI_CSV_INVALID', `${file}: the file is empty (a header line is required)`);
  return out;
}
