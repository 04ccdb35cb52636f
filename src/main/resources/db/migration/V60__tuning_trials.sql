-- Trials of tuning jobs: one row per configuration a tuning job tried, with its hyperparameters, its
-- validation metrics per epoch, how far successive halving let it go, and the compute it used. The trial's
-- checkpoint and (once it finished) its model artifact are blobs under the job's prefix.

create table tuning_trials (
  id                 text primary key,
  tenant_id          text not null references tenants (id) on delete cascade,
  job_id             text not null references jobs (id) on delete cascade,
  number             int not null check (number > 0),
  origin             text not null check (origin in ('baseline', 'default', 'random', 'tpe')),
  state              text not null check (state in ('running', 'waiting', 'completed', 'stopped_early', 'failed',
                                                    'budget_exhausted', 'cancelled')),
  architecture       text not null,
  config             jsonb not null,
  hyperparameters    jsonb not null,
  target_epochs      int not null,
  rung               int not null default -1,
  rung_scores        jsonb not null default '[]',
  epochs_run         int not null default 0,
  objective_value    double precision,
  best_epoch         int,
  history            jsonb not null default '[]',
  compute_seconds    numeric(24, 6) not null default 0,
  latency_ms         double precision,
  size_bytes         bigint,
  pareto             boolean not null default false,
  checkpoint_key     text,
  checkpoint_sha256  text,
  artifact_key       text,
  artifact_sha256    text,
  test_evaluation    jsonb,
  error              text,
  created_at         timestamptz not null,
  updated_at         timestamptz not null,
  finished_at        timestamptz,
  unique (tenant_id, job_id, number)
);
create index tuning_trials_job on tuning_trials (tenant_id, job_id, id desc);

alter table tuning_trials enable row level security;
alter table tuning_trials force row level security;
create policy tenant_isolation on tuning_trials to ${app_role}
  using (tenant_id = current_tenant_id() or acting_as_operator());
create policy schema_owner on tuning_trials to current_user using (true) with check (true);
grant select, insert, update on tuning_trials to ${app_role};
