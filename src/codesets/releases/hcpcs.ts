/**
 * HCPCS Level II release parsers (pure). CMS publishes the alpha-numeric HCPCS file in two forms with the
 * same fields: a fixed-width text file of 320-character records (long descriptions split over continuation
 * records) and an Excel workbook with one row per code. Both are turned into ReleaseCode values through the
 * same field mapping ({@link toReleaseCode}), so the two forms of one release give equal results.
 *
 * Layout: /work/shared/refdata/hcpcs/README.md (from the CMS record layout). Only the fields the code-set
 * model carries are read; pricing, coverage, BETOS and the like are left to a later model.
 */
import { SourceError, type ReleaseCode } from '../model.js';

/** The raw field values of one code or modifier, as both file forms state them. */
interface RawHcpcs {
  /** The HCPC field as written: 5 characters, or a modifier right-aligned in 5 (`   A1`). */
  hcpc: string;
  kind: 'code' | 'modifier';
  longTitle: string;
  shortTitle: string;
  added: string;
  actionEffective: string;
  terminated: string;
  action: string;
}

const RECORD_LENGTH = 320;
// Fields a first line (RIC 3/7) needs run to the action code in column 293; a continuation line (RIC 4/8)
// only carries text up to column 91. Shorter lines are cut-off records. Longer-than-minimum but short of 320
// is accepted: the 2019 file has a 316-character continuation line (G8891) whose filler lost 4 spaces.
const FIRST_LINE_MIN = 293;
const CONTINUATION_MIN = 91;
// The disclaimer before the first record is a handful of lines (2019: 6 + 2 blank). A file with no record
// this far in is not a HCPCS file, and saying so at a line number beats scanning megabytes of garbage.
const MAX_PREAMBLE_LINES = 50;
// Start of a record: 5-character code (letters, digits, or blanks before a modifier), 5-digit sequence, RIC.
const RECORD_START = /^[ A-Z0-9]{5}\d{5}\d/;
const CODE = /^[A-Z0-9]{5}$/;
const MODIFIER = /^[A-Z0-9]{2}$/;

/** 1-based, inclusive column positions of the CMS layout. */
function cols(line: string, from: number, to: number): string {
  return line.slice(from - 1, to);
}

/**
 * Parses the CMS fixed-width alpha-numeric HCPCS file (`HCPCyyyy_CONTR_ANWEB.txt`), already decoded to a
 * string (the records are ASCII; the disclaimer has Windows-1252 non-breaking spaces, so decode as latin1).
 * Disclaimer lines before the first record and blank lines are skipped; continuation records (RIC 4 after 3,
 * 8 after 7) are joined into the long description with single spaces. Codes (RIC 3) and modifiers (RIC 7,
 * code = the 2-character modifier) are billable.
 * @throws SourceError(fileName, line) on a record of the wrong length, an unknown RIC, a continuation with no
 * first line of the same code before it, a bad code or date, a duplicate code, or a file with no record.
 */
export function parseHcpcsFixedWidth(text: string, fileName: string): ReleaseCode[] {
  const out: ReleaseCode[] = [];
  const seen = new Set<string>();
  const lines = text.split(/\r?\n/);
  let started = false;
  // The record being assembled: its first line's fields, the description parts so far, and where it began.
  let open: { raw: RawHcpcs; parts: string[]; line: number; ric: string; seq: number } | null = null;

  const flush = (): void => {
    if (!open) return;
    const fail = (message: string): never => {
      throw new SourceError(fileName, open?.line ?? null, message);
    };
    pushUnique(out, seen, toReleaseCode({ ...open.raw, longTitle: open.parts.join(' ') }, fail), fail);
    open = null;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const lineNo = i + 1;
    // Annotated so that TypeScript treats a call as the end of the branch (narrowing `open` after it).
    const fail: (message: string) => never = (message) => {
      throw new SourceError(fileName, lineNo, message);
    };
    if (line.trim() === '') continue;
    if (!started) {
      if (!RECORD_START.test(line)) {
        if (lineNo >= MAX_PREAMBLE_LINES) fail(`no HCPCS record in the first ${MAX_PREAMBLE_LINES} lines`);
        continue;
      }
      started = true;
    }
    if (!RECORD_START.test(line)) fail('not a HCPCS record (expected code, sequence number and record id)');
    const ric = cols(line, 11, 11);
    const continuation = ric === '4' || ric === '8';
    if (!continuation && ric !== '3' && ric !== '7') fail(`unknown record identification code ${ric}`);
    const min = continuation ? CONTINUATION_MIN : FIRST_LINE_MIN;
    if (line.length < min || line.length > RECORD_LENGTH) {
      fail(`record is ${line.length} characters; a RIC ${ric} record has ${min}–${RECORD_LENGTH}`);
    }
    const hcpc = cols(line, 1, 5);
    const seq = Number(cols(line, 6, 10));
    const text80 = cols(line, 12, 91).trim();

    if (continuation) {
      const first = ric === '4' ? '3' : '7';
      if (open?.ric !== first || open.raw.hcpc !== hcpc) {
        fail(`continuation (RIC ${ric}) of ${JSON.stringify(hcpc.trim())} without its first line (RIC ${first})`);
      }
      if (seq <= open.seq) fail(`sequence number ${seq} does not follow ${open.seq}`);
      if (text80 !== '') open.parts.push(text80);
      open.seq = seq;
      continue;
    }
    flush();
    open = {
      raw: {
        hcpc,
        kind: ric === '3' ? 'code' : 'modifier',
        longTitle: '',
        shortTitle: cols(line, 92, 119),
        added: cols(line, 269, 276),
        actionEffective: cols(line, 277, 284),
        terminated: cols(line, 285, 292),
        action: cols(line, 293, 293),
      },
      parts: text80 === '' ? [] : [text80],
      line: lineNo,
      ric,
      seq,
    };
  }
  flush();
  if (out.length === 0) throw new SourceError(fileName, null, 'no HCPCS records found');
  return out;
}

/** The columns read from the workbook; the other 40 (pricing, coverage …) are not in the model yet. */
const COLUMNS = ['HCPC', 'RECID', 'LONG DESCRIPTION', 'SHORT DESCRIPTION', 'ADD DT', 'ACT EFF DT', 'TERM DT', 'ACTION CD'] as const;
type Column = (typeof COLUMNS)[number];
// The 2025 workbook starts with its header; the 2019 one has 7 disclaimer rows first (header in row 8).
const MAX_HEADER_ROW = 20;

/** Header names compared without case, surrounding blanks or the `_`/space difference (`ADD_DT`). */
function headerKey(cell: string): string {
  return cell.trim().toUpperCase().replace(/[\s_]+/g, ' ');
}

/**
 * Maps the rows of the CMS alpha-numeric HCPCS workbook (as {@link readXlsxSheet} returns them: `rows[i]` is
 * spreadsheet row i + 1) to ReleaseCode values. The header row — the first row within the first 20 with
 * `HCPC` and `RECID` cells — locates the columns by name; rows before it (disclaimers) and empty rows are
 * skipped. RECID 3 is a code, 7 a modifier (HCPC holds it right-aligned, `   A1` → `A1`); RECID 4/8 rows
 * continue the long description of the code/modifier row before them. Dates are YYYYMMDD.
 * @throws SourceError(fileName, row) on a missing header or column, an unknown RECID, a continuation row with
 * no first row, a bad code or date, or a duplicate code.
 */
export function hcpcsFromXlsxRows(rows: string[][], fileName: string): ReleaseCode[] {
  const headerIndex = rows.slice(0, MAX_HEADER_ROW).findIndex((r) => {
    const keys = r.map(headerKey);
    return keys.includes('HCPC') && keys.includes('RECID');
  });
  if (headerIndex < 0) {
    throw new SourceError(fileName, 1, `no header row with HCPC and RECID columns in the first ${MAX_HEADER_ROW} rows`);
  }
  const keys = (rows[headerIndex] ?? []).map(headerKey);
  const index = {} as Record<Column, number>;
  for (const name of COLUMNS) {
    const at = keys.indexOf(name);
    if (at < 0) throw new SourceError(fileName, headerIndex + 1, `header has no ${JSON.stringify(name)} column`);
    index[name] = at;
  }

  const out: ReleaseCode[] = [];
  const seen = new Set<string>();
  // A row waits here until the next code starts: a description too long for one cell continues in RECID 4
  // (or 8) rows — the 2019 workbook does this once, for G0503 (row 2255).
  let open: { raw: RawHcpcs; fail: (message: string) => never } | null = null;
  const flush = (): void => {
    if (open) pushUnique(out, seen, toReleaseCode(open.raw, open.fail), open.fail);
    open = null;
  };
  for (let i = headerIndex + 1; i < rows.length; i++) {
    const row = rows[i] ?? [];
    const rowNo = i + 1;
    const fail: (message: string) => never = (message) => {
      throw new SourceError(fileName, rowNo, message);
    };
    if (row.every((cell) => cell.trim() === '')) continue;
    const get = (name: Column): string => row[index[name]] ?? '';
    const recid = get('RECID').trim();
    if (recid === '4' || recid === '8') {
      const first = recid === '4' ? 'code' : 'modifier';
      if (open?.raw.kind !== first || open.raw.hcpc.trim() !== get('HCPC').trim()) {
        fail(`continuation (RECID ${recid}) of ${JSON.stringify(get('HCPC').trim())} without its first row`);
      }
      open.raw.longTitle += ` ${get('LONG DESCRIPTION')}`;
      continue;
    }
    if (recid !== '3' && recid !== '7') fail(`unknown RECID ${JSON.stringify(recid)} (3 = code, 7 = modifier)`);
    flush();
    open = {
      fail,
      raw: {
        hcpc: get('HCPC'),
        kind: recid === '3' ? 'code' : 'modifier',
        longTitle: get('LONG DESCRIPTION'),
        shortTitle: get('SHORT DESCRIPTION'),
        added: get('ADD DT'),
        actionEffective: get('ACT EFF DT'),
        terminated: get('TERM DT'),
        action: get('ACTION CD'),
      },
    };
  }
  flush();
  return out;
}

/** The one field mapping both forms go through. */
function toReleaseCode(raw: RawHcpcs, fail: (message: string) => never): ReleaseCode {
  const code = raw.hcpc.trim();
  if (raw.kind === 'code' ? !CODE.test(code) : !MODIFIER.test(code)) fail(`bad HCPCS ${raw.kind} ${JSON.stringify(raw.hcpc)}`);
  const action = raw.action.trim();
  return {
    code,
    billable: true,
    // Whitespace runs are collapsed: CMS pads and occasionally doubles spaces, and the two forms differ in it.
    shortTitle: collapse(raw.shortTitle),
    longTitle: collapse(raw.longTitle),
    addedOn: isoDate(raw.added, 'add date', fail),
    actionEffectiveOn: isoDate(raw.actionEffective, 'action effective date', fail),
    terminatedOn: isoDate(raw.terminated, 'termination date', fail),
    actionCode: action === '' ? null : action,
    kind: raw.kind,
  };
}

function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function pushUnique(out: ReleaseCode[], seen: Set<string>, rc: ReleaseCode, fail: (m: string) => never): void {
  const key = `${rc.kind}:${rc.code}`;
  if (seen.has(key)) fail(`duplicate ${rc.kind} ${rc.code}`);
  seen.add(key);
  out.push(rc);
}

/** `YYYYMMDD` → `YYYY-MM-DD`; blank → null; anything else, or an impossible date, is an error. */
function isoDate(value: string, what: string, fail: (message: string) => never): string | null {
  const v = value.trim();
  if (v === '') return null;
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(v);
  const [y, mo, d] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (!m || date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) {
    fail(`bad ${what} ${JSON.stringify(value)} (expected YYYYMMDD)`);
  }
  return `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 8)}`;
}
