-- From now on a server's sample in a round's row is an array of its figures, in the order of the view's
-- columns, not an object naming each (usage/RawSample): a third of the text for the database to take
-- at every round. Rows written before keep their objects; the view reads both.
create or replace view usage_sample as
select h.host_id, h.sampled_at, s.server_id, s.running, s.counter_epoch, s.cpu_nanos, s.memory_bytes, s.memory_peak_bytes,
       s.processes, s.oom_kills, s.throttled_nanos, s.pids_limit_hits, s.disk_used_bytes, s.cpu_stall_micros,
       s.memory_stall_micros, s.io_stall_micros, s.network_in_bytes, s.network_out_bytes
from host_sample h
cross join lateral jsonb_to_recordset(h.server_samples) as s (
    server_id bigint, running boolean, counter_epoch text, cpu_nanos bigint, memory_bytes bigint, memory_peak_bytes bigint,
    processes bigint, oom_kills bigint, throttled_nanos bigint, pids_limit_hits bigint, disk_used_bytes bigint,
    cpu_stall_micros bigint, memory_stall_micros bigint, io_stall_micros bigint, network_in_bytes bigint, network_out_bytes bigint)
where jsonb_typeof(h.server_samples -> 0) = 'object'
union all
select h.host_id, h.sampled_at, (e ->> 0)::bigint, (e ->> 1)::boolean, e ->> 2, (e ->> 3)::bigint, (e ->> 4)::bigint,
       (e ->> 5)::bigint, (e ->> 6)::bigint, (e ->> 7)::bigint, (e ->> 8)::bigint, (e ->> 9)::bigint, (e ->> 10)::bigint,
       (e ->> 11)::bigint, (e ->> 12)::bigint, (e ->> 13)::bigint, (e ->> 14)::bigint, (e ->> 15)::bigint
from host_sample h
cross join lateral jsonb_array_elements(h.server_samples) as e
where jsonb_typeof(h.server_samples -> 0) = 'array'
union all
select host_id, sampled_at, server_id, running, counter_epoch, cpu_nanos, memory_bytes, memory_peak_bytes, processes, oom_kills,
       throttled_nanos, pids_limit_hits, disk_used_bytes, cpu_stall_micros, memory_stall_micros, io_stall_micros,
       network_in_bytes, network_out_bytes
from usage_sample_before_v27;
