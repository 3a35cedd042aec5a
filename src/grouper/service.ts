import type { Kysely } from 'kysely';
import type { Actor } from '../platform/audit/event.js';
import type { AuditTrail } from '../platform/audit/trail.js';
import type { PlatformTables } from '../platform/db/schema.js';
import { AppError } from '../platform/errors/app-error.js';
import type { Principal } from '../platform/security/auth-service.js';
import type { ClaimInput } from './engine/claim.js';
import { compileDefinitions } from './engine/compile.js';
import type { CompiledGrouper } from './engine/compiled.js';
import { parseDefinitions } from './engine/definitions.js';
import { group, type GroupOptions, type GroupResult } from './engine/group.js';
import { DefinitionError } from './engine/tsv.js';
import type { CompiledCache } from './compiled-cache.js';
import { importMsdrg, type ImportedVersion, type ImportProgress } from './import.js';
import type { GrouperDbTables } from './schema.js';
import { grouperStore as store, type VersionRow } from './store.js';
import { pickVersion } from './choose.js';

export interface GrouperVersionView {
  version: string;
  fiscalYear: number;
  effectiveFrom: string;
  effectiveTo: string;
  diagnosisRows: number;
  procedureRows: number;
  formulaRows: number;
  drgCount: number;
  importedAt: string;
}

/** A claim to group: by `version`, else by `dischargeDate` (YYYY-MM-DD or YYYYMMDD). */
export interface GroupRequest {
  claim: ClaimInput;
  version?: string | null;
  dischargeDate?: string | null;
  options?: GroupOptions;
}

export interface GroupedClaim {
  version: string;
  /** Set when no loaded version is in force on the discharge date and the latest loaded one was used. */
  notice: string | null;
  result: GroupResult;
}

/** The versions loaded and a way to get each one's compiled definitions (for batches). */
export interface GrouperCatalogue {
  versions: readonly VersionRow[];
  /** The version for a claim: `version` wins over the discharge date. Throws MSDRG_VERSION_UNKNOWN / MSDRG_NOT_LOADED. */
  choose(version: string | null, dischargeDate: string | null): { row: VersionRow; notice: string | null };
  compiled(row: VersionRow): Promise<CompiledGrouper>;
}

/**
 * The MS-DRG grouper's use cases: import definitions, list versions, group a claim. Each version is compiled
 * once per process and kept in memory (keyed by its content checksum); a compiled cache under the data
 * directory lets a new process skip parsing.
 */
export class GrouperService {
  private readonly memory = new Map<string, Promise<CompiledGrouper>>();

  constructor(
    private readonly db: Kysely<GrouperDbTables & PlatformTables>,
    private readonly audit: AuditTrail,
    private readonly cache: CompiledCache | null = null,
  ) {}

  /** Imports one version folder or a folder of them (see import.ts), then refreshes the compiled cache. */
  async importDefinitions(actor: Actor, root: string, progress?: ImportProgress): Promise<ImportedVersion[]> {
    const report = await importMsdrg(this.db, this.audit, actor, root, progress);
    if (this.cache) {
      const versions = await store.versions(this.db);
      for (const v of versions) if (!this.cache.has(v)) this.cache.write(v, await store.files(this.db, v.id));
      this.cache.writeIndex(versions);
    }
    return report.versions;
  }

  async versions(): Promise<GrouperVersionView[]> {
    return (await store.versions(this.db)).map(view);
  }

  /** The compiled definitions of a version, compiled once per process. */
  compiled(row: VersionRow): Promise<CompiledGrouper> {
    let known = this.memory.get(row.contentSha256);
    if (!known) {
      known = this.load(row);
      this.memory.set(row.contentSha256, known);
      known.catch(() => this.memory.delete(row.contentSha256));
    }
    return known;
  }

  private async load(row: VersionRow): Promise<CompiledGrouper> {
    const cached = this.cache?.read(row) ?? null;
    if (cached) return cached;
    const files = await store.files(this.db, row.id);
    try {
      if (!this.cache) return compileDefinitions(parseDefinitions(files));
      // A missing or outdated cache file (another format) is written again, and its index with it, so that the next
      // process reads them (and `chartroom group` can run without the database).
      const compiled = this.cache.write(row, files);
      if (this.cache.readIndex() === null) this.cache.writeIndex(await store.versions(this.db));
      return compiled;
    } catch (error) {
      if (error instanceof DefinitionError) throw new AppError('MSDRG_DEFINITIONS_INVALID', `stored ${row.version}: ${error.message}`, { cause: error });
      throw error;
    }
  }

  /** The loaded versions, for a batch. */
  async catalogue(): Promise<GrouperCatalogue> {
    const versions = await store.versions(this.db);
    return { versions, choose: (v, d) => pickVersion(versions, v, d), compiled: (row) => this.compiled(row) };
  }

  /**
   * Groups one claim for a signed-in user (read permission on coding), with the trace.
   * @param request - the claim and its version or discharge date
   */
  async groupClaim(principal: Principal, request: GroupRequest): Promise<GroupedClaim> {
    if (!principal.permissions.can('read', 'coding')) throw new AppError('FORBIDDEN', 'You may not use the grouper.');
    const catalogue = await this.catalogue();
    const { row, notice } = catalogue.choose(request.version ?? null, request.dischargeDate ?? null);
    const compiled = await catalogue.compiled(row);
    const result = group(compiled, request.claim, { trace: true, ...request.options });
    if (notice) result.trace.unshift(notice);
    return { version: row.version, notice, result };
  }
}

function view(r: VersionRow): GrouperVersionView {
  return {
    version: r.version, fiscalYear: r.fiscalYear, effectiveFrom: r.effectiveFrom, effectiveTo: r.effectiveTo, diagnosisRows: r.diagnosisRows,
    procedureRows: r.procedureRows, formulaRows: r.formulaRows, drgCount: r.drgCount, importedAt: r.importedAt.toISOString(),
  };
}
