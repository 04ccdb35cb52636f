-- Tenant data exports (GDPR portability): one zip archive of everything a tenant stored, written by a
-- tenant_export job to tenants/<tenant>/exports/<export id>.zip. The row mirrors its job's state and records
-- the archive once it is written; expired exports keep their row (the archive is deleted).

create table tenant_exports (
  id          text primary key,
  tenant_id   text not null references tenants (id) on delete cascade,
  state       text not null check (state in ('queued', 'running', 'succeeded', 'failed', 'expired')),
  job_id      text not null,
  blob_key    text not null,
  size_bytes  bigint check (size_bytes >= 0),
  sha256      text check (sha256 ~ '^[0-9a-f]{64}$'),
  file_count  int check (file_count >= 0),
  created_by  text not null,
  created_at  timestamptz not null,
  finished_at timestamptz,
  expires_at  timestamptz,
  unique (tenant_id, id)
);
create index tenant_exports_tenant_id on tenant_exports (tenant_id, id desc);
-- What the sweeper looks for across tenants.
create index tenant_exports_expiring on tenant_exports (expires_at) where state = 'succeeded';

alter table tenant_exports enable row level security;
alter table tenant_exports force row level security;
create policy tenant_isolation on tenant_exports to ${app_role}
  using (tenant_id = current_tenant_id() or acting_as_operator());
create policy schema_owner on tenant_exports to current_user using (true) with check (true);

grant select, insert, update, delete on tenant_exports to ${app_role};
