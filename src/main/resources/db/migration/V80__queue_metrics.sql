-- Queue depth and age for Prometheus (/q/metrics), across tenants: counts and the oldest job's age per job type and
-- state, nothing of any tenant's rows. Row security hides every job from ${app_role} outside a tenant, so this
-- aggregate runs as the schema owner, like claiming and reaping.
create function queue_stats()
  returns table (job_type text, job_state text, jobs bigint, oldest_seconds double precision)
  language sql stable security definer set search_path = public as
$$
  select j.type, j.state, count(*),
         extract(epoch from clock_timestamp() - min(case when j.state = 'queued' then j.created_at
                                                         else coalesce(j.started_at, j.created_at) end))::double precision
    from jobs j
   where j.state in ('queued', 'running', 'cancelling')
   group by j.type, j.state
$$;

revoke all on function queue_stats() from public;
grant execute on function queue_stats() to ${app_role};
