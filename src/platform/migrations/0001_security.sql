-- Platform: facility, users, roles and permissions, sessions, patient access restrictions, break-the-glass.
create extension if not exists pgcrypto;

create table facility (
  id smallint primary key default 1 check (id = 1),
  name text not null,
  created_at timestamptz not null default now()
);

create table app_user (
  id uuid primary key default gen_random_uuid(),
  username text not null,
  display_name text not null,
  password_hash text not null,
  must_change_password boolean not null default false,
  disabled_at timestamptz,
  mfa_secret text,
  mfa_pending_secret text,
  mfa_enrolled_at timestamptz,
  last_totp_step bigint,
  failed_attempts integer not null default 0,
  locked_until timestamptz,
  last_login_at timestamptz,
  break_glass_authorised boolean not null default false,
  perm_version integer not null default 1,
  created_at timestamptz not null default now()
);
create unique index app_user_username_key on app_user (lower(username));

create table role (
  code text primary key,
  name text not null,
  description text not null
);

-- action x category, allow or deny; a deny from any role or from the user wins.
create table role_permission (
  role_code text not null references role(code) on delete cascade,
  action text not null,
  category text not null,
  effect text not null check (effect in ('allow', 'deny')),
  primary key (role_code, action, category)
);

create table user_role (
  user_id uuid not null references app_user(id) on delete cascade,
  role_code text not null references role(code),
  primary key (user_id, role_code)
);

create table user_permission (
  user_id uuid not null references app_user(id) on delete cascade,
  action text not null,
  category text not null,
  effect text not null check (effect in ('allow', 'deny')),
  primary key (user_id, action, category)
);

create table session (
  token_hash bytea primary key,
  user_id uuid not null references app_user(id) on delete cascade,
  stage text not null check (stage in ('change_password', 'enrol_mfa', 'full')),
  csrf_token text not null,
  source_ip text,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,
  ended_at timestamptz,
  end_reason text
);
create index session_user_open on session (user_id) where ended_at is null;

-- A confidential patient (VIP, staff member, protected case): only listed users see the record;
-- anyone else gets "not found" unless they break the glass.
create table patient_restriction (
  patient_id text primary key,
  reason text not null,
  created_by uuid references app_user(id),
  created_at timestamptz not null default now()
);

create table patient_restriction_allow (
  patient_id text not null references patient_restriction(patient_id) on delete cascade,
  user_id uuid not null references app_user(id) on delete cascade,
  primary key (patient_id, user_id)
);

create table break_glass_grant (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references app_user(id),
  patient_id text not null,
  reason text not null,
  starts_at timestamptz not null default now(),
  ends_at timestamptz not null,
  reviewed_at timestamptz,
  reviewed_by uuid references app_user(id),
  review_note text
);
create index break_glass_grant_active on break_glass_grant (user_id, ends_at);

insert into role (code, name, description) values
  ('him_director', 'HIM director', 'Runs the department: work lists, numbers, every chart'),
  ('coder', 'Coder', 'Abstracts and codes discharged encounters'),
  ('cdi_specialist', 'CDI specialist', 'Clinical documentation improvement and physician queries'),
  ('roi_specialist', 'ROI specialist', 'Release of information and accounting of disclosures'),
  ('registrar', 'Registrar', 'Tumor and other registries'),
  ('clerk', 'HIM clerk', 'Registration, ADT, scanning and indexing, chart tracking'),
  ('physician', 'Physician', 'Completes and signs records, answers queries'),
  ('auditor', 'Auditor', 'Reads the audit trail'),
  ('privacy_officer', 'Privacy officer', 'Privacy reviews, break-the-glass review, access reports'),
  ('admin', 'Administrator', 'Users, roles and settings; no patient data by default');

insert into role_permission (role_code, action, category, effect)
select r.role_code, a.action, r.category, r.effect
from (values
  ('him_director', 'read,print,export', 'demographics', 'allow'),
  ('him_director', 'read,print,export', 'clinical', 'allow'),
  ('him_director', 'read,print,export', 'documents', 'allow'),
  ('him_director', 'read,write,export', 'coding', 'allow'),
  ('him_director', 'read,export', 'billing', 'allow'),
  ('him_director', 'read', 'release', 'allow'),
  ('him_director', 'read', 'registry', 'allow'),
  ('him_director', 'read,export', 'audit', 'allow'),
  ('coder', 'read', 'demographics', 'allow'),
  ('coder', 'read', 'clinical', 'allow'),
  ('coder', 'read', 'documents', 'allow'),
  ('coder', 'read,write', 'coding', 'allow'),
  ('coder', 'read', 'sensitive', 'deny'),
  ('cdi_specialist', 'read', 'demographics', 'allow'),
  ('cdi_specialist', 'read', 'clinical', 'allow'),
  ('cdi_specialist', 'read', 'documents', 'allow'),
  ('cdi_specialist', 'read,write', 'coding', 'allow'),
  ('roi_specialist', 'read,print', 'demographics', 'allow'),
  ('roi_specialist', 'read,print', 'clinical', 'allow'),
  ('roi_specialist', 'read,print', 'documents', 'allow'),
  ('roi_specialist', 'read,write,disclose,print,export', 'release', 'allow'),
  ('registrar', 'read', 'demographics', 'allow'),
  ('registrar', 'read', 'clinical', 'allow'),
  ('registrar', 'read,write,export', 'registry', 'allow'),
  ('clerk', 'read,write', 'demographics', 'allow'),
  ('clerk', 'read,write', 'documents', 'allow'),
  ('clerk', 'read', 'clinical', 'deny'),
  ('clerk', 'read', 'sensitive', 'deny'),
  ('physician', 'read,write,print', 'demographics', 'allow'),
  ('physician', 'read,write,print', 'clinical', 'allow'),
  ('physician', 'read,write', 'documents', 'allow'),
  ('physician', 'read', 'coding', 'allow'),
  ('auditor', 'read,export', 'audit', 'allow'),
  ('privacy_officer', 'read,export', 'audit', 'allow'),
  ('privacy_officer', 'review', 'privacy', 'allow'),
  ('privacy_officer', 'read', 'demographics', 'allow'),
  ('privacy_officer', 'read', 'release', 'allow'),
  ('admin', 'admin', 'users', 'allow'),
  ('admin', 'admin', 'settings', 'allow'),
  ('admin', 'read,export', 'audit', 'allow')
) as r(role_code, actions, category, effect)
cross join lateral unnest(string_to_array(r.actions, ',')) as a(action);
