// Shapes of the code-set API ("Code sets" in docs/api.md). The server is young: every list may be
// missing or empty, so the pages read these through the helpers below rather than trusting them.

export const CODE_SYSTEMS = ['icd10cm', 'icd10pcs', 'hcpcs'] as const;
export type CodeSystem = (typeof CODE_SYSTEMS)[number];

export const SYSTEM_LABEL: Record<CodeSystem, string> = {
  icd10cm: 'ICD-10-CM',
  icd10pcs: 'ICD-10-PCS',
  hcpcs: 'HCPCS',
};

export function isCodeSystem(value: unknown): value is CodeSystem {
  return typeof value === 'string' && (CODE_SYSTEMS as readonly string[]).includes(value);
}

export function systemLabel(system: string): string {
  return isCodeSystem(system) ? SYSTEM_LABEL[system] : system;
}

/** The release an answer used for its date; `notice` is set when it is not the one in force. */
export interface CodeVersion {
  label: string;
  fiscalYear: number;
  effectiveFrom: string;
  effectiveTo: string;
  inForce: boolean;
  notice: string | null;
}

export interface CodeRelease {
  id: number | string;
  system: string;
  fiscalYear: number;
  effectiveFrom: string;
  effectiveTo: string;
  kind: string;
  label: string;
  codes: number;
  billable: number;
  hasNotes: boolean;
  importedAt: string;
}

/** The code whose detail the side panel shows. */
export interface DetailTarget {
  system: CodeSystem;
  code: string;
}

export interface SearchHit {
  code: string;
  title: string;
  billable: boolean;
  system: string;
  score: number;
  /** ICD-10-CM hits, when asked for: the Excludes notes at the code and above it, or null when none is known. */
  excludes?: HitExcludes | null;
}

export interface CodeRange {
  from: string;
  to: string;
}

export interface ExcludesNote {
  kind: 'excludes1' | 'excludes2';
  text: string;
  /** The code or header the note sits at. */
  at: string;
  /** The codes it points at, as ranges of code prefixes without dots. */
  refs: CodeRange[];
}

export interface HitExcludes {
  /** The release the notes come from (borrowed from an XML year by a version without XML). */
  from: string;
  notes: ExcludesNote[];
}

export interface SearchAnswer {
  hits: SearchHit[];
  versions: CodeVersion[];
}

export type ValidationStatus = 'valid' | 'not-billable' | 'not-yet-effective' | 'deleted' | 'unknown';

export interface CodeRef {
  code: string;
  title: string;
}

export interface ValidateAnswer {
  code: string;
  system: string;
  date: string;
  valid: boolean;
  status: ValidationStatus;
  message: string;
  title?: string;
  version?: CodeVersion;
  children?: CodeRef[];
  effectiveFrom?: string;
  deletedOn?: string;
  successors?: string[];
}

export interface CodeNote {
  code: string;
  kind: string;
  text: string;
}

export interface CodeDetail {
  code: string;
  system: string;
  title: string;
  shortTitle?: string;
  billable: boolean;
  /** null when no POA-exempt list is loaded for the release. */
  poaExempt: boolean | null;
  ancestors?: CodeRef[];
  /** ICD-10-CM: the chapter and block, from the version's XML or borrowed (see outlineFrom). */
  chapter?: { num: number; title: string; range: string } | null;
  /** The narrowest block; `blocks` lists every block holding the category, widest first (blocks nest). */
  block?: { id: string; title: string } | null;
  blocks?: { id: string; title: string }[];
  outlineFrom?: string | null;
  version?: CodeVersion;
  notes?: CodeNote[];
  indexPaths?: string[][];
  /** The release the notes come from (a version without XML borrows the newest XML year). */
  notesFrom?: string | null;
  indexFrom?: string | null;
  /** Table of Drugs, Table of Neoplasms and External Cause Index rows that lead to the code. */
  tableRows?: TableRowRef[];
  /** The XML year the table rows come from (borrowed by versions without XML). */
  tablesFrom?: string | null;
  extra?: unknown;
}

export interface TableRowRef {
  source: string;
  table: string;
  /** The code the row names (a drug row leaves the 7th character; a neoplasm row may end in "-"). */
  code: string;
  path: string[];
}

export interface RevisedCode {
  code: string;
  from: string;
  to: string;
}

export interface ChangeCounts {
  added: number;
  deleted: number;
  revised: number;
}

export interface CodeDiff {
  system?: string;
  from: string;
  to: string;
  added?: CodeRef[];
  deleted?: CodeRef[];
  revised?: RevisedCode[];
  billableToHeader?: CodeRef[];
  headerToBillable?: CodeRef[];
  reconciliation?: { addenda: ChangeCounts; computed: ChangeCounts; matches: boolean } | null;
}

export const NO_RELEASES_TEXT = 'No code sets are loaded yet.';

/** One value the next ICD-10-PCS character may take (GET /api/codes/pcs/builder). */
export interface PcsOption {
  char: string;
  /** Distinct meanings of one character in different rows are joined with " / " and listed in `labels`. */
  label: string;
  labels?: string[];
  definition?: string;
  explanation?: string;
  includes?: string[];
}

export interface PcsStep {
  /** The position (1–7) the options are for. */
  position: number;
  axisTitle: string;
  options: PcsOption[];
}

/** One character of a complete code, as its table row states it. */
export interface PcsChosen {
  position?: number;
  axisTitle?: string;
  char: string;
  label: string;
}

export interface PcsBuilderAnswer {
  prefix: string;
  version: CodeVersion | null;
  /** The next character's values; null when the code is complete or no valid code starts with the prefix. */
  step: PcsStep | null;
  /** The 7 values of a complete valid code. */
  chosen: PcsChosen[] | null;
  code: { code: string; valid: boolean; title: string | null } | null;
}

/** One code below `parent` in the tree browser (GET /api/codes/tree); `children` counts every code below it. */
export interface TreeChild {
  code: string;
  title: string;
  billable: boolean;
  children: number;
}

export interface TreeAnswer {
  system: string;
  version: CodeVersion | null;
  parent: { code: string; title: string | null; billable: boolean } | null;
  children: TreeChild[];
}
