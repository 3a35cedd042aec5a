import {
  Counter,
  type CompiledCluster,
  type CompiledDiagnosis,
  type CompiledGrouper,
  type CompiledProcedure,
  type CompiledRow,
  type ErrorReturnCode,
  type RowKind,
  type Test,
  RowList,
  RowSet,
} from './compiled.js';
import { CodeTable } from './code-table.js';
import type { ClusterRow, Definitions, DiagnosisRow, FormulaRow } from './definitions.js';
import { atomsOf, FormulaSyntaxError, parseFormula, type Formula } from './formula.js';
import { currentRowSeverity, SPECIAL_INDEX, type EvalState } from './state.js';
import { DefinitionError } from './tsv.js';

const TRAUMA_REGIONS = ['sthead', 'stchest', 'stabdom', 'stkidney', 'sturin', 'stpel', 'stuplimb', 'stlolimb'];
const SIDES = ['righthip', 'rightknee', 'rightankle', 'lefthip', 'leftknee', 'leftankle'];
const ERROR_ATOMS: readonly [string, ErrorReturnCode][] = [
  ['INVALID_PDX', 'INVALID_PDX'],
  ['PDX_ECODE', 'DX_CANNOT_BE_PDX'],
  ['INVALID_SEX', 'INVALID_SEX'],
  ['INVALID_DSTAT', 'INVALID_DISCHARGE_STATUS'],
];
const SEVERITY = { NCC: 0, CC: 1, MCC: 2 } as const;
const HAC_ENTRY = /^HAC\d+$/;

export class Atoms {
  readonly ids = new Map<string, number>();
  readonly names: string[] = [];
  /** Atoms with these ids (a restored version keeps its ids). */
  static of(names: readonly string[]): Atoms {
    const a = new Atoms();
    for (const n of names) a.id(n);
    return a;
  }
  id(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(name, id);
      this.names.push(name);
    }
    return id;
  }
  private readonly lists = new Map<string, Int32Array>();
  private readonly byArray = new WeakMap<readonly string[], Int32Array>();
  /** Interned ids of a list of names; identical lists share one array (many codes carry the same lists). */
  list(names: readonly string[]): Int32Array {
    const known = this.byArray.get(names);
    if (known !== undefined) return known;
    const key = names.join(',');
    let ids = this.lists.get(key);
    if (ids === undefined) {
      ids = Int32Array.from(new Set(names), (n) => this.id(n));
      this.lists.set(key, ids);
    }
    this.byArray.set(names, ids);
    return ids;
  }
}

export class SuppressionBits {
  readonly bit = new Map<string, number>();
  constructor(rows: readonly FormulaRow[]) {
    for (const r of rows) for (const a of r.severitySuppression) if (!this.bit.has(a)) this.bit.set(a, this.bit.size);
  }
  get words(): number {
    return Math.max(1, Math.ceil(this.bit.size / 32));
  }
  mask(names: readonly string[]): Uint32Array {
    const m = new Uint32Array(this.words);
    for (const n of names) {
      const b = this.bit.get(n);
      if (b !== undefined) m[b >>> 5] = (m[b >>> 5] ?? 0) | (1 << (b & 31));
    }
    return m;
  }
}

function onlyTest(id: number): Test {
  return (s) => {
    if (s.pdx[id] !== s.gen) return false;
    for (let i = 0; i < s.nSdx; i++) {
      const dx = s.sdxDx[i];
      if (dx && !dx.atoms.includes(id)) return false;
    }
    return true;
  };
}

function compileNode(f: Formula, atoms: Atoms): Test {
  if (f.kind === 'not') {
    const a = compileNode(f.arg, atoms);
    return (s) => !a(s);
  }
  if (f.kind !== 'atom') {
    const a = compileNode(f.left, atoms);
    const b = compileNode(f.right, atoms);
    return f.kind === 'and' ? (s) => a(s) && b(s) : (s) => a(s) || b(s);
  }
  const id = atoms.id(f.name);
  switch (f.prefix) {
    case 'PDX':
      return (s) => s.pdx[id] === s.gen;
    case 'SDX':
      return (s) => s.sdx[id] === s.gen;
    case 'ANY':
      return (s) => s.pdx[id] === s.gen || s.sdx[id] === s.gen;
    case 'ONLY':
      return onlyTest(id);
    case '':
      break;
  }
  if (f.name === 'MCC') return (s) => currentRowSeverity(s) === 2;
  if (f.name === 'CC') return (s) => currentRowSeverity(s) === 1;
  const k = SPECIAL_INDEX.get(f.name);
  if (k !== undefined) return (s: EvalState) => s.special[k] === 1;
  return (s) => s.proc[id] === s.procGen;
}

/** Compile one formula text into a closure over the evaluation state. */
export function compileFormula(source: string, atoms: Atoms): { test: Test; formula: Formula } {
  const formula = parseFormula(source);
  return { test: compileNode(formula, atoms), formula };
}

export function compileRow(row: FormulaRow, line: number, atoms: Atoms, bits: SuppressionBits): CompiledRow {
  let compiled: { test: Test; formula: Formula };
  try {
    compiled = compileFormula(row.formula, atoms);
  } catch (e) {
    if (e instanceof FormulaSyntaxError) throw new DefinitionError('drg_formulas.tsv', line, `formula: ${e.message}`);
    throw e;
  }
  const used = atomsOf(compiled.formula).filter((a) => a.prefix === '');
  const names = new Set(used.map((a) => a.name));
  let kind: RowKind = 'placeholder';
  let errorCode: ErrorReturnCode | null = null;
  if (row.drg !== 0) kind = 'drg';
  else if (row.rerouteMdc !== 0) kind = 'reroute';
  else {
    const hit = ERROR_ATOMS.find(([atom]) => names.has(atom));
    if (hit) {
      kind = 'error';
      errorCode = hit[1];
    }
  }
  return {
    list: row.mdc,
    rank: row.rank,
    kind,
    drg: row.drg,
    medSurg: row.medSurg,
    reroute: row.rerouteMdc,
    errorCode,
    test: compiled.test,
    suppression: row.severitySuppression.length > 0 ? bits.mask(row.severitySuppression) : null,
    procAtoms: atoms.list([...names].filter((n) => n !== 'MCC' && n !== 'CC' && !SPECIAL_INDEX.has(n))),
    usesMcc: names.has('MCC'),
    usesCc: names.has('CC'),
    formula: compiled.formula,
    source: row,
  };
}

function compileClusters(defs: Definitions, atoms: Atoms): Map<string, CompiledCluster> {
  const byId = new Map<string, ClusterRow[]>();
  defs.clusters.forEach((c, i) => {
    const rows = byId.get(c.clusterId) ?? [];
    if (rows.some((r) => r.choice === c.choice)) throw new DefinitionError('clusters.tsv', i + 2, `choice ${c.choice} of ${c.clusterId} listed twice`);
    rows.push(c);
    byId.set(c.clusterId, rows);
  });
  const out = new Map<string, CompiledCluster>();
  for (const [id, rows] of byId) {
    rows.sort((a, b) => a.choice - b.choice);
    const choiceOf = new Map<string, number>();
    // a code ticks the lowest-numbered choice listing it
    rows.forEach((r, index) => {
      for (const code of r.codes) if (!choiceOf.has(code)) choiceOf.set(code, index);
    });
    const first = rows[0] as ClusterRow;
    let suppression = 0;
    for (const m of first.suppressionMdcs) if (m >= 0 && m < 31) suppression |= 1 << m;
    out.set(id, { id, choiceOf, choices: rows.length, atoms: atoms.list(first.clusterAttributes), suppression });
  }
  return out;
}

/** The fewest choices among a procedure's clusters (Infinity when it is in none). */
export function minChoices(clusters: readonly CompiledCluster[]): number {
  let min = Infinity;
  for (const c of clusters) min = Math.min(min, c.choices);
  return min;
}

const counterCache = new Map<string, Int32Array>();

function counters(attributes: readonly string[]): Int32Array {
  const key = attributes.join(',');
  const cached = counterCache.get(key);
  if (cached) return cached;
  const c = countersOf(attributes);
  counterCache.set(key, c);
  return c;
}

function countersOf(attributes: readonly string[]): Int32Array {
  const c = new Int32Array(7);
  for (const a of attributes) {
    const vessel = /^vessel([1-4])$/.exec(a);
    if (vessel) c[Counter.Vessels] = (c[Counter.Vessels] ?? 0) + Number(vessel[1]);
    const stent = /^stent([1-4])$/.exec(a);
    if (stent) c[Counter.Stents] = (c[Counter.Stents] ?? 0) + Number(stent[1]);
    if (a === 'sglantfuse') c[Counter.SglAntFuse] = (c[Counter.SglAntFuse] ?? 0) + 1;
    if (a === 'sglpostfuse') c[Counter.SglPostFuse] = (c[Counter.SglPostFuse] ?? 0) + 1;
    if (a === 'sglpostfuse1') c[Counter.SglPostFuse1] = (c[Counter.SglPostFuse1] ?? 0) + 1;
    if (a === 'sglantsectXfuse') c[Counter.SglAntSecTxFuse] = (c[Counter.SglAntSecTxFuse] ?? 0) + 1;
    const side = SIDES.indexOf(a);
    if (side >= 0) c[Counter.Sides] = (c[Counter.Sides] ?? 0) | (1 << side);
  }
  return c;
}

function compileDiagnoses(defs: Definitions, atoms: Atoms, bits: SuppressionBits): Map<string, CompiledDiagnosis> {
  const rowOf = new Map<string, number>();
  defs.diagnoses.forEach((d, i) => rowOf.set(d.code, i));
  const exclusions = new Map<number, RowSet>();
  for (const [group, codes] of defs.ccExclusions) {
    const rows = new Set<number>();
    for (const code of codes) {
      const r = rowOf.get(code);
      if (r !== undefined) rows.add(r);
    }
    exclusions.set(group, new RowSet(rows));
  }
  type Shared = { atoms: Int32Array; suppression: Uint32Array; mccAlive: boolean; hacEntry: boolean; hac06Show: boolean; trauma: number };
  // most codes share their three attribute lists (the parser gives identical cells one array): derive once
  const memo = new Map<readonly string[], Map<readonly string[], Map<readonly string[], Shared>>>();
  const sharedOf = (d: DiagnosisRow): Shared => {
    let byDxcat = memo.get(d.attributes);
    if (!byDxcat) memo.set(d.attributes, (byDxcat = new Map<readonly string[], Map<readonly string[], Shared>>()));
    let byHac = byDxcat.get(d.dxcat);
    if (!byHac) byDxcat.set(d.dxcat, (byHac = new Map<readonly string[], Shared>()));
    let shared = byHac.get(d.hacAttributes);
    if (!shared) {
      const all = [...d.attributes, ...d.dxcat, ...d.hacAttributes];
      let trauma = 0;
      TRAUMA_REGIONS.forEach((r, k) => {
        if (all.includes(r)) trauma |= 1 << k;
      });
      shared = {
        atoms: atoms.list(all),
        suppression: bits.mask(d.attributes),
        mccAlive: d.attributes.includes('mccalive'),
        hacEntry: d.hacAttributes.some((a) => HAC_ENTRY.test(a)),
        hac06Show: d.hacAttributes.includes('hac06_show'),
        trauma,
      };
      byHac.set(d.hacAttributes, shared);
    }
    return shared;
  };
  const out = new Map<string, CompiledDiagnosis>();
  defs.diagnoses.forEach((d, i) => {
    const line = i + 2;
    if (out.has(d.code)) throw new DefinitionError('diagnoses.tsv', line, `${d.code} listed twice`);
    const list = d.pdxExclusionGroup === null ? null : exclusions.get(d.pdxExclusionGroup);
    if (list === undefined) throw new DefinitionError('diagnoses.tsv', line, `exclusion group ${d.pdxExclusionGroup} is not in cc_exclusions.tsv`);
    const shared = sharedOf(d);
    out.set(d.code, {
      index: i,
      code: d.code,
      mdc: d.mdc,
      severity: SEVERITY[d.severity],
      exclusions: list,
      exclusionGroup: d.pdxExclusionGroup,
      atoms: shared.atoms,
      suppression: shared.suppression,
      mccAlive: shared.mccAlive,
      hacNumbers: d.hacNumbers,
      hacListed: d.hacNumbers.length > 0 && shared.hacEntry,
      hac06Show: shared.hac06Show,
      maleMdc: d.maleMdc,
      femaleMdc: d.femaleMdc,
      traumaRegions: shared.trauma,
    });
  });
  return out;
}

/**
 * Compile one version's definitions once: every formula becomes a closure, every code a record with interned
 * atom ids. Throws DefinitionError (file and line) on a formula that does not parse or a dangling reference.
 * @param defs - the parsed definitions
 */
export function compileDefinitions(defs: Definitions): CompiledGrouper {
  const atoms = new Atoms();
  const bits = new SuppressionBits(defs.formulas);
  const clusters = compileClusters(defs, atoms);
  const procedures = new Map<string, CompiledProcedure>();
  defs.procedures.forEach((p, i) => {
    const own = p.clusterIds.map((id) => {
      const c = clusters.get(id);
      if (!c) throw new DefinitionError('procedures.tsv', i + 2, `cluster ${id} is not in clusters.tsv`);
      return c;
    });
    procedures.set(p.code, {
      code: p.code, operatingRoom: p.orClass === 'OR', atoms: atoms.list(p.attributes), clusters: own,
      minClusterChoices: minChoices(own), counters: counters(p.attributes),
    });
  });
  const diagnoses = compileDiagnoses(defs, atoms, bits);
  const diagnosisRows = [...diagnoses.values()];
  const procedureRows = [...procedures.values()];
  return assemble({
    diagnosisRows: RowList.of(diagnosisRows), diagnosisTable: new CodeTable(diagnosisRows.map((d) => d.code)),
    procedureRows: RowList.of(procedureRows), procedureTable: new CodeTable(procedureRows.map((p) => p.code)), defs, atoms, bits,
  });
}

/** The parts a compiled version is assembled from (also when restored from its serialised form). */
export interface CompiledParts {
  diagnosisRows: RowList<CompiledDiagnosis>;
  diagnosisTable: CodeTable;
  procedureRows: RowList<CompiledProcedure>;
  procedureTable: CodeTable;
  defs: Pick<Definitions, 'formulas' | 'hacFormulas' | 'drgs' | 'weights' | 'mdcs'>;
  atoms: Atoms;
  bits: SuppressionBits;
}

/** Compile the formula lists and HAC formulas and build the lookups. */
export function assemble(parts: CompiledParts): CompiledGrouper {
  const { diagnosisRows, diagnosisTable, procedureRows, procedureTable, defs, atoms, bits } = parts;
  const grouped = new Map<number, { row: CompiledRow; order: number }[]>();
  defs.formulas.forEach((r, i) => {
    const row = compileRow(r, i + 2, atoms, bits);
    const list = grouped.get(r.mdc) ?? [];
    list.push({ row, order: r.listOrder });
    grouped.set(r.mdc, list);
  });
  const lists = new Map<number, CompiledRow[]>();
  for (const [mdc, rows] of grouped) {
    rows.sort((a, b) => a.row.rank - b.row.rank || a.order - b.order);
    // placeholder rows (no DRG, no reroute, no error atom) never decide: leave them out of the lists
    lists.set(mdc, rows.map((r) => r.row).filter((r) => r.kind !== 'placeholder'));
  }
  const hacTests = new Map<number, Test>();
  const hacTitles = new Map<number, string>();
  defs.hacFormulas.forEach((h, i) => {
    try {
      hacTests.set(h.hac, compileFormula(h.formula, atoms).test);
    } catch (e) {
      if (e instanceof FormulaSyntaxError) throw new DefinitionError('hac_formulas.tsv', i + 2, `formula: ${e.message}`);
      throw e;
    }
    hacTitles.set(h.hac, h.title);
  });
  return {
    diagnosisTable,
    diagnosisRows,
    procedureTable,
    procedureRows,
    lists,
    hacTests,
    hacFormulas: defs.hacFormulas,
    hacTitles,
    atomCount: atoms.names.length,
    atomNames: atoms.names,
    suppressionWords: bits.words,
    formulas: defs.formulas,
    drgs: new Map(defs.drgs.map((d) => [d.drg, d])),
    weights: new Map(defs.weights.map((w) => [w.drg, w])),
    mdcTitles: new Map(defs.mdcs.map((m) => [m.mdc, m.title])),
  };
}
