import type { ColumnType, Generated } from 'kysely';

type Stamp = ColumnType<Date, Date | undefined, Date>;

/** Kysely types of the encounter tables (src/encounters/migrations). */
export type EncounterTables = {
  provider: { id: Generated<string>; npi: string | null; local_id: string | null; family_name: string; given_name: string; created_at: Stamp };
  encounter: {
    id: Generated<string>;
    patient_id: string;
    account_number: string;
    visit_number: string | null;
    class: string;
    status: 'planned' | 'active' | 'discharged' | 'cancelled';
    admit_at: Date | null;
    discharge_at: Date | null;
    admit_type: string | null;
    admit_source: string | null;
    discharge_disposition: string | null;
    hospital_service: string | null;
    location: string | null;
    room: string | null;
    bed: string | null;
    prior_location: string | null;
    financial_class: string | null;
    payer: string | null;
    attending_id: string | null;
    admitting_id: string | null;
    referring_id: string | null;
    consulting_ids: ColumnType<string[], string[] | undefined, string[]>;
    reported_birth_date: ColumnType<string | null, string | null, string | null>;
    reported_sex: string | null;
    source: string;
    created_at: Stamp;
    updated_at: Stamp;
  };
  encounter_event: { id: Generated<string>; encounter_id: string; event: string; occurred_at: Date | null; recorded_at: Stamp; detail: ColumnType<unknown, string, string> };
};
