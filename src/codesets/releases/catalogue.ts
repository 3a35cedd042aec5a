import type { SourceFile } from '../sources/files.js';
import type { CodeSystem } from '../model.js';

/**
 * Recognises the files CMS and CDC publish by name and groups them into releases. Pure: names in,
 * plan out. A release is identified by system, fiscal year and effective date — not by content (the
 * April 2025 ICD-10-CM files equal October 2024's and are still a release of their own).
 */
export type ReleaseKind = 'october' | 'april' | 'annual' | 'quarterly' | 'xml';

export interface ReleasePlan {
  system: CodeSystem;
  fiscalYear: number;
  /** YYYY-MM-DD */
  effectiveFrom: string;
  kind: ReleaseKind;
  label: string;
  /** The file that lists the codes: an order file, an HCPCS file, or a tabular XML. */
  main: SourceFile;
  format: 'order' | 'hcpcs-fixed' | 'hcpcs-xlsx' | 'tabular-xml';
  addenda: SourceFile[];
  poaExempt: SourceFile[];
  conversion: SourceFile[];
  /** XML companions: alphabetic index, drug, neoplasm and external-cause tables, PCS tables and definitions. */
  companions: SourceFile[];
  /** XSDs found beside the XML files (same zip or folder), by file name. */
  schemas: Map<string, SourceFile>;
}

export interface Skipped {
  file: string;
  why: string;
}

const MONTHS: Record<string, string> = { JAN: '01', APR: '04', JUL: '07', OCT: '10' };
const zipOf = (f: SourceFile) => f.display.split('!')[0];

export function planReleases(files: SourceFile[]): { releases: ReleasePlan[]; skipped: Skipped[] } {
  const releases: ReleasePlan[] = [];
  const skipped: Skipped[] = [];
  const extras: SourceFile[] = [];
  const add = (p: Omit<ReleasePlan, 'addenda' | 'poaExempt' | 'conversion' | 'companions' | 'schemas'>) =>
    releases.push({ ...p, addenda: [], poaExempt: [], conversion: [], companions: [], schemas: new Map() });
  const txtHcpcs = new Set(files.map((f) => f.name).filter((n) => /^HCPC\d{4}_\w+_ANWEB\.txt$/i.test(n)).map((n) => n.replace(/\.txt$/i, '')));

  for (const f of files) {
    const n = f.name;
    let m: RegExpExecArray | null;
    if ((m = /^icd10cm_order_(\d{4})\.txt$/i.exec(n))) {
      const y = Number(m[1]);
      add({ system: 'icd10cm', fiscalYear: y, effectiveFrom: `${y - 1}-10-01`, kind: 'october', label: `ICD-10-CM FY${y}`, main: f, format: 'order' });
    } else if ((m = /^icd10cm[-_]order[-_]april[-_](\d{4})\.txt$/i.exec(n))) {
      const y = Number(m[1]);
      add({ system: 'icd10cm', fiscalYear: y, effectiveFrom: `${y}-04-01`, kind: 'april', label: `ICD-10-CM FY${y} April update`, main: f, format: 'order' });
    } else if ((m = /^icd10pcs_order_(\d{4})\.txt$/i.exec(n))) {
      const y = Number(m[1]);
      add({ system: 'icd10pcs', fiscalYear: y, effectiveFrom: `${y - 1}-10-01`, kind: 'october', label: `ICD-10-PCS FY${y}`, main: f, format: 'order' });
    } else if ((m = /^icd10pcs[-_]order[-_]april[-_](\d{4})\.txt$/i.exec(n))) {
      const y = Number(m[1]);
      add({ system: 'icd10pcs', fiscalYear: y, effectiveFrom: `${y}-04-01`, kind: 'april', label: `ICD-10-PCS FY${y} April update`, main: f, format: 'order' });
    } else if ((m = /^icd10cm_tabular_(\d{4})\.xml$/i.exec(n))) {
      const y = Number(m[1]);
      add({ system: 'icd10cm', fiscalYear: y, effectiveFrom: `${y - 1}-10-01`, kind: 'xml', label: `ICD-10-CM FY${y} (tabular XML)`, main: f, format: 'tabular-xml' });
    } else if ((m = /^HCPC(\d{4})_(\w+?)_ANWEB(_v\d+)?\.(txt|xlsx)$/i.exec(n))) {
      const y = Number(m[1]);
      const part = m[2]!.toUpperCase();
      if (m[4]!.toLowerCase() === 'xlsx' && txtHcpcs.has(n.replace(/\.xlsx$/i, ''))) {
        skipped.push({ file: f.display, why: 'the .txt copy of the same HCPCS file is imported instead' });
        continue;
      }
      const month = MONTHS[part] ?? '01';
      add({
        system: 'hcpcs', fiscalYear: y, effectiveFrom: `${y}-${month}-01`, kind: MONTHS[part] ? 'quarterly' : 'annual',
        label: MONTHS[part] ? `HCPCS ${y} ${part.charAt(0)}${part.slice(1).toLowerCase()} update` : `HCPCS ${y} annual`,
        main: f, format: m[4]!.toLowerCase() === 'txt' ? 'hcpcs-fixed' : 'hcpcs-xlsx',
      });
    } else {
      extras.push(f);
    }
  }

  for (const f of extras) {
    const n = f.name;
    let m: RegExpExecArray | null;
    const sameZip = (r: ReleasePlan) => zipOf(r.main) === zipOf(f) && zipOf(f) !== f.display;
    if (/addenda/i.test(n) && /order/i.test(n)) {
      const r = releases.find(sameZip);
      if (r) r.addenda.push(f);
      else skipped.push({ file: f.display, why: 'an addenda file without its order file' });
    } else if (/^icd10cm[-_]codes/i.test(n) || /codes[-_]addenda/i.test(n)) {
      skipped.push({ file: f.display, why: 'the codes file repeats the billable lines of the order file, which is imported' });
    } else if ((m = /^POAexemptCodesFY(\d{2})\.txt$/i.exec(n))) {
      const y = 2000 + Number(m[1]);
      const targets = releases.filter((r) => r.system === 'icd10cm' && r.fiscalYear === y && r.kind !== 'xml');
      if (targets.length === 0) skipped.push({ file: f.display, why: `no ICD-10-CM FY${y} release to apply the POA-exempt list to` });
      for (const r of targets) r.poaExempt.push(f);
    } else if ((m = /conversion[-_]table[-_]FY(\d{4})\.xlsx$/i.exec(n))) {
      const y = Number(m[1]);
      const targets = releases.filter((r) => r.system === 'icd10cm' && r.fiscalYear === y && r.kind !== 'xml');
      if (targets.length === 0) skipped.push({ file: f.display, why: `no ICD-10-CM FY${y} release for the conversion table` });
      for (const r of targets) r.conversion.push(f);
    } else if ((m = /^icd10cm_(index|eindex|drug|neoplasm)_(\d{4})\.xml$/i.exec(n))) {
      const y = Number(m[2]);
      const r = releases.find((x) => x.system === 'icd10cm' && x.kind === 'xml' && x.fiscalYear === y);
      if (r) r.companions.push(f);
      else skipped.push({ file: f.display, why: `no ICD-10-CM tabular XML of FY${y}: its ${m[1]} file has no version to belong to` });
    } else if ((m = /^icd10pcs_(tables|index|definitions)_(\d{4})\.xml$/i.exec(n))) {
      const y = Number(m[2]);
      const r = releases.find((x) => x.system === 'icd10pcs' && x.kind === 'october' && x.fiscalYear === y);
      if (r) r.companions.push(f);
      else skipped.push({ file: f.display, why: `no ICD-10-PCS FY${y} order file for its ${m[1]} XML` });
    } else if (/\.(txt|xml|xlsx|csv)$/i.test(n) && !/readme|layout|notes|trans_alpha|\.xsd$/i.test(n) && !/^POAexempt(Add|Delete|Revise)/i.test(n)) {
      skipped.push({ file: f.display, why: 'not a code-set file Chartroom imports' });
    }
  }
  // A schema belongs to the XML files in the same archive or folder. (The FY2017 drug and neoplasm files
  // validate only against the FY2021 schema; they are not imported, so that case does not arise here.)
  const folderOf = (f: SourceFile) => (f.display.includes('!') ? f.display.split('!')[0]! : f.display.slice(0, f.display.lastIndexOf('/')));
  for (const xsd of files.filter((f) => /\.xsd$/i.test(f.name))) {
    for (const r of releases) {
      if ([r.main, ...r.companions].some((x) => folderOf(x) === folderOf(xsd))) r.schemas.set(xsd.name, xsd);
    }
  }
  releases.sort((a, b) => a.system.localeCompare(b.system) || a.effectiveFrom.localeCompare(b.effectiveFrom) || a.kind.localeCompare(b.kind));
  return { releases, skipped };
}
