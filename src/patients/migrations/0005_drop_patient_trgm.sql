-- Similar spellings are found among the distinct names (patient_name_term and its trigram index), never through
-- trigram indexes on the patients themselves: those two were kept up to date on every registration and on every
-- update that touches an indexed column (an ADT A08 changing a phone rewrites all of a row's index entries) and read
-- by no query. Dropped; the btree indexes on family_norm and given_norm carry the second step of a name lookup.
drop index if exists patient_family_trgm;
drop index if exists patient_given_trgm;
