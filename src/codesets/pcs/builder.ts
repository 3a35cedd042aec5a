/**
 * The ICD-10-PCS code builder: given the characters chosen so far, the values the next character may
 * take, each with its label (and definition when a Definitions XML was given). Only values that lead to at
 * least one valid code are offered: positions 1–3 come from the tables that exist, positions 4–7 from the
 * rows of the chosen table that still match every character chosen after the table. Pure and synchronous;
 * built once from parsed tables, then `next()` costs one pass over the rows of one table.
 */
import type { PcsDefinitions, PcsTerm } from './definitions.js';
import type { PcsRow, PcsTable, PcsTables } from './tables.js';

export type PcsPosition = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface PcsOption {
  char: string;
  /**
   * The value's label. A few tables give one character two meanings in different rows (e.g. XW0 device
   * "S": "COVID-19 Vaccine Dose 1" or "Epcoritamab Monoclonal Antibody" depending on the row); when more
   * than one such row is still possible the distinct labels are joined with " / " and listed in `labels`.
   */
  label: string;
  labels?: string[];
  definition?: string;
  explanation?: string;
  includes?: string[];
}

export interface PcsStep {
  position: PcsPosition;
  axisTitle: string;
  /** In code order (0–9, then A–Z). */
  options: PcsOption[];
}

/** One character of a complete code, as its table row states it. */
export interface PcsCharValue {
  position: PcsPosition;
  axisTitle: string;
  char: string;
  label: string;
}

export interface PcsBuilder {
  /** The next axis after `prefix` (0–6 characters); null when no valid code starts with `prefix` or it is complete. */
  next(prefix: string): PcsStep | null;
  /** True when `code` is one of the valid 7-character codes. */
  isValid(code: string): boolean;
  /** The 7 values of a valid code with their labels; null when the code is not valid. */
  describe(code: string): PcsCharValue[] | null;
  /** Every valid code (see expandPcsCodes). */
  expand(): Set<string>;
}

/** Every valid code the tables define: each row's axes 4–7 combined, behind its table's 3 characters. */
export function expandPcsCodes(tables: PcsTables): Set<string> {
  const codes = new Set<string>();
  for (const table of tables.tables) {
    for (const row of table.rows) {
      const [a4, a5, a6, a7] = row.axes;
      for (const l4 of a4.labels) {
        for (const l5 of a5.labels) {
          for (const l6 of a6.labels) {
            for (const l7 of a7.labels) codes.add(table.code + l4.code + l5.code + l6.code + l7.code);
          }
        }
      }
    }
  }
  return codes;
}

interface CompiledRow {
  row: PcsRow;
  /** The characters allowed on axes 4–7, for O(1) matching. */
  allowed: [Set<string>, Set<string>, Set<string>, Set<string>];
}

const byChar = (a: PcsOption, b: PcsOption): number => (a.char < b.char ? -1 : a.char > b.char ? 1 : 0);

/** Finds the Definitions XML entry for a label. Device terms of section 0 are written "<device> in <body system>". */
function termFinder(definitions: PcsDefinitions | undefined): (table: PcsTable, pos: number, label: string) => PcsTerm | undefined {
  if (!definitions) return () => undefined;
  const terms = new Map<string, PcsTerm>();
  for (const section of definitions.sections) {
    for (const axis of section.axes) {
      for (const term of axis.terms) {
        for (const title of term.titles) terms.set(`${section.code}|${axis.pos}|${title}`, term);
      }
    }
  }
  return (table, pos, label) => {
    const [section, system, operation] = table.axes;
    const key = `${section.code}|${pos}|`;
    return (
      terms.get(key + label) ??
      terms.get(`${key}${label} for ${operation.label} in ${system.label}`) ??
      terms.get(`${key}${label} in ${system.label}`) ??
      // Section F qualifies its type terms by the operation's kind: "Aphasia (Assessment)".
      terms.get(`${key}${label} (${operation.label.split(' ').at(-1) ?? ''})`)
    );
  };
}

function option(char: string, labels: string[], term: PcsTerm | undefined, ownDefinition?: string): PcsOption {
  const o: PcsOption = { char, label: labels.join(' / ') };
  if (labels.length > 1) {
    o.labels = labels;
    return o; // a definition would belong to only one of the meanings
  }
  const definition = ownDefinition ?? term?.definition;
  if (definition !== undefined) o.definition = definition;
  if (term?.explanation !== undefined) o.explanation = term.explanation;
  if (term && term.includes.length > 0) o.includes = [...term.includes];
  return o;
}

export function pcsBuilder(tables: PcsTables, definitions?: PcsDefinitions): PcsBuilder {
  const findTerm = termFinder(definitions);
  const byCode = new Map<string, { table: PcsTable; rows: CompiledRow[] }>();
  // Positions 1–3 depend only on which tables exist: computed once per prefix of 0–2 characters.
  const heads = new Map<string, PcsStep>();
  for (const table of tables.tables) {
    byCode.set(table.code, {
      table,
      rows: table.rows.map((row) => ({ row, allowed: row.axes.map((a) => new Set(a.labels.map((l) => l.code))) as CompiledRow['allowed'] })),
    });
    for (const axis of table.axes) {
      const prefix = table.code.slice(0, axis.pos - 1);
      let step = heads.get(prefix);
      if (!step) heads.set(prefix, (step = { position: axis.pos, axisTitle: axis.title, options: [] }));
      if (!step.options.some((o) => o.char === axis.code)) {
        step.options.push(option(axis.code, [axis.label], axis.pos === 3 ? findTerm(table, 3, axis.label) : undefined, axis.definition));
      }
    }
  }
  for (const step of heads.values()) step.options.sort(byChar);

  /** The rows of the table of `prefix` that allow each character chosen after the table. */
  const matchingRows = (prefix: string): { table: PcsTable; rows: CompiledRow[] } | null => {
    const entry = byCode.get(prefix.slice(0, 3));
    if (!entry) return null;
    const rows = entry.rows.filter((r) => r.allowed.every((set, i) => 3 + i >= prefix.length || set.has(prefix[3 + i]!)));
    return rows.length > 0 ? { table: entry.table, rows } : null;
  };

  const next = (prefix: string): PcsStep | null => {
    if (prefix.length < 3) {
      const step = heads.get(prefix);
      return step ? structuredClone(step) : null; // a copy: callers may keep and change what they get
    }
    if (prefix.length > 6) return null;
    const match = matchingRows(prefix);
    if (!match) return null;
    const axisIndex = prefix.length - 3;
    const labels = new Map<string, string[]>();
    for (const { row } of match.rows) {
      for (const { code, label } of row.axes[axisIndex]!.labels) {
        const seen = labels.get(code);
        if (!seen) labels.set(code, [label]);
        else if (!seen.includes(label)) seen.push(label);
      }
    }
    const position = (prefix.length + 1) as PcsPosition;
    const options = [...labels].map(([char, ls]) => option(char, ls, ls.length === 1 ? findTerm(match.table, position, ls[0]!) : undefined));
    return { position, axisTitle: match.rows[0]!.row.axes[axisIndex]!.title, options: options.sort(byChar) };
  };

  const describe = (code: string): PcsCharValue[] | null => {
    if (code.length !== 7) return null;
    const match = matchingRows(code);
    const found = match?.rows[0];
    if (!match || !found) return null;
    const values: PcsCharValue[] = match.table.axes.map((a) => ({ position: a.pos, axisTitle: a.title, char: a.code, label: a.label }));
    found.row.axes.forEach((a, i) => {
      const char = code[3 + i]!;
      values.push({ position: a.pos, axisTitle: a.title, char, label: a.labels.find((l) => l.code === char)!.label });
    });
    return values;
  };

  return {
    next,
    isValid: (code) => code.length === 7 && matchingRows(code) !== null,
    describe,
    expand: () => expandPcsCodes(tables),
  };
}
