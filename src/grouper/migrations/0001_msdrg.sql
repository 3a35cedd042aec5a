-- MS-DRG grouper definitions: one row per grouper version (CMS's definitions dumped as TSV), effective-dated,
-- with each file's text kept as imported so that a load re-parses exactly what was checked at import.
create table msdrg_version (
  id serial primary key,
  -- the folder name, e.g. v43.0
  version text not null unique,
  fiscal_year integer not null,
  effective_from date not null,
  effective_to date not null,
  diagnosis_rows integer not null,
  procedure_rows integer not null,
  formula_rows integer not null,
  drg_count integer not null,
  -- [{file, bytes, sha256}] of the files the version was read from
  sources jsonb not null,
  -- SHA-256 over the files' own hashes: the identity of the content (re-import of the same content is a no-op)
  content_sha256 text not null,
  imported_at timestamptz not null default now(),
  check (effective_from <= effective_to)
);

create table msdrg_file (
  version_id integer not null references msdrg_version(id) on delete cascade,
  -- the file's name without .gz: diagnoses.tsv, drg_formulas.tsv, …
  name text not null,
  body text not null,
  primary key (version_id, name)
);
