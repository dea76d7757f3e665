-- Agents serve their API over HTTPS only, and the panel trusts each agent's certificate by the SHA-256
-- fingerprint pinned when the host was registered (taken from the agent when the admin gave none).
-- Hosts registered before have no pin: their next heartbeat pins the certificate their agent
-- presents and records that in the audit log. heartbeat_error: why the last heartbeat got no answer.
alter table host add column tls_fingerprint text;
alter table host add column tls_fingerprint_taken boolean not null default false;
alter table host add column heartbeat_error text;
update host set agent_url = 'https://' || substring(agent_url from 8) where agent_url like 'http://%';
