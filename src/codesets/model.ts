/**
 * The code-set model shared by the release parsers (pure) and the import service. Parsers turn the files
 * CMS/CDC publish into these values; nothing here does I/O.
 */
export type CodeSystem = 'icd10cm' | 'icd10pcs' | 'hcpcs';

/** One code (or header) of a release, as the release states it. Codes are stored without dots. */
export interface ReleaseCode {
  code: string;
  /** Valid for HIPAA transactions (billable); false for headers (categories, PCS tables). */
  billable: boolean;
  shortTitle: string;
  longTitle: string;
  /** Position in the tabular order (order files), when the source has one. */
  order?: number;
  /** HCPCS only: added, action-effective and termination dates (YYYY-MM-DD) and action code. */
  addedOn?: string | null;
  actionEffectiveOn?: string | null;
  terminatedOn?: string | null;
  actionCode?: string | null;
  /** HCPCS only: 'code' (RECID 3) or 'modifier' (RECID 7). */
  kind?: 'code' | 'modifier';
}

/** An instructional note of the tabular list (XML years). */
export type NoteKind =
  | 'includes'
  | 'inclusionTerm'
  | 'excludes1'
  | 'excludes2'
  | 'codeFirst'
  | 'useAdditionalCode'
  | 'codeAlso'
  | 'notes';

export interface TabularNote {
  code: string;
  kind: NoteKind;
  text: string;
}

/** One path of the alphabetic index that leads to a code, e.g. ["Infarct", "myocardium", "acute"]. */
export interface IndexPath {
  code: string;
  path: string[];
}

/**
 * A row of an XML year's Table of Drugs and Chemicals, Table of Neoplasms or External Cause Index: the term
 * path that leads to a code (for the tables, ending with the column heading), with and without the
 * nonessential modifiers. Codes have no dots and may end in "-"; drug codes have 6 characters.
 */
export interface TableTerm {
  source: 'drug' | 'neoplasm' | 'eindex';
  code: string;
  path: string[];
  plainPath: string[];
}

/** A problem found in a source file: the file (or zip!member) and the 1-based line where it was found. */
export class SourceError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    message: string,
  ) {
    super(`${file}${line !== null ? `:${line}` : ''}: ${message}`);
    this.name = 'SourceError';
  }
}
