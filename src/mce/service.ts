import type { Kysely } from 'kysely';
import type { Actor } from '../platform/audit/event.js';
import type { AuditTrail } from '../platform/audit/trail.js';
import type { PlatformTables } from '../platform/db/schema.js';
import { AppError } from '../platform/errors/app-error.js';
import type { Principal } from '../platform/security/auth-service.js';
import { edit } from './engine/edit.js';
import type { MceClaim, MceOutcome, MceTables, RecordedEdit, EditType } from './engine/model.js';
import { parseFolder, TableError } from './engine/parse.js';
import { importMce, type ImportedVersion, type ImportProgress } from './import.js';
import type { MceDbTables } from './schema.js';
import { mceStore as store, type VersionRow } from './store.js';

/** The result of editing one claim (the API's shape). */
export interface MceResult {
  editType: EditType;
  /** The version folder whose rows were used; null for `INVALID_DISCHARGE_DATE`. */
  version: string | null;
  dischargeDate: string | null;
  edits: RecordedEdit[];
  counts: { edit: string; count: number }[];
}

export interface MceVersionView {
  version: string;
  windowStart: string;
  windowEnd: string;
  terminationDate: string;
  mceRelease: string;
  diagnosisRows: number;
  procedureRows: number;
  importedAt: string;
}

/** Edits claims with the loaded tables; throws `MCE_TABLES_MISSING` for a valid date no version covers. */
export type ClaimEditor = {
  (claim: MceClaim): MceResult;
  readonly versions: readonly string[];
};

/**
 * The Medicare Code Editor's use cases: import its tables, list the versions, edit a claim. The tables are
 * parsed once and cached until the loaded versions change.
 */
export class MceService {
  private cache: { fingerprint: string; tables: Promise<MceTables> } | null = null;

  constructor(
    private readonly db: Kysely<MceDbTables & PlatformTables>,
    private readonly audit: AuditTrail,
  ) {}

  /** Imports one version folder or a folder of them (see import.ts). */
  async importTables(actor: Actor, root: string, progress?: ImportProgress): Promise<ImportedVersion[]> {
    const report = await importMce(this.db, this.audit, actor, root, progress);
    this.cache = null;
    return report;
  }

  async versions(): Promise<MceVersionView[]> {
    return (await store.versions(this.db)).map(view);
  }

  /** The loaded tables, parsed once per change of the loaded versions. */
  async tables(): Promise<MceTables> {
    const fingerprint = await store.fingerprint(this.db);
    if (this.cache?.fingerprint !== fingerprint) {
      const tables = this.load();
      this.cache = { fingerprint, tables };
      tables.catch(() => {
        if (this.cache?.tables === tables) this.cache = null;
      });
    }
    return this.cache.tables;
  }

  private async load(): Promise<MceTables> {
    const texts = await store.texts(this.db);
    try {
      return { windows: texts.map((t) => parseFolder(t)) };
    } catch (error) {
      if (error instanceof TableError) throw new AppError('MCE_TABLES_INVALID', `stored tables: ${error.message}`, { cause: error });
      throw error;
    }
  }

  /** A synchronous editor over the tables loaded now (for batches). */
  async editor(): Promise<ClaimEditor> {
    const tables = await this.tables();
    const fn = (claim: MceClaim) => resultOf(edit(tables, claim));
    return Object.assign(fn, { versions: tables.windows.map((w) => w.version) });
  }

  /**
   * Edits one claim for a signed-in user (read permission on coding).
   * @param version - optional: when given it must be a loaded version (the rows are still chosen by discharge date)
   */
  async editClaim(principal: Principal, claim: MceClaim, version?: string): Promise<MceResult> {
    if (!principal.permissions.can('read', 'coding')) throw new AppError('FORBIDDEN', 'You may not use the code editor.');
    const editor = await this.editor();
    if (version !== undefined && !editor.versions.includes(version)) throw unknownVersion(version, editor.versions);
    return editor(claim);
  }
}

export function unknownVersion(version: string, loaded: readonly string[]): AppError {
  return new AppError('MCE_VERSION_UNKNOWN', `Version "${version.slice(0, 20)}" is not loaded (loaded: ${loaded.join(', ') || 'none'}).`);
}

function resultOf(outcome: MceOutcome): MceResult {
  if (outcome.kind === 'tables-missing') {
    throw new AppError('MCE_TABLES_MISSING', `No MCE tables are loaded for the discharge date ${outcome.dischargeDate}; import them with chartroom import mce.`);
  }
  return { editType: outcome.editType, version: outcome.version, dischargeDate: outcome.dischargeDate, edits: outcome.edits, counts: outcome.counts };
}

function view(r: VersionRow): MceVersionView {
  return {
    version: r.version, windowStart: r.windowStart, windowEnd: r.windowEnd, terminationDate: r.terminationDate, mceRelease: r.mceRelease,
    diagnosisRows: r.diagnosisRows, procedureRows: r.procedureRows, importedAt: r.importedAt.toISOString(),
  };
}
