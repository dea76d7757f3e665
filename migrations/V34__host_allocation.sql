-- What each host's servers hold, kept by the database as servers change, so that choosing a host for an order and the
-- fleet's pages read 5,000 rows rather than sum 100,000 servers each time (bench/RESULTS.md, "Scale"). Counted as
-- server/Allocations sums the rows: the servers not destroyed, on their host and on the host they are being moved to.
-- The check that a host has room, under its locks, still sums its servers' rows; these sums only choose and show.
--
-- A change of servers adds a row to host_allocation_change, which locks nothing another transaction waits for: a
-- counter row per host, updated in place, would make two transactions moving servers between the same two hosts in
-- opposite directions wait for each other. A host's allocation is its host_allocation row plus its change rows;
-- the panel folds the change rows into host_allocation now and then (server/AllocationFold).
create table host_allocation (
    host_id     bigint primary key references host (id) on delete cascade,
    servers     bigint not null,
    memory_mib  bigint not null,
    swap_mib    bigint not null,
    cpus        numeric(14, 2) not null,
    cpu_weight  bigint not null,
    pids        bigint not null,
    disk_mib    bigint not null
);

-- the same columns (LIKE takes names, types and not-null, no keys)
create table host_allocation_change (
    id          bigint generated always as identity primary key,
    like host_allocation
);
alter table host_allocation_change add foreign key (host_id) references host (id) on delete cascade;
create index host_allocation_change_host on host_allocation_change (host_id);

-- The server's old row taken away from the hosts it counted on, its new row added to those it counts on.
create function host_allocation_follow() returns trigger language plpgsql as $$
begin
    if tg_op <> 'INSERT' and old.desired_state <> 'destroyed' then
        insert into host_allocation_change (host_id, servers, memory_mib, swap_mib, cpus, cpu_weight, pids, disk_mib)
        select h, -1, -old.memory_mib, -old.swap_mib, -old.cpus, -old.cpu_weight, -old.pids, -old.disk_mib
        from unnest(array[old.host_id, old.moving_to_host_id]) as h where h is not null;
    end if;
    if tg_op <> 'DELETE' and new.desired_state <> 'destroyed' then
        insert into host_allocation_change (host_id, servers, memory_mib, swap_mib, cpus, cpu_weight, pids, disk_mib)
        select h, 1, new.memory_mib, new.swap_mib, new.cpus, new.cpu_weight, new.pids, new.disk_mib
        from unnest(array[new.host_id, new.moving_to_host_id]) as h where h is not null;
    end if;
    return null;
end $$;

create trigger virtual_server_allocation_added_or_removed after insert or delete on virtual_server
    for each row execute function host_allocation_follow();
-- most updates (observed states, heartbeats' marks) change nothing a host holds, and are passed over here
create trigger virtual_server_allocation_changed after update on virtual_server
    for each row when ((old.host_id, old.moving_to_host_id, old.desired_state = 'destroyed', old.memory_mib, old.swap_mib, old.cpus,
                        old.cpu_weight, old.pids, old.disk_mib)
        is distinct from (new.host_id, new.moving_to_host_id, new.desired_state = 'destroyed', new.memory_mib, new.swap_mib, new.cpus,
                          new.cpu_weight, new.pids, new.disk_mib))
    execute function host_allocation_follow();

insert into host_allocation (host_id, servers, memory_mib, swap_mib, cpus, cpu_weight, pids, disk_mib)
select h.id, count(*), sum(v.memory_mib), sum(v.swap_mib), sum(v.cpus), sum(v.cpu_weight), sum(v.pids), sum(v.disk_mib)
from virtual_server v
join host h on h.id = v.host_id or h.id = v.moving_to_host_id
where v.desired_state <> 'destroyed'
group by h.id;
