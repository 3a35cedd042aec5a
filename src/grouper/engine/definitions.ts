import { DefinitionError, decimalCell, intCell, listCell, ListCells, readTsv, requiredInt } from './tsv.js';

export type SeverityName = 'MCC' | 'CC' | 'NCC';
export type MedSurg = 'SURGICAL' | 'MEDICAL' | 'NA';

export interface DiagnosisRow {
  code: string;
  mdc: number;
  severity: SeverityName;
  pdxExclusionGroup: number | null;
  attributes: string[];
  dxcat: string[];
  hacAttributes: string[];
  hacNumbers: number[];
  maleMdc: number | null;
  femaleMdc: number | null;
}

export interface ProcedureRow {
  code: string;
  orClass: 'OR' | 'NONOR';
  attributes: string[];
  clusterIds: string[];
}

export interface ClusterRow {
  clusterId: string;
  suppressionMdcs: number[];
  choice: number;
  codes: string[];
  clusterAttributes: string[];
}

export interface FormulaRow {
  mdc: number;
  rank: number;
  listOrder: number;
  baseDrg: number;
  drg: number;
  medSurg: MedSurg;
  rerouteMdc: number;
  formula: string;
  severitySuppression: string[];
  drgSeverity: number;
}

export interface DrgRow {
  drg: number;
  mdcs: number[];
  medSurg: string;
  baseDrg: number;
  title: string;
  baseTitle: string;
}

export interface HacFormulaRow {
  hac: number;
  title: string;
  formula: string;
}

export interface WeightRow {
  drg: number;
  /** null for 998/999, which have no weight. */
  weight: number | null;
  gmlos: number | null;
  /** VistA's seventh field; probably the arithmetic mean LOS (FY2025 only), see the refdata README. */
  amlos: number | null;
}

/** One grouper version's definitions, as typed rows (nothing compiled yet). */
export interface Definitions {
  diagnoses: DiagnosisRow[];
  procedures: ProcedureRow[];
  clusters: ClusterRow[];
  ccExclusions: Map<number, string[]>;
  formulas: FormulaRow[];
  drgs: DrgRow[];
  mdcs: { mdc: number; title: string }[];
  hacFormulas: HacFormulaRow[];
  weights: WeightRow[];
}

/** The files a version folder holds (names without `.gz`). */
export const DEFINITION_FILES = [
  'diagnoses.tsv',
  'cc_exclusions.tsv',
  'procedures.tsv',
  'clusters.tsv',
  'drg_formulas.tsv',
  'drgs.tsv',
  'mdcs.tsv',
  'hac_formulas.tsv',
  'hac_operands.tsv',
  'weights.tsv',
] as const;

const CODE = /^[A-Z0-9@]{3,7}$/;

function text(files: Record<string, string>, name: string): string {
  const t = files[name];
  if (t === undefined) throw new DefinitionError(name, 0, 'the file is missing');
  return t;
}

function code(file: string, line: number, value: string): string {
  if (!CODE.test(value)) throw new DefinitionError(file, line, `'${value}' is not a code`);
  return value;
}

function severity(file: string, line: number, value: string): SeverityName {
  if (value === 'MCC' || value === 'CC' || value === 'NCC') return value;
  throw new DefinitionError(file, line, `severity must be MCC, CC or NCC, found '${value}'`);
}

function intList(file: string, line: number, value: string): number[] {
  return listCell(value).map((v) => {
    if (!/^\d+$/.test(v)) throw new DefinitionError(file, line, `'${v}' in a list of numbers`);
    return Number(v);
  });
}

function parseDiagnoses(files: Record<string, string>, lists: ListCells): DiagnosisRow[] {
  const f = 'diagnoses.tsv';
  const cols = ['code', 'mdc', 'severity', 'pdx_exclusion_group', 'attributes', 'dxcat', 'hac_attributes', 'hac_numbers', 'male_mdc', 'female_mdc'];
  return readTsv(f, text(files, f), cols).map((r) => ({
    code: code(f, r.line, r.get('code')),
    mdc: requiredInt(f, r, 'mdc'),
    severity: severity(f, r.line, r.get('severity')),
    pdxExclusionGroup: intCell(f, r, 'pdx_exclusion_group', true),
    attributes: lists.get(r.get('attributes')),
    dxcat: lists.get(r.get('dxcat')),
    hacAttributes: lists.get(r.get('hac_attributes')),
    hacNumbers: intList(f, r.line, r.get('hac_numbers')),
    maleMdc: intCell(f, r, 'male_mdc', true),
    femaleMdc: intCell(f, r, 'female_mdc', true),
  }));
}

function parseProcedures(files: Record<string, string>, lists: ListCells): ProcedureRow[] {
  const f = 'procedures.tsv';
  return readTsv(f, text(files, f), ['code', 'or_class', 'attributes', 'cluster_ids']).map((r) => {
    const orClass = r.get('or_class');
    if (orClass !== 'OR' && orClass !== 'NONOR') throw new DefinitionError(f, r.line, `or_class '${orClass}'`);
    return { code: code(f, r.line, r.get('code')), orClass, attributes: lists.get(r.get('attributes')), clusterIds: lists.get(r.get('cluster_ids')) };
  });
}

function parseClusters(files: Record<string, string>): ClusterRow[] {
  const f = 'clusters.tsv';
  return readTsv(f, text(files, f), ['cluster_id', 'suppression_mdcs', 'choice', 'codes', 'cluster_attributes']).map((r) => {
    const clusterId = r.get('cluster_id');
    if (clusterId === '') throw new DefinitionError(f, r.line, 'cluster_id is empty');
    const codes = listCell(r.get('codes')).map((c) => code(f, r.line, c));
    if (codes.length === 0) throw new DefinitionError(f, r.line, 'a cluster choice without codes');
    return {
      clusterId,
      suppressionMdcs: intList(f, r.line, r.get('suppression_mdcs')),
      choice: requiredInt(f, r, 'choice'),
      codes,
      clusterAttributes: listCell(r.get('cluster_attributes')),
    };
  });
}

function parseExclusions(files: Record<string, string>): Map<number, string[]> {
  const f = 'cc_exclusions.tsv';
  const out = new Map<number, string[]>();
  for (const r of readTsv(f, text(files, f), ['pdx_exclusion_group', 'count', 'excluded_codes'])) {
    const group = requiredInt(f, r, 'pdx_exclusion_group');
    const codes = listCell(r.get('excluded_codes'));
    if (codes.length !== requiredInt(f, r, 'count')) throw new DefinitionError(f, r.line, 'count does not match the codes listed');
    if (out.has(group)) throw new DefinitionError(f, r.line, `group ${group} listed twice`);
    out.set(group, codes);
  }
  return out;
}

function medSurg(file: string, line: number, value: string): MedSurg {
  if (value === 'SURGICAL' || value === 'MEDICAL' || value === 'NA') return value;
  throw new DefinitionError(file, line, `med_surg '${value}'`);
}

function parseFormulas(files: Record<string, string>): FormulaRow[] {
  const f = 'drg_formulas.tsv';
  const cols = ['mdc', 'rank', 'list_order', 'base_drg', 'drg', 'med_surg', 'reroute_mdc', 'formula', 'severity_suppression', 'drg_severity'];
  return readTsv(f, text(files, f), cols).map((r) => ({
    mdc: requiredInt(f, r, 'mdc'),
    rank: requiredInt(f, r, 'rank'),
    listOrder: requiredInt(f, r, 'list_order'),
    baseDrg: requiredInt(f, r, 'base_drg'),
    drg: requiredInt(f, r, 'drg'),
    medSurg: medSurg(f, r.line, r.get('med_surg')),
    rerouteMdc: requiredInt(f, r, 'reroute_mdc'),
    formula: r.get('formula'),
    severitySuppression: listCell(r.get('severity_suppression')),
    drgSeverity: requiredInt(f, r, 'drg_severity'),
  }));
}

/**
 * Parse one version's definition files from their text. Strict: a malformed row throws a DefinitionError naming
 * the file and the line. Formulas are checked by `compileDefinitions`.
 * @param files - file name (as in DEFINITION_FILES) → text
 */
export function parseDefinitions(files: Record<string, string>): Definitions {
  const lists = new ListCells();
  const drgFile = 'drgs.tsv';
  const drgs = readTsv(drgFile, text(files, drgFile), ['drg', 'mdc', 'med_surg', 'base_drg', 'title', 'base_title']).map((r) => ({
    drg: requiredInt(drgFile, r, 'drg'),
    mdcs: intList(drgFile, r.line, r.get('mdc')),
    medSurg: r.get('med_surg'),
    baseDrg: requiredInt(drgFile, r, 'base_drg'),
    title: r.get('title'),
    baseTitle: r.get('base_title'),
  }));
  const mdcFile = 'mdcs.tsv';
  const mdcs = readTsv(mdcFile, text(files, mdcFile), ['mdc', 'title']).map((r) => ({ mdc: requiredInt(mdcFile, r, 'mdc'), title: r.get('title') }));
  const hacFile = 'hac_formulas.tsv';
  const hacFormulas = readTsv(hacFile, text(files, hacFile), ['hac', 'title', 'formula']).map((r) => ({
    hac: requiredInt(hacFile, r, 'hac'),
    title: r.get('title'),
    formula: r.get('formula'),
  }));
  const wFile = 'weights.tsv';
  const weights = readTsv(wFile, text(files, wFile), ['drg', 'weight', 'gmlos', 'vista_field7']).map((r) => ({
    drg: requiredInt(wFile, r, 'drg'),
    weight: decimalCell(wFile, r, 'weight', true),
    gmlos: decimalCell(wFile, r, 'gmlos', true),
    amlos: decimalCell(wFile, r, 'vista_field7', true),
  }));
  if (files['hac_operands.tsv'] !== undefined) readTsv('hac_operands.tsv', files['hac_operands.tsv'], ['code', 'hac_operands', 'hac_numbers']);
  return {
    diagnoses: parseDiagnoses(files, lists),
    procedures: parseProcedures(files, lists),
    clusters: parseClusters(files),
    ccExclusions: parseExclusions(files),
    formulas: parseFormulas(files),
    drgs,
    mdcs,
    hacFormulas,
    weights,
  };
}
