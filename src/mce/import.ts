import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Actor } from '../platform/audit/event.js';
import type { AuditTrail } from '../platform/audit/trail.js';
import type { PlatformTables } from '../platform/db/schema.js';
import { AppError } from '../platform/errors/app-error.js';
import { isoDate } from './engine/date.js';
import type { WindowTables } from './engine/model.js';
import { parseFolder, TableError } from './engine/parse.js';
import { findVersionFolders, readVersionFolder, type ReadFolder } from './folder.js';
import type { MceDbTables } from './schema.js';
import { mceStore as store } from './store.js';

export interface ImportedVersion {
  version: string;
  windowStart: string;
  windowEnd: string;
  diagnoses: number;
  procedures: number;
  status: 'imported' | 'already loaded';
}

export type ImportProgress = (step: string, done: number, total: number) => void;

interface Checked {
  folder: ReadFolder;
  tables: WindowTables;
  contentSha256: string;
}

const rowCount = (m: ReadonlyMap<string, readonly unknown[]>) => {
  let n = 0;
  for (const rows of m.values()) n += rows.length;
  return n;
};

/**
 * `chartroom import mce <folder>`: one version folder or a folder of them. Every folder is read and fully
 * checked first; then the new versions are written in one transaction, each audited. A version already loaded
 * with the same content is left as it is; the same version with other content, or overlapping windows, is refused.
 */
export async function importMce(
  db: Kysely<MceDbTables & PlatformTables>, audit: AuditTrail, actor: Actor, root: string, progress: ImportProgress = () => undefined,
): Promise<ImportedVersion[]> {
  const dirs = await findVersionFolders(root);
  if (dirs.length === 0) throw new AppError('MCE_IMPORT_FAILED', `No MCE version folder (meta.tsv, diagnoses.tsv.gz, …) in ${root}.`);
  const checked: Checked[] = [];
  for (const [i, dir] of dirs.entries()) {
    progress(`reading ${dir}`, i, dirs.length);
    let folder: ReadFolder;
    try {
      folder = await readVersionFolder(dir);
    } catch (error) {
      throw new AppError('MCE_TABLES_INVALID', `${dir}: ${(error as Error).message}`, { cause: error });
    }
    try {
      const tables = parseFolder(folder.text);
      const contentSha256 = createHash('sha256').update(folder.sources.map((s) => `${s.file}:${s.sha256}`).join('\n')).digest('hex');
      checked.push({ folder, tables, contentSha256 });
    } catch (error) {
      if (error instanceof TableError) throw new AppError('MCE_TABLES_INVALID', error.message, { cause: error });
      throw error;
    }
  }
  progress('checking', dirs.length, dirs.length);
  const existing = await store.versions(db);
  const todo = plan(checked, existing);
  progress('writing', dirs.length, dirs.length);
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(724007300)`.execute(trx);
    const now = await store.versions(trx);
    for (const c of plan(todo, now)) {
      const t = c.tables;
      const id = await store.insertVersion(trx, {
        version: t.version, windowStart: isoDate(t.windowStart), windowEnd: isoDate(t.windowEnd), terminationDate: isoDate(t.terminationDate),
        mceRelease: t.meta.mce_jar ?? '', dataVersion: t.meta.mce_data_version ?? '', diagnosisRows: rowCount(t.diagnoses),
        procedureRows: rowCount(t.procedures), contentSha256: c.contentSha256, sources: c.folder.sources,
      }, c.folder.text);
      await audit.recordIn(trx, actor, {
        action: 'write', category: 'reference', resourceType: 'MceVersion', resourceId: String(id),
        reason: `imported MCE tables ${t.version}`, details: { window: [isoDate(t.windowStart), isoDate(t.windowEnd)], sources: c.folder.sources.map((s) => s.sha256.slice(0, 12)) },
      });
    }
  });
  return checked.map((c) => ({
    version: c.tables.version, windowStart: isoDate(c.tables.windowStart), windowEnd: isoDate(c.tables.windowEnd),
    diagnoses: rowCount(c.tables.diagnoses), procedures: rowCount(c.tables.procedures),
    status: todo.includes(c) ? 'imported' : 'already loaded',
  }));
}

/** The folders still to write; refuses duplicates, conflicting content and overlapping windows. */
function plan(checked: Checked[], existing: { version: string; windowStart: string; windowEnd: string; contentSha256: string }[]): Checked[] {
  const todo: Checked[] = [];
  const seen = new Set<string>();
  for (const c of checked) {
    const v = c.tables.version;
    if (seen.has(v)) throw new AppError('MCE_VERSION_CONFLICT', `Version ${v} is given twice (${c.folder.dir}).`);
    seen.add(v);
    const same = existing.find((e) => e.version === v);
    if (same) {
      if (same.contentSha256 !== c.contentSha256) throw new AppError('MCE_VERSION_CONFLICT', `Version ${v} is already loaded with other content (${c.folder.dir}).`);
      continue;
    }
    todo.push(c);
  }
  const windows = [
    ...existing.map((e) => ({ version: e.version, start: e.windowStart, end: e.windowEnd })),
    ...todo.map((c) => ({ version: c.tables.version, start: isoDate(c.tables.windowStart), end: isoDate(c.tables.windowEnd) })),
  ].sort((a, b) => a.start.localeCompare(b.start));
  for (let i = 1; i < windows.length; i++) {
    const a = windows[i - 1]!;
    const b = windows[i]!;
    if (b.start <= a.end) throw new AppError('MCE_VERSION_CONFLICT', `The windows of ${a.version} (${a.start}..${a.end}) and ${b.version} (${b.start}..${b.end}) overlap.`);
  }
  return todo;
}
