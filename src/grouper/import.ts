import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { Actor } from '../platform/audit/event.js';
import type { AuditTrail } from '../platform/audit/trail.js';
import type { PlatformTables } from '../platform/db/schema.js';
import { AppError } from '../platform/errors/app-error.js';
import { compileDefinitions } from './engine/compile.js';
import { parseDefinitions, type Definitions } from './engine/definitions.js';
import { DefinitionError } from './engine/tsv.js';
import { asTextMap, readVersionFolder, type DefinitionFile } from './folder.js';
import type { GrouperDbTables } from './schema.js';
import { grouperStore as store, type VersionRow } from './store.js';
import { datingByRule, datingFromReadme, datingProblem, type VersionDating } from './versions.js';

export interface ImportedVersion {
  version: string;
  fiscalYear: number;
  effectiveFrom: string;
  effectiveTo: string;
  diagnoses: number;
  procedures: number;
  formulas: number;
  status: 'imported' | 'already loaded';
}

export type ImportProgress = (step: string, done: number, total: number) => void;

interface Checked {
  dir: string;
  dating: VersionDating;
  files: DefinitionFile[];
  defs: Definitions;
  contentSha256: string;
}

/** One version folder (holds drg_formulas.tsv) or the folders inside `root` that are. */
async function versionFolders(root: string): Promise<string[]> {
  if (!existsSync(root)) throw new AppError('MSDRG_IMPORT_FAILED', `${root} does not exist.`);
  if (existsSync(path.join(root, 'drg_formulas.tsv'))) return [root];
  const entries = await readdir(root, { withFileTypes: true }).catch((error: unknown) => {
    throw new AppError('MSDRG_IMPORT_FAILED', `${root}: ${(error as Error).message}`);
  });
  return entries
    .filter((e) => e.isDirectory() && existsSync(path.join(root, e.name, 'drg_formulas.tsv')))
    .map((e) => path.join(root, e.name))
    .sort();
}

/** The README beside the version folders (or inside one) that states the windows. */
async function readmeDating(dir: string): Promise<Map<string, VersionDating>> {
  for (const file of [path.join(path.dirname(dir), 'README.md'), path.join(dir, 'README.md')]) {
    if (existsSync(file)) return datingFromReadme(await readFile(file, 'utf8'));
  }
  return new Map();
}

async function check(dir: string): Promise<Checked> {
  const version = path.basename(dir);
  const stated = (await readmeDating(dir)).get(version) ?? datingByRule(version);
  if (stated === null) throw new AppError('MSDRG_DEFINITIONS_INVALID', `${dir}: the folder is not named like a grouper version (vNN.0 / vNN.1) and no README dates it.`);
  const problem = datingProblem(stated);
  if (problem) throw new AppError('MSDRG_DEFINITIONS_INVALID', `${dir}: ${problem}.`);
  const files = await readVersionFolder(dir);
  try {
    const defs = parseDefinitions(asTextMap(files));
    compileDefinitions(defs); // every formula must compile
    const contentSha256 = createHash('sha256').update(files.map((f) => `${f.name}:${f.sha256}`).join('\n')).digest('hex');
    return { dir, dating: stated, files, defs, contentSha256 };
  } catch (error) {
    if (error instanceof DefinitionError) throw new AppError('MSDRG_DEFINITIONS_INVALID', `${dir}: ${error.message}`, { cause: error });
    throw error;
  }
}

/** The folders still to write; refuses duplicates and conflicting content. */
function plan(checked: Checked[], existing: VersionRow[]): Checked[] {
  const seen = new Set<string>();
  const todo: Checked[] = [];
  for (const c of checked) {
    const v = c.dating.version;
    if (seen.has(v)) throw new AppError('MSDRG_VERSION_CONFLICT', `Version ${v} is given twice (${c.dir}).`);
    seen.add(v);
    const same = existing.find((e) => e.version === v);
    if (same) {
      if (same.contentSha256 !== c.contentSha256) throw new AppError('MSDRG_VERSION_CONFLICT', `Version ${v} is already loaded with other content (${c.dir}).`);
      continue;
    }
    todo.push(c);
  }
  return todo;
}

/**
 * `chartroom import msdrg <folder>`: one version folder or a folder of them. Every folder is read, parsed and
 * compiled first; then the new versions are written in one transaction, each audited. A version already loaded
 * with the same content is left as it is (re-import is a no-op); the same version with other content is refused.
 */
export async function importMsdrg(
  db: Kysely<GrouperDbTables & PlatformTables>,
  audit: AuditTrail,
  actor: Actor,
  root: string,
  progress: ImportProgress = () => undefined,
): Promise<{ versions: ImportedVersion[]; written: number[] }> {
  const dirs = await versionFolders(root);
  if (dirs.length === 0) throw new AppError('MSDRG_IMPORT_FAILED', `No MS-DRG version folder (with drg_formulas.tsv) in ${root}.`);
  const checked: Checked[] = [];
  for (const [i, dir] of dirs.entries()) {
    progress(`checking ${path.basename(dir)}`, i, dirs.length + 1);
    checked.push(await check(dir));
  }
  const todo = plan(checked, await store.versions(db));
  progress('writing', dirs.length, dirs.length + 1);
  const written: number[] = [];
  if (todo.length > 0) {
    await db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(724007301)`.execute(trx);
      for (const c of plan(todo, await store.versions(trx))) {
        const sources = c.files.map((f) => ({ file: f.stored, bytes: Buffer.byteLength(f.text), sha256: f.sha256 }));
        const id = await store.insertVersion(
          trx,
          {
            version: c.dating.version, fiscalYear: c.dating.fiscalYear, effectiveFrom: c.dating.effectiveFrom, effectiveTo: c.dating.effectiveTo,
            diagnosisRows: c.defs.diagnoses.length, procedureRows: c.defs.procedures.length, formulaRows: c.defs.formulas.length,
            drgCount: c.defs.drgs.length, contentSha256: c.contentSha256, sources,
          },
          asTextMap(c.files),
        );
        written.push(id);
        await audit.recordIn(trx, actor, {
          action: 'write', category: 'reference', resourceType: 'MsdrgVersion', resourceId: String(id),
          reason: `imported MS-DRG definitions ${c.dating.version}`,
          details: { window: [c.dating.effectiveFrom, c.dating.effectiveTo], sources: sources.map((s) => `${s.file}:${s.sha256.slice(0, 12)}`) },
        });
      }
    });
  }
  progress('done', dirs.length + 1, dirs.length + 1);
  const versions = checked.map((c): ImportedVersion => ({
    version: c.dating.version, fiscalYear: c.dating.fiscalYear, effectiveFrom: c.dating.effectiveFrom, effectiveTo: c.dating.effectiveTo,
    diagnoses: c.defs.diagnoses.length, procedures: c.defs.procedures.length, formulas: c.defs.formulas.length,
    status: todo.includes(c) ? 'imported' : 'already loaded',
  }));
  return { versions, written };
}
