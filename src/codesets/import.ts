import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Actor } from '../platform/audit/event.js';
import type { AuditTrail } from '../platform/audit/trail.js';
import type { PlatformTables } from '../platform/db/schema.js';
import { AppError } from '../platform/errors/app-error.js';
import { SourceError, type IndexPath, type ReleaseCode, type TableTerm, type TabularNote } from './model.js';
import { planReleases, type ReleasePlan, type Skipped } from './releases/catalogue.js';
import { hcpcsFromXlsxRows, parseHcpcsFixedWidth } from './releases/hcpcs.js';
import { expandPcsCodes } from './pcs/builder.js';
import { parsePcsDefinitions, type PcsDefinitions } from './pcs/definitions.js';
import { parsePcsTables, type PcsTables } from './pcs/tables.js';
import { parseConversionRows, type ConversionRow } from './releases/conversion.js';
import { parseOrderAddenda, parseOrderFile, parsePoaExempt } from './releases/order-file.js';
import { collectSources, sha256, type SourceFile } from './sources/files.js';
import { schemaFor, validateXml } from './sources/schema-check.js';
import { readXlsxSheet } from './sources/xlsx.js';
import type { CodesetTables } from './schema.js';
import { codesetStore as store, type TabularOutline } from './store.js';
import { parseIndexXml, type IndexCrossRef } from './xml/index-terms.js';
import { parseTableXml } from './xml/tables.js';
import { parseTabularXml } from './xml/tabular.js';

export interface ImportProgress {
  (step: string, done: number, total: number): void;
}

export interface ImportedRelease {
  label: string;
  system: string;
  fiscalYear: number;
  effectiveFrom: string;
  codes: number;
  billable: number;
  status: 'imported' | 'already loaded';
  /** Drug, neoplasm and external-cause rows read (an XML year; also when added to one already loaded). */
  tableRows?: number;
}

export interface ImportReport {
  releases: ImportedRelease[];
  skipped: Skipped[];
}

interface ParsedRelease {
  plan: ReleasePlan;
  codes: ReleaseCode[];
  poaExempt: Set<string> | null;
  notes: TabularNote[];
  paths: IndexPath[];
  xrefs: IndexCrossRef[];
  tables: TableTerm[];
  outline: TabularOutline | null;
  addenda: unknown;
  conversion: ConversionRow[];
  pcs: { tables: PcsTables; definitions: PcsDefinitions | null } | null;
  sources: { file: string; bytes: number; sha256: string }[];
}

/** Feeds a buffer to the streaming XML parsers in 1 MiB pieces, decoding UTF-8 across piece boundaries. */
function chunksOf(buf: Buffer): AsyncIterable<string> {
  const size = 1 << 20;
  return {
    async *[Symbol.asyncIterator]() {
      const decoder = new TextDecoder('utf-8', { fatal: false });
      for (let i = 0; i < buf.length; i += size) {
        yield await Promise.resolve(decoder.decode(buf.subarray(i, i + size), { stream: i + size < buf.length }));
      }
    },
  };
}

type SourceRecord = { file: string; bytes: number; sha256: string; check?: string };

/** Reads a release's files, recording each file's (and its archive's) size and checksum and how it was checked. */
function reader(plan: ReleasePlan, zips: Map<string, { bytes: number; sha256: string }>) {
  const sources = new Map<string, SourceRecord>();
  const read = async (f: SourceFile): Promise<Buffer> => {
    const buf = await f.read();
    const archive = f.display.includes('!') ? f.display.split('!')[0]! : null;
    if (archive && zips.has(archive)) sources.set(archive, { file: archive, ...zips.get(archive)! });
    sources.set(f.display, { file: f.display, bytes: buf.length, sha256: sha256(buf) });
    return buf;
  };
  const checks: Record<string, string> = {};
  const checkSchema = async (f: SourceFile, buf: Buffer) => {
    const name = schemaFor(f.name);
    const xsd = name ? plan.schemas.get(name) : undefined;
    checks[f.display] = validateXml(buf, f.display, xsd ? await xsd.read() : null, xsd ? name : null);
  };
  const records = (): SourceRecord[] => [...sources.values()].map((x) => (checks[x.file] ? { ...x, check: checks[x.file] } : x));
  return { sources, read, checks, checkSchema, records };
}

/**
 * An XML year loaded before Chartroom read its drug, neoplasm and external-cause files: those files only,
 * to add to the loaded release (the rest of it is left as it is).
 */
async function parseTablesOnly(
  plan: ReleasePlan,
  zips: Map<string, { bytes: number; sha256: string }>,
  want: { tables: boolean; outline: boolean },
): Promise<{ tables: TableTerm[]; outline: TabularOutline | null; sources: SourceRecord[] }> {
  const { read, checks, checkSchema, records } = reader(plan, zips);
  const tables = want.tables ? await parseTables(plan, read, checkSchema, checks) : [];
  let outline: TabularOutline | null = null;
  if (want.outline) {
    const tabular = await parseTabularXml(chunksOf(await read(plan.main)), plan.main.display);
    outline = { chapters: tabular.chapters, sections: tabular.sections };
  }
  return { tables, outline, sources: want.tables ? records().filter((s) => s.file !== plan.main.display) : [] };
}

const TABLE_FILE = /^icd10cm_(drug|neoplasm|eindex)_\d{4}\.xml$/i;

/**
 * The Table of Drugs, the Table of Neoplasms and the External Cause Index of an XML year, as rows. Each file
 * is validated against its schema where it matches; CDC's FY2017 drug and neoplasm files do not match the
 * FY2017 schema shipped with them (they pass only the FY2021 one), so such a file is parsed strictly and
 * recorded as unvalidated, with the reason.
 */
async function parseTables(
  plan: ReleasePlan,
  read: (f: SourceFile) => Promise<Buffer>,
  checkSchema: (f: SourceFile, buf: Buffer) => Promise<void>,
  checks: Record<string, string>,
): Promise<TableTerm[]> {
  const rows: TableTerm[] = [];
  for (const c of plan.companions) {
    const m = TABLE_FILE.exec(c.name);
    if (!m) continue;
    const source = m[1]!.toLowerCase() as TableTerm['source'];
    const buf = await read(c);
    try {
      await checkSchema(c, buf);
    } catch (error) {
      if (!(error instanceof SourceError) || source === 'eindex') throw error;
      checks[c.display] = `unvalidated: does not match the FY${plan.fiscalYear} schema shipped with it (${error.message.slice(0, 160)}); parsed strictly`;
    }
    if (source === 'eindex') {
      const index = await parseIndexXml(chunksOf(buf), c.display);
      for (const p of index.paths) rows.push({ source, code: p.code, path: p.path, plainPath: p.plainPath });
    } else {
      const table = await parseTableXml(chunksOf(buf), c.display);
      for (const r of table.rows) rows.push({ source, code: r.code, path: r.path, plainPath: r.plainPath });
    }
  }
  return rows;
}

/** Reads and checks every file of one release (pure parsers; nothing is written yet). */
async function parseRelease(plan: ReleasePlan, zips: Map<string, { bytes: number; sha256: string }>): Promise<ParsedRelease> {
  const { read, checks, checkSchema, records } = reader(plan, zips);
  const main = await read(plan.main);
  if (plan.format === 'tabular-xml') await checkSchema(plan.main, main);
  let codes: ReleaseCode[];
  let notes: TabularNote[] = [];
  let paths: IndexPath[] = [];
  let xrefs: IndexCrossRef[] = [];
  let outline: TabularOutline | null = null;
  switch (plan.format) {
    case 'order':
      codes = parseOrderFile(main.toString('latin1'), plan.main.display, plan.system === 'icd10pcs' ? 'icd10pcs' : 'icd10cm');
      break;
    case 'hcpcs-fixed':
      codes = parseHcpcsFixedWidth(main.toString('latin1'), plan.main.display);
      break;
    case 'hcpcs-xlsx':
      codes = hcpcsFromXlsxRows(await readXlsxSheet(main), plan.main.display);
      break;
    case 'tabular-xml': {
      const tabular = await parseTabularXml(chunksOf(main), plan.main.display);
      codes = tabular.codes;
      notes = tabular.notes;
      outline = { chapters: tabular.chapters, sections: tabular.sections };
      break;
    }
  }
  const tables = await parseTables(plan, read, checkSchema, checks);
  for (const c of plan.companions) {
    if (/^icd10cm_index_\d{4}\.xml$/i.test(c.name)) {
      const buf = await read(c);
      await checkSchema(c, buf);
      const index = await parseIndexXml(chunksOf(buf), c.display);
      paths = paths.concat(index.paths);
      xrefs = xrefs.concat(index.crossRefs);
    }
  }
  let poaExempt: Set<string> | null = null;
  for (const f of plan.poaExempt) {
    const set = parsePoaExempt((await read(f)).toString('latin1'), f.display);
    poaExempt = new Set([...(poaExempt ?? []), ...set]);
  }
  let pcsTables: PcsTables | null = null;
  let pcsDefinitions: PcsDefinitions | null = null;
  for (const c of plan.companions) {
    if (/^icd10pcs_tables_\d{4}\.xml$/i.test(c.name)) {
      const buf = await read(c);
      checks[c.display] = 'unvalidated: CMS publishes no schema for the PCS XML (parsed strictly)';
      pcsTables = await parsePcsTables(chunksOf(buf), c.display);
    }
    if (/^icd10pcs_definitions_\d{4}\.xml$/i.test(c.name)) pcsDefinitions = await parsePcsDefinitions(chunksOf(await read(c)), c.display);
  }
  if (pcsTables) {
    // The tables must describe exactly the order file's valid codes, or they belong to another release.
    const valid = new Set(codes.filter((x) => x.billable).map((x) => x.code));
    const expanded = expandPcsCodes(pcsTables);
    const missing = [...valid].filter((x) => !expanded.has(x)).length;
    const extra = [...expanded].filter((x) => !valid.has(x)).length;
    if (missing + extra > 0) throw new SourceError(plan.companions.find((c) => /tables/i.test(c.name))!.display, null, `the tables expand to ${expanded.size} codes, the order file lists ${valid.size} (${missing} missing, ${extra} extra)`);
  }
  let conversion: ConversionRow[] = [];
  for (const f of plan.conversion) conversion = conversion.concat(parseConversionRows(await readXlsxSheet(await read(f), { fileName: f.display }), f.display));
  const addenda = plan.addenda.length > 0 ? parseOrderAddenda((await read(plan.addenda[0]!)).toString('latin1')) : null;
  return { plan, codes, poaExempt, notes, paths, xrefs, tables, outline, addenda, conversion, pcs: pcsTables ? { tables: pcsTables, definitions: pcsDefinitions } : null, sources: records() };
}

/**
 * `chartroom import codesets <folder|zip>…`: recognises every release in the paths, parses and checks all
 * of them first, then writes them in one transaction. A release already loaded (same system, fiscal
 * year, effective date and kind) is left as it is; a bad file leaves the database untouched and the
 * error names the file and line.
 */
export async function importCodesets(
  db: Kysely<CodesetTables & PlatformTables>,
  audit: AuditTrail,
  actor: Actor,
  paths: string[],
  progress: ImportProgress = () => undefined,
): Promise<ImportReport> {
  let sources;
  try {
    sources = await collectSources(paths);
  } catch (error) {
    throw asImportError(error);
  }
  try {
    const { releases: plans, skipped } = planReleases(sources.files);
    if (plans.length === 0) throw new AppError('CODESET_IMPORT_FAILED', `No code-set release was recognised in ${paths.join(', ')}.`);
    const zips = new Map(sources.zips.map((z) => [z.file, { bytes: z.bytes, sha256: z.sha256 }]));
    const existing = new Map<ReleasePlan, number>();
    for (const p of plans) {
      const found = await store.findRelease(db, p.system, p.fiscalYear, p.effectiveFrom, p.kind);
      if (found) existing.set(p, found.id);
    }
    const parsed: ParsedRelease[] = [];
    const todo = plans.filter((p) => !existing.has(p));
    const backfill: { plan: ReleasePlan; id: number; tables: TableTerm[]; outline: TabularOutline | null; sources: SourceRecord[] }[] = [];
    for (const [p, id] of existing) {
      if (p.kind !== 'xml') continue;
      const want = { tables: p.companions.some((c) => TABLE_FILE.test(c.name)) && !(await store.hasTables(db, id)), outline: p.format === 'tabular-xml' && !(await store.outline(db, id)) };
      if (!want.tables && !want.outline) continue;
      progress(`reading what ${p.label} was loaded without (${[want.tables ? 'drug, neoplasm and external-cause tables' : '', want.outline ? 'chapters and blocks' : ''].filter(Boolean).join(', ')})`, 0, 1);
      try {
        backfill.push({ plan: p, id, ...(await parseTablesOnly(p, zips, want)) });
      } catch (error) {
        throw asImportError(error);
      }
    }
    for (const [i, plan] of todo.entries()) {
      progress(`reading ${plan.label}`, i, todo.length);
      try {
        parsed.push(await parseRelease(plan, zips));
      } catch (error) {
        throw asImportError(error);
      }
    }
    progress('writing', todo.length, todo.length);
    await db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(724007100)`.execute(trx);
      for (const r of parsed) {
        if (await store.findRelease(trx, r.plan.system, r.plan.fiscalYear, r.plan.effectiveFrom, r.plan.kind)) continue;
        const id = await store.insertRelease(trx, {
          system: r.plan.system, fiscalYear: r.plan.fiscalYear, effectiveFrom: r.plan.effectiveFrom, kind: r.plan.kind,
          label: r.plan.label, codes: r.codes, sources: r.sources, addenda: r.addenda, hasNotes: r.notes.length > 0,
        });
        await store.insertCodes(trx, id, r.codes, r.poaExempt);
        await store.insertNotes(trx, id, r.notes);
        await store.insertIndexPaths(trx, id, r.paths);
        await store.insertIndexXrefs(trx, id, r.xrefs);
        await store.insertConversion(trx, id, r.conversion);
        await store.insertTableRows(trx, id, r.tables);
        if (r.outline) await store.insertOutline(trx, id, r.outline);
        if (r.pcs) await store.insertPcsData(trx, id, r.pcs.tables, r.pcs.definitions);
        await audit.recordIn(trx, actor, {
          action: 'write', category: 'reference', resourceType: 'CodeSystemRelease', resourceId: String(id),
          reason: `imported ${r.plan.label}`, details: { codes: r.codes.length, sources: r.sources.map((s) => s.sha256.slice(0, 12)) },
        });
      }
      for (const b of backfill) {
        if (b.outline && !(await store.outline(trx, b.id))) await store.insertOutline(trx, b.id, b.outline);
        if (b.tables.length === 0 || (await store.hasTables(trx, b.id))) continue;
        await store.insertTableRows(trx, b.id, b.tables);
        await store.addSources(trx, b.id, b.sources);
        await audit.recordIn(trx, actor, {
          action: 'write', category: 'reference', resourceType: 'CodeSystemRelease', resourceId: String(b.id),
          reason: `added the drug, neoplasm and external-cause tables to ${b.plan.label}`, details: { rows: b.tables.length, sources: b.sources.map((x) => x.sha256.slice(0, 12)) },
        });
      }
    });
    const report: ImportedRelease[] = plans.map((p) => {
      const r = parsed.find((x) => x.plan === p);
      const tableRows = r ? r.tables.length : backfill.find((x) => x.plan === p)?.tables.length || undefined;
      return {
        label: p.label, system: p.system, fiscalYear: p.fiscalYear, effectiveFrom: p.effectiveFrom,
        codes: r?.codes.length ?? 0, billable: r?.codes.filter((c) => c.billable).length ?? 0,
        status: r ? 'imported' : 'already loaded',
        ...(tableRows ? { tableRows } : {}),
      };
    });
    return { releases: report, skipped };
  } finally {
    sources.close();
  }
}

function asImportError(error: unknown): Error {
  if (error instanceof SourceError) return new AppError('CODESET_FILE_INVALID', error.message, { cause: error });
  return error instanceof Error ? error : new Error(String(error));
}
