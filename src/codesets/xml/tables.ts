/**
 * Streaming parser for the Table of Neoplasms and the Table of Drugs and Chemicals
 * (`icd10cm_neoplasm_YYYY.xml`, `icd10cm_drug_YYYY.xml`; root `ICD10CM.index`, schema
 * `icd10cm_drug_neoplasm.xsd`): the index's term tree, where each term has up to six `cell col="n"` codes
 * whose meaning is the column heading (`indexHeading/head col="n"`).
 */
import type { IndexCrossRef, IndexEntry } from './index-terms.js';
import { walkIndex } from './index-terms.js';
import { SourceError } from '../model.js';
import { indexCode } from './sax-stream.js';

/**
 * One table cell with a code: the term path plus the column heading as the last element. `manif`, when
 * present, is a text qualifier of the term (see walkIndex), not a code.
 */
export interface TableRow extends IndexEntry {
  /** The column number (2–7 in the CDC tables; column 1 heads the term column itself). */
  col: number;
}

/** A neoplasm or drug table. */
export interface TableResult {
  version: string;
  /** The headings in column order, e.g. { col: 2, title: "Malignant Primary" }. */
  columns: { col: number; title: string }[];
  mainTerms: number;
  rows: TableRow[];
  crossRefs: IndexCrossRef[];
}

/**
 * Parses a neoplasm or drug table. Cells holding "-" (neoplasm) or "--" (drug) mean "no code" and yield no
 * row. Codes have no dots; drug-table codes are 6 characters (T36.0X1 → `T360X1`) because the 7th
 * character (A/D/S) is the coder's to add, and neoplasm codes may end in "-" (`C79.8-`).
 * @throws SourceError as walkIndex does, and when a cell's column has no heading or the document has no
 *   `indexHeading` (an alphabetic index read as a table).
 */
export async function parseTableXml(chunks: AsyncIterable<string>, fileName: string): Promise<TableResult> {
  const out: TableResult = { version: '', columns: [], mainTerms: 0, rows: [], crossRefs: [] };
  const titles = new Map<number, string>();
  await walkIndex(chunks, fileName, 'table', {
    version: (v) => (out.version = v),
    heading: (col, title) => {
      titles.set(col, title);
      out.columns.push({ col, title });
    },
    cell: ({ col, text, path, plainPath, manif }, ctx) => {
      if (/^-+$/.test(text) || text === '') return;
      const heading = titles.get(col) ?? ctx.fail(`cell in column ${col}, which has no heading (at ${path.join(', ')})`);
      const row: TableRow = { code: indexCode(ctx, text), col, path: [...path, heading], plainPath: [...plainPath, heading] };
      if (manif !== undefined) row.manif = manif;
      out.rows.push(row);
    },
    code: () => undefined, // never called: walkIndex rejects <code> in 'table' mode
    crossRef: (r) => out.crossRefs.push(r),
    mainTerm: () => out.mainTerms++,
  });
  if (out.columns.length === 0) throw new SourceError(fileName, null, 'no <indexHeading>: not a neoplasm/drug table');
  out.columns.sort((a, b) => a.col - b.col);
  return out;
}
