-- Billing periods; closing one freezes its daily lines here, so exporting it again gives the same bytes.
create table billing_period (
    id          bigserial primary key,
    starts_on   date not null,
    ends_on     date not null,
    closed_at   timestamptz,
    unique (starts_on, ends_on),
    check (starts_on < ends_on)
);

create table billing_line (
    period_id           bigint not null references billing_period (id),
    charge_start        timestamptz not null,
    charge_end          timestamptz not null,
    tenant_id           bigint not null,
    tenant_slug         text not null,
    tenant_name         text not null,
    server_id           bigint not null,
    hostname            text not null,
    plan_name           text not null,
    memory_mib          bigint not null,
    cpus                numeric(10, 2) not null,
    disk_mib            bigint not null,
    billed_hours        integer not null,
    cpu_core_hours      numeric(20, 6) not null,
    memory_gib_hours    numeric(20, 6) not null,
    disk_gib_hours      numeric(20, 6) not null,
    network_gib         numeric(20, 6) not null,
    uptime_hours        numeric(20, 6) not null,
    base_cost           numeric(20, 6) not null,
    resource_cost       numeric(20, 6) not null,
    cost                numeric(20, 6) not null,
    currency            text not null,
    primary key (period_id, server_id, charge_start)
);
