-- The statements the panel issues for GET /api/v1/servers/{id} as a customer of tenant t1.
select vs1_0.id,vs1_0.cpu_weight,vs1_0.cpus,vs1_0.created_at,vs1_0.desired_state,vs1_0.disk_mib,vs1_0.host_id,h1_0.id,h1_0.name,vs1_0.hostname,vs1_0.memory_mib,vs1_0.observed_state,vs1_0.pids,vs1_0.swap_mib,vs1_0.template,t1_0.id,t1_0.slug,t1_0.plan_id,vs1_0.updated_at from virtual_server vs1_0 left join host h1_0 on h1_0.id=vs1_0.host_id join tenant t1_0 on t1_0.id=vs1_0.tenant_id where vs1_0.id=:id;
select p1_0.id,p1_0.name from plan p1_0 where p1_0.id=1;
