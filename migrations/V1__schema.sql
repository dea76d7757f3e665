-- Corral panel schema. Usage figures (servers, memory, CPU, disk in use) are never stored: they are
-- summed from virtual_server under a row lock of the tenant or host, so they cannot drift.

create table plan (
    id                      bigserial primary key,
    name                    text not null unique,
    max_servers             integer not null check (max_servers >= 0),
    max_memory_mib          bigint not null check (max_memory_mib >= 0),
    max_cpus                numeric(10, 2) not null check (max_cpus >= 0),
    max_disk_mib            bigint not null check (max_disk_mib >= 0),
    server_max_memory_mib   bigint not null check (server_max_memory_mib > 0),
    server_max_cpus         numeric(10, 2) not null check (server_max_cpus > 0),
    server_max_disk_mib     bigint not null check (server_max_disk_mib > 0),
    price_server_month      numeric(12, 4) not null default 0,
    price_memory_gib_month  numeric(12, 4) not null default 0,
    price_cpu_month         numeric(12, 4) not null default 0,
    price_disk_gib_month    numeric(12, 4) not null default 0,
    currency                text not null default 'EUR' check (currency ~ '^[A-Z]{3}$'),
    created_at              timestamptz not null default now()
);

create table tenant (
    id          bigserial primary key,
    name        text not null,
    slug        text not null unique,
    plan_id     bigint not null references plan (id),
    status      text not null default 'active' check (status in ('active', 'suspended')),
    created_at  timestamptz not null default now()
);

create table host (
    id                  bigserial primary key,
    name                text not null unique,
    agent_url           text not null,
    secret              text not null,
    status              text not null default 'up' check (status in ('up', 'down', 'draining')),
    cores               integer,
    memory_mib          bigint,
    disk_mib            bigint,
    kernel              text,
    cgroup_version      text,
    memory_overcommit   numeric(6, 2) not null default 1.0 check (memory_overcommit > 0),
    cpu_overcommit      numeric(6, 2) not null default 4.0 check (cpu_overcommit > 0),
    last_heartbeat      timestamptz,
    created_at          timestamptz not null default now()
);

create table virtual_server (
    id              bigserial primary key,
    tenant_id       bigint not null references tenant (id),
    host_id         bigint references host (id),
    hostname        text not null,
    template        text not null,
    memory_mib      bigint not null,
    swap_mib        bigint not null,
    cpus            numeric(10, 2) not null,
    cpu_weight      integer not null,
    pids            integer not null,
    disk_mib        bigint not null,
    desired_state   text not null check (desired_state in ('running', 'stopped', 'destroyed')),
    observed_state  text not null default 'creating'
        check (observed_state in ('creating', 'stopped', 'running', 'unknown', 'failed', 'destroyed')),
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);
create index virtual_server_tenant on virtual_server (tenant_id) where desired_state <> 'destroyed';
create index virtual_server_host on virtual_server (host_id) where desired_state <> 'destroyed';

create table operation (
    id               bigserial primary key,
    server_id        bigint not null references virtual_server (id),
    kind             text not null check (kind in ('create', 'start', 'stop', 'restart', 'reinstall', 'destroy', 'limits')),
    status           text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed')),
    error            text,
    requested_by     text not null,
    idempotency_key  text,
    payload          text,
    attempts         integer not null default 0,
    lease_until      timestamptz,
    created_at       timestamptz not null default now(),
    started_at       timestamptz,
    finished_at      timestamptz,
    unique (requested_by, idempotency_key)
);
create index operation_pending on operation (id) where status in ('queued', 'running');
create index operation_server on operation (server_id, id);

create table audit_event (
    id       bigserial primary key,
    actor    text not null,
    action   text not null,
    target   text not null,
    details  text,
    at       timestamptz not null default now()
);
create index audit_event_at on audit_event (at desc);
