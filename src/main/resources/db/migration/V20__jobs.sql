-- Jobs: one queue for every job type (train, batch_predict, noop, ...), the events clients follow, and the
-- narrow functions workers claim, heartbeat and reap with.
--
-- A worker claims before it knows any tenant, and row security hides every job from ${app_role} until a
-- tenant is set, so claiming, heartbeats and reaping run in SECURITY DEFINER functions (like
-- auth_memberships in V1). Everything else a worker does for a job (events, progress, completion) runs inside
-- that job's tenant, under row security.
--
-- Leases. A claim hands out a token: (lease_owner, runs). Heartbeats, events and completions are accepted
-- only while both still match, so a worker that lost its lease can never write to the job again, even when
-- the same worker process claims the job anew. Lease times are set and compared with the database's clock
-- only, never with a worker's.

-- The same shape as io.modelyard.common.TypedId: prefix, '_', 10 Crockford base32 characters of Unix
-- milliseconds, 16 of randomness (80 bits, from a v4 UUID's random bytes).
create function typed_id(p_prefix text) returns text language plpgsql volatile set search_path = public as
$$
declare
  v_alphabet constant text := '0123456789abcdefghjkmnpqrstvwxyz';
  v_millis bigint := floor(extract(epoch from clock_timestamp()) * 1000)::bigint;
  v_random bytea := uuid_send(gen_random_uuid());
  v_hi bigint := 0;
  v_lo bigint := 0;
  v_body text := '';
begin
  for i in 0..4 loop
    v_hi := (v_hi << 8) | get_byte(v_random, i);       -- bytes 0-4: random in a v4 UUID
    v_lo := (v_lo << 8) | get_byte(v_random, 9 + i);   -- bytes 9-13: random too
  end loop;
  for i in 0..9 loop
    v_body := v_body || substr(v_alphabet, ((v_millis >> (5 * (9 - i))) & 31)::int + 1, 1);
  end loop;
  for i in 0..7 loop
    v_body := v_body || substr(v_alphabet, ((v_hi >> (5 * (7 - i))) & 31)::int + 1, 1);
  end loop;
  for i in 0..7 loop
    v_body := v_body || substr(v_alphabet, ((v_lo >> (5 * (7 - i))) & 31)::int + 1, 1);
  end loop;
  return p_prefix || '_' || v_body;
end
$$;

create table jobs (
  id                  text primary key,
  tenant_id           text not null references tenants (id) on delete cascade,
  type                text not null check (type ~ '^[a-z][a-z0-9_]{0,39}$'),
  state               text not null check (state in ('queued', 'running', 'cancelling', 'succeeded', 'failed',
                                                     'cancelled')),
  -- Which attempt this is, from 1. A lost lease or a retryable failure uses one up; a worker shutting down
  -- hands the job back without using one.
  attempt             int not null default 1,
  max_attempts        int not null check (max_attempts between 1 and 100),
  -- How many times a worker claimed the job: the fencing half of the lease token.
  runs                int not null default 0,
  -- Not claimed before this time (backoff after a failure); null: at once.
  run_after           timestamptz,
  lease_owner         text,
  lease_expires_at    timestamptz,
  heartbeat_at        timestamptz,
  progress            double precision not null default 0 check (progress between 0 and 100),
  estimated_finish_at timestamptz,
  error_code          text,
  error_message       text,
  payload             jsonb not null default '{}',
  result              jsonb,
  metadata            jsonb not null default '{}',
  -- The number of the job's last event: events of one job are numbered under this row's lock, so their
  -- order is their commit order and a follower that reads "after n" never misses one.
  event_seq           bigint not null default 0,
  created_by          text not null,
  created_at          timestamptz not null,
  updated_at          timestamptz not null,
  started_at          timestamptz,
  finished_at         timestamptz,
  cancel_requested_at timestamptz,
  check (attempt between 1 and max_attempts),
  check ((state in ('running', 'cancelling')) = (lease_owner is not null and lease_expires_at is not null)),
  check ((state in ('succeeded', 'failed', 'cancelled')) = (finished_at is not null)),
  check (jsonb_typeof(payload) = 'object' and jsonb_typeof(metadata) = 'object')
);
create index jobs_tenant_id on jobs (tenant_id, id desc);
create index jobs_queued on jobs (tenant_id, created_at) where state = 'queued';
create index jobs_active on jobs (tenant_id) where state in ('running', 'cancelling');
create index jobs_leases on jobs (lease_expires_at) where state in ('running', 'cancelling');
create index jobs_metadata on jobs using gin (metadata jsonb_path_ops);

create table job_events (
  id         text primary key,
  job_id     text not null references jobs (id) on delete cascade,
  tenant_id  text not null references tenants (id) on delete cascade,
  seq        bigint not null,
  type       text not null check (type in ('state', 'progress', 'metric', 'message', 'checkpoint', 'resumed')),
  level      text check (level in ('debug', 'info', 'warning', 'error')),
  data       jsonb not null default '{}',
  created_at timestamptz not null,
  unique (job_id, seq)
);

-- One row per tenant that has used the queue: claims lock it (SKIP LOCKED) to admit one claim per tenant at a
-- time, which is what makes the plan's concurrency limit exact, and remember when the tenant was last served.
create table job_queue_tenants (
  tenant_id       text primary key references tenants (id) on delete cascade,
  last_claimed_at timestamptz
);

-- Row-level security ------------------------------------------------------------------------------------

alter table jobs enable row level security;
alter table jobs force row level security;
create policy tenant_isolation on jobs to ${app_role}
  using (tenant_id = current_tenant_id() or acting_as_operator());

alter table job_events enable row level security;
alter table job_events force row level security;
create policy tenant_isolation on job_events to ${app_role}
  using (tenant_id = current_tenant_id() or acting_as_operator());

alter table job_queue_tenants enable row level security;
alter table job_queue_tenants force row level security;
create policy tenant_isolation on job_queue_tenants to ${app_role}
  using (tenant_id = current_tenant_id() or acting_as_operator());

create policy schema_owner on jobs to current_user using (true) with check (true);
create policy schema_owner on job_events to current_user using (true) with check (true);
create policy schema_owner on job_queue_tenants to current_user using (true) with check (true);

grant select, insert, update on jobs to ${app_role};
grant select, insert on job_events to ${app_role};
grant select, insert on job_queue_tenants to ${app_role};

-- KEDA scales workers on "SELECT count(*) FROM jobs WHERE state = 'queued'", run as modelyard_keda. That
-- role sees every tenant's rows but only the columns a queue-depth query needs: never payloads, metadata
-- or errors. Where the role does not exist (a laptop without dev/lib.sh), there is nothing to grant.
do $$
begin
  if exists (select from pg_roles where rolname = 'modelyard_keda') then
    grant usage on schema public to modelyard_keda;
    grant select (id, tenant_id, type, state, run_after, created_at) on jobs to modelyard_keda;
    create policy queue_depth on jobs for select to modelyard_keda using (true);
  end if;
end
$$;

-- The queue ----------------------------------------------------------------------------------------------

-- Claims one job for p_worker among p_types, or nothing. Fair across tenants: among active tenants that have
-- an eligible queued job and a free slot under their plan's max_concurrent_jobs, the one with the fewest
-- running jobs, then the one served least recently, gets the turn; within a tenant, the oldest job goes first.
-- The tenant's queue row is locked (SKIP LOCKED: concurrent claims move on to other tenants) and its running
-- jobs counted again under that lock, so no two claims can both take a tenant's last slot.
create function claim_job(p_worker text, p_types text[], p_lease_seconds double precision)
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
             where r.tenant_id = q.tenant_id and r.state in ('running', 'cancelling')) < p.max_concurrent_jobs
     order by (select count(*) from jobs r
                where r.tenant_id = q.tenant_id and r.state in ('running', 'cancelling')),
              q.last_claimed_at nulls first, q.tenant_id
     limit 1
     for update of q skip locked;
    if v_tenant is null then
      return;
    end if;
    v_tried := v_tried || v_tenant;
    -- A fresh snapshot under the tenant's lock: every claim that committed before is counted.
    if (select count(*) from jobs r
         where r.tenant_id = v_tenant and r.state in ('running', 'cancelling')) >= v_limit then
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

-- Renews the leases p_worker still holds (token: job id and run) and answers each one's state, so that the
-- worker learns of cancellations; a job missing from the answer is no longer the worker's.
create function heartbeat_jobs(p_worker text, p_job_ids text[], p_runs int[], p_lease_seconds double precision)
  returns table (job_id text, job_state text)
  language sql volatile security definer set search_path = public as
$$
  update jobs j
     set lease_expires_at = clock_timestamp() + make_interval(secs => p_lease_seconds),
         heartbeat_at = clock_timestamp()
    from unnest(p_job_ids, p_runs) as h (id, run)
   where j.id = h.id and j.runs = h.run and j.lease_owner = p_worker and j.state in ('running', 'cancelling')
  returning j.id, j.state
$$;

-- Jobs whose lease expired (their worker died, hung or lost the database): a job being cancelled ends
-- cancelled; one with attempts left goes back to the queue with the next attempt after a backoff; the rest
-- fail. Each says so in an event. Concurrent reapers skip each other's rows.
create function reap_expired_jobs(p_backoff_base_seconds double precision, p_backoff_max_seconds double precision)
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
     where j.state in ('running', 'cancelling') and j.lease_expires_at < v_now
     order by j.lease_expires_at
     limit 100
     for update skip locked
  loop
    if v_job.state = 'cancelling' then
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

revoke all on function typed_id(text) from public;
revoke all on function claim_job(text, text[], double precision) from public;
revoke all on function heartbeat_jobs(text, text[], int[], double precision) from public;
revoke all on function reap_expired_jobs(double precision, double precision) from public;
grant execute on function claim_job(text, text[], double precision) to ${app_role};
grant execute on function heartbeat_jobs(text, text[], int[], double precision) to ${app_role};
grant execute on function reap_expired_jobs(double precision, double precision) to ${app_role};
