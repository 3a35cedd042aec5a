import type { ColumnType, Generated } from 'kysely';

/** Kysely types of the code-set tables (src/codesets/migrations). */
export type CodesetTables = {
  codeset_release: {
    id: Generated<number>;
    system: string;
    fiscal_year: number;
    effective_from: string;
    kind: string;
    label: string;
    code_count: number;
    billable_count: number;
    sources: ColumnType<unknown, string, string>;
    addenda: ColumnType<unknown, string | null, string | null>;
    has_notes: Generated<boolean>;
    has_tables: Generated<boolean>;
    imported_at: ColumnType<Date, Date | undefined, Date>;
  };
  codeset_code: {
    release_id: number;
    code: string;
    billable: boolean;
    short_title: string;
    long_title: string;
    order_no: number | null;
    poa_exempt: boolean | null;
    extra: ColumnType<unknown, string | null, string | null>;
  };
  codeset_note: { release_id: number; code: string; kind: string; seq: number; text: string };
  codeset_index_path: { release_id: number; code: string; path: string[]; plain_path: string[] | null };
  codeset_table_row: { release_id: number; source: string; code: string; path: string[]; plain_path: string[] };
  codeset_tabular_outline: { release_id: number; chapters: ColumnType<unknown, string, string>; sections: ColumnType<unknown, string, string> };
  codeset_index_xref: { release_id: number; refs: ColumnType<unknown, string, string> };
  codeset_pcs_data: { release_id: number; tables: ColumnType<unknown, string, string>; definitions: ColumnType<unknown, string | null, string | null> };
  codeset_conversion: { release_id: number; current_code: string; effective_from: string | null; previous_codes: string };
};
