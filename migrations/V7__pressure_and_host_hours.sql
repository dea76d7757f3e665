-- Pressure stall information per server (how long its tasks waited for CPU, memory and I/O), the
-- host each ledger hour ran on, how much of the hour was sampled, and an hourly ledger per host for
-- the consolidation statistics (kept for good, like the servers').
alter table usage_sample
    add column cpu_stall_micros    bigint not null default 0,
    add column memory_stall_micros bigint not null default 0,
    add column io_stall_micros     bigint not null default 0;

alter table usage_meter
    add column cpu_stall_micros    bigint not null default 0,
    add column memory_stall_micros bigint not null default 0,
    add column io_stall_micros     bigint not null default 0;

alter table usage_hour
    add column cpu_stall_seconds    double precision not null default 0,
    add column memory_stall_seconds double precision not null default 0,
    add column io_stall_seconds     double precision not null default 0,
    add column observed_hours       double precision not null default 0,
    add column host_id              bigint references host (id);

-- The host's last CPU counters, so each round adds the CPU time used since the one before.
alter table host
    add column meter_sampled_at      timestamptz,
    add column meter_cpu_busy_ticks  bigint,
    add column meter_cpu_total_ticks bigint;

-- What each host used in each hour: sums over the sampled part of the hour (observed_seconds), so
-- averages are sums divided by it.
create table host_hour (
    host_id                bigint not null references host (id),
    hour                   timestamptz not null,
    observed_seconds       double precision not null default 0,
    cpu_busy_core_seconds  double precision not null default 0,
    memory_used_gib_hours  double precision not null default 0,
    memory_used_peak_bytes bigint not null default 0,
    disk_used_gib_hours    double precision not null default 0,
    servers_running_max    integer not null default 0,
    samples                integer not null default 0,
    primary key (host_id, hour)
);
