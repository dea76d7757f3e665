-- A host's sampling round is one row: the host's figures and its servers' samples (placed on it) as
-- a JSON array. One row per server per round was 10,000 inserts a second for 100,000 servers sampled
-- every 10 s, and took twice the space (bench/RESULTS.md, "Scale"). Adding the column is a change of
-- the catalogue only (a constant default), whatever the table's size.
alter table host_sample add column server_samples jsonb not null default '[]';

-- The raw samples taken before stay where they are (nothing moves: the old table may hold days of
-- samples of every server), read through the same view, until they are past corral.usage.raw-retention
-- and a later migration drops the table.
alter table usage_sample rename to usage_sample_before_v27;

-- The raw samples a row per server, as they were, for reading.
create view usage_sample as
select h.host_id, h.sampled_at, s.server_id, s.running, s.counter_epoch, s.cpu_nanos, s.memory_bytes, s.memory_peak_bytes,
       s.processes, s.oom_kills, s.throttled_nanos, s.pids_limit_hits, s.disk_used_bytes, s.cpu_stall_micros,
       s.memory_stall_micros, s.io_stall_micros, s.network_in_bytes, s.network_out_bytes
from host_sample h
cross join lateral jsonb_to_recordset(h.server_samples) as s (
    server_id bigint, running boolean, counter_epoch text, cpu_nanos bigint, memory_bytes bigint, memory_peak_bytes bigint,
    processes bigint, oom_kills bigint, throttled_nanos bigint, pids_limit_hits bigint, disk_used_bytes bigint,
    cpu_stall_micros bigint, memory_stall_micros bigint, io_stall_micros bigint, network_in_bytes bigint, network_out_bytes bigint)
union all
select host_id, sampled_at, server_id, running, counter_epoch, cpu_nanos, memory_bytes, memory_peak_bytes, processes, oom_kills,
       throttled_nanos, pids_limit_hits, disk_used_bytes, cpu_stall_micros, memory_stall_micros, io_stall_micros,
       network_in_bytes, network_out_bytes
from usage_sample_before_v27;
