-- Pending events are queued once per statement instead of once per row: an HL7 message writes three audit events in
-- one statement, and a row trigger ran its function three times. Still a trigger, so rows inserted behind
-- Chartroom's back (psql, COPY) are queued and sealed as before.
drop trigger audit_event_enqueue on audit_event;
drop function audit_enqueue();

create function audit_enqueue_rows() returns trigger language plpgsql as $$
begin
  insert into audit_pending (event_id) select id from new_rows;
  return null;
end $$;

create trigger audit_event_enqueue after insert on audit_event
  referencing new table as new_rows
  for each statement execute function audit_enqueue_rows();
