-- Checkpoints of training jobs: the blob holds the trainer's state; the row says what it is and how much
-- compute it took to get there (so a resumed job bills the compute once, across attempts).

create table training_checkpoints (
  id               text primary key,
  tenant_id        text not null references tenants (id) on delete cascade,
  job_id           text not null,
  attempt          int not null,
  completed_epochs int not null,
  step_in_epoch    int not null,
  global_step      bigint not null,
  blob_key         text not null,
  sha256           text not null,
  size_bytes       bigint not null,
  compute_seconds  numeric(24, 6) not null,
  device           text not null,
  created_at       timestamptz not null,
  unique (tenant_id, job_id, global_step)
);
create index training_checkpoints_job on training_checkpoints (tenant_id, job_id, global_step desc);

alter table training_checkpoints enable row level security;
alter table training_checkpoints force row level security;
create policy tenant_isolation on training_checkpoints to ${app_role}
  using (tenant_id = current_tenant_id() or acting_as_operator());
create policy schema_owner on training_checkpoints to current_user using (true) with check (true);
grant select, insert, delete on training_checkpoints to ${app_role};
