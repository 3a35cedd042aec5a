import type { ColumnType, Generated } from 'kysely';

type Json = ColumnType<unknown, string, string>;
type Stamp = ColumnType<Date, Date | undefined, Date>;

/** Kysely types of the patient tables (src/patients/migrations). */
export type PatientTables = {
  patient: {
    id: Generated<string>;
    mrn: string;
    enterprise_id: Generated<string>;
    status: ColumnType<'active' | 'merged', 'active' | 'merged' | undefined, 'active' | 'merged'>;
    merged_into: string | null;
    version: ColumnType<number, number | undefined, number>;
    family_name: string;
    given_name: string;
    middle_name: string;
    suffix: string;
    family_norm: string;
    given_norm: string;
    family_dm: ColumnType<string, never, never>;
    given_dm: ColumnType<string, never, never>;
    birth_date: ColumnType<string | null, string | null, string | null>;
    sex: string;
    postal_code: string;
    phone_digits: string;
    ssn_last4: string | null;
    ssn_sealed: string | null;
    demographics: Json;
    created_at: Stamp;
    updated_at: Stamp;
  };
  patient_version: {
    patient_id: string;
    version: number;
    recorded_at: Stamp;
    recorded_by: string | null;
    source: string;
    reason: string | null;
    demographics: Json;
  };
  patient_identifier: {
    id: Generated<string>;
    patient_id: string;
    authority: string;
    value: string;
    type: string;
    created_at: Stamp;
  };
  patient_merge: {
    id: Generated<string>;
    survivor_id: string;
    merged_id: string;
    merged_at: Stamp;
    merged_by: string | null;
    reason: string | null;
    survivor_version_before: number;
    survivor_version_after: number;
    merged_version_before: number;
    unmerged_at: Date | null;
    unmerged_by: string | null;
    unmerge_reason: string | null;
  };
  patient_merge_move: { merge_id: string; ref_table: string; row_id: string; kind: 'moved' | 'arrived' };
  patient_match_model: { id: Generated<string>; estimated_at: Stamp; records: number; model: Json };
  /** Distinct family and given names, kept by a trigger on patient: name search's trigram lookups. */
  patient_name_term: { term: string };
  patient_match_candidate: {
    id: Generated<string>;
    patient_a: string;
    patient_b: string;
    score: number;
    decision_band: 'match' | 'review';
    explanation: Json;
    status: Generated<'open' | 'match' | 'not_match' | 'overlay' | 'merged'>;
    note: string | null;
    decided_by: string | null;
    decided_at: Date | null;
    found_at: Stamp;
    found_by: string;
  };
};
