-- Encryption at rest: one data key per tenant, wrapped (encrypted) by the platform's master key, so that what is in
-- this table is useless without the master key, and destroying a tenant's row makes its blobs - and every backup of
-- them - unreadable (crypto-shredding). No foreign key to tenants: the destroyed marker must outlive the tenant row
-- that an erasure deletes, so that nothing is ever written again under that tenant id with a fresh key.
--
-- Row security like every tenant table: a session keyed on a tenant sees that tenant's row only; operator mode
-- (master key rotation, erasure sweeps) sees all. The blob store reads and creates a tenant's row in a short
-- transaction of its own keyed on the tenant the blob belongs to, so it works in requests, jobs and sweepers alike.
create table tenant_data_keys (
  tenant_id     text primary key,
  key_id        bigint not null,
  -- A Tink StreamingAead keyset encrypted by the master key (associated data: tenant and key id). Null once destroyed.
  wrapped_key   bytea,
  -- Which master key wrapped it, so rotation re-wraps only what the current primary did not.
  master_key_id text,
  created_at    timestamptz not null default now(),
  destroyed_at  timestamptz,
  check ((destroyed_at is null) = (wrapped_key is not null)),
  check (wrapped_key is null or master_key_id is not null)
);

alter table tenant_data_keys enable row level security;
alter table tenant_data_keys force row level security;
create policy tenant_isolation on tenant_data_keys to ${app_role}
  using (tenant_id = current_tenant_id() or acting_as_operator());
create policy schema_owner on tenant_data_keys to current_user using (true) with check (true);

-- Never deleted by the application: destroying keeps the row as a marker and erases only the key.
revoke all on tenant_data_keys from public;
grant select, insert, update on tenant_data_keys to ${app_role};
