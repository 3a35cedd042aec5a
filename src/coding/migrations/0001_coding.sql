-- Coding and abstracting: one case per discharged encounter, the abstract's versions, physician queries,
-- and daily DNFB snapshots.
create table coding_case (
  encounter_id text primary key,
  patient_id text not null,
  account_number text not null,
  encounter_class text not null,
  discharge_at timestamptz not null,
  payer text,
  status text not null default 'new' check (status in ('new', 'in_progress', 'on_hold', 'coded', 'final')),
  assigned_to uuid,
  version integer not null default 0,
  drg text,
  weight double precision,
  expected_payment numeric(12, 2),
  grouper_version text,
  edit_count integer not null default 0,
  finalised_at timestamptz,
  finalised_by text,
  updated_at timestamptz not null default now()
);
create index coding_case_open on coding_case (status, discharge_at) where status <> 'final';
create index coding_case_patient on coding_case (patient_id);

create table coding_abstract (
  encounter_id text not null references coding_case(encounter_id),
  version integer not null,
  saved_at timestamptz not null default now(),
  saved_by text,
  status text not null,
  reason text,
  abstract jsonb not null,
  grouping jsonb,
  primary key (encounter_id, version)
);
comment on table coding_abstract is '@append-only every saved version of an abstract';

create table coding_query (
  id bigint generated always as identity primary key,
  encounter_id text not null references coding_case(encounter_id),
  patient_id text not null,
  template_id text not null,
  template_version integer not null,
  physician_id uuid not null,
  author_id uuid not null,
  question text not null,
  indicators jsonb not null,
  options jsonb not null,
  status text not null default 'open' check (status in ('open', 'answered', 'withdrawn')),
  sent_at timestamptz not null default now(),
  escalated_at timestamptz,
  answered_at timestamptz,
  answer text,
  answer_note text,
  agreed boolean
);
create index coding_query_physician on coding_query (physician_id, status);
create index coding_query_encounter on coding_query (encounter_id);

create table coding_dnfb_snapshot (
  day date not null,
  reason text not null,
  age_band text not null,
  cases integer not null,
  amount numeric(14, 2) not null,
  primary key (day, reason, age_band)
);

create table coding_sync (
  id integer primary key default 1 check (id = 1),
  cursor timestamptz not null default '1900-01-01'
);
insert into coding_sync default values;
