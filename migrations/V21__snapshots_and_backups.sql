-- Snapshots and backups of servers' disks (issue 16). The agent keeps the copies (snapshots on the server's
-- host, backups in its host's backup store); the panel keeps what it asked for, what the agent measured, and
-- who may see it. Rows stay after deletion (deleted_at) for the storage ledger of the hours they existed.

-- What a plan allows: snapshots per server and their storage for the whole tenant, backups kept per server
-- (scheduled ones count too), and the monthly price per GiB stored of each. Existing plans get what a small
-- plan gives, and no price: their bills do not change.
alter table plan
    add column server_max_snapshots integer not null default 3,
    add column max_snapshot_gib bigint not null default 20,
    add column server_max_backups integer not null default 7,
    add column price_snapshot_gib_month numeric(12, 4) not null default 0,
    add column price_backup_gib_month numeric(12, 4) not null default 0,
    add constraint plan_server_max_snapshots_check check (server_max_snapshots between 0 and 16),
    add constraint plan_max_snapshot_gib_check check (max_snapshot_gib between 0 and 1000000),
    add constraint plan_server_max_backups_check check (server_max_backups between 0 and 100),
    add constraint plan_price_snapshot_gib_month_check check (price_snapshot_gib_month >= 0),
    add constraint plan_price_backup_gib_month_check check (price_backup_gib_month >= 0);

-- pending: queued for the agent; ready: the agent holds it, with its figures; deleting: its delete is queued;
-- deleted, failed: gone (failed: never made, or over the tenant's storage and removed again).
create table snapshot (
    id            text primary key check (id ~ '^[a-z0-9-]{1,40}$'),
    server_id     bigint not null references virtual_server (id),
    tenant_id     bigint not null references tenant (id),
    status        text not null check (status in ('pending', 'ready', 'deleting', 'deleted', 'failed')),
    error         text,
    template      text,
    disk_bytes    bigint check (disk_bytes >= 0),
    stored_bytes  bigint check (stored_bytes >= 0),
    pause_millis  bigint check (pause_millis >= 0),
    was_running   boolean,
    created_at    timestamptz not null,
    taken_at      timestamptz,
    deleted_at    timestamptz
);
create index snapshot_server on snapshot (server_id) where deleted_at is null;
create index snapshot_tenant on snapshot (tenant_id) where deleted_at is null;

-- A backup lives in the store of the host its server was on when it was taken (host_id), and outlives the server.
create table backup (
    id            text primary key check (id ~ '^[a-z0-9-]{1,40}$'),
    server_id     bigint not null references virtual_server (id),
    tenant_id     bigint not null references tenant (id),
    host_id       bigint not null references host (id),
    scheduled     boolean not null,
    status        text not null check (status in ('pending', 'ready', 'deleting', 'deleted', 'failed')),
    error         text,
    template      text,
    disk_bytes    bigint check (disk_bytes >= 0),
    chunks        bigint check (chunks >= 0),
    new_chunks    bigint check (new_chunks >= 0),
    stored_bytes  bigint check (stored_bytes >= 0),
    total_bytes   bigint check (total_bytes >= 0),
    pause_millis  bigint check (pause_millis >= 0),
    sha256        text check (sha256 ~ '^[0-9a-f]{64}$'),
    created_at    timestamptz not null,
    taken_at      timestamptz,
    deleted_at    timestamptz
);
create index backup_server on backup (server_id) where deleted_at is null;
create index backup_tenant on backup (tenant_id) where deleted_at is null;

-- A server's backup schedule: daily at an hour (UTC), or weekly on a weekday (1 Monday .. 7 Sunday) at an
-- hour; keeps the last `retention` scheduled backups. next_run_at is claimed by the scheduler with the row
-- locked (SKIP LOCKED), so one run is queued once however many panel instances look.
create table backup_schedule (
    server_id    bigint primary key references virtual_server (id),
    frequency    text not null check (frequency in ('daily', 'weekly')),
    hour         integer not null check (hour between 0 and 23),
    weekday      integer check (weekday between 1 and 7),
    retention    integer not null check (retention between 1 and 100),
    next_run_at  timestamptz not null,
    check ((frequency = 'weekly') = (weekday is not null))
);
create index backup_schedule_due on backup_schedule (next_run_at);

alter table operation drop constraint operation_kind_check;
alter table operation add constraint operation_kind_check
    check (kind in ('create', 'start', 'stop', 'restart', 'reinstall', 'destroy', 'limits', 'firewall', 'forwards', 'sshKeys',
                    'snapshot', 'snapshot_restore', 'snapshot_delete', 'backup', 'backup_restore', 'backup_delete'));

-- Their storage in the usage ledger: each hour, the GiB-hours of the server's snapshots (as stored on the host) and of
-- its backups (the compressed bytes each wrote to the store), from the rows' sizes and lifetimes. An hour with only
-- storage in it has no samples: it is not an hour the server was billed for (billing/BillingLines counts sampled hours).
alter table usage_hour
    add column snapshot_gib_hours double precision not null default 0,
    add column backup_gib_hours   double precision not null default 0;

alter table billing_line
    add column snapshot_gib_hours numeric(20, 6) not null default 0,
    add column backup_gib_hours   numeric(20, 6) not null default 0,
    add column storage_cost       numeric(20, 6) not null default 0;

-- The hours up to which storage is in the ledger: the meter (usage/StorageMeter) locks the one row, so one panel
-- instance meters an hour at a time, and each hour's figures are set (not added), so an hour metered twice counts once.
create table storage_meter (
    id             integer primary key check (id = 1),
    metered_until  timestamptz not null
);
insert into storage_meter values (1, date_trunc('hour', now()));
