import type { ColumnType, Generated } from 'kysely';

/** Kysely types of the grouper tables (src/grouper/migrations). */
export type GrouperDbTables = {
  msdrg_version: {
    id: Generated<number>;
    version: string;
    fiscal_year: number;
    effective_from: ColumnType<string, string, string>;
    effective_to: ColumnType<string, string, string>;
    diagnosis_rows: number;
    procedure_rows: number;
    formula_rows: number;
    drg_count: number;
    sources: ColumnType<unknown, string, string>;
    content_sha256: string;
    imported_at: ColumnType<Date, Date | undefined, Date>;
  };
  msdrg_file: { version_id: number; name: string; body: string };
};
