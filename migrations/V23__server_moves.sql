-- A server being moved to another host: that host's room is held for it until the move ends (Allocations counts the
-- server on both), and no second move or placement takes it meanwhile.
alter table virtual_server add column moving_to_host_id bigint references host (id);
create index virtual_server_moving_to on virtual_server (moving_to_host_id) where moving_to_host_id is not null;

alter table operation drop constraint operation_kind_check;
alter table operation add constraint operation_kind_check
    check (kind in ('create', 'start', 'stop', 'restart', 'reinstall', 'destroy', 'limits', 'firewall', 'forwards', 'sshKeys',
                    'snapshot', 'snapshot_restore', 'snapshot_delete', 'backup', 'backup_restore', 'backup_delete', 'move'));

-- A run of moves an admin started: a consolidation plan carried out, or a host drained. Its steps are queued one at a
-- time, each when the one before has ended, so a cancel stops after the move in flight.
create table move_run (
    id            bigint generated always as identity primary key,
    kind          text not null check (kind in ('consolidate', 'drain')),
    status        text not null check (status in ('running', 'finished', 'failed', 'cancelled')),
    requested_by  text not null,
    created_at    timestamptz not null,
    finished_at   timestamptz,
    error         text
);

create table move_run_step (
    run_id        bigint not null references move_run (id),
    position      integer not null check (position >= 0),
    server_id     bigint not null references virtual_server (id),
    from_host_id  bigint not null references host (id),
    to_host_id    bigint not null references host (id),
    operation_id  bigint references operation (id),
    status        text not null check (status in ('pending', 'running', 'done', 'failed', 'cancelled')),
    error         text,
    primary key (run_id, position)
);
create index move_run_step_operation on move_run_step (operation_id) where operation_id is not null;
