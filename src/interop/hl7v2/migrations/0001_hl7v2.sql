-- HL7 v2 intake: every message received over MLLP (or replayed from the error queue), raw, with the answer it got.
create table hl7v2_message (
  id bigserial primary key,
  received_at timestamptz not null default now(),
  -- the idempotency key: MSH-3 sending application, MSH-4 sending facility, MSH-10 control ID
  sending_app text not null,
  sending_facility text not null,
  control_id text not null,
  -- MSH-9 as sent (e.g. ADT^A01^ADT_A01); '' when the message could not be parsed
  message_type text not null,
  -- sha256 (hex) of the raw text
  content_hash text not null,
  raw text not null,
  -- applied: in the database; duplicate: a resend of an applied message, not applied again;
  -- unsupported: stored only (non-ADT or an ADT event Chartroom does not apply); error: refused, see hl7v2_error
  status text not null check (status in ('applied', 'duplicate', 'unsupported', 'error')),
  ack_code text not null check (ack_code in ('AA', 'AE', 'AR')),
  -- the key was seen before with other content (senders reuse control IDs); applied anyway
  reused_key boolean not null default false,
  patient_id text,
  encounter_id text,
  peer text,
  replay_of bigint
);
create index hl7v2_message_key on hl7v2_message (sending_app, sending_facility, control_id);
-- A message (same key, same content) is applied at most once, whatever the races.
create unique index hl7v2_message_applied_once on hl7v2_message (sending_app, sending_facility, control_id, content_hash)
  where status = 'applied';
create index hl7v2_message_received on hl7v2_message (received_at);

-- The error queue: messages answered AE/AR that a clerk can correct and replay, or dismiss.
create table hl7v2_error (
  id bigserial primary key,
  message_id bigint not null references hl7v2_message(id),
  created_at timestamptz not null default now(),
  -- the AppError code (docs/errors.md), the HL7 condition (table 0357), the ACK code sent, where, and why
  error_code text not null,
  hl7_condition text not null,
  ack_code text not null check (ack_code in ('AE', 'AR')),
  location text,
  detail text not null,
  status text not null default 'open' check (status in ('open', 'replayed', 'dismissed')),
  attempts integer not null default 0,
  resolved_at timestamptz,
  resolved_by text,
  resolution_note text,
  replay_message_id bigint references hl7v2_message(id)
);
create index hl7v2_error_open on hl7v2_error (status, created_at desc);
alter table hl7v2_message add constraint hl7v2_message_replay_of foreign key (replay_of) references hl7v2_error(id);
