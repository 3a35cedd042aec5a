import { CodeTable, type CodeTableParts } from './code-table.js';
import { RowList, RowSet, type CompiledCluster, type CompiledDiagnosis, type CompiledGrouper, type CompiledProcedure } from './compiled.js';
import { assemble, Atoms, minChoices, SuppressionBits } from './compile.js';
import type { DrgRow, FormulaRow, HacFormulaRow, WeightRow } from './definitions.js';

/**
 * A compiled version as plain data (typed arrays, strings, numbers): what the compiled cache stores, so a new
 * process rebuilds the lookups without parsing the TSV files. Formulas are stored as text and compiled again
 * (a few hundred rows; fast). Bump FORMAT when the shape changes.
 */
export const SERIAL_FORMAT = 3;

export interface SerializedGrouper {
  format: number;
  atomNames: string[];
  /** Distinct Int32 lists (atom ids, suppression words, HAC numbers), referenced by index. */
  lists: Int32Array[];
  dx: {
    codes: string[];
    mdc: Int8Array;
    severity: Int8Array;
    group: Int32Array;
    atoms: Int32Array;
    suppression: Int32Array;
    hacNumbers: Int32Array;
    /** bit 0 mccAlive, 1 hacListed, 2 hac06Show */
    flags: Uint8Array;
    maleMdc: Int8Array;
    femaleMdc: Int8Array;
    trauma: Int32Array;
    /** The code lookup's hash arrays. */
    table: CodeTableParts;
  };
  /** Exclusion group id → row numbers of its codes. */
  exclusions: [number, Int32Array][];
  px: { codes: string[]; or: Uint8Array; atoms: Int32Array; counters: Int32Array; clusters: Int32Array; table: CodeTableParts };
  clusters: { id: string; codes: string[]; choices: Int32Array; count: number; atoms: number; suppression: number }[];
  formulas: FormulaRow[];
  hacFormulas: HacFormulaRow[];
  drgs: DrgRow[];
  weights: WeightRow[];
  mdcs: { mdc: number; title: string }[];
}

class Lists {
  readonly all: Int32Array[] = [];
  private readonly seen = new Map<string, number>();
  private readonly byRef = new Map<ArrayLike<number>, number>();
  add(values: ArrayLike<number>): number {
    const known = this.byRef.get(values);
    if (known !== undefined) return known;
    const arr = Int32Array.from(values);
    const key = arr.join(',');
    let i = this.seen.get(key);
    if (i === undefined) {
      i = this.all.length;
      this.all.push(arr);
      this.seen.set(key, i);
    }
    this.byRef.set(values, i);
    return i;
  }
}

/** The plain-data form of a compiled version. */
export function serializeCompiled(c: CompiledGrouper): SerializedGrouper {
  const lists = new Lists();
  const d = [...c.diagnosisRows];
  const n = d.length;
  const dx = {
    codes: d.map((x) => x.code), mdc: new Int8Array(n), severity: new Int8Array(n), group: new Int32Array(n), atoms: new Int32Array(n),
    suppression: new Int32Array(n), hacNumbers: new Int32Array(n), flags: new Uint8Array(n), maleMdc: new Int8Array(n), femaleMdc: new Int8Array(n),
    trauma: new Int32Array(n), table: c.diagnosisTable.parts(),
  };
  const exclusions = new Map<number, Int32Array>();
  d.forEach((x, i) => {
    dx.mdc[i] = x.mdc;
    dx.severity[i] = x.severity;
    dx.group[i] = x.exclusionGroup ?? -1;
    if (x.exclusionGroup !== null && x.exclusions && !exclusions.has(x.exclusionGroup)) exclusions.set(x.exclusionGroup, x.exclusions.sortedRows());
    dx.atoms[i] = lists.add(x.atoms);
    dx.suppression[i] = lists.add(new Int32Array(x.suppression.buffer, x.suppression.byteOffset, x.suppression.length));
    dx.hacNumbers[i] = lists.add(x.hacNumbers);
    dx.flags[i] = (x.mccAlive ? 1 : 0) | (x.hacListed ? 2 : 0) | (x.hac06Show ? 4 : 0);
    dx.maleMdc[i] = x.maleMdc ?? -1;
    dx.femaleMdc[i] = x.femaleMdc ?? -1;
    dx.trauma[i] = x.traumaRegions;
  });
  const clusterIndex = new Map<string, number>();
  const clusters: SerializedGrouper['clusters'] = [];
  const p = [...c.procedureRows];
  const px = {
    codes: p.map((x) => x.code), or: new Uint8Array(p.length), atoms: new Int32Array(p.length), counters: new Int32Array(p.length), clusters: new Int32Array(p.length),
    table: c.procedureTable.parts(),
  };
  p.forEach((x, i) => {
    px.or[i] = x.operatingRoom ? 1 : 0;
    px.atoms[i] = lists.add(x.atoms);
    px.counters[i] = lists.add(x.counters);
    const ids = x.clusters.map((cl) => {
      let k = clusterIndex.get(cl.id);
      if (k === undefined) {
        k = clusters.length;
        clusterIndex.set(cl.id, k);
        const codes = [...cl.choiceOf.keys()];
        clusters.push({ id: cl.id, codes, choices: Int32Array.from(codes, (code) => cl.choiceOf.get(code) ?? 0), count: cl.choices, atoms: lists.add(cl.atoms), suppression: cl.suppression });
      }
      return k;
    });
    px.clusters[i] = lists.add(ids);
  });
  return {
    format: SERIAL_FORMAT, atomNames: [...c.atomNames], lists: lists.all, dx, exclusions: [...exclusions], px, clusters,
    formulas: [...c.formulas], hacFormulas: [...c.hacFormulas], drgs: [...c.drgs.values()], weights: [...c.weights.values()],
    mdcs: [...c.mdcTitles].map(([mdc, title]) => ({ mdc, title })),
  };
}

/** Rebuild a compiled version from its plain-data form (throws on another format). */
export function restoreCompiled(s: SerializedGrouper): CompiledGrouper {
  if (s.format !== SERIAL_FORMAT) throw new Error(`serialised grouper format ${s.format}, expected ${SERIAL_FORMAT}`);
  const atoms = Atoms.of(s.atomNames);
  const bits = new SuppressionBits(s.formulas);
  const list = (i: number): Int32Array => s.lists[i] ?? new Int32Array(0);
  const suppression = new Map<number, Uint32Array>();
  const supp = (i: number): Uint32Array => {
    let u = suppression.get(i);
    if (!u) suppression.set(i, (u = Uint32Array.from(list(i))));
    return u;
  };
  const hacLists = new Map<number, number[]>();
  const hac = (i: number): number[] => {
    let h = hacLists.get(i);
    if (!h) hacLists.set(i, (h = Array.from(list(i))));
    return h;
  };
  // stored sorted (serializeCompiled writes RowSet's own array)
  const exclusions = new Map<number, RowSet>(s.exclusions.map(([g, rows]) => [g, new RowSet(rows, true)]));
  const excl = (group: number): RowSet => exclusions.get(group) ?? new RowSet([]);
  const d = s.dx;
  const diagnosisRows = new RowList<CompiledDiagnosis>(d.codes.length, (i) => {
    const group = d.group[i] as number;
    const flags = d.flags[i] as number;
    const male = d.maleMdc[i] as number;
    const female = d.femaleMdc[i] as number;
    return {
      index: i, code: d.codes[i] as string, mdc: d.mdc[i] as number, severity: d.severity[i] as number,
      exclusions: group < 0 ? null : excl(group), exclusionGroup: group < 0 ? null : group,
      atoms: list(d.atoms[i] as number), suppression: supp(d.suppression[i] as number), mccAlive: (flags & 1) !== 0,
      hacNumbers: hac(d.hacNumbers[i] as number), hacListed: (flags & 2) !== 0, hac06Show: (flags & 4) !== 0,
      maleMdc: male < 0 ? null : male, femaleMdc: female < 0 ? null : female, traumaRegions: d.trauma[i] as number,
    };
  });
  const clusters = new RowList<CompiledCluster>(s.clusters.length, (k) => {
    const c = s.clusters[k]!;
    return { id: c.id, choiceOf: new Map(c.codes.map((code, j) => [code, c.choices[j] as number])), choices: c.count, atoms: list(c.atoms), suppression: c.suppression };
  });
  const clusterLists = new Map<number, CompiledCluster[]>();
  const p = s.px;
  const procedureRows = new RowList<CompiledProcedure>(p.codes.length, (i) => {
    const ci = p.clusters[i] as number;
    let own = clusterLists.get(ci);
    if (!own) clusterLists.set(ci, (own = Array.from(list(ci), (k) => clusters.at(k))));
    return {
      code: p.codes[i] as string, operatingRoom: p.or[i] === 1, atoms: list(p.atoms[i] as number), clusters: own,
      minClusterChoices: minChoices(own), counters: list(p.counters[i] as number),
    };
  });
  return assemble({ diagnosisRows, diagnosisTable: new CodeTable(d.table), procedureRows, procedureTable: new CodeTable(p.table), defs: s, atoms, bits });
}
