-- Foundation: tenants, members, API keys, audit log, idempotency keys.
--
-- Ownership: this script runs as the schema owner. The application connects as ${app_role}, which owns
-- nothing and has no BYPASSRLS: every tenant-owned table has FORCE ROW LEVEL SECURITY and a policy keyed
-- on the per-connection settings that the application sets when a transaction checks out a connection:
--   modelyard.tenant_id  the current tenant ('' when none)
--   modelyard.subject    the authenticated user's subject ('' when none)
--   modelyard.operator   'on' only inside platform-operator endpoints
-- A query that forgets its tenant filter therefore still sees no foreign rows.
-- The schema owner keeps full access through an explicit policy, used by migrations and by the few
-- SECURITY DEFINER functions below that resolve a caller before any tenant is known.

create function current_tenant_id() returns text language sql stable as
$$ select coalesce(current_setting('modelyard.tenant_id', true), '') $$;

create function current_subject() returns text language sql stable as
$$ select coalesce(current_setting('modelyard.subject', true), '') $$;

create function acting_as_operator() returns boolean language sql stable as
$$ select coalesce(current_setting('modelyard.operator', true), '') = 'on' $$;

create table tenants (
  id               text primary key,
  name             text not null check (length(name) between 1 and 100),
  plan             text not null default 'free',
  status           text not null default 'active' check (status in ('active', 'suspended')),
  suspended_reason text,
  created_by       text not null,
  created_at       timestamptz not null,
  updated_at       timestamptz not null
);

create table members (
  id           text primary key,
  tenant_id    text not null references tenants (id) on delete cascade,
  subject      text,
  email        text,
  display_name text,
  role         text not null check (role in ('owner', 'admin', 'member', 'viewer')),
  status       text not null check (status in ('active', 'invited')),
  invited_by   text,
  created_at   timestamptz not null,
  updated_at   timestamptz not null,
  unique (tenant_id, subject),
  unique (tenant_id, email)
);
create index members_subject on members (subject) where subject is not null;
create index members_pending_email on members (email) where subject is null;

create table api_keys (
  id           text primary key,
  tenant_id    text not null references tenants (id) on delete cascade,
  name         text not null,
  prefix       text not null,
  secret_hash  bytea not null unique,
  scopes       text[] not null,
  created_by   text not null,
  created_at   timestamptz not null,
  expires_at   timestamptz,
  revoked_at   timestamptz,
  last_used_at timestamptz,
  rotated_from text references api_keys (id),
  unique (tenant_id, id)
);

create table audit_events (
  id          text primary key,
  tenant_id   text not null references tenants (id) on delete cascade,
  actor_type  text not null check (actor_type in ('user', 'api_key', 'operator', 'system')),
  actor_id    text not null,
  action      text not null,
  target_type text,
  target_id   text,
  source_ip   text,
  request_id  text,
  details     jsonb not null default '{}',
  created_at  timestamptz not null
);
create index audit_events_tenant_id on audit_events (tenant_id, id desc);

-- Stripe's rules: same key + same request -> the first answer again; same key + another request -> 409.
-- scope is a tenant id, or 'user:<subject>' for calls made before the caller has a tenant (sign-up).
create table idempotency_keys (
  scope           text not null,
  key             text not null,
  fingerprint     text not null,
  response_status int,
  response_body   jsonb,
  created_at      timestamptz not null default now(),
  primary key (scope, key)
);
create index idempotency_keys_created_at on idempotency_keys (created_at);

-- Row-level security ------------------------------------------------------------------------------------

alter table tenants enable row level security;
alter table tenants force row level security;
create policy tenant_isolation on tenants to ${app_role}
  using (id = current_tenant_id() or acting_as_operator());

alter table members enable row level security;
alter table members force row level security;
create policy tenant_isolation on members to ${app_role}
  using (tenant_id = current_tenant_id() or acting_as_operator());

alter table api_keys enable row level security;
alter table api_keys force row level security;
create policy tenant_isolation on api_keys to ${app_role}
  using (tenant_id = current_tenant_id() or acting_as_operator());

alter table audit_events enable row level security;
alter table audit_events force row level security;
create policy tenant_isolation on audit_events to ${app_role}
  using (tenant_id = current_tenant_id() or acting_as_operator());

alter table idempotency_keys enable row level security;
alter table idempotency_keys force row level security;
create policy tenant_isolation on idempotency_keys to ${app_role}
  using (scope = current_tenant_id() or scope = 'user:' || current_subject());

create policy schema_owner on tenants to current_user using (true) with check (true);
create policy schema_owner on members to current_user using (true) with check (true);
create policy schema_owner on api_keys to current_user using (true) with check (true);
create policy schema_owner on audit_events to current_user using (true) with check (true);
create policy schema_owner on idempotency_keys to current_user using (true) with check (true);

-- Grants: data access only; the audit log is append-only for the application.
grant usage on schema public to ${app_role};
grant select, insert, update, delete on tenants, members, api_keys, idempotency_keys to ${app_role};
grant select, insert on audit_events to ${app_role};

-- Resolving a caller before a tenant is known -------------------------------------------------------------

-- The tenants a user belongs to. Binds pending invitations addressed to the user's verified email first.
create function auth_memberships(p_subject text, p_verified_email text, p_display_name text)
  returns table (tenant_id text, tenant_name text, tenant_status text, tenant_plan text, member_id text,
                 role text, tenant_created_at timestamptz, tenant_updated_at timestamptz)
  language plpgsql volatile security definer set search_path = public as
$$
begin
  if p_verified_email is not null and p_verified_email <> '' then
    update members m
       set subject = p_subject, status = 'active', display_name = coalesce(p_display_name, m.display_name),
           updated_at = now()
     where m.subject is null and m.email = lower(p_verified_email)
       and not exists (select 1 from members o where o.tenant_id = m.tenant_id and o.subject = p_subject);
  end if;
  return query
    select t.id, t.name, t.status, t.plan, m.id, m.role, t.created_at, t.updated_at
      from members m join tenants t on t.id = m.tenant_id
     where m.subject = p_subject and m.status = 'active'
     order by t.id;
end
$$;

-- An API key by the SHA-256 of its secret, with what authentication needs to know of its tenant.
create function auth_api_key(p_secret_hash bytea)
  returns table (key_id text, tenant_id text, scopes text[], expires_at timestamptz, revoked_at timestamptz,
                 created_by text, tenant_status text, tenant_plan text)
  language sql stable security definer set search_path = public as
$$
  select k.id, k.tenant_id, k.scopes, k.expires_at, k.revoked_at, k.created_by, t.status, t.plan
    from api_keys k join tenants t on t.id = k.tenant_id
   where k.secret_hash = p_secret_hash
$$;

-- Batched last_used_at updates, flushed in the background rather than written on every request.
create function touch_api_keys(p_key_ids text[], p_used_at timestamptz[])
  returns void language sql volatile security definer set search_path = public as
$$
  update api_keys k set last_used_at = greatest(coalesce(k.last_used_at, u.used_at), u.used_at)
    from unnest(p_key_ids, p_used_at) as u(key_id, used_at)
   where k.id = u.key_id
$$;

create function purge_idempotency_keys(p_older_than interval)
  returns bigint language sql volatile security definer set search_path = public as
$$
  with gone as (delete from idempotency_keys where created_at < now() - p_older_than returning 1)
  select count(*) from gone
$$;

revoke all on function auth_memberships(text, text, text) from public;
revoke all on function auth_api_key(bytea) from public;
revoke all on function touch_api_keys(text[], timestamptz[]) from public;
revoke all on function purge_idempotency_keys(interval) from public;
grant execute on function auth_memberships(text, text, text) to ${app_role};
grant execute on function auth_api_key(bytea) to ${app_role};
grant execute on function touch_api_keys(text[], timestamptz[]) to ${app_role};
grant execute on function purge_idempotency_keys(interval) to ${app_role};
grant execute on function current_tenant_id() to ${app_role};
grant execute on function current_subject() to ${app_role};
grant execute on function acting_as_operator() to ${app_role};
