-- A host's rounds taken together (a minute's, as the panel asks for them) are one row, not a row each: at 5,000 hosts the
-- rounds' inserts were the database's busiest statement, and most of an insert's cost is the row's, not its size
-- (bench/RESULTS.md, "Scale"). rounds: a JSON array of the rounds, each [its time in ms since the epoch, cpu_busy_ticks,
-- cpu_total_ticks, load1, memory_used_bytes, memory_available_bytes, servers, its server samples as V30 writes them];
-- sampled_at is the first round's time, servers the last round's count. The JSON is kept as text, parsed when read: as
-- jsonb (or json, which checks it) the parsing was four fifths of the database's time to take a minute of a host
-- (bench/raw-samples.sh); only the panel writes it, and raw samples are read seldom.
create table host_rounds (
    host_id     bigint not null,
    sampled_at  timestamptz not null,
    servers     integer not null,
    rounds      text not null,
    primary key (host_id, sampled_at)
) partition by range (sampled_at);

-- The rows written before stay where they are, read through the same views, until they are past
-- corral.usage.raw-retention and their partitions are dropped.
alter table host_sample rename to host_sample_before_v33;

-- A round a row, as before, for reading. Its time is read from the JSON, which no index has: row_sampled_at is the time of
-- the row it is kept in (its first round's), by which a query of a period reaches that period's partitions and rows only,
-- not every row kept (e.g. where row_sampled_at >= T - interval '1 day' and sampled_at >= T).
create view host_sample as
select b.host_id, timestamptz 'epoch' + (r ->> 0)::bigint * interval '1 millisecond' as sampled_at, (r ->> 1)::bigint as cpu_busy_ticks,
       (r ->> 2)::bigint as cpu_total_ticks, (r ->> 3)::double precision as load1, (r ->> 4)::bigint as memory_used_bytes,
       (r ->> 5)::bigint as memory_available_bytes, (r ->> 6)::integer as servers, r -> 7 as server_samples,
       b.sampled_at as row_sampled_at
from host_rounds b
cross join lateral jsonb_array_elements(b.rounds::jsonb) as r
union all
select host_id, sampled_at, cpu_busy_ticks, cpu_total_ticks, load1, memory_used_bytes, memory_available_bytes, servers, server_samples,
       sampled_at
from host_sample_before_v33;

-- V30's view again: the name host_sample is the view above now; row_sampled_at as there.
create or replace view usage_sample as
select h.host_id, h.sampled_at, s.server_id, s.running, s.counter_epoch, s.cpu_nanos, s.memory_bytes, s.memory_peak_bytes,
       s.processes, s.oom_kills, s.throttled_nanos, s.pids_limit_hits, s.disk_used_bytes, s.cpu_stall_micros,
       s.memory_stall_micros, s.io_stall_micros, s.network_in_bytes, s.network_out_bytes, h.row_sampled_at
from host_sample h
cross join lateral jsonb_to_recordset(h.server_samples) as s (
    server_id bigint, running boolean, counter_epoch text, cpu_nanos bigint, memory_bytes bigint, memory_peak_bytes bigint,
    processes bigint, oom_kills bigint, throttled_nanos bigint, pids_limit_hits bigint, disk_used_bytes bigint,
    cpu_stall_micros bigint, memory_stall_micros bigint, io_stall_micros bigint, network_in_bytes bigint, network_out_bytes bigint)
where jsonb_typeof(h.server_samples -> 0) = 'object'
union all
select h.host_id, h.sampled_at, (e ->> 0)::bigint, (e ->> 1)::boolean, e ->> 2, (e ->> 3)::bigint, (e ->> 4)::bigint,
       (e ->> 5)::bigint, (e ->> 6)::bigint, (e ->> 7)::bigint, (e ->> 8)::bigint, (e ->> 9)::bigint, (e ->> 10)::bigint,
       (e ->> 11)::bigint, (e ->> 12)::bigint, (e ->> 13)::bigint, (e ->> 14)::bigint, (e ->> 15)::bigint, h.row_sampled_at
from host_sample h
cross join lateral jsonb_array_elements(h.server_samples) as e
where jsonb_typeof(h.server_samples -> 0) = 'array'
union all
select host_id, sampled_at, server_id, running, counter_epoch, cpu_nanos, memory_bytes, memory_peak_bytes, processes, oom_kills,
       throttled_nanos, pids_limit_hits, disk_used_bytes, cpu_stall_micros, memory_stall_micros, io_stall_micros,
       network_in_bytes, network_out_bytes, sampled_at
from usage_sample_before_v27;
