-- Encounters (visits) and their ADT history; providers de-duplicated by NPI.
create table provider (
  id bigint generated always as identity primary key,
  npi text unique,
  local_id text,
  family_name text not null default '',
  given_name text not null default '',
  created_at timestamptz not null default now()
);
create unique index provider_local on provider (local_id, family_name, given_name) where npi is null;

create table encounter (
  id text primary key default gen_random_uuid()::text,
  patient_id text not null,
  account_number text not null unique,
  visit_number text,
  class text not null check (class in ('inpatient', 'observation', 'emergency', 'outpatient', 'recurring', 'preadmit', 'obstetrics')),
  status text not null check (status in ('planned', 'active', 'discharged', 'cancelled')),
  admit_at timestamptz,
  discharge_at timestamptz,
  admit_type text,
  admit_source text,
  discharge_disposition text,
  hospital_service text,
  location text,
  room text,
  bed text,
  prior_location text,
  financial_class text,
  payer text,
  attending_id bigint references provider(id),
  admitting_id bigint references provider(id),
  referring_id bigint references provider(id),
  consulting_ids bigint[] not null default '{}',
  -- the demographics the sender gave with this visit, for overlay detection (birth date, sex, age)
  reported_birth_date date,
  reported_sex text,
  source text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index encounter_patient on encounter (patient_id);
create index encounter_census on encounter (status, class) where status = 'active';
create index encounter_discharge on encounter (discharge_at) where status = 'discharged';

-- Every ADT event applied to an encounter, in order: the visit's history.
create table encounter_event (
  id bigint generated always as identity primary key,
  encounter_id text not null references encounter(id),
  event text not null,
  occurred_at timestamptz,
  recorded_at timestamptz not null default now(),
  detail jsonb not null default '{}'
);
create index encounter_event_encounter on encounter_event (encounter_id, id);
comment on table encounter_event is '@append-only ADT history of each encounter';
