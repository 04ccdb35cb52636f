-- One metering batch in one round trip: the group-commit writer sends its whole batch as one JSON document and
-- this function admits it, in the implicit transaction of one autocommitted statement (so the commit is the same
-- round trip). It keeps V41's promise:
--   1. locks the counter rows of every (tenant, meter, period) the batch touches, in key order, creating missing
--      ones first (writers on other instances and in-transaction callers of Quotas lock the same rows, so a hard
--      quota is exact across all of them);
--   2. deletes the reservations the batch settles or gives up (each row once, whoever comes first);
--   3. admits the charges one after the other, in arrival order: a charge first gives back what it released,
--      then a checked charge is refused whole if any of its meters would pass its hard limit (used + reserved +
--      what this batch already admitted + its need). A settlement (release + usage) is thus net zero at its own
--      place in the order, and nobody earlier in the batch can take the capacity it is about to use;
--   4. appends the admitted usage (the ledger trigger derives counters and roll-ups) and holds.
-- Returns one row per refused charge. Sections with nothing to do are skipped: the common batch (usage only, no
-- replays) runs three statements.
--
-- Batch document:
--   charges  [{i, t: tenant, p: period start, c: checked, d: look for replays, n: {meter: quantity}}]
--            (i counts from 0 in arrival order; n sums the charge's usage and holds per meter)
--   events   [{i: charge, id, m: meter, q, u: unit, at, k: idempotency key, s: source, a: api key, md: model,
--             j: job, x: attributes}]
--   holds    [{i: charge, id, r: reference, m: meter, q, at, exp}]   (optional)
--   releases [{i: charge, id: reservation}]                           (optional)
--   dedupe   true when some charge has d                               (optional)

-- The ledger's write cost is its indexes: make (tenant_id, id) the primary key (it serves listing a tenant's
-- events and looking one up) instead of keeping it beside a primary key on id alone. Ids stay unique in practice
-- (80 random bits each); the ORM addresses an event by id within the current tenant anyway.
alter table usage_events drop constraint usage_events_pkey;
drop index usage_events_tenant_id;
alter table usage_events add primary key (tenant_id, id);

create function usage_admit(p_batch jsonb)
  returns table (charge int, meter text, quota_limit numeric, taken numeric, requested numeric)
  language plpgsql volatile as
$$
#variable_conflict use_column
declare
  v_t text[];
  v_p date[];
  v_c boolean[];
  v_n jsonb[];
  v_keys_t text[];
  v_keys_m text[];
  v_keys_p date[];
  v_locked int := 0;
  v_room  jsonb := '{}';   -- counter key -> room left under its hard limit (absent: no hard limit)
  v_limit jsonb := '{}';   -- counter key -> the hard limit
  v_dup   jsonb := '{}';   -- "<charge>|<meter>" -> quantity already in the ledger (replays), not to count again
  v_accepted int[] := '{}';
  v_all_accepted boolean := true;
  v_releases text[] := '{}';
  v_back jsonb := '{}';    -- "<charge>" -> {counter key: quantity released by that charge}
  v_sums jsonb := '{}';    -- counter key -> quantity released in all
  v_refused boolean;
  v_key text;
  v_q numeric;
  v_i int;
  need record;
  r record;
begin
  perform set_config('modelyard.operator', 'on', true);

  select array_agg(c.t order by c.i), array_agg(c.p order by c.i), array_agg(c.c order by c.i),
         array_agg(c.n order by c.i)
    into v_t, v_p, v_c, v_n
    from jsonb_to_recordset(p_batch->'charges') as c(i int, t text, p date, c boolean, n jsonb);
  if p_batch ? 'releases' then
    select coalesce(array_agg(x.id), '{}') into v_releases
      from jsonb_to_recordset(p_batch->'releases') as x(i int, id text);
  end if;

  -- 1. counters: lock in key order (creating the missing ones first)
  select array_agg(k.t order by k.t, k.m, k.p), array_agg(k.m order by k.t, k.m, k.p),
         array_agg(k.p order by k.t, k.m, k.p)
    into v_keys_t, v_keys_m, v_keys_p
    from (select v_t[i] as t, n.key as m, v_p[i] as p
            from generate_subscripts(v_t, 1) as i cross join lateral jsonb_object_keys(v_n[i]) as n(key)
          union
          select rs.tenant_id, rs.meter, rs.period_start from usage_reservations rs where rs.id = any(v_releases)) k;
  if v_keys_t is null then
    v_keys_t := '{}';
    v_keys_m := '{}';
    v_keys_p := '{}';
  end if;

  for attempt in 1..2 loop
    v_locked := 0;
    v_room := '{}';
    v_limit := '{}';
    for r in
      select uc.tenant_id, uc.meter as m, uc.period_start, uc.used, uc.reserved, t.quota, t.quota_limit as lim
        from usage_counters uc
        left join lateral usage_terms(uc.tenant_id, uc.meter, uc.period_start) t on true
       where (uc.tenant_id, uc.meter, uc.period_start) in (select * from unnest(v_keys_t, v_keys_m, v_keys_p))
       order by 1, 2, 3
         for update of uc
    loop
      v_locked := v_locked + 1;
      if r.quota = 'hard' and r.lim is not null then
        v_key := r.tenant_id || '|' || r.m || '|' || r.period_start;
        v_room := v_room || jsonb_build_object(v_key, r.lim - r.used - r.reserved);
        v_limit := v_limit || jsonb_build_object(v_key, r.lim);
      end if;
    end loop;
    exit when v_locked = cardinality(v_keys_t) or attempt = 2;
    -- Missing rows: created in key order. Rows locked above stay locked; the second pass reads them again.
    insert into usage_counters (tenant_id, meter, period_start)
      select * from unnest(v_keys_t, v_keys_m, v_keys_p) order by 1, 2, 3
    on conflict do nothing;
  end loop;

  -- 2. releases: each reservation row is deleted once, whoever comes first (a settle, the sweeper, a retry)
  if cardinality(v_releases) > 0 then
    for r in
      with rel as (select x.i, x.id from jsonb_to_recordset(p_batch->'releases') as x(i int, id text))
      delete from usage_reservations rs using rel where rs.id = rel.id
      returning rel.i, rs.tenant_id, rs.meter as m, rs.period_start, rs.quantity
    loop
      v_key := r.tenant_id || '|' || r.m || '|' || r.period_start;
      v_back := jsonb_set(v_back, array[r.i::text],
        coalesce(v_back->(r.i::text), '{}') || jsonb_build_object(v_key,
          coalesce((v_back->(r.i::text)->>v_key)::numeric, 0) + r.quantity));
      v_sums := v_sums || jsonb_build_object(v_key, coalesce((v_sums->>v_key)::numeric, 0) + r.quantity);
    end loop;
    update usage_counters uc set reserved = greatest(uc.reserved - s.value::numeric, 0), updated_at = now()
      from jsonb_each_text(v_sums) s
     where uc.tenant_id || '|' || uc.meter || '|' || uc.period_start = s.key
       and (uc.tenant_id, uc.meter, uc.period_start) in (select * from unnest(v_keys_t, v_keys_m, v_keys_p));
  end if;

  -- replays (a retried batch whose first commit went through, a caller's repeated key): usage already in the
  -- ledger and holds already in place add nothing and take no more room
  if coalesce((p_batch->>'dedupe')::boolean, false) then
    for r in
      select x.i, x.m, sum(x.q) as q from (
        select e.i, e.m, e.q
          from jsonb_to_recordset(p_batch->'events') as e(i int, m text, q numeric, k text)
         where exists (select 1 from usage_events u where u.tenant_id = v_t[e.i + 1] and u.idempotency_key = e.k)
        union all
        select h.i, h.m, h.q
          from jsonb_to_recordset(coalesce(p_batch->'holds', '[]')) as h(i int, id text, m text, q numeric)
         where exists (select 1 from usage_reservations rs where rs.id = h.id)) x
       group by 1, 2
    loop
      v_dup := v_dup || jsonb_build_object(r.i || '|' || r.m, r.q);
    end loop;
  end if;

  -- 3. admission, in arrival order
  for v_i in 1..coalesce(cardinality(v_t), 0) loop
    v_refused := false;
    if v_back ? (v_i - 1)::text then
      for need in select key as k, value::numeric as q from jsonb_each_text(v_back->((v_i - 1)::text)) loop
        if v_room ? need.k then
          v_room := jsonb_set(v_room, array[need.k], to_jsonb((v_room->>need.k)::numeric + need.q));
        end if;
      end loop;
    end if;
    if v_c[v_i] and v_room <> '{}' then
      for need in select key as m, value::numeric as q from jsonb_each_text(v_n[v_i]) loop
        v_key := v_t[v_i] || '|' || need.m || '|' || v_p[v_i];
        v_q := need.q - coalesce((v_dup->>((v_i - 1) || '|' || need.m))::numeric, 0);
        if v_q > 0 and v_room ? v_key and (v_room->>v_key)::numeric < v_q then
          charge := v_i - 1;
          meter := need.m;
          quota_limit := (v_limit->>v_key)::numeric;
          taken := quota_limit - (v_room->>v_key)::numeric;
          requested := v_q;
          return next;
          v_refused := true;
          exit;
        end if;
      end loop;
    end if;
    if v_refused then
      v_all_accepted := false;
    else
      v_accepted := v_accepted || (v_i - 1);
      if v_room <> '{}' then
        for need in select key as m, value::numeric as q from jsonb_each_text(v_n[v_i]) loop
          v_key := v_t[v_i] || '|' || need.m || '|' || v_p[v_i];
          v_q := need.q - coalesce((v_dup->>((v_i - 1) || '|' || need.m))::numeric, 0);
          if v_q > 0 and v_room ? v_key then
            v_room := jsonb_set(v_room, array[v_key], to_jsonb((v_room->>v_key)::numeric - v_q));
          end if;
        end loop;
      end if;
    end if;
  end loop;

  if cardinality(v_accepted) = 0 then
    return;
  end if;

  -- 4. what was admitted
  insert into usage_events (id, tenant_id, meter, quantity, unit, occurred_at, idempotency_key, source, api_key_id,
                            model_id, job_id, attributes)
    select e.id, v_t[e.i + 1], e.m, e.q, e.u, e.at, e.k, e.s, e.a, e.md, e.j, coalesce(e.x, '{}')
      from jsonb_to_recordset(p_batch->'events') as e(i int, id text, m text, q numeric, u text, at timestamptz,
                                                       k text, s text, a text, md text, j text, x jsonb)
     where v_all_accepted or e.i = any(v_accepted)
  on conflict (tenant_id, idempotency_key) do nothing;

  if jsonb_array_length(coalesce(p_batch->'holds', '[]')) > 0 then
    with held as (
      insert into usage_reservations (id, tenant_id, reference, meter, quantity, period_start, created_at,
                                      expires_at)
        select h.id, v_t[h.i + 1], h.r, h.m, h.q, v_p[h.i + 1], h.at, h.exp
          from jsonb_to_recordset(p_batch->'holds') as h(i int, id text, r text, m text, q numeric,
                                                          at timestamptz, exp timestamptz)
         where v_all_accepted or h.i = any(v_accepted)
      on conflict do nothing
      returning tenant_id, usage_reservations.meter as m, period_start, quantity),
    sums as (select tenant_id, m, period_start, sum(quantity) as q from held group by 1, 2, 3)
    update usage_counters uc set reserved = uc.reserved + s.q, updated_at = now()
      from sums s where uc.tenant_id = s.tenant_id and uc.meter = s.m and uc.period_start = s.period_start;
  end if;
  return;
end
$$;

grant execute on function usage_admit(jsonb) to ${app_role};
