import type { ColumnType, Generated } from 'kysely';

/** Kysely types of the HL7 v2 tables (migrations/0001_hl7v2.sql). */
export type Hl7v2Tables = {
  hl7v2_message: {
    id: Generated<number>;
    received_at: ColumnType<Date, Date | undefined, never>;
    sending_app: string;
    sending_facility: string;
    control_id: string;
    message_type: string;
    content_hash: string;
    raw: string;
    status: MessageStatus;
    ack_code: 'AA' | 'AE' | 'AR';
    reused_key: ColumnType<boolean, boolean | undefined, boolean>;
    patient_id: string | null;
    encounter_id: string | null;
    peer: string | null;
    replay_of: number | null;
  };
  hl7v2_error: {
    id: Generated<number>;
    message_id: number;
    created_at: ColumnType<Date, Date | undefined, never>;
    error_code: string;
    hl7_condition: string;
    ack_code: 'AE' | 'AR';
    location: string | null;
    detail: string;
    status: ColumnType<ErrorStatus, ErrorStatus | undefined, ErrorStatus>;
    attempts: ColumnType<number, number | undefined, number>;
    resolved_at: Date | null;
    resolved_by: string | null;
    resolution_note: string | null;
    replay_message_id: number | null;
  };
};

export type MessageStatus = 'applied' | 'duplicate' | 'unsupported' | 'error';
export type ErrorStatus = 'open' | 'replayed' | 'dismissed';
