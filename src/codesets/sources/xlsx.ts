/**
 * A small reader of .xlsx workbooks (Office Open XML spreadsheets) held in a Buffer: enough to get the rows of
 * one sheet as text, which is all the code-set releases need. Zip members are inflated with yauzl and streamed
 * into saxes chunk by chunk, so the 14 MB sheet XML of a HCPCS release is never held as one string. Pure: no
 * file-system access; the caller reads the file.
 *
 * Not handled, on purpose: styles (a date cell comes back as its serial number), formulas (the cached value
 * is returned), merged cells, and UTF-16 XML parts (Excel never writes them).
 */
import { posix } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import yauzl from 'yauzl';
import { SourceError } from '../model.js';

/** Options of {@link readXlsxSheet} and {@link listXlsxSheets}. */
export interface XlsxOptions {
  /** Sheet to read: its name, or its 0-based position in the workbook. Default: the first sheet. */
  sheet?: string | number;
  /** Limit on the bytes inflated from the zip, all members together. Default 200 MB. */
  maxUncompressedBytes?: number;
  /** Name used in SourceError messages. Default `workbook.xlsx`. */
  fileName?: string;
}

const DEFAULT_MAX_BYTES = 200 * 1024 * 1024;
// A member this large that shrank more than this is treated as a zip bomb. Real sheet XML compresses about
// 10:1 (the HCPCS 2025 sheet: 14.4 MB → 1.5 MB), so 200:1 leaves a wide margin.
const RATIO_MIN_SIZE = 1024 * 1024;
const MAX_RATIO = 200;
// Excel's own limits; a cell reference beyond them is corrupt and would only make us allocate huge arrays.
const MAX_ROWS = 1_048_576;
const MAX_COLS = 16_384;

interface Package {
  zip: yauzl.ZipFile;
  entries: Map<string, yauzl.Entry>;
  file: string;
  limit: number;
  used: number;
}

interface SheetRef {
  name: string;
  path: string;
}

/**
 * Lists the sheet names of a workbook, in workbook order.
 * @throws SourceError when the buffer is not a zip or not a workbook.
 */
export async function listXlsxSheets(buf: Buffer, opts: Omit<XlsxOptions, 'sheet'> = {}): Promise<string[]> {
  return withPackage(buf, opts, async (pkg) => (await readWorkbook(pkg)).sheets.map((s) => s.name));
}

/**
 * Reads one sheet as rows of cell text. `rows[i]` is spreadsheet row i + 1 and `rows[i][j]` column j (A = 0),
 * placed by the cells' `r` references; missing cells and rows are filled with '' and [] so that indexes keep
 * matching the spreadsheet. Shared, inline and rich-text strings give their text, numbers their stored digits
 * (as written, e.g. `3350.5`), booleans `TRUE`/`FALSE`, errors their code (`#N/A`).
 * @throws SourceError on a non-zip, a missing workbook part or sheet, malformed XML, or a zip bomb.
 */
export async function readXlsxSheet(buf: Buffer, opts: XlsxOptions = {}): Promise<string[][]> {
  return withPackage(buf, opts, async (pkg) => {
    const { sheets, sharedStrings } = await readWorkbook(pkg);
    const wanted = opts.sheet ?? 0;
    const sheet = typeof wanted === 'number' ? sheets[wanted] : sheets.find((s) => s.name === wanted);
    if (!sheet) {
      const names = sheets.map((s) => JSON.stringify(s.name)).join(', ');
      throw new SourceError(pkg.file, null, `no sheet ${JSON.stringify(wanted)} in the workbook (sheets: ${names})`);
    }
    const shared = await readSharedStrings(pkg, sharedStrings);
    return readRows(pkg, sheet.path, shared);
  });
}

async function withPackage<T>(buf: Buffer, opts: XlsxOptions, body: (pkg: Package) => Promise<T>): Promise<T> {
  const file = opts.fileName ?? 'workbook.xlsx';
  let zip: yauzl.ZipFile;
  try {
    // autoClose off: we open members after the directory walk has ended.
    zip = await yauzl.fromBufferPromise(buf, { lazyEntries: true, autoClose: false });
  } catch (e) {
    throw new SourceError(file, null, `not a zip file (an .xlsx is a zip): ${(e as Error).message}`);
  }
  try {
    const entries = new Map<string, yauzl.Entry>();
    // Only the central directory is read here; nothing is inflated until a member is parsed.
    for await (const entry of zip.eachEntry()) entries.set(entry.fileName, entry);
    return await body({ zip, entries, file, limit: opts.maxUncompressedBytes ?? DEFAULT_MAX_BYTES, used: 0 });
  } catch (e) {
    if (e instanceof SourceError) throw e;
    throw new SourceError(file, null, `unreadable zip: ${(e as Error).message}`);
  } finally {
    zip.close();
  }
}

/** Streams one member through a fresh saxes parser set up by `setup`; refuses DTDs and zip bombs. */
async function parseMember(pkg: Package, path: string, setup: (p: SaxesParser) => void): Promise<void> {
  const where = `${pkg.file}!${path}`;
  const entry = pkg.entries.get(path);
  if (!entry) throw new SourceError(pkg.file, null, `not an xlsx workbook: member ${path} is missing`);
  // The declared sizes can be trusted: yauzl checks the inflated length against them (validateEntrySizes).
  if (entry.uncompressedSize > pkg.limit - pkg.used) {
    throw new SourceError(where, null, `refusing to inflate past ${pkg.limit} bytes (zip bomb?)`);
  }
  if (entry.uncompressedSize > RATIO_MIN_SIZE && entry.uncompressedSize > MAX_RATIO * entry.compressedSize) {
    throw new SourceError(where, null, `compression ratio above ${MAX_RATIO}:1 (zip bomb?)`);
  }
  const parser = new SaxesParser();
  parser.on('doctype', () => {
    // Excel never writes a DTD; refusing it outright rules out entity tricks whatever the parser would do.
    throw new SourceError(where, parser.line, 'a DOCTYPE is not allowed in a workbook part');
  });
  setup(parser);
  // Only what the parser throws is malformed XML; an inflate error from the stream is an unreadable zip.
  const feed = (text: string, end = false): void => {
    try {
      parser.write(text);
      if (end) parser.close();
    } catch (e) {
      if (e instanceof SourceError) throw e;
      throw new SourceError(where, parser.line, `malformed XML: ${(e as Error).message}`);
    }
  };
  const decoder = new StringDecoder('utf8');
  // Counting the inflated bytes ourselves as well: the limit holds even if a declared size were wrong.
  for await (const chunk of (await pkg.zip.openReadStreamPromise(entry)) as AsyncIterable<Buffer>) {
    pkg.used += chunk.length;
    if (pkg.used > pkg.limit) throw new SourceError(where, null, `refusing to inflate past ${pkg.limit} bytes`);
    feed(decoder.write(chunk)); // a byte-order mark at the start is skipped by saxes
  }
  feed(decoder.end(), true);
}

/** The element name without its namespace prefix (writers other than Excel use `x:row` and the like). */
function local(tag: { name: string }): string {
  const i = tag.name.indexOf(':');
  return i < 0 ? tag.name : tag.name.slice(i + 1);
}

const attr = (tag: SaxesTagPlain, name: string): string | undefined => tag.attributes[name];

/** The sheets in workbook order with their member paths, and the shared-string member if there is one. */
async function readWorkbook(pkg: Package): Promise<{ sheets: SheetRef[]; sharedStrings: string | undefined }> {
  const sheets: { name: string; rid: string }[] = [];
  await parseMember(pkg, 'xl/workbook.xml', (p) => {
    p.on('opentag', (tag) => {
      if (local(tag) !== 'sheet') return;
      // The relationship id is `r:id`, whatever prefix the writer bound to the relationships namespace.
      const ridKey = Object.keys(tag.attributes).find((k) => k.endsWith(':id'));
      const name = attr(tag, 'name');
      const rid = ridKey === undefined ? undefined : attr(tag, ridKey);
      if (name !== undefined && rid !== undefined) sheets.push({ name, rid });
    });
  });
  // Relationship id → member path. Targets are relative to xl/, or absolute from the package root.
  const targets = new Map<string, string>();
  let sharedStrings: string | undefined;
  await parseMember(pkg, 'xl/_rels/workbook.xml.rels', (p) => {
    p.on('opentag', (tag) => {
      const id = attr(tag, 'Id');
      const target = attr(tag, 'Target');
      if (local(tag) !== 'Relationship' || id === undefined || target === undefined) return;
      const path = target.startsWith('/') ? posix.normalize(target.slice(1)) : posix.join('xl', target);
      targets.set(id, path);
      if (attr(tag, 'Type')?.endsWith('/sharedStrings')) sharedStrings = path;
    });
  });
  const refs = sheets.map((s) => {
    const path = targets.get(s.rid);
    if (path === undefined) throw new SourceError(pkg.file, null, `sheet ${JSON.stringify(s.name)} has no part`);
    return { name: s.name, path };
  });
  // Excel always names the part this way; the fallback covers writers that leave out the relationship.
  return { sheets: refs, sharedStrings: sharedStrings ?? (pkg.entries.has('xl/sharedStrings.xml') ? 'xl/sharedStrings.xml' : undefined) };
}

/** `_x000D_`-style escapes are how OOXML stores characters XML cannot carry (ECMA-376 ST_Xstring). */
function unescapeXstring(s: string): string {
  return s.includes('_x') ? s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : s;
}

async function readSharedStrings(pkg: Package, path: string | undefined): Promise<string[]> {
  const strings: string[] = [];
  // A workbook with only inline strings or numbers may have no shared-string part at all.
  if (path === undefined) return strings;
  let current: string | null = null;
  let inText = false;
  let phonetic = 0;
  await parseMember(pkg, path, (p) => {
    p.on('opentag', (tag) => {
      const name = local(tag);
      if (name === 'si') current = '';
      else if (name === 'rPh') phonetic++; // East-Asian reading hints, not part of the text
      else if (name === 't' && current !== null && phonetic === 0) inText = !tag.isSelfClosing;
    });
    const onText = (text: string): void => {
      if (inText) current += text;
    };
    p.on('text', onText);
    p.on('cdata', onText);
    p.on('closetag', (tag) => {
      const name = local(tag);
      if (name === 't') inText = false;
      else if (name === 'rPh') phonetic--;
      else if (name === 'si' && current !== null) {
        strings.push(unescapeXstring(current));
        current = null;
      }
    });
  });
  return strings;
}

/** "AB12" → [11, 11] (0-based row, column). */
function parseRef(ref: string): [number, number] | null {
  const m = /^([A-Z]{1,3})(\d{1,7})$/.exec(ref);
  if (!m?.[1] || !m[2]) return null;
  let col = 0;
  for (const ch of m[1]) col = col * 26 + (ch.charCodeAt(0) - 64);
  return [Number(m[2]) - 1, col - 1];
}

async function readRows(pkg: Package, path: string, shared: string[]): Promise<string[][]> {
  const where = `${pkg.file}!${path}`;
  const rows: string[][] = [];
  let row: string[] | null = null;
  let rowIndex = -1;
  let col = -1;
  let type = 'n';
  let value = '';
  let inline = '';
  let collect: 'v' | 't' | null = null;
  let phonetic = 0;

  await parseMember(pkg, path, (p) => {
    // Annotated so that TypeScript treats a call as the end of the branch.
    const fail: (message: string) => never = (message) => {
      throw new SourceError(where, p.line, message);
    };
    p.on('opentag', (tag) => {
      const name = local(tag);
      if (name === 'row') {
        const r = attr(tag, 'r');
        const index = r === undefined ? rowIndex + 1 : Number(r) - 1;
        if (!Number.isInteger(index) || index <= rowIndex || index >= MAX_ROWS) fail(`bad or out-of-order row r="${r}"`);
        rowIndex = index;
        row = [];
        col = -1;
      } else if (name === 'c') {
        const r = attr(tag, 'r');
        const pos: [number, number] | null = r === undefined ? [rowIndex, col + 1] : parseRef(r);
        if (!pos || pos[0] !== rowIndex || pos[1] <= col || pos[1] >= MAX_COLS) fail(`bad cell reference r="${r}"`);
        col = pos[1];
        type = attr(tag, 't') ?? 'n';
        value = '';
        inline = '';
      } else if (name === 'v') collect = 'v';
      else if (name === 'rPh') phonetic++;
      else if (name === 't' && phonetic === 0) collect = 't'; // in a worksheet, <t> only occurs inside <is>
    });
    const onText = (text: string): void => {
      if (collect === 'v') value += text;
      else if (collect === 't') inline += text;
    };
    p.on('text', onText);
    p.on('cdata', onText);
    p.on('closetag', (tag) => {
      const name = local(tag);
      if (name === 'v' || name === 't') collect = null;
      else if (name === 'rPh') phonetic--;
      else if (name === 'c' && row) {
        while (row.length < col) row.push('');
        row[col] = cellText(type, value, inline, shared, fail);
      } else if (name === 'row') {
        while (rows.length < rowIndex) rows.push([]);
        if (row) rows.push(row);
        row = null;
      }
    });
  });
  return rows;
}

function cellText(type: string, value: string, inline: string, shared: string[], fail: (m: string) => never): string {
  switch (type) {
    case 's': {
      if (value === '') return '';
      const s = shared[Number(value)];
      return s ?? fail(`shared string ${JSON.stringify(value)} out of range (${shared.length} strings)`);
    }
    case 'inlineStr':
      return unescapeXstring(inline);
    case 'str':
      return unescapeXstring(value);
    case 'b':
      return value === '1' ? 'TRUE' : value === '0' ? 'FALSE' : fail(`bad boolean ${JSON.stringify(value)}`);
    default: // 'n', 'e' (error code such as #N/A), 'd' (ISO 8601 date)
      return value;
  }
}
