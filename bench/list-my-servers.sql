-- The statements the panel issues for GET /api/v1/servers as a customer of tenant t1 (first page of
-- 50), captured with quarkus.hibernate-orm.log.sql=true; run by pgbench as one transaction.
select t1_0.id,t1_0.created_at,t1_0.name,p1_0.id,p1_0.currency,p1_0.name,t1_0.slug,t1_0.status from tenant t1_0 join plan p1_0 on p1_0.id=t1_0.plan_id where t1_0.slug='t1';
select vs1_0.id,vs1_0.cpu_weight,vs1_0.cpus,vs1_0.created_at,vs1_0.desired_state,vs1_0.disk_mib,vs1_0.host_id,vs1_0.hostname,vs1_0.memory_mib,vs1_0.observed_state,vs1_0.pids,vs1_0.swap_mib,vs1_0.template,vs1_0.tenant_id,vs1_0.updated_at from virtual_server vs1_0 join tenant t1_0 on t1_0.id=vs1_0.tenant_id where t1_0.slug='t1' and vs1_0.desired_state<>'destroyed' order by vs1_0.id offset 0 rows fetch first 50 rows only;
select h1_0.id,h1_0.agent_url,h1_0.cgroup_version,h1_0.cores,h1_0.name,h1_0.status from host h1_0 where h1_0.id=1;
select count(*) from virtual_server vs1_0 join tenant t1_0 on t1_0.id=vs1_0.tenant_id where t1_0.slug='t1' and vs1_0.desired_state<>'destroyed';
