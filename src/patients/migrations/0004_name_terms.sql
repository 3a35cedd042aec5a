-- Name search looks for similar spellings among the distinct names first (a small table next to the patients:
-- far fewer rows for the trigram index to hand back and recheck), then fetches the patients that hold those names
-- through btree indexes. Family and given names share the table (a term is only a spelling; the join decides
-- which name it must be). A term is kept when no patient holds it any more: it then finds nobody.
create table patient_name_term (
  term text primary key
);
create index patient_name_term_trgm on patient_name_term using gin (term gin_trgm_ops) with (fastupdate = off);
-- Without a pending list: GIN's fast update queues new entries in a list that every search reads in full until a
-- vacuum merges it, which made a search after a burst of registrations several times slower.
alter index patient_family_trgm set (fastupdate = off);
alter index patient_given_trgm set (fastupdate = off);
create index patient_family_norm on patient (family_norm);

-- pg_trgm's similarity operators are costed like an equality test, so on a table of a few thousand terms the
-- planner rather reads every term than use the trigram index; a similarity costs some hundred times more.
-- (Performance only: skipped where this role does not own the extension, and not kept by pg_dump.)
do $$ begin
  alter function similarity_op(text, text) cost 100;
  alter function word_similarity_op(text, text) cost 100;
  alter function word_similarity_commutator_op(text, text) cost 100;
exception when insufficient_privilege or undefined_function then null;
end $$;

create function patient_name_terms() returns trigger language plpgsql as $$
begin
  insert into patient_name_term (term)
    select t from (values (new.family_norm), (new.given_norm)) v(t) where t <> ''
    on conflict do nothing;
  return null;
end $$;
create trigger patient_name_terms_insert after insert on patient
  for each row execute function patient_name_terms();
create trigger patient_name_terms_update after update of family_norm, given_norm on patient
  for each row when (old.family_norm is distinct from new.family_norm or old.given_norm is distinct from new.given_norm)
  execute function patient_name_terms();

insert into patient_name_term (term)
  select family_norm from patient where family_norm <> '' union select given_norm from patient where given_norm <> ''
  on conflict do nothing;
