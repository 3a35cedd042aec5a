/**
 * Strict parsers for the tables of one MCE version folder (text in, typed tables out). Every malformed row is
 * reported with its file and line; nothing is guessed. Lookups are built here, once per load.
 */
import { maskOf } from './flags.js';
import type {
  AgeGroup, AgeRange, CodeRow, DatedCode, EditDefinition, EditPayment, FlagDefinition, WindowTables,
} from './model.js';

/** The text of each file of a version folder (`diagnoses`/`procedures` already decompressed). */
export interface FolderText {
  /** Shown in error messages, e.g. `v43.1`. */
  folder: string;
  diagnoses: string;
  procedures: string;
  ageRanges: string;
  dischargeStatus: string;
  flags: string;
  edits: string;
  meta: string;
}

/** The file names of a version folder, by the key of {@link FolderText}. */
export const FOLDER_FILES = {
  diagnoses: 'diagnoses.tsv.gz',
  procedures: 'procedures.tsv.gz',
  ageRanges: 'age_ranges.tsv',
  dischargeStatus: 'discharge_status.tsv',
  flags: 'flags.tsv',
  edits: 'edits.tsv',
  meta: 'meta.tsv',
} as const satisfies Record<Exclude<keyof FolderText, 'folder'>, string>;

/** A malformed table: every problem found, each naming its file and line. */
export class TableError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.length === 1 ? problems[0] : `${problems.length} problems: ${problems.slice(0, 10).join('; ')}${problems.length > 10 ? '; …' : ''}`);
    this.name = 'TableError';
  }
}

const MAX_PROBLEMS = 50;

class Problems {
  readonly list: string[] = [];
  add(file: string, line: number | null, message: string): void {
    if (this.list.length < MAX_PROBLEMS) this.list.push(`${file}${line !== null ? `:${line}` : ''}: ${message}`);
  }
}

/** Rows of a TSV text after its header, with their 1-based line numbers; checks header and field count. */
function rowsOf(text: string, file: string, header: readonly string[], problems: Problems): { line: number; cells: string[] }[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const head = (lines[0] ?? '').replace(/\r$/, '');
  if (head !== header.join('\t')) {
    problems.add(file, 1, `expected the header "${header.join(' ')}", found "${head.slice(0, 120)}"`);
    return [];
  }
  const out: { line: number; cells: string[] }[] = [];
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i]!;
    const cells = (raw.endsWith('\r') ? raw.slice(0, -1) : raw).split('\t');
    if (cells.length !== header.length) {
      problems.add(file, i + 1, `expected ${header.length} tab-separated fields, found ${cells.length}`);
      continue;
    }
    out.push({ line: i + 1, cells });
  }
  return out;
}

/** `yyyymmdd` → integer, or null when it is not a real calendar date. */
export function dateNumber(s: string): number | null {
  if (!/^\d{8}$/.test(s)) return null;
  const y = Number(s.slice(0, 4));
  const m = Number(s.slice(4, 6));
  const d = Number(s.slice(6, 8));
  if (m < 1 || m > 12 || d < 1 || d > new Date(Date.UTC(y, m, 0)).getUTCDate()) return null;
  return y * 10000 + m * 100 + d;
}

// The masters repeat a few dozen dates 150,000 times: read each once.
const dateCache = new Map<string, number | null>();

function cachedDate(s: string): number | null {
  let d = dateCache.get(s);
  if (d === undefined) {
    d = dateNumber(s);
    if (dateCache.size < 10_000) dateCache.set(s, d);
  }
  return d;
}

function dates(cells: string[], at: number, file: string, line: number, problems: Problems): [number, number] | null {
  const start = cachedDate(cells[at]!);
  const end = cachedDate(cells[at + 1]!);
  if (start === null || end === null) {
    problems.add(file, line, `malformed date "${start === null ? cells[at] : cells[at + 1]}" (expected yyyymmdd)`);
    return null;
  }
  if (start > end) {
    problems.add(file, line, `start date ${start} is after end date ${end}`);
    return null;
  }
  return [start, end];
}

const CODE = /^[A-Z0-9]{3,7}$/;
const NO_FLAGS: readonly string[] = [];
const AGE_GROUPS: readonly AgeGroup[] = ['newborn', 'pediatric', 'maternity', 'adult'];

function parseMaster(
  text: string, file: string, kind: 'diagnosis' | 'procedure', known: ReadonlySet<string>, problems: Problems,
): Map<string, CodeRow[]> {
  const header = kind === 'diagnosis'
    ? ['code', 'start_date', 'end_date', 'age_group', 'sex', 'flags']
    : ['code', 'start_date', 'end_date', 'sex', 'flags'];
  const out = new Map<string, CodeRow[]>();
  for (const { line, cells } of rowsOf(text, file, header, problems)) {
    const code = cells[0]!;
    if (!CODE.test(code)) {
      problems.add(file, line, `malformed code "${code.slice(0, 20)}"`);
      continue;
    }
    const range = dates(cells, 1, file, line, problems);
    const flagCell = cells[header.length - 1]!;
    const flags = flagCell === '' ? NO_FLAGS : flagCell.split(',');
    const unknown = flags.length === 0 ? NO_FLAGS : flags.filter((f) => !known.has(f));
    if (unknown.length > 0) problems.add(file, line, `flag "${unknown[0]}" is not listed in flags.tsv`);
    const sex = cells[header.length - 2]!;
    const expectedSex = flags.length === 0 ? '' : flags.includes('male') ? 'M' : flags.includes('female') ? 'F' : '';
    if (sex !== expectedSex) problems.add(file, line, `sex "${sex}" does not match the flags (expected "${expectedSex}")`);
    if (kind === 'diagnosis' && (flags.length > 0 || cells[3] !== '')) {
      const group = cells[3]!;
      const ageFlags = flags.filter((f) => (AGE_GROUPS as readonly string[]).includes(f));
      if (group !== '' ? !ageFlags.includes(group) : ageFlags.length > 0) {
        problems.add(file, line, `age group "${group}" does not match the flags`);
      }
    }
    if (!range || unknown.length > 0) continue;
    const row: CodeRow = { code, start: range[0], end: range[1], flags, mask: maskOf(flags, kind) };
    const rows = out.get(code);
    if (!rows) {
      out.set(code, [row]);
      continue;
    }
    if (rows.some((r) => r.start <= row.end && row.start <= r.end)) {
      problems.add(file, line, `${code} has two rows for the same dates`);
      continue;
    }
    rows.push(row);
  }
  return out;
}

function parseAgeRanges(text: string, file: string, problems: Problems): AgeRange[] {
  const out: AgeRange[] = [];
  for (const { line, cells } of rowsOf(text, file, ['age_group', 'start_age', 'end_age', 'start_date', 'end_date'], problems)) {
    const group = cells[0] as AgeGroup;
    if (!AGE_GROUPS.includes(group)) {
      problems.add(file, line, `unknown age group "${cells[0]}"`);
      continue;
    }
    const startAge = intOf(cells[1]!);
    const endAge = intOf(cells[2]!);
    if (startAge === null || endAge === null || startAge > endAge) {
      problems.add(file, line, `malformed age range "${cells[1]}".."${cells[2]}"`);
      continue;
    }
    const range = dates(cells, 3, file, line, problems);
    if (range) out.push({ group, startAge, endAge, start: range[0], end: range[1] });
  }
  return out;
}

function parseDischargeStatus(text: string, file: string, problems: Problems): DatedCode[] {
  const out: DatedCode[] = [];
  for (const { line, cells } of rowsOf(text, file, ['code', 'start_date', 'end_date'], problems)) {
    const code = /^\d{1,3}$/.test(cells[0]!) ? Number(cells[0]) : null;
    if (code === null) {
      problems.add(file, line, `malformed discharge status "${cells[0]}"`);
      continue;
    }
    const range = dates(cells, 1, file, line, problems);
    if (range) out.push({ code, start: range[0], end: range[1] });
  }
  return out;
}

const CODE_TYPES = ['DIAGNOSIS', 'PROCEDURE', 'BOTH', 'NONE'] as const;
const PAYMENTS: readonly EditPayment[] = ['PREPAYMENT', 'POSTPAYMENT', 'NONE'];

function parseEdits(text: string, file: string, problems: Problems): EditDefinition[] {
  const out: EditDefinition[] = [];
  for (const { line, cells } of rowsOf(text, file, ['ordinal', 'edit', 'code_type', 'edit_type', 'icd10_counter'], problems)) {
    const [ordinal, name, codeType, payment, counter] = cells as [string, string, string, string, string];
    if (!/^\d+$/.test(ordinal) || Number(ordinal) !== out.length) problems.add(file, line, `ordinal "${ordinal}" out of sequence`);
    else if (!/^[A-Z][A-Z0-9_]*$/.test(name)) problems.add(file, line, `malformed edit name "${name}"`);
    else if (!(CODE_TYPES as readonly string[]).includes(codeType)) problems.add(file, line, `unknown code type "${codeType}"`);
    else if (!(PAYMENTS as readonly string[]).includes(payment)) problems.add(file, line, `unknown edit type "${payment}"`);
    else if (counter !== 'Y' && counter !== 'N') problems.add(file, line, `icd10_counter must be Y or N, found "${counter}"`);
    else out.push({ ordinal: out.length, name, codeType: codeType as EditDefinition['codeType'], payment: payment as EditPayment, counted: counter === 'Y' });
  }
  return out;
}

function parseFlags(text: string, file: string, problems: Problems): FlagDefinition[] {
  const out: FlagDefinition[] = [];
  for (const { line, cells } of rowsOf(text, file, ['flag', 'attribute', 'code_type', 'diagnosis_rows', 'procedure_rows'], problems)) {
    const [flag, attribute, codeType, dxRows, pxRows] = cells as [string, string, string, string, string];
    if (!/^[A-Za-z0-9_]+$/.test(flag)) problems.add(file, line, `malformed flag "${flag}"`);
    else if (codeType !== 'DIAGNOSIS' && codeType !== 'PROCEDURE' && codeType !== 'BOTH') problems.add(file, line, `unknown code type "${codeType}"`);
    else if (!/^\d+$/.test(dxRows) || !/^\d+$/.test(pxRows)) problems.add(file, line, 'row counts must be whole numbers');
    else out.push({ flag, attribute, codeType });
  }
  return out;
}

function parseMeta(text: string, file: string, problems: Problems): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { line, cells } of rowsOf(text, file, ['key', 'value'], problems)) {
    if (cells[0]! in out) problems.add(file, line, `key "${cells[0]}" given twice`);
    out[cells[0]!] = cells[1]!;
  }
  return out;
}

function intOf(s: string): number | null {
  return /^-?\d{1,9}$/.test(s) ? Number(s) : null;
}

/** The edits the engine raises; `edits.tsv` must define each of them. */
export const ENGINE_EDITS = [
  'INVALID_CODE', 'SEX_CONFLICT', 'AGE_CONFLICT', 'QUESTIONABLE_ADMISSION', 'MANIFESTATION_AS_PDX', 'NONSPECIFIC_PDX',
  'E_CODE_AS_PDX', 'UNACCEPTABLE_PDX', 'DUPLICATE_OF_PDX', 'MEDICARE_IS_SECONDARY_PAYER', 'REQUIRES_SDX', 'NONSPECIFIC_OR',
  'OPEN_BIOPSY', 'NON_COVERED', 'BILATERAL', 'LIMITED_COVERAGE_LVRS', 'LIMITED_COVERAGE', 'LIMITED_COVERAGE_LUNG_TRANSPLANT',
  'QUESTIONABLE_OBSTETRIC_ADMISSION', 'LIMITED_COVERAGE_COMBINATION_HEART_LUNG_TRANSPLANT', 'LIMITED_COVERAGE_HEART_TRANSPLANT',
  'LIMITED_COVERAGE_HEART_IMPLANT', 'LIMITED_COVERAGE_INTESTINE_MULTI_VISCERAL_TRANSPLANT', 'LIMITED_COVERAGE_LIVER_TRANSPLANT',
  'INVALID_ADMIT_DX', 'INVALID_AGE', 'INVALID_SEX', 'INVALID_DISCHARGE_STATUS', 'LIMITED_COVERAGE_KIDNEY_TRANSPLANT',
  'LIMITED_COVERAGE_PANCREAS_TRANSPLANT', 'LIMITED_COVERAGE_ARTIFICIAL_HEART', 'WRONG_PROCEDURE_PERFORMED',
  'INCONSISTENT_WITH_LENGTH_OF_STAY', 'UNSPECIFIED',
] as const;

/**
 * Parses and checks every file of one version folder and builds its lookups.
 * @param text - the folder's files as text
 * @throws TableError listing every malformed row (file and line)
 */
export function parseFolder(text: FolderText): WindowTables {
  const problems = new Problems();
  const file = (key: keyof typeof FOLDER_FILES) => `${text.folder}/${FOLDER_FILES[key]}`;
  const meta = parseMeta(text.meta, file('meta'), problems);
  const flags = parseFlags(text.flags, file('flags'), problems);
  const edits = parseEdits(text.edits, file('edits'), problems);
  const known = (type: 'DIAGNOSIS' | 'PROCEDURE') => new Set(flags.filter((f) => f.codeType === type || f.codeType === 'BOTH').map((f) => f.flag));
  const diagnoses = parseMaster(text.diagnoses, file('diagnoses'), 'diagnosis', known('DIAGNOSIS'), problems);
  const procedures = parseMaster(text.procedures, file('procedures'), 'procedure', known('PROCEDURE'), problems);
  const ageRanges = parseAgeRanges(text.ageRanges, file('ageRanges'), problems);
  const dischargeStatus = parseDischargeStatus(text.dischargeStatus, file('dischargeStatus'), problems);

  const windowStart = dateNumber(meta.window_start ?? '');
  const windowEnd = dateNumber(meta.window_end ?? '');
  const terminationDate = dateNumber(meta.mce_termination_date ?? '');
  for (const [key, value] of [['window_start', windowStart], ['window_end', windowEnd], ['mce_termination_date', terminationDate]] as const) {
    if (value === null) problems.add(file('meta'), null, `${key} missing or not a yyyymmdd date`);
  }
  if (windowStart !== null && windowEnd !== null && windowStart > windowEnd) problems.add(file('meta'), null, 'window_start is after window_end');
  if (!meta.version || !/^v\d{2}\.\d$/.test(meta.version)) problems.add(file('meta'), null, `version "${meta.version ?? ''}" missing or not like v43.1`);
  const editByName = new Map(edits.map((e) => [e.name, e]));
  const missing = ENGINE_EDITS.filter((e) => !editByName.has(e));
  if (edits.length > 0 && missing.length > 0) problems.add(file('edits'), null, `edit ${missing[0]} is not defined`);
  if (problems.list.length > 0) throw new TableError(problems.list);
  return {
    version: meta.version!, windowStart: windowStart!, windowEnd: windowEnd!, terminationDate: terminationDate!, meta,
    diagnoses, procedures, ageRanges, dischargeStatus, edits, editByName, flags,
  };
}
