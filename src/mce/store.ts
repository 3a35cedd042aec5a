import { sql, type Kysely, type Transaction } from 'kysely';
import type { FolderText } from './engine/parse.js';
import type { MceDbTables } from './schema.js';

type Db = Kysely<MceDbTables> | Transaction<MceDbTables>;

export interface VersionRow {
  id: number;
  version: string;
  windowStart: string;
  windowEnd: string;
  terminationDate: string;
  mceRelease: string;
  dataVersion: string;
  diagnosisRows: number;
  procedureRows: number;
  contentSha256: string;
  sources: unknown;
  importedAt: Date;
}

const TEXT_KEYS = ['diagnoses', 'procedures', 'ageRanges', 'dischargeStatus', 'flags', 'edits', 'meta'] as const;

/** SQL of the MCE tables, nothing else. */
export const mceStore = {
  async versions(db: Db): Promise<VersionRow[]> {
    const rows = await db.selectFrom('mce_version')
      .select(['id', 'version', 'mce_release', 'data_version', 'diagnosis_rows', 'procedure_rows', 'content_sha256', 'sources', 'imported_at',
        sql<string>`to_char(window_start, 'YYYY-MM-DD')`.as('window_start'), sql<string>`to_char(window_end, 'YYYY-MM-DD')`.as('window_end'),
        sql<string>`to_char(termination_date, 'YYYY-MM-DD')`.as('termination_date')])
      .orderBy('window_start').execute();
    return rows.map((r) => ({
      id: r.id, version: r.version, windowStart: r.window_start, windowEnd: r.window_end, terminationDate: r.termination_date,
      mceRelease: r.mce_release, dataVersion: r.data_version, diagnosisRows: r.diagnosis_rows, procedureRows: r.procedure_rows,
      contentSha256: r.content_sha256, sources: r.sources, importedAt: r.imported_at,
    }));
  },

  /** A cheap fingerprint of what is loaded, to know when a cached load is stale. */
  async fingerprint(db: Db): Promise<string> {
    const rows = await db.selectFrom('mce_version').select(['id', 'content_sha256']).orderBy('id').execute();
    return rows.map((r) => `${r.id}:${r.content_sha256}`).join(',');
  },

  async insertVersion(db: Db, v: Omit<VersionRow, 'id' | 'importedAt'>, text: FolderText): Promise<number> {
    const row = await db.insertInto('mce_version').values({
      version: v.version, window_start: v.windowStart, window_end: v.windowEnd, termination_date: v.terminationDate,
      mce_release: v.mceRelease, data_version: v.dataVersion, diagnosis_rows: v.diagnosisRows, procedure_rows: v.procedureRows,
      sources: JSON.stringify(v.sources), content_sha256: v.contentSha256,
    }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('mce_table_text').values(TEXT_KEYS.map((name) => ({ version_id: row.id, name, body: text[name] }))).execute();
    return row.id;
  },

  /** The stored text of every version, in window order. */
  async texts(db: Db): Promise<FolderText[]> {
    const rows = await db.selectFrom('mce_table_text as t').innerJoin('mce_version as v', 'v.id', 't.version_id')
      .select(['v.version', 'v.window_start', 't.name', 't.body']).orderBy('v.window_start').execute();
    const out = new Map<string, Partial<FolderText>>();
    for (const r of rows) {
      const text = out.get(r.version) ?? { folder: r.version };
      (text as Record<string, string>)[r.name] = r.body;
      out.set(r.version, text);
    }
    return [...out.values()] as FolderText[];
  },
};
