-- KEDA scales workers on the jobs a worker could claim now: queued, due, of an active tenant, and within the
-- tenant's concurrency cap (a tenant at its max_concurrent_jobs cannot make GPU workers start for jobs that
-- would only wait). The count is the same rule claim_job applies, summed per tenant:
--   least(queued and due, max(0, max_concurrent_jobs - running)).
-- modelyard_keda may only call this function: it reads no table, not even a column of jobs.

create function claimable_jobs(p_types text[] default null)
  returns bigint language sql stable security definer set search_path = public as
$$
  select coalesce(sum(least(q.queued, greatest(0, p.max_concurrent_jobs - coalesce(r.running, 0)))), 0)::bigint
    from (select tenant_id, count(*) as queued
            from jobs
           where state = 'queued' and (run_after is null or run_after <= clock_timestamp())
             and (p_types is null or type = any (p_types))
           group by tenant_id) q
    join tenants t on t.id = q.tenant_id and t.status = 'active'
    join plans p on p.name = t.plan
    left join (select tenant_id, count(*) as running
                 from jobs where state in ('running', 'cancelling')
                group by tenant_id) r on r.tenant_id = q.tenant_id
$$;
revoke all on function claimable_jobs(text[]) from public;

do $$
begin
  if exists (select from pg_roles where rolname = 'modelyard_keda') then
    grant execute on function claimable_jobs(text[]) to modelyard_keda;
    drop policy if exists queue_depth on jobs;
    revoke select (id, tenant_id, type, state, run_after, created_at) on jobs from modelyard_keda;
  end if;
end
$$;
