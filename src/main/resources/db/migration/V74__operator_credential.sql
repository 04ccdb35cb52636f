-- Operator mode (acting_as_operator(), which every tenant table's row-level security admits) used to be a session
-- setting the application role could switch on by itself, so one statement injected into a tenant's query could
-- have read every tenant. It now takes the operator credential: a secret the platform holds in its configuration,
-- registered here as a SHA-256 digest by the process that runs the migrations (as the schema owner). The
-- application role can read neither this table nor the secret; presenting anything else admits nothing.
create table operator_credentials (
  secret_sha256 bytea primary key,
  registered_at timestamptz not null default now()
);
revoke all on operator_credentials from public;

-- Returns at once in a tenant's session (nothing presented); in the platform's, one index probe.
create or replace function acting_as_operator() returns boolean
  language plpgsql stable security definer set search_path = public, pg_temp as
$$
declare
  v_presented text := current_setting('modelyard.operator', true);
begin
  if v_presented is null or length(v_presented) < 32 then
    return false;
  end if;
  return exists (select 1 from operator_credentials
                  where secret_sha256 = sha256(convert_to(v_presented, 'UTF8')));
end
$$;
revoke all on function acting_as_operator() from public;
grant execute on function acting_as_operator() to ${app_role};

-- The ledger's and the quota leases' functions worked across tenants by switching operator mode on themselves.
-- They now run as the schema owner (whose own policies admit every row): what the application may do across
-- tenants is exactly what these functions do, no more.
alter function usage_append(text, bigint, text[], jsonb) security definer set search_path = public, pg_temp;
alter function usage_aggregate(int) security definer set search_path = public, pg_temp;
alter function quota_lease_take(text, boolean, text, text, date, text, numeric, numeric, int)
  security definer set search_path = public, pg_temp;
alter function quota_lease_return(text[], numeric[]) security definer set search_path = public, pg_temp;
alter function quota_lease_renew(text[], int) security definer set search_path = public, pg_temp;
alter function quota_lease_reclaim(int, int) security definer set search_path = public, pg_temp;

-- Plans are the operator's: every session reads them, only operator mode writes them.
alter table plans enable row level security;
create policy readable on plans for select to ${app_role} using (true);
create policy operator_inserts on plans for insert to ${app_role} with check (acting_as_operator());
create policy operator_updates on plans for update to ${app_role}
  using (acting_as_operator()) with check (acting_as_operator());
alter table plan_meters enable row level security;
create policy readable on plan_meters for select to ${app_role} using (true);
create policy operator_inserts on plan_meters for insert to ${app_role} with check (acting_as_operator());
create policy operator_updates on plan_meters for update to ${app_role}
  using (acting_as_operator()) with check (acting_as_operator());
create policy operator_deletes on plan_meters for delete to ${app_role} using (acting_as_operator());
