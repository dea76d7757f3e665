-- The partial indexes of V1 ("where desired_state <> 'destroyed'") cannot serve the panel's
-- prepared statements, whose state is a parameter: PostgreSQL's generic plan then scanned every
-- server for each page and count. Plain indexes serve both.
drop index virtual_server_tenant;
drop index virtual_server_host;
create index virtual_server_tenant on virtual_server (tenant_id, id);
create index virtual_server_host on virtual_server (host_id);
