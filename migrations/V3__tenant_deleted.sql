-- A deleted tenant keeps its row for the history of its destroyed servers; its users are gone from Keycloak.
alter table tenant drop constraint tenant_status_check;
alter table tenant add constraint tenant_status_check check (status in ('active', 'suspended', 'deleted'));
