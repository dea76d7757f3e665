-- What each server of a plan may move: megabits per second into and out of it (tc on its host), MiB and
-- operations per second on its disk, reads and writes each (its cgroup's io.max or blkio). 0 is no limit.
-- The plan sets them for every server of its tenants (a customer does not choose them), within what an
-- agent takes (host-agent/README.md, "Bandwidth and disk IO"): 0 to 100000 Mbit/s, 0 to 100000 MiB/s,
-- 0 to 10000000 IOPS.
--
-- Existing plans get 0, no limit: their servers ran without one, and a rate nobody chose would slow
-- them at their next change; an admin who wants limits sets them on the plan, and its servers follow.
alter table plan
    add column server_network_in_mbit integer not null default 0,
    add column server_network_out_mbit integer not null default 0,
    add column server_disk_mibps integer not null default 0,
    add column server_disk_iops integer not null default 0,
    add constraint plan_server_network_in_mbit_check check (server_network_in_mbit between 0 and 100000),
    add constraint plan_server_network_out_mbit_check check (server_network_out_mbit between 0 and 100000),
    add constraint plan_server_disk_mibps_check check (server_disk_mibps between 0 and 100000),
    add constraint plan_server_disk_iops_check check (server_disk_iops between 0 and 10000000);
