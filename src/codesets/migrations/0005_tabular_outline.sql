-- The chapters and blocks (sections) of an XML year's tabular list, with their code ranges: code detail shows
-- chapter → block → category → code, and versions without XML borrow the newest XML year's ranges.
create table codeset_tabular_outline (
  release_id integer primary key references codeset_release(id) on delete cascade,
  -- [{num, title, firstCode, lastCode}]
  chapters jsonb not null,
  -- [{id, title, chapter}], id = "A00-A09"
  sections jsonb not null
);
