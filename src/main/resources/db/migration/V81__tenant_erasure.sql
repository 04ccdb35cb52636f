-- Erasure of a whole tenant (the right to be forgotten).
--
-- DELETE /v1/tenants/{id} moves a tenant to 'deleting' with erase_after = now + the grace period: nothing of it
-- answers any more, but the owner or an operator may restore it until then. Once due, the purge (see
-- lifecycle/TenantPurge) deletes its blobs and then its rows, a batch at a time, through erase_tenant_rows below;
-- finish_tenant_erasure keeps the billing records the law asks us to keep, with personal data removed, and leaves
-- the tenant row as a tombstone ('erased'). retire_erased_tenant drops that tombstone and the kept records once
-- their retention has passed.

alter table tenants drop constraint tenants_status_check;
alter table tenants add constraint tenants_status_check
  check (status in ('active', 'suspended', 'deleting', 'erased'));
alter table tenants add column erase_after timestamptz;
alter table tenants add column erased_at timestamptz;
alter table tenants add constraint tenants_erase_after_while_deleting
  check ((status = 'deleting') = (erase_after is not null));
create index tenants_due_for_erasure on tenants (erase_after) where status = 'deleting';

-- Retention a tenant opts into: its datasets, models and batch results older than this many days are deleted
-- automatically (lifecycle/RetentionSweeper). Null: kept until deleted.
alter table tenants add column datasets_retention_days int check (datasets_retention_days between 1 and 3650);
alter table tenants add column models_retention_days int check (models_retention_days between 1 and 3650);
alter table tenants add column batch_results_retention_days int
  check (batch_results_retention_days between 1 and 3650);

-- What an erased tenant leaves behind: the tombstone and the records an invoice is made of (the usage ledger, its
-- daily roll-up, plan changes, credits, the billing account). Every other table with a tenant_id column is
-- emptied of the tenant, including tables added by later migrations: the list below is of what is KEPT.
-- tenant_data_keys (V83) keeps the marker of the destroyed data key: no key material, and no key can be made
-- again for the tenant.
create function erasure_kept_tables() returns text[] language sql immutable as
$$ select array['tenants', 'usage_events', 'usage_daily', 'plan_changes', 'credit_grants', 'billing_accounts',
                'tenant_data_keys'] $$;

-- Deletes up to p_batch rows of one table of a tenant that is due for erasure and returns that table and count;
-- returns no row when nothing but the kept tables is left. One short transaction per call, so a purge killed
-- halfway loses at most one batch of work and the next call simply goes on. Runs as the schema owner and only
-- for a platform session in operator mode; it refuses any tenant that is not 'deleting' and due, so a
-- restored tenant (or any other) is never touched.
create function erase_tenant_rows(p_tenant text, p_batch int)
  returns table (table_name text, deleted bigint)
  language plpgsql volatile security definer set search_path = public, pg_temp as
$$
declare
  v_table   text;
  v_deleted bigint;
  v_blocked text;
begin
  if not acting_as_operator() then
    raise exception 'erase_tenant_rows is for the platform''s operator session' using errcode = '42501';
  end if;
  -- Shares the tenant row until commit: a restore (an update of it) waits for this batch, then wins.
  perform 1 from tenants where id = p_tenant and status = 'deleting' and erase_after <= now() for share;
  if not found then
    raise exception 'tenant % is not due for erasure', p_tenant using errcode = '55000';
  end if;
  -- A key rotated from another points at it; unlink first so keys can go in any order.
  update api_keys set rotated_from = null where tenant_id = p_tenant and rotated_from is not null;
  for v_table in
    select c.relname
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
     where n.nspname = 'public' and c.relkind in ('r', 'p') and c.relname <> all (erasure_kept_tables())
     order by c.relname
  loop
    begin
      -- The outer tenant_id test keeps the delete to this tenant whatever the ctid list holds.
      execute format('delete from %I where tenant_id = $1 and ctid = any (array(select ctid from %I'
                     ' where tenant_id = $1 limit $2))', v_table, v_table)
        using p_tenant, p_batch;
      get diagnostics v_deleted = row_count;
    exception when foreign_key_violation then
      -- Rows of another table still point at these (an alias at its model): that table goes first.
      v_blocked := v_table;
      continue;
    end;
    if v_deleted > 0 then
      table_name := v_table;
      deleted := v_deleted;
      return next;
      return;
    end if;
  end loop;
  if v_blocked is not null then
    raise exception 'rows of tenant % in % are still referenced', p_tenant, v_blocked using errcode = '23503';
  end if;
  delete from idempotency_keys where scope = p_tenant;
  delete from rate_buckets where key = 't:' || p_tenant;
end
$$;

-- Ends an erasure once erase_tenant_rows has nothing left: removes what is personal from the kept billing
-- records (free-form attributes and client-chosen idempotency keys of usage events, the tenant's name and its
-- creator) and marks the tenant 'erased'. Idempotent; refuses a tenant that still has rows to erase.
create function finish_tenant_erasure(p_tenant text) returns void
  language plpgsql volatile security definer set search_path = public, pg_temp as
$$
begin
  if not acting_as_operator() then
    raise exception 'finish_tenant_erasure is for the platform''s operator session' using errcode = '42501';
  end if;
  perform 1 from tenants where id = p_tenant and status = 'erased';
  if found then
    return;
  end if;
  if exists (select 1 from erase_tenant_rows(p_tenant, 1)) then
    raise exception 'tenant % still has rows to erase', p_tenant using errcode = '55000';
  end if;
  update usage_events set attributes = '{}'::jsonb, idempotency_key = id
   where tenant_id = p_tenant and (attributes <> '{}'::jsonb or idempotency_key <> id);
  update tenants
     set status = 'erased', erase_after = null, erased_at = now(), name = 'erased tenant',
         created_by = 'erased', suspended_reason = null, updated_at = now()
   where id = p_tenant;
end
$$;

-- Drops an erased tenant's tombstone and kept billing records once p_retention has passed since the erasure.
create function retire_erased_tenants(p_retention interval) returns int
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
                   returning k.tenant_id)
  select count(*) into v_count from retired;
  return v_count;
end
$$;

revoke all on function erasure_kept_tables() from public;
revoke all on function erase_tenant_rows(text, int) from public;
revoke all on function finish_tenant_erasure(text) from public;
revoke all on function retire_erased_tenants(interval) from public;
grant execute on function erasure_kept_tables() to ${app_role};
grant execute on function erase_tenant_rows(text, int) to ${app_role};
grant execute on function finish_tenant_erasure(text) to ${app_role};
grant execute on function retire_erased_tenants(interval) to ${app_role};
