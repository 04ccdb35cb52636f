-- The usage ledger's rows no longer reference tenants by a foreign key.
--
-- Measured (pgbench, this schema, asynchronous commit so that only CPU counts): the foreign key's check halved the
-- rate at which usage_append can insert — 195 → 385 batches of 256 events per second, 3,217 → 4,782 batches of
-- two. Its per-row check runs a query and takes a KEY SHARE lock on the tenant's row, which writes that row (and,
-- with two ledger writers committing at once, makes a multixact of it) for every batch of every request. The
-- ledger does not need it: its rows are appended only by the platform, for a tenant the request was authenticated
-- for, and a tenant row is never deleted while its ledger is kept (erasure keeps both, a tombstone and the records
-- the law asks for, see V81). The one place that relied on the cascade — retiring an erased tenant once its
-- records' retention has passed — now deletes its ledger itself.

-- (if exists: the newest migration must run again on a schema that has it, as SchemaVersionIT makes it)
alter table usage_events drop constraint if exists usage_events_tenant_id_fkey;

create or replace function retire_erased_tenants(p_retention interval) returns int
  language plpgsql volatile security definer set search_path = public, pg_temp as
$$
declare
  v_count int;
begin
  if not acting_as_operator() then
    raise exception 'retire_erased_tenants is for the platform''s operator session' using errcode = '42501';
  end if;
  with retired as (delete from tenants where status = 'erased' and erased_at < now() - p_retention returning id),
       markers as (delete from tenant_data_keys k using retired r where k.tenant_id = r.id and k.wrapped_key is null
                   returning k.tenant_id),
       ledger as (delete from usage_events e using retired r where e.tenant_id = r.id returning e.tenant_id)
  select count(*) into v_count from retired;
  return v_count;
end
$$;
