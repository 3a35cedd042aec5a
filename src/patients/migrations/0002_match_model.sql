-- The matcher's model (m/u per comparison level, thresholds) as `mpi scan` estimated it from this index's patients.
create table patient_match_model (
  id bigint generated always as identity primary key,
  estimated_at timestamptz not null default now(),
  records integer not null,
  model jsonb not null
);
