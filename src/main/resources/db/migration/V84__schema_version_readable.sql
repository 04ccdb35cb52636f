-- The api role does not migrate at start; its readiness compares the newest applied migration with the newest one
-- its build packages (SchemaVersionHealthCheck). The application role reads the history for that, nothing more.
grant select on ${flyway:table} to ${app_role};
