import type { ColumnType, Generated } from 'kysely';

/** Kysely types of the MCE tables (src/mce/migrations). */
export type MceDbTables = {
  mce_version: {
    id: Generated<number>;
    version: string;
    window_start: ColumnType<string, string, string>;
    window_end: ColumnType<string, string, string>;
    termination_date: ColumnType<string, string, string>;
    mce_release: string;
    data_version: string;
    diagnosis_rows: number;
    procedure_rows: number;
    sources: ColumnType<unknown, string, string>;
    content_sha256: string;
    imported_at: ColumnType<Date, Date | undefined, Date>;
  };
  mce_table_text: { version_id: number; name: string; body: string };
};
