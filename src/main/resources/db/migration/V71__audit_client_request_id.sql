-- The audit log keeps the request id the platform gave a request (request_id) apart from the one a client sent
-- in X-Request-Id (client_request_id): a client's id is recorded, never taken for ours.
alter table audit_events add column client_request_id text;
