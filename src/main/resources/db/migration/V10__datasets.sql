-- Datasets and their immutable versions. Blobs live in the blob store under
-- tenants/<tenant>/datasets/<dataset>/...; these rows are what references them (the orphan sweeper deletes
-- dataset blobs that no row names).

create table datasets (
  id            text primary key,
  tenant_id     text not null references tenants (id) on delete cascade,
  name          text not null check (length(name) between 1 and 200),
  task          text not null check (task in ('text_classification', 'tabular_classification',
                                              'tabular_regression')),
  column_map    jsonb not null,
  source_format jsonb not null,
  status        text not null check (status in ('ready')),
  version_count int not null check (version_count >= 0),
  stored_bytes  bigint not null check (stored_bytes >= 0),
  metadata      jsonb not null default '{}',
  created_by    text not null,
  created_at    timestamptz not null,
  updated_at    timestamptz not null,
  unique (tenant_id, id)
);
create index datasets_tenant_id on datasets (tenant_id, id desc);

-- Written once, never updated: the application may insert, read and delete (with its dataset) but not update.
create table dataset_versions (
  id                text primary key,
  tenant_id         text not null references tenants (id) on delete cascade,
  dataset_id        text not null,
  number            int not null check (number > 0),
  kind              text not null check (kind in ('raw', 'cleaned')),
  parent_version_id text references dataset_versions (id) on delete cascade,
  raw_key           text not null,
  raw_sha256        text not null check (raw_sha256 ~ '^[0-9a-f]{64}$'),
  raw_size_bytes    bigint not null check (raw_size_bytes >= 0),
  blob_key          text not null unique,
  blob_sha256       text not null check (blob_sha256 ~ '^[0-9a-f]{64}$'),
  blob_size_bytes   bigint not null check (blob_size_bytes >= 0),
  schema            jsonb not null,
  column_types      jsonb not null,
  validation        jsonb not null,
  cleaning          jsonb not null,
  profile           jsonb not null,
  split_train       bigint not null check (split_train >= 0),
  split_validation  bigint not null check (split_validation >= 0),
  split_test        bigint not null check (split_test >= 0),
  options           jsonb not null,
  row_count         bigint not null check (row_count >= 0),
  created_by        text not null,
  created_at        timestamptz not null,
  unique (dataset_id, number),
  foreign key (tenant_id, dataset_id) references datasets (tenant_id, id) on delete cascade
);
create index dataset_versions_dataset on dataset_versions (dataset_id, id desc);
create index dataset_versions_raw_key on dataset_versions (raw_key);

alter table datasets enable row level security;
alter table datasets force row level security;
create policy tenant_isolation on datasets to ${app_role}
  using (tenant_id = current_tenant_id() or acting_as_operator());
create policy schema_owner on datasets to current_user using (true) with check (true);

alter table dataset_versions enable row level security;
alter table dataset_versions force row level security;
create policy tenant_isolation on dataset_versions to ${app_role}
  using (tenant_id = current_tenant_id() or acting_as_operator());
create policy schema_owner on dataset_versions to current_user using (true) with check (true);

grant select, insert, update, delete on datasets to ${app_role};
grant select, insert, delete on dataset_versions to ${app_role};
