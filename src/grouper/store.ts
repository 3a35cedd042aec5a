import { sql, type Kysely, type Transaction } from 'kysely';
import type { GrouperDbTables } from './schema.js';

type Db = Kysely<GrouperDbTables> | Transaction<GrouperDbTables>;

export interface VersionRow {
  id: number;
  version: string;
  fiscalYear: number;
  effectiveFrom: string;
  effectiveTo: string;
  diagnosisRows: number;
  procedureRows: number;
  formulaRows: number;
  drgCount: number;
  contentSha256: string;
  sources: unknown;
  importedAt: Date;
}

/** SQL of the grouper tables, nothing else. */
export const grouperStore = {
  async versions(db: Db): Promise<VersionRow[]> {
    const rows = await db
      .selectFrom('msdrg_version')
      .select([
        'id', 'version', 'fiscal_year', 'diagnosis_rows', 'procedure_rows', 'formula_rows', 'drg_count', 'content_sha256', 'sources', 'imported_at',
        sql<string>`to_char(effective_from, 'YYYY-MM-DD')`.as('effective_from'),
        sql<string>`to_char(effective_to, 'YYYY-MM-DD')`.as('effective_to'),
      ])
      .orderBy('effective_from')
      .execute();
    return rows.map((r) => ({
      id: r.id, version: r.version, fiscalYear: r.fiscal_year, effectiveFrom: r.effective_from, effectiveTo: r.effective_to,
      diagnosisRows: r.diagnosis_rows, procedureRows: r.procedure_rows, formulaRows: r.formula_rows, drgCount: r.drg_count,
      contentSha256: r.content_sha256, sources: r.sources, importedAt: r.imported_at,
    }));
  },

  async insertVersion(db: Db, v: Omit<VersionRow, 'id' | 'importedAt'>, files: Record<string, string>): Promise<number> {
    const row = await db
      .insertInto('msdrg_version')
      .values({
        version: v.version, fiscal_year: v.fiscalYear, effective_from: v.effectiveFrom, effective_to: v.effectiveTo,
        diagnosis_rows: v.diagnosisRows, procedure_rows: v.procedureRows, formula_rows: v.formulaRows, drg_count: v.drgCount,
        sources: JSON.stringify(v.sources), content_sha256: v.contentSha256,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('msdrg_file').values(Object.entries(files).map(([name, body]) => ({ version_id: row.id, name, body }))).execute();
    return row.id;
  },

  /** The stored file texts of one version. */
  async files(db: Db, versionId: number): Promise<Record<string, string>> {
    const rows = await db.selectFrom('msdrg_file').select(['name', 'body']).where('version_id', '=', versionId).execute();
    return Object.fromEntries(rows.map((r) => [r.name, r.body]));
  },
};
