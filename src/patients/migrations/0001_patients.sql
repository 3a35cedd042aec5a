-- Master patient index: patients, their demographics history, identifiers, merges and the duplicate work list.
create extension if not exists pg_trgm;
create extension if not exists fuzzystrmatch;

create sequence patient_mrn_seq start 1000;

-- The current state of each patient, kept for search; every change also writes a patient_version row.
create table patient (
  id text primary key default gen_random_uuid()::text,
  mrn text not null unique,
  enterprise_id text not null unique default gen_random_uuid()::text,
  status text not null default 'active' check (status in ('active', 'merged')),
  merged_into text references patient(id),
  version integer not null default 1,
  family_name text not null default '',
  given_name text not null default '',
  middle_name text not null default '',
  suffix text not null default '',
  -- lower-case, accents and punctuation removed: what search compares
  family_norm text not null default '',
  given_norm text not null default '',
  family_dm text generated always as (dmetaphone(family_norm)) stored,
  given_dm text generated always as (dmetaphone(given_norm)) stored,
  birth_date date,
  sex text not null default 'U',
  postal_code text not null default '',
  phone_digits text not null default '',
  ssn_last4 text,
  ssn_sealed text,
  demographics jsonb not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index patient_family_trgm on patient using gin (family_norm gin_trgm_ops);
create index patient_given_trgm on patient using gin (given_norm gin_trgm_ops);
create index patient_family_dm on patient (family_dm, given_norm);
create index patient_given_dm on patient (given_dm);
create index patient_birth on patient (birth_date);
create index patient_ssn4 on patient (ssn_last4) where ssn_last4 is not null;
create index patient_phone on patient (phone_digits) where phone_digits <> '';

-- Nothing is overwritten: each registration, update, merge and unmerge is a new version.
create table patient_version (
  patient_id text not null references patient(id),
  version integer not null,
  recorded_at timestamptz not null default now(),
  recorded_by text,
  source text not null,
  reason text,
  demographics jsonb not null,
  primary key (patient_id, version)
);
comment on table patient_version is '@append-only demographics history';

-- Identifiers by assigning authority: the facility MRN (authority CHARTROOM-MRN), the enterprise id, external ids.
create table patient_identifier (
  id bigint generated always as identity primary key,
  patient_id text not null references patient(id),
  authority text not null,
  value text not null,
  type text not null default 'MR',
  created_at timestamptz not null default now(),
  unique (authority, value)
);
create index patient_identifier_patient on patient_identifier (patient_id);
create index patient_identifier_value on patient_identifier (value);

-- A merge: the merged patient's references moved to the survivor; every moved row is listed for unmerge.
create table patient_merge (
  id bigint generated always as identity primary key,
  survivor_id text not null references patient(id),
  merged_id text not null references patient(id),
  merged_at timestamptz not null default now(),
  merged_by text,
  reason text,
  survivor_version_before integer not null,
  survivor_version_after integer not null,
  merged_version_before integer not null,
  unmerged_at timestamptz,
  unmerged_by text,
  unmerge_reason text
);
create index patient_merge_survivor on patient_merge (survivor_id);
create index patient_merge_merged on patient_merge (merged_id);

create table patient_merge_move (
  merge_id bigint not null references patient_merge(id),
  ref_table text not null,
  row_id text not null,
  -- 'moved' at merge time; 'arrived' for rows that came in for the merged patient after the merge
  kind text not null default 'moved' check (kind in ('moved', 'arrived')),
  primary key (merge_id, ref_table, row_id)
);

-- The duplicate work list: candidate pairs with the matcher's explanation and the reviewer's decision.
create table patient_match_candidate (
  id bigint generated always as identity primary key,
  patient_a text not null references patient(id),
  patient_b text not null references patient(id),
  score double precision not null,
  decision_band text not null check (decision_band in ('match', 'review')),
  explanation jsonb not null,
  status text not null default 'open' check (status in ('open', 'match', 'not_match', 'overlay', 'merged')),
  note text,
  decided_by text,
  decided_at timestamptz,
  found_at timestamptz not null default now(),
  found_by text not null,
  check (patient_a < patient_b),
  unique (patient_a, patient_b)
);
create index patient_match_candidate_open on patient_match_candidate (status, score desc);
