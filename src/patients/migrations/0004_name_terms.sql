-- Name search looks for similar spellings among the distinct names first (a small table next to the patients:
-- far fewer rows for the trigram index to hand back and recheck), then fetches the patients that hold those names
-- through a btree index. A term is kept when no patient holds it any more: it then finds nobody.
create table patient_name_term (
  kind char(1) not null check (kind in ('f', 'g')), -- family, given
  term text not null,
  primary key (kind, term)
);
create index patient_name_term_trgm on patient_name_term using gin (term gin_trgm_ops);
create index patient_family_norm on patient (family_norm);

create function patient_name_terms() returns trigger language plpgsql as $$
begin
  insert into patient_name_term (kind, term)
    select k, t from (values ('f', new.family_norm), ('g', new.given_norm)) v(k, t) where t <> ''
    on conflict do nothing;
  return null;
end $$;
create trigger patient_name_terms_insert after insert on patient
  for each row execute function patient_name_terms();
create trigger patient_name_terms_update after update of family_norm, given_norm on patient
  for each row when (old.family_norm is distinct from new.family_norm or old.given_norm is distinct from new.given_norm)
  execute function patient_name_terms();

insert into patient_name_term (kind, term)
  select 'f', family_norm from patient where family_norm <> '' union select 'g', given_norm from patient where given_norm <> ''
  on conflict do nothing;
