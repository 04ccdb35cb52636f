-- The model registry: every successful training job registers a model version; aliases point at versions.

create table models (
  id                  text primary key,
  tenant_id           text not null references tenants (id) on delete cascade,
  name                text not null check (name ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
  version             int not null check (version > 0),
  task                text not null,
  architecture        text not null,
  dataset_version_id  text not null,
  training_job_id     text,
  hyperparameters     jsonb not null,
  evaluation          jsonb not null,
  training_summary    jsonb not null default '{}',
  data_summary        jsonb not null default '{}',
  labels              text[] not null default '{}',
  artifact_key        text,
  artifact_sha256     text not null,
  artifact_size_bytes bigint not null check (artifact_size_bytes >= 0),
  status              text not null check (status in ('ready', 'deleted')),
  metadata            jsonb not null default '{}',
  created_by          text not null,
  created_at          timestamptz not null,
  deleted_at          timestamptz,
  unique (tenant_id, name, version)
);
create index models_tenant_id on models (tenant_id, id desc);

create table model_aliases (
  id         text primary key,
  tenant_id  text not null references tenants (id) on delete cascade,
  alias      text not null check (alias ~ '^[a-z][a-z0-9._-]{0,62}$'),
  model_id   text not null references models (id),
  updated_by text not null,
  updated_at timestamptz not null,
  unique (tenant_id, alias)
);
create index model_aliases_model on model_aliases (model_id);

alter table models enable row level security;
alter table models force row level security;
create policy tenant_isolation on models to ${app_role}
  using (tenant_id = current_tenant_id() or acting_as_operator());
create policy schema_owner on models to current_user using (true) with check (true);

alter table model_aliases enable row level security;
alter table model_aliases force row level security;
create policy tenant_isolation on model_aliases to ${app_role}
  using (tenant_id = current_tenant_id() or acting_as_operator());
create policy schema_owner on model_aliases to current_user using (true) with check (true);

grant select, insert, update on models to ${app_role};
grant select, insert, update, delete on model_aliases to ${app_role};
