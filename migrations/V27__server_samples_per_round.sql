-- A host's sampling round is one row: the host's figures and its servers' samples (placed on it) as
-- a JSON array. One row per server per round was 10,000 inserts a second for 100,000 servers sampled
-- every 10 s, and took twice the space (bench/RESULTS.md, "Scale").
alter table host_sample add column server_samples jsonb not null default '[]';

update host_sample h set server_samples = s.samples
from (select host_id, sampled_at, jsonb_agg(to_jsonb(u) - 'host_id' - 'sampled_at' order by server_id) as samples
      from usage_sample u group by host_id, sampled_at) s
where s.host_id = h.host_id and s.sampled_at = h.sampled_at;

drop table usage_sample;

-- The raw samples a row per server, as they were, for reading.
create view usage_sample as
select h.host_id, h.sampled_at, s.*
from host_sample h
cross join lateral jsonb_to_recordset(h.server_samples) as s (
    server_id bigint, running boolean, counter_epoch text, cpu_nanos bigint, memory_bytes bigint, memory_peak_bytes bigint,
    processes bigint, oom_kills bigint, throttled_nanos bigint, pids_limit_hits bigint, disk_used_bytes bigint,
    cpu_stall_micros bigint, memory_stall_micros bigint, io_stall_micros bigint, network_in_bytes bigint, network_out_bytes bigint);
