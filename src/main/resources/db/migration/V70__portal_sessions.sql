-- Portal sign-in sessions, kept on the server: the browser holds only a random handle in an HttpOnly cookie,
-- never a token. A row keeps the tokens of one Keycloak sign-in (encrypted by the application with the
-- portal secret before they reach the database) until sign-out or expiry.
--
-- Sessions belong to a person, not to a tenant: they are found by the SHA-256 of the cookie's handle before
-- anyone is known, so they carry no tenant_id and no row-level policy. The handle is 256 random bits.

create table portal_sessions (
  id            text primary key,          -- hex SHA-256 of the cookie's handle; the handle itself is never stored
  id_token      text not null,
  access_token  text,
  refresh_token text,
  access_expires_in bigint,                -- seconds, as the token endpoint said
  access_scope  text,
  created_at    timestamptz not null,
  expires_at    timestamptz not null
);
create index portal_sessions_expiry on portal_sessions (expires_at);

grant select, insert, update, delete on portal_sessions to ${app_role};
