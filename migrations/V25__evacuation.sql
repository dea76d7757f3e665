-- Evacuating a host that is down (issue 17): its servers come back on other hosts from their latest backups, where a
-- host shares the down host's backup store. backup_store names a store several hosts' agents use (an S3 bucket and
-- prefix, or a directory they share); null: the host's own, which no other host reads.
alter table host add column backup_store text check (backup_store ~ '^[a-z0-9][a-z0-9-]{0,39}$');

-- Copies of servers a host still holds but may not run: an evacuated server's old copy on the host it was evacuated
-- from, a moved server's stopped copy its old host could not remove, what a failed evacuation left on its target. The
-- heartbeat removes each when that host answers, once the operation it awaits (an evacuation's restore) has succeeded;
-- until then the copy's forwarded host ports stay its own on that host (its agent still forwards them).
create table stray_copy (
    server_id           bigint not null references virtual_server (id) on delete cascade,
    host_id             bigint not null references host (id) on delete cascade,
    reason              text not null,
    awaits_operation_id bigint references operation (id) on delete cascade,
    created_at          timestamptz not null default now(),
    primary key (host_id, server_id) -- host first: each heartbeat looks its host's up
);
