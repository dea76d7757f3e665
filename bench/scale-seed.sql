-- The scale benchmark's world (bench/scale.sh): :tenants tenants, :servers servers spread evenly over :hosts hosts,
-- each host served by the stand-in agent under :'url'/h/<n> with the secret and certificate given.
insert into plan (name, max_servers, max_memory_mib, max_swap_mib, max_cpus, max_cpu_weight, max_pids, max_disk_mib,
                  server_max_memory_mib, server_max_swap_mib, server_max_cpus, server_max_cpu_weight, server_max_pids,
                  server_max_disk_mib, network)
values ('scale', 1000, 10000000, 10000000, 10000, 10000, 4096000, 1000000000, 4096, 4096, 4, 100, 4096, 100000, 'none');
insert into tenant (name, slug, plan_id)
select 'Tenant ' || i, 't' || i, (select id from plan where name = 'scale') from generate_series(1, :tenants) i;
insert into host (name, agent_url, secret, tls_fingerprint, status, cores, memory_mib, disk_mib, kernel, cgroup_version,
                  last_heartbeat, template_names)
select 'standin-' || n, :'url' || '/h/' || n, :'secret', :'fingerprint', 'up', 64, 262144, 4194304, '6.1.0-standin', 'v2',
       now(), 'busybox debian debian-ssh'
from generate_series(1, :hosts) n;
-- server i of all belongs to tenant i mod tenants and sits on host i mod hosts; as the stand-in reports it (no user namespace of
-- its own, the agent's default limits), as a heartbeat of a fleet running for a while has recorded
insert into virtual_server (tenant_id, host_id, hostname, template, memory_mib, swap_mib, cpus, cpu_weight, pids, disk_mib,
                            desired_state, observed_state, own_user_namespace)
select t.id, h.id, 'vs' || i || '.' || t.slug, 'busybox', 256, 0, 1, 100, 512, 1024, 'running', 'running', false
from generate_series(1, :servers) i
join tenant t on t.slug = 't' || (1 + (i - 1) % :tenants)
join host h on h.name = 'standin-' || (1 + (i - 1) % :hosts);
analyze;
