-- The alphabetic index as the encoder uses it: each path also without its nonessential modifiers, and the
-- see / see also / see category references of the index year.
alter table codeset_index_path add column plain_path text[];
create table codeset_index_xref (
  release_id integer primary key references codeset_release(id) on delete cascade,
  refs jsonb not null
);
