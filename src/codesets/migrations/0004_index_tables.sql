-- The Table of Drugs and Chemicals, the Table of Neoplasms and the External Cause Index of an XML year:
-- one row per coded cell or index code, with the term path that leads to it (for the tables the last element
-- is the column heading, e.g. "Poisoning Accidental (unintentional)"). Codes have no dots; drug-table codes
-- are 6 characters (the 7th is the coder's), and a code may end in "-" where the table leaves characters to
-- the tabular (C79.8-).
create table codeset_table_row (
  release_id integer not null references codeset_release(id) on delete cascade,
  source text not null check (source in ('drug', 'neoplasm', 'eindex')),
  code text not null,
  path text[] not null,
  plain_path text[] not null
);
create index codeset_table_row_code on codeset_table_row (release_id, code);
alter table codeset_release add column has_tables boolean not null default false;
