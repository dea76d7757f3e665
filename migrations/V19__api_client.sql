-- A tenant's API clients (issue 16): Keycloak holds their credentials, the panel which tenant each serves, who
-- made it and whether it is revoked. A revoked row stays for history; a token of a client whose row is revoked
-- or missing, or whose tenant is not active, is refused by the panel (apiclient/ApiClientTokens).
create table api_client (
    id         bigserial primary key,
    tenant_id  bigint not null references tenant (id),
    client_id  text not null unique check (client_id ~ '^corral-api-[a-z0-9-]+$'),
    name       text not null check (length(name) between 1 and 100),
    created_by text not null,
    created_at timestamptz not null,
    revoked_at timestamptz
);
create index api_client_tenant on api_client (tenant_id) where revoked_at is null;
