import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Actor } from '../platform/audit/event.js';
import type { AuditTrail } from '../platform/audit/trail.js';
import type { PlatformTables } from '../platform/db/schema.js';
import { AppError } from '../platform/errors/app-error.js';
import { SourceError, type IndexPath, type ReleaseCode, type TabularNote } from './model.js';
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
import { codesetStore as store } from './store.js';
import { parseIndexXml, type IndexCrossRef } from './xml/index-terms.js';
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

/** Reads and checks every file of one release (pure parsers; nothing is written yet). */
async function parseRelease(plan: ReleasePlan, zips: Map<string, { bytes: number; sha256: string }>): Promise<ParsedRelease> {
  const sources = new Map<string, { file: string; bytes: number; sha256: string }>();
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
  const main = await read(plan.main);
  if (plan.format === 'tabular-xml') await checkSchema(plan.main, main);
  let codes: ReleaseCode[];
  let notes: TabularNote[] = [];
  let paths: IndexPath[] = [];
  let xrefs: IndexCrossRef[] = [];
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
      break;
    }
  }
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
  return { plan, codes, poaExempt, notes, paths, xrefs, addenda, conversion, pcs: pcsTables ? { tables: pcsTables, definitions: pcsDefinitions } : null, sources: [...sources.values()].map((s) => (checks[s.file] ? { ...s, check: checks[s.file] } : s)) };
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
        if (r.pcs) await store.insertPcsData(trx, id, r.pcs.tables, r.pcs.definitions);
        await audit.recordIn(trx, actor, {
          action: 'write', category: 'reference', resourceType: 'CodeSystemRelease', resourceId: String(id),
          reason: `imported ${r.plan.label}`, details: { codes: r.codes.length, sources: r.sources.map((s) => s.sha256.slice(0, 12)) },
        });
      }
    });
    const report: ImportedRelease[] = plans.map((p) => {
      const r = parsed.find((x) => x.plan === p);
      return {
        label: p.label, system: p.system, fiscalYear: p.fiscalYear, effectiveFrom: p.effectiveFrom,
        codes: r?.codes.length ?? 0, billable: r?.codes.filter((c) => c.billable).length ?? 0,
        status: r ? 'imported' : 'already loaded',
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
