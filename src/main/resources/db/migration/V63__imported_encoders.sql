-- Text encoders a tenant imports as TorchScript (a zip of encoder.pt and vocabulary.txt) to train a
-- classification head on. The zip is a blob; the row says what it holds.

create table imported_encoders (
  id              text primary key,
  tenant_id       text not null references tenants (id) on delete cascade,
  name            text not null,
  vocabulary_size int not null check (vocabulary_size > 2),
  blob_key        text not null,
  sha256          text not null,
  size_bytes      bigint not null check (size_bytes >= 0),
  created_by      text not null,
  created_at      timestamptz not null
);
create index imported_encoders_tenant on imported_encoders (tenant_id, id desc);

alter table imported_encoders enable row level security;
alter table imported_encoders force row level security;
create policy tenant_isolation on imported_encoders to ${app_role}
  using (tenant_id = current_tenant_id() or acting_as_operator());
create policy schema_owner on imported_encoders to current_user using (true) with check (true);
grant select, insert, delete on imported_encoders to ${app_role};
