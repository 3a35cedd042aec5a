-- The audit trail (ASTM E2147). Rows are written by requests in their own transactions and never changed:
-- the runtime role has SELECT and INSERT only (see the @append-only comments), and triggers refuse
-- UPDATE, DELETE and TRUNCATE for everyone else too. Each row carries an HMAC of its content made with a
-- key the database does not hold; a single sealer chains rows into audit_seal with SHA-256.
create table audit_event (
  id bigint generated always as identity primary key,
  event_uuid uuid not null unique,
  occurred_at timestamptz not null,
  user_id uuid,
  username text,
  on_behalf_of text,
  patient_id text,
  action text not null,
  category text not null,
  resource_type text,
  resource_id text,
  source_ip text,
  channel text not null check (channel in ('web', 'api', 'cli', 'mllp', 'system')),
  outcome text not null check (outcome in ('success', 'failure', 'denied')),
  reason text,
  break_glass boolean not null default false,
  details text,
  mac text not null
);
comment on table audit_event is '@append-only audit events';
create index audit_event_time on audit_event (occurred_at);
create index audit_event_user on audit_event (username, occurred_at);
create index audit_event_patient on audit_event (patient_id, occurred_at) where patient_id is not null;
create index audit_event_action on audit_event (action, occurred_at);
create index audit_event_btg on audit_event (user_id, occurred_at) where break_glass;

create table audit_seal (
  seq bigint primary key,
  event_id bigint not null unique,
  content_hash text not null,
  prev_hash text not null,
  hash text not null,
  sealed_at timestamptz not null default now()
);
comment on table audit_seal is '@append-only hash chain over audit_event';

-- Events not yet sealed. Filled by trigger, so even rows inserted behind Chartroom's back are sealed
-- (and then fail verification for want of a valid HMAC).
create table audit_pending (
  event_id bigint primary key
);

create function audit_enqueue() returns trigger language plpgsql as $$
begin
  insert into audit_pending (event_id) values (new.id);
  return new;
end $$;

create function audit_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'audit rows are append-only (% on %)', tg_op, tg_table_name using errcode = '42501';
end $$;

create trigger audit_event_enqueue after insert on audit_event for each row execute function audit_enqueue();
create trigger audit_event_immutable before update or delete on audit_event
  for each row execute function audit_refuse_change();
create trigger audit_event_no_truncate before truncate on audit_event
  for each statement execute function audit_refuse_change();
create trigger audit_seal_immutable before update or delete on audit_seal
  for each row execute function audit_refuse_change();
create trigger audit_seal_no_truncate before truncate on audit_seal
  for each statement execute function audit_refuse_change();
