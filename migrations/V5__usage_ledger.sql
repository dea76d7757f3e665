-- Metering. Raw samples from the hosts' agents, kept for a window (corral.usage.raw-retention), in
-- daily partitions that are dropped whole; the hourly usage ledger per server, kept for good.
alter table host add column sample_cursor bigint not null default 0;

-- One row per server per sampling round. The key makes a sample that arrives twice count once.
create table usage_sample (
    server_id           bigint not null,
    host_id             bigint not null,
    sampled_at          timestamptz not null,
    running             boolean not null,
    counter_epoch       text not null,
    cpu_nanos           bigint not null,
    memory_bytes        bigint not null,
    memory_peak_bytes   bigint not null,
    processes           bigint not null,
    oom_kills           bigint not null,
    throttled_nanos     bigint not null,
    pids_limit_hits     bigint not null,
    disk_used_bytes     bigint not null,
    primary key (server_id, sampled_at)
) partition by range (sampled_at);

create table host_sample (
    host_id                 bigint not null,
    sampled_at              timestamptz not null,
    cpu_busy_ticks          bigint not null,
    cpu_total_ticks         bigint not null,
    load1                   double precision not null,
    memory_used_bytes       bigint not null,
    memory_available_bytes  bigint not null,
    servers                 integer not null,
    primary key (host_id, sampled_at)
) partition by range (sampled_at);

-- The last counters seen per server, so each new sample adds only what grew since (or, on a new
-- counter epoch — a cgroup made anew — all of it).
create table usage_meter (
    server_id       bigint primary key,
    sampled_at      timestamptz not null,
    counter_epoch   text not null,
    cpu_nanos       bigint not null,
    oom_kills       bigint not null,
    throttled_nanos bigint not null,
    pids_limit_hits bigint not null
);

-- The usage ledger: what each server used in each hour.
create table usage_hour (
    server_id           bigint not null references virtual_server (id),
    tenant_id           bigint not null references tenant (id),
    hour                timestamptz not null,
    cpu_seconds         double precision not null default 0,
    memory_gib_hours    double precision not null default 0,
    disk_gib_hours      double precision not null default 0,
    uptime_hours        double precision not null default 0,
    oom_kills           bigint not null default 0,
    throttled_seconds   double precision not null default 0,
    pids_limit_hits     bigint not null default 0,
    memory_peak_bytes   bigint not null default 0,
    samples             integer not null default 0,
    primary key (server_id, hour)
);
create index usage_hour_tenant_hour on usage_hour (tenant_id, hour);
