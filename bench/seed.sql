-- 200 tenants with 50 servers each (10,000 servers) on one host, as the panel benchmark's world.
insert into plan (name, max_servers, max_memory_mib, max_swap_mib, max_cpus, max_cpu_weight, max_pids, max_disk_mib,
                  server_max_memory_mib, server_max_swap_mib, server_max_cpus, server_max_cpu_weight, server_max_pids,
                  server_max_disk_mib, network)
values ('bench', 100, 1000000, 1000000, 1000, 10000, 409600, 100000000, 4096, 4096, 4, 100, 4096, 100000, 'none');
insert into tenant (name, slug, plan_id)
select 'Tenant ' || i, 't' || i, (select id from plan where name = 'bench') from generate_series(1, 200) i;
insert into host (name, agent_url, secret, status, cores, memory_mib, disk_mib, kernel, cgroup_version)
values ('bench-host', 'http://127.0.0.1:9', 'unused-secret-0123456789', 'up', 64, 1000000, 100000000, '6.18', 'v1');
insert into virtual_server (tenant_id, host_id, hostname, template, memory_mib, swap_mib, cpus, cpu_weight, pids, disk_mib,
                            desired_state, observed_state)
select t.id, (select id from host where name = 'bench-host'), 'vs' || s || '.' || t.slug, 'busybox', 512, 0, 1, 100, 512,
       10240, 'running', 'running'
from tenant t, generate_series(1, 50) s;
analyze;
