-- Plans (platform data, edited by operators) and the append-only usage ledger (tenant data).

create table plans (
  name                text primary key,
  display_name        text not null,
  max_upload_bytes    bigint not null check (max_upload_bytes > 0),
  storage_cap_bytes   bigint not null check (storage_cap_bytes > 0),
  max_concurrent_jobs int not null check (max_concurrent_jobs > 0),
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now()
);

insert into plans (name, display_name, max_upload_bytes, storage_cap_bytes, max_concurrent_jobs) values
  ('free',       'Free',       104857600,     1073741824,    1),
  ('starter',    'Starter',    104857600,     10737418240,   2),
  ('pro',        'Pro',        1073741824,    107374182400,  4),
  ('enterprise', 'Enterprise', 5368709120,    1099511627776, 16);

alter table tenants add constraint tenants_plan_fkey foreign key (plan) references plans (name);

grant select, insert, update on plans to ${app_role};

create table usage_events (
  id              text primary key,
  tenant_id       text not null references tenants (id) on delete cascade,
  meter           text not null check (meter in ('api_requests', 'predictions', 'training_cpu_seconds',
                                                  'training_gpu_seconds', 'storage_byte_hours',
                                                  'dataset_rows_ingested')),
  quantity        numeric(24, 6) not null check (quantity >= 0),
  unit            text not null,
  occurred_at     timestamptz not null,
  idempotency_key text not null,
  source          text not null,
  api_key_id      text,
  model_id        text,
  job_id          text,
  attributes      jsonb not null default '{}',
  unique (tenant_id, idempotency_key)
);
create index usage_events_tenant_meter_time on usage_events (tenant_id, meter, occurred_at);

alter table usage_events enable row level security;
alter table usage_events force row level security;
create policy tenant_isolation on usage_events to ${app_role}
  using (tenant_id = current_tenant_id() or acting_as_operator());
create policy schema_owner on usage_events to current_user using (true) with check (true);
grant select, insert on usage_events to ${app_role};
