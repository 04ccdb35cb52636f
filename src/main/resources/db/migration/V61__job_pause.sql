-- Pause and resume (issue 15). A queued job pauses at once; a running one is asked to (`pausing`): its handler
-- checkpoints and gives the worker back, and the job waits `paused` (no lease, no worker, nothing metered)
-- until it is resumed (back to the queue, continuing from the checkpoint) or cancelled.
--
-- This redefines three functions of V20 so that 'pausing' counts as held by a worker: claims count it against
-- the tenant's running jobs, heartbeats renew it, and the reaper turns an expired one into 'paused'.

alter table jobs drop constraint jobs_state_check;
alter table jobs add constraint jobs_state_check check (state in ('queued', 'running', 'cancelling', 'pausing',
  'paused', 'succeeded', 'failed', 'cancelled'));
alter table jobs drop constraint jobs_check1;
alter table jobs add constraint jobs_leased_check check ((state in ('running', 'cancelling', 'pausing'))
  = (lease_owner is not null and lease_expires_at is not null));
alter table jobs add column pause_requested_at timestamptz;

drop index jobs_active;
create index jobs_active on jobs (tenant_id) where state in ('running', 'cancelling', 'pausing');
drop index jobs_leases;
create index jobs_leases on jobs (lease_expires_at) where state in ('running', 'cancelling', 'pausing');

create or replace function claim_job(p_worker text, p_types text[], p_lease_seconds double precision)
  returns setof jobs language plpgsql volatile security definer set search_path = public as
$$
declare
  v_tried text[] := '{}';
  v_tenant text;
  v_limit int;
  v_job_id text;
  v_job jobs;
  v_now timestamptz;
begin
  for i in 1..20 loop
    select q.tenant_id, p.max_concurrent_jobs into v_tenant, v_limit
      from job_queue_tenants q
      join tenants t on t.id = q.tenant_id
      join plans p on p.name = t.plan
     where t.status = 'active'
       and q.tenant_id <> all (v_tried)
       and exists (select 1 from jobs j
                    where j.tenant_id = q.tenant_id and j.state = 'queued' and j.type = any (p_types)
                      and (j.run_after is null or j.run_after <= clock_timestamp()))
       and (select count(*) from jobs r
             where r.tenant_id = q.tenant_id and r.state in ('running', 'cancelling', 'pausing')) < p.max_concurrent_jobs
     order by (select count(*) from jobs r
                where r.tenant_id = q.tenant_id and r.state in ('running', 'cancelling', 'pausing')),
              q.last_claimed_at nulls first, q.tenant_id
     limit 1
     for update of q skip locked;
    if v_tenant is null then
      return;
    end if;
    v_tried := v_tried || v_tenant;
    -- A fresh snapshot under the tenant's lock: every claim that committed before is counted.
    if (select count(*) from jobs r
         where r.tenant_id = v_tenant and r.state in ('running', 'cancelling', 'pausing')) >= v_limit then
      continue;
    end if;
    select j.id into v_job_id
      from jobs j
     where j.tenant_id = v_tenant and j.state = 'queued' and j.type = any (p_types)
       and (j.run_after is null or j.run_after <= clock_timestamp())
     order by j.created_at, j.id
     limit 1
     for update skip locked;
    if v_job_id is null then
      continue;
    end if;
    v_now := clock_timestamp();
    update jobs
       set state = 'running', lease_owner = p_worker,
           lease_expires_at = v_now + make_interval(secs => p_lease_seconds), heartbeat_at = v_now,
           runs = runs + 1, run_after = null, started_at = coalesce(started_at, v_now), updated_at = v_now,
           event_seq = event_seq + case when runs > 0 then 2 else 1 end
     where id = v_job_id
    returning * into v_job;
    update job_queue_tenants set last_claimed_at = v_now where tenant_id = v_tenant;
    insert into job_events (id, job_id, tenant_id, seq, type, data, created_at)
    values (typed_id('evt'), v_job.id, v_job.tenant_id,
            v_job.event_seq - case when v_job.runs > 1 then 1 else 0 end, 'state',
            jsonb_build_object('from', 'queued', 'to', 'running', 'attempt', v_job.attempt), v_now);
    if v_job.runs > 1 then
      insert into job_events (id, job_id, tenant_id, seq, type, data, created_at)
      values (typed_id('evt'), v_job.id, v_job.tenant_id, v_job.event_seq, 'resumed',
              jsonb_build_object('attempt', v_job.attempt, 'run', v_job.runs), v_now);
    end if;
    perform pg_notify('modelyard_job_events', v_job.id);
    return next v_job;
    return;
  end loop;
end
$$;

create or replace function heartbeat_jobs(p_worker text, p_job_ids text[], p_runs int[], p_lease_seconds double precision)
  returns table (job_id text, job_state text)
  language sql volatile security definer set search_path = public as
$$
  update jobs j
     set lease_expires_at = clock_timestamp() + make_interval(secs => p_lease_seconds),
         heartbeat_at = clock_timestamp()
    from unnest(p_job_ids, p_runs) as h (id, run)
   where j.id = h.id and j.runs = h.run and j.lease_owner = p_worker and j.state in ('running', 'cancelling', 'pausing')
  returning j.id, j.state
$$;

create or replace function reap_expired_jobs(p_backoff_base_seconds double precision, p_backoff_max_seconds double precision)
  returns table (job_id text, outcome text)
  language plpgsql volatile security definer set search_path = public as
$$
declare
  v_job jobs;
  v_now timestamptz := clock_timestamp();
  v_delay double precision;
  v_message text;
begin
  for v_job in
    select * from jobs j
     where j.state in ('running', 'cancelling', 'pausing') and j.lease_expires_at < v_now
     order by j.lease_expires_at
     limit 100
     for update skip locked
  loop
    if v_job.state = 'pausing' then
      -- The worker died while pausing: the job is paused; a resume continues from its last checkpoint.
      update jobs
         set state = 'paused', lease_owner = null, lease_expires_at = null, estimated_finish_at = null,
             updated_at = v_now, event_seq = event_seq + 1
       where id = v_job.id;
      insert into job_events (id, job_id, tenant_id, seq, type, data, created_at)
      values (typed_id('evt'), v_job.id, v_job.tenant_id, v_job.event_seq + 1, 'state',
              jsonb_build_object('from', 'pausing', 'to', 'paused', 'attempt', v_job.attempt,
                                 'reason', 'lease_expired'), v_now);
      job_id := v_job.id; outcome := 'paused';
    elsif v_job.state = 'cancelling' then
      update jobs
         set state = 'cancelled', lease_owner = null, lease_expires_at = null, estimated_finish_at = null,
             finished_at = v_now, updated_at = v_now, event_seq = event_seq + 1
       where id = v_job.id;
      insert into job_events (id, job_id, tenant_id, seq, type, data, created_at)
      values (typed_id('evt'), v_job.id, v_job.tenant_id, v_job.event_seq + 1, 'state',
              jsonb_build_object('from', 'cancelling', 'to', 'cancelled', 'attempt', v_job.attempt,
                                 'reason', 'lease_expired'), v_now);
      job_id := v_job.id; outcome := 'cancelled';
    elsif v_job.attempt >= v_job.max_attempts then
      v_message := 'The worker running attempt ' || v_job.attempt || ' of ' || v_job.max_attempts
                   || ' stopped responding; no attempts are left.';
      update jobs
         set state = 'failed', lease_owner = null, lease_expires_at = null, estimated_finish_at = null,
             error_code = 'lease_expired', error_message = v_message,
             finished_at = v_now, updated_at = v_now, event_seq = event_seq + 1
       where id = v_job.id;
      insert into job_events (id, job_id, tenant_id, seq, type, level, data, created_at)
      values (typed_id('evt'), v_job.id, v_job.tenant_id, v_job.event_seq + 1, 'state', 'error',
              jsonb_build_object('from', v_job.state, 'to', 'failed', 'attempt', v_job.attempt,
                                 'reason', 'lease_expired',
                                 'error', jsonb_build_object('code', 'lease_expired', 'message', v_message)),
              v_now);
      job_id := v_job.id; outcome := 'failed';
    else
      v_delay := least(p_backoff_max_seconds, p_backoff_base_seconds * power(2, v_job.attempt - 1))
                 * (0.8 + random() * 0.4);
      v_message := 'The worker running attempt ' || v_job.attempt || ' of ' || v_job.max_attempts
                   || ' stopped responding; the job will be retried.';
      update jobs
         set state = 'queued', attempt = attempt + 1, lease_owner = null, lease_expires_at = null,
             estimated_finish_at = null, run_after = v_now + make_interval(secs => v_delay),
             error_code = 'lease_expired', error_message = v_message, updated_at = v_now,
             event_seq = event_seq + 1
       where id = v_job.id;
      insert into job_events (id, job_id, tenant_id, seq, type, level, data, created_at)
      values (typed_id('evt'), v_job.id, v_job.tenant_id, v_job.event_seq + 1, 'state', 'warning',
              jsonb_build_object('from', v_job.state, 'to', 'queued', 'attempt', v_job.attempt + 1,
                                 'reason', 'lease_expired', 'run_after', v_now + make_interval(secs => v_delay),
                                 'error', jsonb_build_object('code', 'lease_expired', 'message', v_message)),
              v_now);
      job_id := v_job.id; outcome := 'requeued';
    end if;
    perform pg_notify('modelyard_job_events', v_job.id);
    return next;
  end loop;
end
$$;
