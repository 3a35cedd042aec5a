-- Medicare Code Editor tables: one row per version folder (a discharge-date window of CMS's MCE release),
-- with each table file's text kept as imported, so a load re-parses exactly what was checked at import.
create table mce_version (
  id serial primary key,
  version text not null unique,
  window_start date not null,
  window_end date not null,
  termination_date date not null,
  mce_release text not null,
  data_version text not null,
  diagnosis_rows integer not null,
  procedure_rows integer not null,
  -- [{file, bytes, sha256}] of the files the version was read from
  sources jsonb not null,
  -- SHA-256 over the files' own hashes: the identity of the content (re-import of the same content is a no-op)
  content_sha256 text not null,
  imported_at timestamptz not null default now(),
  check (window_start <= window_end)
);

create table mce_table_text (
  version_id integer not null references mce_version(id) on delete cascade,
  -- the key of the file in a version folder: diagnoses, procedures, ageRanges, dischargeStatus, flags, edits, meta
  name text not null,
  body text not null,
  primary key (version_id, name)
);
