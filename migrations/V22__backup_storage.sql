-- What a server's backups take in its host's store, as the agent counts it after each backup taken or deleted: the
-- compressed bytes of the server's chunks, each once however many backups share it. The ledger bills this, not what
-- each backup wrote: deleting the backup that wrote a chunk a later one uses leaves the chunk in the store, and billed.
-- A row holds from since until the server's next; the rows are never changed, so an hour metered twice counts once.
create table backup_storage (
    server_id     bigint not null references virtual_server (id),
    tenant_id     bigint not null references tenant (id),
    since         timestamptz not null,
    stored_bytes  bigint not null check (stored_bytes >= 0),
    primary key (server_id, since)
);

-- Backups taken before this have no row: from now on, each server's live backups are counted at what they wrote, which
-- is exact unless one of them was deleted since (the first backup taken or deleted after this corrects it).
insert into backup_storage (server_id, tenant_id, since, stored_bytes)
select server_id, min(tenant_id), now(), sum(stored_bytes)
from backup where deleted_at is null and stored_bytes is not null group by server_id;
