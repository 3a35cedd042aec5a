/**
 * The CMS ICD-10-PCS Tables XML (`icd10pcs_tables_YYYY.xml`): one `pcsTable` per 3-character table (axes
 * 1–3: section, body system, operation, one label each; the operation usually with its definition), each
 * with `pcsRow`s listing the values allowed on axes 4–7. Every combination of one label per row axis is a
 * valid code. Streaming (saxes through readXml) and strict: an unknown element, a missing axis, an axis out
 * of order, a bad character, a duplicate value or a `values`/`codes` count that does not match the labels
 * stops the import with the file and line. Pure: the caller hands us decoded text.
 */
import { cleanText, readXml, type XmlContext, type XmlHandler } from '../xml/sax-stream.js';

/** The characters a PCS code may use: digits and letters except I and O. */
export const PCS_CHAR = /^[0-9A-HJ-NP-Z]$/;

export interface PcsLabel {
  /** One character of the code. */
  code: string;
  label: string;
}

/** Axis 1, 2 or 3 of a table: exactly one value. */
export interface PcsTableAxis {
  pos: 1 | 2 | 3;
  title: string;
  code: string;
  label: string;
  /** The operation's definition (axis 3 of most tables). */
  definition?: string;
}

/** Axis 4, 5, 6 or 7 of a row: the values allowed in this row, as listed. */
export interface PcsRowAxis {
  pos: 4 | 5 | 6 | 7;
  title: string;
  labels: PcsLabel[];
}

export interface PcsRow {
  /** The number of codes the row stands for (checked: the product of its label counts). */
  codes: number;
  /** 1-based line of the `<pcsRow>` tag. */
  line: number;
  axes: [PcsRowAxis, PcsRowAxis, PcsRowAxis, PcsRowAxis];
}

export interface PcsTable {
  /** The 3-character table code, e.g. `0DT`. */
  code: string;
  line: number;
  axes: [PcsTableAxis, PcsTableAxis, PcsTableAxis];
  rows: PcsRow[];
}

export interface PcsTables {
  version: string;
  title: string;
  tables: PcsTable[];
}

const ROOT = 'ICD10PCS.tabular';
const LEAVES = new Set(['version', 'title', 'label', 'definition']);
const CHILDREN: Readonly<Record<string, readonly string[]>> = {
  [ROOT]: ['version', 'title', 'pcsTable'],
  pcsTable: ['axis', 'pcsRow'],
  pcsRow: ['axis'],
  axis: ['title', 'label', 'definition'],
};

interface AxisDraft {
  pos: number;
  values: number | null;
  title: string | null;
  labels: PcsLabel[];
  definition: string | null;
}

/** A non-negative integer attribute, or null when absent; anything else fails. */
export function countAttribute(ctx: XmlContext, name: string, attributes: Readonly<Record<string, string>>, element: string): number | null {
  const raw = attributes[name];
  if (raw === undefined) return null;
  if (!/^\d{1,9}$/.test(raw)) ctx.fail(`<${element}> has ${name}="${raw}"; expected a whole number`);
  return Number(raw);
}

function handler(ctx: XmlContext, out: PcsTables, seen: Set<string>): XmlHandler {
  const stack: string[] = [];
  let text = '';
  let version: string | null = null;
  let docTitle: string | null = null;
  let table: { line: number; axes: PcsTableAxis[]; rows: PcsRow[] } | null = null;
  let row: { line: number; codes: number; axes: PcsRowAxis[] } | null = null;
  let axis: AxisDraft | null = null;
  let labelCode = '';

  const openAxis = (attributes: Readonly<Record<string, string>>): void => {
    const pos = countAttribute(ctx, 'pos', attributes, 'axis') ?? ctx.fail('<axis> has no pos attribute');
    const expected = row ? row.axes.length + 4 : table!.axes.length + 1;
    if (!row && table!.rows.length > 0) ctx.fail('table <axis> after a <pcsRow>; axes 1-3 come first');
    if (pos !== expected || pos > (row ? 7 : 3)) ctx.fail(`<axis pos="${pos}"> out of order: expected pos="${expected}" ${row ? 'in a <pcsRow> (4-7)' : 'in a <pcsTable> (1-3)'}`);
    axis = { pos, values: countAttribute(ctx, 'values', attributes, 'axis'), title: null, labels: [], definition: null };
  };

  const closeLeaf = (name: string, parent: string | undefined): void => {
    const value = cleanText(text);
    if (value === '') ctx.fail(`<${name}> is empty`);
    if (parent === ROOT) {
      if (name === 'version') version = version === null ? value : ctx.fail('a second <version>');
      else docTitle = docTitle === null ? value : ctx.fail('a second <title>');
      return;
    }
    const a = axis!;
    if (name === 'title') a.title = a.title === null ? value : ctx.fail(`axis ${a.pos} has a second <title>`);
    else if (name === 'definition') a.definition = a.definition === null ? value : ctx.fail(`axis ${a.pos} has a second <definition>`);
    else {
      if (a.labels.some((l) => l.code === labelCode)) ctx.fail(`axis ${a.pos} lists value "${labelCode}" twice`);
      a.labels.push({ code: labelCode, label: value });
    }
  };

  const closeAxis = (): void => {
    const a = axis!;
    axis = null;
    if (a.title === null) ctx.fail(`axis ${a.pos} has no <title>`);
    if (a.labels.length === 0) ctx.fail(`axis ${a.pos} has no <label>`);
    if (a.values !== null && a.values !== a.labels.length) ctx.fail(`axis ${a.pos} says values="${a.values}" but lists ${a.labels.length} labels`);
    if (row) {
      row.axes.push({ pos: a.pos as PcsRowAxis['pos'], title: a.title, labels: a.labels });
      return;
    }
    const only = a.labels[0]!;
    if (a.labels.length !== 1) ctx.fail(`table axis ${a.pos} must have exactly one <label>, found ${a.labels.length}`);
    const t: PcsTableAxis = { pos: a.pos as PcsTableAxis['pos'], title: a.title, code: only.code, label: only.label };
    if (a.definition !== null) t.definition = a.definition;
    table!.axes.push(t);
  };

  const closeRow = (): void => {
    const r = row!;
    row = null;
    if (r.axes.length !== 4) ctx.fail(`<pcsRow> (line ${r.line}) has ${r.axes.length} axes; expected pos 4-7`);
    const product = r.axes.reduce((n, a) => n * a.labels.length, 1);
    if (product !== r.codes) ctx.fail(`<pcsRow> (line ${r.line}) says codes="${r.codes}" but its labels combine to ${product} codes`);
    table!.rows.push({ codes: r.codes, line: r.line, axes: r.axes as PcsRow['axes'] });
  };

  const closeTable = (): void => {
    const t = table!;
    table = null;
    if (t.axes.length !== 3) ctx.fail(`<pcsTable> (line ${t.line}) has ${t.axes.length} table axes; expected pos 1-3`);
    const code = t.axes.map((a) => a.code).join('');
    if (t.rows.length === 0) ctx.fail(`table ${code} has no <pcsRow>`);
    if (seen.has(code)) ctx.fail(`table ${code} appears twice`);
    seen.add(code);
    out.tables.push({ code, line: t.line, axes: t.axes as PcsTable['axes'], rows: t.rows });
  };

  return {
    open(name, attributes) {
      const parent = stack.at(-1);
      if (parent !== undefined && !CHILDREN[parent]?.includes(name)) ctx.fail(`unexpected <${name}> in <${parent}>`);
      if (name === 'pcsTable') table = { line: ctx.line(), axes: [], rows: [] };
      else if (name === 'pcsRow') {
        if (table!.axes.length !== 3) ctx.fail('<pcsRow> before the table axes 1-3');
        const codes = countAttribute(ctx, 'codes', attributes, 'pcsRow') ?? ctx.fail('<pcsRow> has no codes attribute');
        row = { line: ctx.line(), codes, axes: [] };
      } else if (name === 'axis') openAxis(attributes);
      else if (name === 'definition' && row) ctx.fail(`<definition> in row axis ${axis!.pos}; only table axes have one`);
      else if (name === 'label') {
        labelCode = attributes.code ?? ctx.fail('<label> has no code attribute');
        if (!PCS_CHAR.test(labelCode)) ctx.fail(`label code "${labelCode}" is not one ICD-10-PCS character (0-9, A-Z but I and O)`);
      }
      text = '';
      stack.push(name);
    },
    text(t) {
      const top = stack.at(-1);
      if (top !== undefined && LEAVES.has(top)) text += t;
      else if (t.trim() !== '') ctx.fail(`unexpected text "${cleanText(t).slice(0, 40)}" in <${top ?? 'document'}>`);
    },
    close(name) {
      stack.pop();
      if (LEAVES.has(name)) closeLeaf(name, stack.at(-1));
      else if (name === 'axis') closeAxis();
      else if (name === 'pcsRow') closeRow();
      else if (name === 'pcsTable') closeTable();
      else if (name === ROOT) {
        out.version = version ?? ctx.fail('no <version>');
        out.title = docTitle ?? '';
        if (out.tables.length === 0) ctx.fail('no <pcsTable>');
      }
    },
  };
}

/** Parses an ICD-10-PCS Tables XML document; rejects with a SourceError (file, line) on any problem. */
export async function parsePcsTables(chunks: AsyncIterable<string>, fileName: string): Promise<PcsTables> {
  const out: PcsTables = { version: '', title: '', tables: [] };
  await readXml(chunks, fileName, ROOT, (ctx) => handler(ctx, out, new Set()));
  return out;
}
