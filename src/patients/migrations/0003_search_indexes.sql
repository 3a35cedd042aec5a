-- Nickname variants are looked up by exact given name.
create index patient_given_norm on patient (given_norm);
