import type { ColumnType, Generated } from 'kysely';

/** Kysely types of the platform's own tables (see src/platform/migrations). */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface PlatformTables {
  facility: { id: Generated<number>; name: string; created_at: DefaultedTimestamp };
  app_user: {
    id: Generated<string>;
    username: string;
    display_name: string;
    password_hash: string;
    must_change_password: Generated<boolean>;
    disabled_at: Timestamp | null;
    mfa_secret: string | null;
    mfa_pending_secret: string | null;
    mfa_enrolled_at: Timestamp | null;
    last_totp_step: number | null;
    failed_attempts: Generated<number>;
    locked_until: Timestamp | null;
    last_login_at: Timestamp | null;
    break_glass_authorised: Generated<boolean>;
    perm_version: Generated<number>;
    created_at: DefaultedTimestamp;
  };
  role: { code: string; name: string; description: string };
  role_permission: { role_code: string; action: string; category: string; effect: 'allow' | 'deny' };
  user_role: { user_id: string; role_code: string };
  user_permission: { user_id: string; action: string; category: string; effect: 'allow' | 'deny' };
  session: {
    token_hash: Buffer;
    user_id: string;
    stage: 'change_password' | 'enrol_mfa' | 'full';
    csrf_token: string;
    source_ip: string | null;
    created_at: DefaultedTimestamp;
    last_seen_at: DefaultedTimestamp;
    expires_at: Timestamp;
    ended_at: Timestamp | null;
    end_reason: string | null;
  };
  patient_restriction: { patient_id: string; reason: string; created_by: string | null; created_at: DefaultedTimestamp };
  patient_restriction_allow: { patient_id: string; user_id: string };
  break_glass_grant: {
    id: Generated<string>;
    user_id: string;
    patient_id: string;
    reason: string;
    starts_at: DefaultedTimestamp;
    ends_at: Timestamp;
    reviewed_at: Timestamp | null;
    reviewed_by: string | null;
    review_note: string | null;
  };
  audit_event: {
    id: Generated<number>;
    event_uuid: string;
    occurred_at: Timestamp;
    user_id: string | null;
    username: string | null;
    on_behalf_of: string | null;
    patient_id: string | null;
    action: string;
    category: string;
    resource_type: string | null;
    resource_id: string | null;
    source_ip: string | null;
    channel: string;
    outcome: string;
    reason: string | null;
    break_glass: boolean;
    details: string | null;
    mac: string;
  };
  audit_seal: {
    seq: number;
    event_id: number;
    content_hash: string;
    prev_hash: string;
    hash: string;
    sealed_at: DefaultedTimestamp;
  };
  audit_pending: { event_id: number };
  platform_setting: { key: string; value: ColumnType<unknown, string, string>; updated_at: DefaultedTimestamp; updated_by: string | null };
}
