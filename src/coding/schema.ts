import type { ColumnType, Generated } from 'kysely';
import type { CaseStatus } from './dnfb.js';

type Json = ColumnType<unknown, string, string>;
type Stamp = ColumnType<Date, Date | undefined, Date>;

/** Kysely types of the coding tables (src/coding/migrations), plus the platform's access tables it filters by. */
export type CodingTables = {
  coding_case: {
    encounter_id: string;
    patient_id: string;
    account_number: string;
    encounter_class: string;
    discharge_at: Date;
    payer: string | null;
    status: ColumnType<CaseStatus, CaseStatus | undefined, CaseStatus>;
    assigned_to: string | null;
    version: ColumnType<number, number | undefined, number>;
    drg: string | null;
    weight: number | null;
    expected_payment: ColumnType<string | null, string | null | undefined, string | null>;
    grouper_version: string | null;
    edit_count: ColumnType<number, number | undefined, number>;
    finalised_at: Date | null;
    finalised_by: string | null;
    updated_at: Stamp;
  };
  coding_abstract: { encounter_id: string; version: number; saved_at: Stamp; saved_by: string | null; status: string; reason: string | null; abstract: Json; grouping: ColumnType<unknown, string | null, string | null> };
  coding_query: {
    id: Generated<string>;
    encounter_id: string;
    patient_id: string;
    template_id: string;
    template_version: number;
    physician_id: string;
    author_id: string;
    question: string;
    indicators: Json;
    options: Json;
    status: ColumnType<'open' | 'answered' | 'withdrawn', 'open' | undefined, 'open' | 'answered' | 'withdrawn'>;
    sent_at: Stamp;
    escalated_at: Date | null;
    answered_at: Date | null;
    answer: string | null;
    answer_note: string | null;
    agreed: boolean | null;
  };
  coding_dnfb_snapshot: { day: ColumnType<string, string, string>; reason: string; age_band: string; cases: number; amount: ColumnType<string, string, string> };
  coding_sync: { id: Generated<number>; cursor: Date };
};
