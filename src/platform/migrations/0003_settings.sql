-- Site settings an administrator may change; every change is audited (audit settings as audit_setting_change).
create table platform_setting (
  key text primary key,
  value jsonb not null,
  updated_at timestamptz not null default now(),
  updated_by uuid references app_user(id)
);
insert into platform_setting (key, value) values
  ('audit.retentionYears', '6'),
  ('audit.logReferenceReads', 'false');
