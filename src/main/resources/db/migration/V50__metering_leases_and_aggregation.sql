-- Metering off the critical path (DESIGN.md §6).
--
-- Before: every request's usage was admitted by usage_admit (V42), which locked the tenant's counter rows, and a
-- statement trigger derived counters and roll-ups from each insert, so one tenant's requests serialised on the
-- same rows. Now:
--   * the ledger is append-only on the request path: writers append batches (usage_append) with no trigger and no
--     update of a shared row;
--   * counters (usage_counters.used) and the hourly and daily roll-ups are derived from the ledger by an
--     incremental aggregator (usage_aggregate) with a watermark per partition ("stream");
--   * hard quotas are enforced through leases: a process takes a block of a tenant's allowance from its quota
--     counter in one short transaction (quota_lease_take), admits from memory, and returns the rest
--     (quota_lease_return); a lease whose process died is reclaimed after it expires (quota_lease_reclaim);
--   * rate limits are shared token buckets (rate_take) from which each process takes small blocks.

drop trigger usage_events_derive on usage_events;
drop function usage_events_derive();
drop function usage_admit(jsonb);

-- The ledger's partitions -----------------------------------------------------------------------------------------
-- stream  the writer stream that appended the row (one per writer thread and connection, whose transactions commit
--         one after the other, so what is visible of a stream is always a prefix in seq order). Null for rows
--         appended inside another transaction (a dataset version, a training job's compute), which are queued for
--         the aggregator in usage_pending instead, and for rows from before this migration (the trigger counted
--         them).
-- seq     the row's place in its stream
-- lease   the quota lease that admitted the row, if a hard quota did
alter table usage_events
  add column stream   text,
  add column seq      bigint,
  add column lease_id text;
create unique index usage_events_stream_seq on usage_events (stream, seq) where stream is not null;

-- Idempotency keys are enforced where callers choose them: rows appended inside transactions (a job's compute, a
-- dataset version, a batch prediction's rows, a storage hour). Request-path rows carry keys generated for each
-- request (unique by construction) and are deduplicated by their place in their stream — a batch retried after
-- a lost commit lands on the same stream and seqs — which spares every request an index entry.
alter table usage_events drop constraint usage_events_tenant_id_idempotency_key_key;
create unique index usage_events_direct_keys on usage_events (tenant_id, idempotency_key) where stream is null;
-- The storage sampler finds the last hour it charged each tenant in the ledger itself (the roll-ups may lag).
create index usage_events_storage_hours on usage_events (occurred_at) where meter = 'storage_byte_hours';

-- Writer streams, with how far the aggregator has counted each: the last seq counted (everything visible beyond it
-- is new). A writer registers its stream when it opens it and touches seen_at now and then; the aggregator forgets
-- streams nobody has touched for a day once it has counted them.
create table usage_streams (
  id            text primary key,
  watermark     bigint not null default 0,
  created_at    timestamptz not null default now(),
  seen_at       timestamptz not null default now(),
  aggregated_at timestamptz
);

-- Rows appended inside other transactions, until the aggregator counts them (it deletes them as it does, in the
-- same transaction, so each is counted once).
create table usage_pending (
  tenant_id text not null references tenants (id) on delete cascade,
  event_id  text not null,
  primary key (tenant_id, event_id)
);
alter table usage_pending enable row level security;
alter table usage_pending force row level security;
create policy tenant_isolation on usage_pending to ${app_role}
  using (tenant_id = current_tenant_id() or acting_as_operator());
create policy schema_owner on usage_pending to current_user using (true) with check (true);

-- The aggregator's own state (one row): everything committed before aggregated_at is in counters and roll-ups.
create table usage_aggregation (
  id            int primary key check (id = 1),
  aggregated_at timestamptz not null,
  rounds        bigint not null default 0,
  events        bigint not null default 0
);
insert into usage_aggregation (id, aggregated_at) values (1, now());

grant select, insert, update, delete on usage_streams, usage_pending to ${app_role};
grant select, update on usage_aggregation to ${app_role};

-- Quota counters: what hard quotas are enforced against -----------------------------------------------------------
-- admitted  capacity handed out this period: usage admitted in a transaction, plus the blocks of open leases, plus
--           what closed leases consumed. Never below what the ledger holds for a hard meter.
-- reserved  capacity held by reservations (an estimated training job, a batch prediction's rows)
-- A hard quota holds when every admission locks this row and checks greatest(admitted, used) + reserved + need
-- <= limit (used: the aggregated ledger, which counts usage from before the meter became hard).
create table quota_counters (
  tenant_id    text not null references tenants (id) on delete cascade,
  meter        text not null,
  period_start date not null,
  admitted     numeric(24, 6) not null default 0 check (admitted >= 0),
  reserved     numeric(24, 6) not null default 0 check (reserved >= 0),
  updated_at   timestamptz not null default now(),
  primary key (tenant_id, meter, period_start)
);
insert into quota_counters (tenant_id, meter, period_start, admitted, reserved, updated_at)
  select tenant_id, meter, period_start, used, reserved, updated_at from usage_counters;
alter table usage_counters drop column reserved;

-- Leases: blocks of a hard quota's allowance held by one process.
-- A lease is open until its owner returns it (closed_at, consumed: what it admitted) or, once expired, the
-- reclaimer deletes it and counts what its events in the ledger hold. A writer appends an event admitted under a
-- lease only while the lease row exists (FOR KEY SHARE), so nothing is appended under a lease once it is
-- reclaimed, and a reclaim waits for a batch in flight.
create table quota_leases (
  id           text primary key,
  tenant_id    text not null references tenants (id) on delete cascade,
  meter        text not null,
  period_start date not null,
  owner        text not null,
  granted      numeric(24, 6) not null check (granted >= 0),
  consumed     numeric(24, 6),
  created_at   timestamptz not null,
  expires_at   timestamptz not null,
  closed_at    timestamptz
);
create index quota_leases_open on quota_leases (tenant_id, meter, period_start) where closed_at is null;
create index quota_leases_expiry on quota_leases (expires_at) where closed_at is null;
create index quota_leases_closed on quota_leases (closed_at) where closed_at is not null;

alter table quota_counters enable row level security;
alter table quota_counters force row level security;
create policy tenant_isolation on quota_counters to ${app_role}
  using (tenant_id = current_tenant_id() or acting_as_operator());
create policy schema_owner on quota_counters to current_user using (true) with check (true);

alter table quota_leases enable row level security;
alter table quota_leases force row level security;
create policy tenant_isolation on quota_leases to ${app_role}
  using (tenant_id = current_tenant_id() or acting_as_operator());
create policy schema_owner on quota_leases to current_user using (true) with check (true);

grant select, insert, update on quota_counters to ${app_role};
grant select, insert, update, delete on quota_leases to ${app_role};
-- The ledger stays append-only for the application; usage_counters is written by the aggregator alone.
grant select, insert, update on usage_counters, usage_hourly, usage_daily to ${app_role};

-- The smallest typed id (TypedId) that can have been generated at p_at: ids sort by creation time.
create function typed_id_floor(p_prefix text, p_at timestamptz) returns text language plpgsql immutable as
$$
declare
  v_ms bigint := floor(extract(epoch from p_at) * 1000);
  v_alphabet text := '0123456789abcdefghjkmnpqrstvwxyz';
  v_body text := '';
begin
  for i in 1..10 loop
    v_body := substr(v_alphabet, (v_ms % 32)::int + 1, 1) || v_body;
    v_ms := v_ms / 32;
  end loop;
  return p_prefix || '_' || v_body;
end
$$;

-- Appending ---------------------------------------------------------------------------------------------------------
-- One writer batch, in the implicit transaction of one autocommitted statement. Events admitted under a lease that
-- no longer exists (reclaimed: its process was presumed dead) are not appended, and are returned; everything else
-- is appended with its seq, skipping seqs the stream holds already (a retry of a batch whose commit went through).
--   p_events  [{id, t: tenant, m: meter, q, u: unit, at, k: key, s: source, a: api key, md: model, j: job,
--               x: attributes, l: lease}]   (in seq order: the n-th gets p_first_seq + n - 1)
create function usage_append(p_stream text, p_first_seq bigint, p_leases text[], p_events jsonb)
  returns table (idempotency_key text, tenant_id text)
  language plpgsql volatile as
$$
#variable_conflict use_column
declare
  v_live text[] := '{}';
begin
  perform set_config('modelyard.operator', 'on', true);
  if cardinality(p_leases) > 0 then
    select coalesce(array_agg(l.id), '{}') into v_live
      from (select id from quota_leases where id = any(p_leases) order by id for key share) l;
  end if;
  insert into usage_events (id, tenant_id, meter, quantity, unit, occurred_at, idempotency_key, source, api_key_id,
                            model_id, job_id, attributes, stream, seq, lease_id)
    select e.id, e.t, e.m, e.q, e.u, e.at, e.k, e.s, e.a, e.md, e.j, coalesce(e.x, '{}'), p_stream,
           p_first_seq + n - 1, e.l
      from rows from (jsonb_to_recordset(p_events) as (id text, t text, m text, q numeric, u text, at timestamptz,
                                                       k text, s text, a text, md text, j text, x jsonb, l text))
           with ordinality as e(id, t, m, q, u, at, k, s, a, md, j, x, l, n)
     where e.l is null or e.l = any(v_live)
  on conflict (stream, seq) where stream is not null do nothing;
  if cardinality(p_leases) > cardinality(v_live) then
    return query
      select e.k, e.t from jsonb_to_recordset(p_events) as e(t text, k text, l text)
       where e.l is not null and not (e.l = any(v_live));
  end if;
end
$$;

-- Aggregating -------------------------------------------------------------------------------------------------------
-- Counts what is new in every stream, and the pending rows, into usage_counters.used and the roll-ups, and moves the
-- watermarks, in one statement. Run it in a REPEATABLE READ transaction: it reads the transaction's snapshot, and a concurrent
-- aggregator that committed after that snapshot makes the row lock below fail with a serialization error instead
-- of counting the same rows twice. Returns the number of events counted, or -1 when another aggregator holds the
-- lock. At most p_limit events per writer stream per call; aggregated_at advances only when nothing was left.
create function usage_aggregate(p_limit int) returns bigint language plpgsql volatile as
$$
declare
  v_counted bigint;
  v_truncated boolean;
begin
  perform set_config('modelyard.operator', 'on', true);
  perform 1 from usage_aggregation where id = 1 for update skip locked;
  if not found then
    return -1;
  end if;
  with pending as (
    delete from usage_pending returning tenant_id, event_id
  ), batch as materialized (
    select e.stream, e.seq, e.tenant_id, e.meter, e.quantity, e.occurred_at, coalesce(e.api_key_id, '') as k,
           coalesce(e.model_id, '') as md
      from usage_streams s
     cross join lateral (select * from usage_events e where e.stream = s.id and e.seq > s.watermark
                          order by e.seq limit p_limit) e
    union all
    select null, null, e.tenant_id, e.meter, e.quantity, e.occurred_at, coalesce(e.api_key_id, ''),
           coalesce(e.model_id, '')
      from pending p join usage_events e on e.tenant_id = p.tenant_id and e.id = p.event_id
  ), counters as (
    insert into usage_counters as c (tenant_id, meter, period_start, used, updated_at)
      select tenant_id, meter, usage_period(occurred_at), sum(quantity), now()
        from batch group by 1, 2, 3 order by 1, 2, 3
    on conflict (tenant_id, meter, period_start)
      do update set used = c.used + excluded.used, updated_at = now()
  ), hourly as (
    insert into usage_hourly as h (tenant_id, meter, hour_start, api_key_id, model_id, quantity, events)
      select tenant_id, meter, date_trunc('hour', occurred_at at time zone 'UTC') at time zone 'UTC', k, md,
             sum(quantity), count(*)
        from batch group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5
    on conflict (tenant_id, meter, hour_start, api_key_id, model_id)
      do update set quantity = h.quantity + excluded.quantity, events = h.events + excluded.events
  ), daily as (
    insert into usage_daily as d (tenant_id, meter, day, api_key_id, model_id, quantity, events)
      select tenant_id, meter, (occurred_at at time zone 'UTC')::date, k, md, sum(quantity), count(*)
        from batch group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5
    on conflict (tenant_id, meter, day, api_key_id, model_id)
      do update set quantity = d.quantity + excluded.quantity, events = d.events + excluded.events
  ), per_stream as (
    select stream, max(seq) as seq, count(*) as n from batch where stream is not null group by stream
  ), marks as (
    update usage_streams s set watermark = p.seq, aggregated_at = now()
      from per_stream p where s.id = p.stream
  )
  -- (data-modifying parts of a WITH run whether or not they are read)
  select (select count(*) from batch), coalesce((select bool_or(n >= p_limit) from per_stream), false)
    into v_counted, v_truncated;

  delete from usage_streams s where s.seen_at < now() - interval '1 day'
     and not exists (select 1 from usage_events e where e.stream = s.id and e.seq > s.watermark);
  update usage_aggregation
     set aggregated_at = case when v_truncated then aggregated_at else now() end,
         rounds = rounds + 1, events = events + v_counted
   where id = 1;
  return v_counted;
end
$$;

-- Leases ------------------------------------------------------------------------------------------------------------
-- Takes (or extends) a lease of at most p_want, at least p_need, of a hard quota's allowance for p_owner. Room is
-- shared out: with k other open leases on the same quota a lease gets at most 1/(k+1) of what is left, so near
-- the limit blocks shrink to what one request needs. Returns:
--   quota 'soft' (or no limit): nothing to lease, the meter is not refused;
--   granted 0: refused, and other holders are asked (NOTIFY modelyard_quota) to return what they hold;
--   lease_id null: p_lease was to be extended but is gone (reclaimed): take a new one.
create function quota_lease_take(p_lease text, p_new boolean, p_tenant text, p_meter text, p_period date,
                                 p_owner text, p_need numeric, p_want numeric, p_ttl_ms int)
  returns table (lease_id text, granted numeric, quota text, quota_limit numeric, taken numeric)
  language plpgsql volatile as
$$
#variable_conflict use_column
declare
  v_terms record;
  v_counter record;
  v_used numeric;
  v_taken numeric;
  v_room numeric;
  v_others int;
  v_grant numeric;
begin
  perform set_config('modelyard.operator', 'on', true);
  select * into v_terms from usage_terms(p_tenant, p_meter, p_period);
  if v_terms.quota is distinct from 'hard' or v_terms.quota_limit is null then
    return query select null::text, null::numeric, coalesce(v_terms.quota, 'soft'), null::numeric, null::numeric;
    return;
  end if;
  insert into quota_counters (tenant_id, meter, period_start) values (p_tenant, p_meter, p_period)
    on conflict do nothing;
  select qc.admitted, qc.reserved into v_counter from quota_counters qc
   where qc.tenant_id = p_tenant and qc.meter = p_meter and qc.period_start = p_period for update;
  select coalesce((select uc.used from usage_counters uc
                    where uc.tenant_id = p_tenant and uc.meter = p_meter and uc.period_start = p_period), 0)
    into v_used;
  v_taken := greatest(v_counter.admitted, v_used) + v_counter.reserved;
  v_room := v_terms.quota_limit - v_taken;
  if v_room < p_need then
    if exists (select 1 from quota_leases l where l.tenant_id = p_tenant and l.meter = p_meter
                 and l.period_start = p_period and l.closed_at is null and l.owner <> p_owner) then
      perform pg_notify('modelyard_quota', 'need|' || p_tenant || '|' || p_meter || '|' || p_period);
    end if;
    return query select p_lease, 0::numeric, 'hard'::text, v_terms.quota_limit, v_taken;
    return;
  end if;
  select count(*) into v_others from quota_leases l
   where l.tenant_id = p_tenant and l.meter = p_meter and l.period_start = p_period and l.closed_at is null
     and l.owner <> p_owner;
  v_grant := least(p_want, greatest(p_need, floor(v_room / (v_others + 1))));
  if p_new then
    insert into quota_leases (id, tenant_id, meter, period_start, owner, granted, created_at, expires_at)
      values (p_lease, p_tenant, p_meter, p_period, p_owner, v_grant, now(),
              now() + make_interval(secs => p_ttl_ms / 1000.0));
  else
    update quota_leases l set granted = l.granted + v_grant,
                              expires_at = now() + make_interval(secs => p_ttl_ms / 1000.0)
     where l.id = p_lease and l.closed_at is null;
    if not found then
      return query select null::text, 0::numeric, 'hard'::text, v_terms.quota_limit, v_taken;
      return;
    end if;
  end if;
  update quota_counters qc set admitted = qc.admitted + v_grant, updated_at = now()
   where qc.tenant_id = p_tenant and qc.meter = p_meter and qc.period_start = p_period;
  return query select p_lease, v_grant, 'hard'::text, v_terms.quota_limit, v_taken + v_grant;
end
$$;

-- Returns leases: each gives back what it was granted beyond what it consumed. A lease already closed or
-- reclaimed gives nothing back. p_ids and p_consumed are parallel arrays. Returns the number of leases closed.
create function quota_lease_return(p_ids text[], p_consumed numeric[]) returns int language plpgsql volatile as
$$
declare
  r record;
  v_closed int := 0;
begin
  perform set_config('modelyard.operator', 'on', true);
  for r in
    select l.id, l.tenant_id, l.meter, l.period_start, x.consumed
      from unnest(p_ids, p_consumed) as x(id, consumed)
      join quota_leases l on l.id = x.id and l.closed_at is null
     order by l.tenant_id, l.meter, l.period_start, l.id
  loop
    -- counter first, then the lease: the order every admission takes them in
    perform 1 from quota_counters qc where qc.tenant_id = r.tenant_id and qc.meter = r.meter
       and qc.period_start = r.period_start for update;
    with closed as (
      update quota_leases l set closed_at = now(), consumed = least(r.consumed, l.granted)
       where l.id = r.id and l.closed_at is null
      returning l.granted - l.consumed as unused)
    update quota_counters qc set admitted = greatest(qc.admitted - c.unused, 0), updated_at = now()
      from closed c
     where qc.tenant_id = r.tenant_id and qc.meter = r.meter and qc.period_start = r.period_start;
    if found then
      v_closed := v_closed + 1;
      perform pg_notify('modelyard_quota', 'freed|' || r.tenant_id || '|' || r.meter || '|' || r.period_start);
    end if;
  end loop;
  return v_closed;
end
$$;

-- Keeps a process's open leases alive; returns the ids still open (the others were reclaimed).
create function quota_lease_renew(p_ids text[], p_ttl_ms int) returns setof text language plpgsql volatile as
$$
begin
  perform set_config('modelyard.operator', 'on', true);
  return query
    update quota_leases l set expires_at = now() + make_interval(secs => p_ttl_ms / 1000.0)
     where l.id = any(p_ids) and l.closed_at is null
    returning l.id;
end
$$;

-- Reclaims leases that expired more than p_grace_ms ago (their process stopped renewing them: it died): deletes
-- each (waiting for a batch in flight that appends under it; later batches find it gone and append nothing), and
-- gives back its grant beyond what its events in the ledger hold. Also forgets leases closed a day ago.
create function quota_lease_reclaim(p_grace_ms int, p_limit int) returns int language plpgsql volatile as
$$
declare
  r record;
  v_granted numeric;
  v_consumed numeric;
  v_count int := 0;
begin
  perform set_config('modelyard.operator', 'on', true);
  for r in
    select l.id, l.tenant_id, l.meter, l.period_start, l.created_at from quota_leases l
     where l.closed_at is null and l.expires_at < now() - make_interval(secs => p_grace_ms / 1000.0)
     order by l.tenant_id, l.meter, l.period_start, l.id limit p_limit
  loop
    perform 1 from quota_counters qc where qc.tenant_id = r.tenant_id and qc.meter = r.meter
       and qc.period_start = r.period_start for update;
    delete from quota_leases l where l.id = r.id and l.closed_at is null
      and l.expires_at < now() - make_interval(secs => p_grace_ms / 1000.0)
    returning l.granted into v_granted;
    if found then
      select coalesce(sum(e.quantity), 0) into v_consumed from usage_events e
       where e.tenant_id = r.tenant_id and e.id >= typed_id_floor('use', r.created_at - interval '1 hour')
         and e.lease_id = r.id;
      update quota_counters qc set admitted = greatest(qc.admitted - greatest(v_granted - v_consumed, 0), 0),
                                   updated_at = now()
       where qc.tenant_id = r.tenant_id and qc.meter = r.meter and qc.period_start = r.period_start;
      perform pg_notify('modelyard_quota', 'freed|' || r.tenant_id || '|' || r.meter || '|' || r.period_start);
      v_count := v_count + 1;
    end if;
  end loop;
  delete from quota_leases l where l.closed_at < now() - interval '1 day';
  return v_count;
end
$$;

-- Rate limits ---------------------------------------------------------------------------------------------------
-- Token buckets shared by every API process: one row per tenant ('t:<tenant>') and per API key or person
-- ('k:<key>', 'u:<subject>'). Processes take small blocks of tokens and spend them from memory, so the plan's rate
-- holds whatever the number of replicas. Unlogged: after a crash every bucket starts full, which a burst allows.
create unlogged table rate_buckets (
  key         text primary key,
  tokens      double precision not null,
  refilled_at double precision not null
);
grant select, insert, update, delete on rate_buckets to ${app_role};

-- Takes up to p_want tokens from a tenant's bucket and a key's bucket together (as many as both hold, whole),
-- refilling each at its rate up to its burst first. Returns what was taken and what each bucket holds after.
create function rate_take(p_tenant text, p_tenant_rate double precision, p_tenant_burst double precision,
                          p_key text, p_key_rate double precision, p_key_burst double precision, p_want int)
  returns table (taken int, tenant_tokens double precision, key_tokens double precision)
  language plpgsql volatile as
$$
declare
  v_now double precision := extract(epoch from clock_timestamp());
  v_tenant double precision;
  v_key double precision;
  v_taken int;
begin
  insert into rate_buckets (key, tokens, refilled_at)
    values (p_key, p_key_burst, v_now), (p_tenant, p_tenant_burst, v_now)
  on conflict do nothing;
  -- locked in key order ('k:'/'u:' before 't:') by both updates, as every caller does
  update rate_buckets set tokens = least(p_key_burst, tokens + greatest(v_now - refilled_at, 0) * p_key_rate),
                          refilled_at = greatest(v_now, refilled_at)
   where key = p_key returning tokens into v_key;
  update rate_buckets set tokens = least(p_tenant_burst,
                                         tokens + greatest(v_now - refilled_at, 0) * p_tenant_rate),
                          refilled_at = greatest(v_now, refilled_at)
   where key = p_tenant returning tokens into v_tenant;
  v_taken := greatest(0, least(p_want, floor(v_tenant)::int, floor(v_key)::int));
  if v_taken > 0 then
    update rate_buckets set tokens = tokens - v_taken where key in (p_key, p_tenant);
  end if;
  return query select v_taken, v_tenant - v_taken, v_key - v_taken;
end
$$;

grant execute on function typed_id_floor(text, timestamptz) to ${app_role};
grant execute on function usage_append(text, bigint, text[], jsonb) to ${app_role};
grant execute on function usage_aggregate(int) to ${app_role};
grant execute on function quota_lease_take(text, boolean, text, text, date, text, numeric, numeric, int)
  to ${app_role};
grant execute on function quota_lease_return(text[], numeric[]) to ${app_role};
grant execute on function quota_lease_renew(text[], int) to ${app_role};
grant execute on function quota_lease_reclaim(int, int) to ${app_role};
grant execute on function rate_take(text, double precision, double precision, text, double precision,
                                    double precision, int) to ${app_role};
