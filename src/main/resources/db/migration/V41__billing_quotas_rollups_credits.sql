-- Billing: plan terms per meter, prices and rate limits; per-period usage counters (the quota's single point of
-- truth), hourly and daily roll-ups, reservations, credits, plan history and the billing account.
--
-- The ledger (usage_events, V40) stays the source: counters and roll-ups are derived from it by a statement
-- trigger in the same transaction as the insert, so whichever door usage comes through (the request metering
-- writer, UsageRecorder in another package's transaction, the storage sampler) they can never disagree with it,
-- and an idempotent replay (ON CONFLICT DO NOTHING) adds nothing anywhere.

-- Plans: price, currency and rate limits ---------------------------------------------------------------------

alter table plans
  add column currency           text not null default 'usd' check (currency ~ '^[a-z]{3}$'),
  add column base_price         bigint not null default 0 check (base_price >= 0),
  add column key_rate           numeric(12, 3) not null default 5 check (key_rate > 0),
  add column key_burst          int not null default 10 check (key_burst > 0),
  add column tenant_rate        numeric(12, 3) not null default 10 check (tenant_rate > 0),
  add column tenant_burst       int not null default 20 check (tenant_burst > 0);

alter table plans add constraint plans_name_shape check (name ~ '^[a-z0-9][a-z0-9_-]{0,39}$');

update plans set base_price = 0,     key_rate = 10,  key_burst = 20,   tenant_rate = 20,   tenant_burst = 40
 where name = 'free';
update plans set base_price = 2900,  key_rate = 20,  key_burst = 40,   tenant_rate = 50,   tenant_burst = 100
 where name = 'starter';
update plans set base_price = 19900, key_rate = 100, key_burst = 200,  tenant_rate = 250,  tenant_burst = 500
 where name = 'pro';
update plans set base_price = 99900, key_rate = 500, key_burst = 1000, tenant_rate = 2000, tenant_burst = 4000
 where name = 'enterprise';

-- What a plan includes per meter and month, how its quota is enforced, and the price beyond what is included.
--   included    free quantity per period
--   quota       'hard': refused beyond quota_limit; 'soft': allowed and billed beyond it, flagged as over
--   quota_limit null: no limit
--   unit_price  minor units of the plan's currency per unit beyond included (may be fractional: 0.05 = 1/20 cent)
create table plan_meters (
  plan        text not null references plans (name) on update cascade on delete cascade,
  meter       text not null check (meter in ('api_requests', 'predictions', 'training_cpu_seconds',
                                              'training_gpu_seconds', 'storage_byte_hours',
                                              'dataset_rows_ingested')),
  included    numeric(24, 6) not null default 0 check (included >= 0),
  quota       text not null default 'soft' check (quota in ('hard', 'soft')),
  quota_limit numeric(24, 6) check (quota_limit >= 0),
  unit_price  numeric not null default 0 check (unit_price >= 0),
  primary key (plan, meter)
);

-- 1 GiB-month = 1073741824 * 730 byte-hours.
insert into plan_meters (plan, meter, included, quota, quota_limit, unit_price) values
  ('free',       'api_requests',          10000,             'hard', 10000,             0),
  ('free',       'predictions',           10000,             'hard', 10000,             0),
  ('free',       'training_cpu_seconds',  3600,              'hard', 3600,              0),
  ('free',       'training_gpu_seconds',  0,                 'hard', 0,                 0),
  ('free',       'storage_byte_hours',    783831531520,      'hard', 783831531520,      0),
  ('free',       'dataset_rows_ingested', 100000,            'hard', 100000,            0),
  ('starter',    'api_requests',          100000,            'soft', null,              0.01),
  ('starter',    'predictions',           100000,            'soft', null,              0.05),
  ('starter',    'training_cpu_seconds',  36000,             'soft', null,              0.0014),
  ('starter',    'training_gpu_seconds',  3600,              'hard', 36000,             0.028),
  ('starter',    'storage_byte_hours',    7838315315200,     'soft', null,              0.0000000000128),
  ('starter',    'dataset_rows_ingested', 1000000,           'soft', null,              0.001),
  ('pro',        'api_requests',          1000000,           'soft', null,              0.008),
  ('pro',        'predictions',           1000000,           'soft', null,              0.04),
  ('pro',        'training_cpu_seconds',  360000,            'soft', null,              0.0012),
  ('pro',        'training_gpu_seconds',  36000,             'soft', null,              0.025),
  ('pro',        'storage_byte_hours',    78383153152000,    'soft', null,              0.0000000000115),
  ('pro',        'dataset_rows_ingested', 10000000,          'soft', null,              0.0008),
  ('enterprise', 'api_requests',          10000000,          'soft', null,              0.005),
  ('enterprise', 'predictions',           10000000,          'soft', null,              0.03),
  ('enterprise', 'training_cpu_seconds',  3600000,           'soft', null,              0.001),
  ('enterprise', 'training_gpu_seconds',  360000,            'soft', null,              0.02),
  ('enterprise', 'storage_byte_hours',    783831531520000,   'soft', null,              0.0000000000102),
  ('enterprise', 'dataset_rows_ingested', 100000000,         'soft', null,              0.0005);

grant select, insert, update, delete on plan_meters to ${app_role};

-- Periods are calendar months in UTC.
create function usage_period(p_at timestamptz) returns date language sql immutable as
$$ select date_trunc('month', p_at at time zone 'UTC')::date $$;

-- Which plan a tenant is on, over time (a tenant without changes has always been on tenants.plan) -------------

create table plan_changes (
  id         text primary key,
  tenant_id  text not null references tenants (id) on delete cascade,
  from_plan  text not null,
  to_plan    text not null references plans (name) on update cascade,
  changed_by text not null,
  changed_at timestamptz not null
);
create index plan_changes_tenant on plan_changes (tenant_id, changed_at);

-- The plan in effect at an instant: the last change at or before it, else what the tenant had before its first
-- change, else its current plan.
create function plan_at(p_tenant text, p_at timestamptz) returns text language sql stable as
$$
  select coalesce(
    (select to_plan from plan_changes where tenant_id = p_tenant and changed_at <= p_at
      order by changed_at desc, id desc limit 1),
    (select from_plan from plan_changes where tenant_id = p_tenant and changed_at > p_at
      order by changed_at, id limit 1),
    (select plan from tenants where id = p_tenant))
$$;

-- Credits granted by operators, for one period: a quantity of a meter (raises what is included and the limit)
-- or an amount of money (offsets the invoice, never below zero).
create table credit_grants (
  id           text primary key,
  tenant_id    text not null references tenants (id) on delete cascade,
  period_start date not null,
  meter        text,
  quantity     numeric(24, 6),
  amount       bigint,
  currency     text,
  reason       text not null,
  granted_by   text not null,
  created_at   timestamptz not null,
  check ((meter is not null and quantity > 0 and amount is null and currency is null)
      or (meter is null and quantity is null and amount > 0 and currency ~ '^[a-z]{3}$'))
);
create index credit_grants_tenant on credit_grants (tenant_id, period_start);

-- The terms of a meter for a tenant in a period: the current plan's terms plus the period's quantity credits.
create function usage_terms(p_tenant text, p_meter text, p_period date)
  returns table (plan text, included numeric, quota text, quota_limit numeric, unit_price numeric)
  language sql stable as
$$
  select p.name,
         coalesce(pm.included, 0) + coalesce(c.quantity, 0),
         coalesce(pm.quota, 'soft'),
         pm.quota_limit + coalesce(c.quantity, 0),
         coalesce(pm.unit_price, 0)
    from tenants t
    join plans p on p.name = t.plan
    left join plan_meters pm on pm.plan = p.name and pm.meter = p_meter
    left join lateral (select sum(g.quantity) as quantity from credit_grants g
                        where g.tenant_id = p_tenant and g.meter = p_meter and g.period_start = p_period) c on true
   where t.id = p_tenant
$$;

-- Counters: one row per tenant, meter and period --------------------------------------------------------------
-- used      what the ledger holds for the period (maintained by the trigger below)
-- reserved  capacity held by open reservations (a request in flight, an estimated training job)
-- A hard quota holds when every admission locks this row and checks used + reserved + quantity <= limit.

create table usage_counters (
  tenant_id    text not null references tenants (id) on delete cascade,
  meter        text not null,
  period_start date not null,
  used         numeric(24, 6) not null default 0 check (used >= 0),
  reserved     numeric(24, 6) not null default 0 check (reserved >= 0),
  updated_at   timestamptz not null default now(),
  primary key (tenant_id, meter, period_start)
);

create table usage_reservations (
  id           text primary key,
  tenant_id    text not null references tenants (id) on delete cascade,
  reference    text not null,
  meter        text not null,
  quantity     numeric(24, 6) not null check (quantity > 0),
  period_start date not null,
  created_at   timestamptz not null,
  expires_at   timestamptz not null,
  unique (tenant_id, reference, meter)
);
create index usage_reservations_expiry on usage_reservations (expires_at);

-- Roll-ups -----------------------------------------------------------------------------------------------------
-- '' stands for "no API key" / "no model" so that the keys can be primary keys.

create table usage_hourly (
  tenant_id  text not null references tenants (id) on delete cascade,
  meter      text not null,
  hour_start timestamptz not null,
  api_key_id text not null default '',
  model_id   text not null default '',
  quantity   numeric(24, 6) not null,
  events     bigint not null,
  primary key (tenant_id, meter, hour_start, api_key_id, model_id)
);

create table usage_daily (
  tenant_id  text not null references tenants (id) on delete cascade,
  meter      text not null,
  day        date not null,
  api_key_id text not null default '',
  model_id   text not null default '',
  quantity   numeric(24, 6) not null,
  events     bigint not null,
  primary key (tenant_id, meter, day, api_key_id, model_id)
);

-- Derives counters and roll-ups from the rows a statement actually inserted (an idempotent replay skipped by
-- ON CONFLICT DO NOTHING is not in the transition table). Rows are upserted in key order so that concurrent
-- writers lock them in the same order.
create function usage_events_derive() returns trigger language plpgsql as
$$
begin
  insert into usage_counters as c (tenant_id, meter, period_start, used)
    select tenant_id, meter, usage_period(occurred_at), sum(quantity)
      from inserted group by 1, 2, 3 order by 1, 2, 3
  on conflict (tenant_id, meter, period_start)
    do update set used = c.used + excluded.used, updated_at = now();

  insert into usage_hourly as h (tenant_id, meter, hour_start, api_key_id, model_id, quantity, events)
    select tenant_id, meter, date_trunc('hour', occurred_at at time zone 'UTC') at time zone 'UTC',
           coalesce(api_key_id, ''), coalesce(model_id, ''), sum(quantity), count(*)
      from inserted group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5
  on conflict (tenant_id, meter, hour_start, api_key_id, model_id)
    do update set quantity = h.quantity + excluded.quantity, events = h.events + excluded.events;

  insert into usage_daily as d (tenant_id, meter, day, api_key_id, model_id, quantity, events)
    select tenant_id, meter, (occurred_at at time zone 'UTC')::date,
           coalesce(api_key_id, ''), coalesce(model_id, ''), sum(quantity), count(*)
      from inserted group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5
  on conflict (tenant_id, meter, day, api_key_id, model_id)
    do update set quantity = d.quantity + excluded.quantity, events = d.events + excluded.events;
  return null;
end
$$;

create trigger usage_events_derive after insert on usage_events
  referencing new table as inserted for each statement execute function usage_events_derive();

-- Listing a tenant's events newest first, and exporting everyone's by time. Queries by meter and day use the
-- roll-ups, so the V40 (tenant, meter, time) index is replaced rather than kept beside these.
drop index usage_events_tenant_meter_time;
create index usage_events_tenant_id on usage_events (tenant_id, id);
create index usage_events_occurred_at on usage_events (occurred_at, id);

-- Where an external biller knows the tenant (Stripe's customer id), one row per tenant when set.
create table billing_accounts (
  tenant_id          text primary key references tenants (id) on delete cascade,
  stripe_customer_id text check (stripe_customer_id ~ '^[A-Za-z0-9_]{1,255}$'),
  updated_at         timestamptz not null
);

-- Row-level security --------------------------------------------------------------------------------------------

alter table plan_changes enable row level security;
alter table plan_changes force row level security;
create policy tenant_isolation on plan_changes to ${app_role}
  using (tenant_id = current_tenant_id() or acting_as_operator());

alter table credit_grants enable row level security;
alter table credit_grants force row level security;
create policy tenant_isolation on credit_grants to ${app_role}
  using (tenant_id = current_tenant_id() or acting_as_operator());

alter table usage_counters enable row level security;
alter table usage_counters force row level security;
create policy tenant_isolation on usage_counters to ${app_role}
  using (tenant_id = current_tenant_id() or acting_as_operator());

alter table usage_reservations enable row level security;
alter table usage_reservations force row level security;
create policy tenant_isolation on usage_reservations to ${app_role}
  using (tenant_id = current_tenant_id() or acting_as_operator());

alter table usage_hourly enable row level security;
alter table usage_hourly force row level security;
create policy tenant_isolation on usage_hourly to ${app_role}
  using (tenant_id = current_tenant_id() or acting_as_operator());

alter table usage_daily enable row level security;
alter table usage_daily force row level security;
create policy tenant_isolation on usage_daily to ${app_role}
  using (tenant_id = current_tenant_id() or acting_as_operator());

alter table billing_accounts enable row level security;
alter table billing_accounts force row level security;
create policy tenant_isolation on billing_accounts to ${app_role}
  using (tenant_id = current_tenant_id() or acting_as_operator());

create policy schema_owner on plan_changes to current_user using (true) with check (true);
create policy schema_owner on credit_grants to current_user using (true) with check (true);
create policy schema_owner on usage_counters to current_user using (true) with check (true);
create policy schema_owner on usage_reservations to current_user using (true) with check (true);
create policy schema_owner on usage_hourly to current_user using (true) with check (true);
create policy schema_owner on usage_daily to current_user using (true) with check (true);
create policy schema_owner on billing_accounts to current_user using (true) with check (true);

-- Counters and roll-ups are written only through the trigger and the quota code; the ledger, plan history and
-- credits are append-only for the application.
grant select, insert on plan_changes, credit_grants to ${app_role};
grant select, insert, update on usage_counters, usage_hourly, usage_daily, billing_accounts to ${app_role};
grant select, insert, delete on usage_reservations to ${app_role};
grant execute on function usage_period(timestamptz) to ${app_role};
grant execute on function plan_at(text, timestamptz) to ${app_role};
grant execute on function usage_terms(text, text, date) to ${app_role};
