-- ICD-10-PCS tables and definitions of a release, as parsed from CMS's XML: the data of the code builder.
create table codeset_pcs_data (
  release_id integer primary key references codeset_release(id) on delete cascade,
  tables jsonb not null,
  definitions jsonb
);
