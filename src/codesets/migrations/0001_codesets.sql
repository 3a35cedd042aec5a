-- Code sets: every release CMS/CDC publish is a version of its own, side by side, effective-dated.
create extension if not exists pg_trgm;
create table codeset_release (
  id serial primary key,
  system text not null check (system in ('icd10cm', 'icd10pcs', 'hcpcs')),
  fiscal_year integer not null,
  effective_from date not null,
  kind text not null check (kind in ('october', 'april', 'annual', 'quarterly', 'xml')),
  label text not null,
  code_count integer not null,
  billable_count integer not null,
  -- [{file, bytes, sha256}] of the archives and files the release was read from
  sources jsonb not null,
  -- what the release's own addenda say changed, to reconcile with computed diffs
  addenda jsonb,
  has_notes boolean not null default false,
  imported_at timestamptz not null default now(),
  unique (system, fiscal_year, effective_from, kind)
);

create table codeset_code (
  release_id integer not null references codeset_release(id) on delete cascade,
  code text not null,
  billable boolean not null,
  short_title text not null,
  long_title text not null,
  order_no integer,
  poa_exempt boolean,
  -- HCPCS: kind, added/action-effective/termination dates and action code
  extra jsonb,
  primary key (release_id, code)
);

create table codeset_note (
  release_id integer not null references codeset_release(id) on delete cascade,
  code text not null,
  kind text not null,
  seq integer not null,
  text text not null,
  primary key (release_id, code, kind, seq)
);

create table codeset_index_path (
  release_id integer not null references codeset_release(id) on delete cascade,
  code text not null,
  path text[] not null
);
create index codeset_index_path_code on codeset_index_path (release_id, code);

-- Conversion tables: a code's history (current code, effective date, previous codes).
create table codeset_conversion (
  release_id integer not null references codeset_release(id) on delete cascade,
  current_code text not null,
  effective_from date,
  previous_codes text not null
);
create index codeset_conversion_prev on codeset_conversion (release_id, previous_codes);
