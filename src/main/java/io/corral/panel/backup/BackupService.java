package io.corral.panel.backup;

import io.corral.panel.audit.Audit;
import io.corral.panel.common.CurrentUser;
import io.corral.panel.common.DomainException;
import io.corral.panel.common.JsonText;
import io.corral.panel.plan.Plan;
import io.corral.panel.server.Operation;
import io.corral.panel.server.Operations;
import io.corral.panel.server.ServerRequest;
import io.corral.panel.server.ServerService;
import io.corral.panel.server.VirtualServer;
import io.corral.panel.tenant.Tenant;
import io.corral.panel.tenant.TenantDeleted;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Customers' backups of their servers: listed for whoever may see the server (another tenant's is not found), taken,
 * restored and deleted as operations queued in the transaction that checks the plan.
 */
@ApplicationScoped
@Transactional
public class BackupService {
    /** The panel's ids (UUIDs) as the agent takes them. */
    private static final Pattern ID = Pattern.compile("[a-z0-9-]{1,40}");
    @Inject
    ServerService servers;
    @Inject
    Operations operations;
    @Inject
    Audit audit;
    @Inject
    JsonText text;
    @Inject
    CurrentUser user;

    /** The server's backups, oldest first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<BackupView> list(long serverId) {
        return Backup.ofServer(servers.get(serverId).id).stream().map(BackupView::of).toList();
    }

    /**
     * The backups the caller may see of the server with this id, also one destroyed since (the store outlives servers): any
     * for admins, their tenant's for customers; oldest first.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<BackupView> ofServerEver(long serverId) {
        return Backup.ofServer(serverId).stream().filter(this::visible).map(BackupView::of).toList();
    }

    /** Queues the delete of a backup the caller may see, also of a server destroyed since. */
    public Operation deleteEver(String backupId, String idempotencyKey) {
        Optional<Operation> previous = operations.previous(idempotencyKey, Operation.Kind.backup_delete);
        if (previous.isPresent()) {
            return previous.get();
        }
        Backup b = Optional.of(backupId).filter(id -> ID.matcher(id).matches()).flatMap(id -> Backup.<Backup>findByIdOptional(id))
                .filter(found -> found.deletedAt == null && visible(found))
                .orElseThrow(() -> DomainException.notFound(r -> r.backup_not_found(backupId)));
        if (b.server.desiredState != VirtualServer.Desired.destroyed) {
            return delete(b.server.id, b.id, idempotencyKey);
        }
        if (!user.isAdmin() && b.tenant.status != Tenant.Status.active) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, null, r -> r.backup_tenant_inactive(b.tenant.slug, b.tenant.status.name()));
        }
        if (b.status == Backup.Status.pending) {
            throw DomainException.conflict(r -> r.backup_pending(b.id));
        }
        Operation op = deleting(b, idempotencyKey);
        audit.record("server.backup_delete", "server/" + b.server.id, "backup " + b.id);
        return op;
    }

    private boolean visible(Backup b) {
        return user.isAdmin() || user.tenantSlug().filter(b.tenant.slug::equals).isPresent();
    }

    /**
     * Queues a backup of the server if its plan has room for one more (its backups per server, scheduled ones counted), with
     * the tenant's row locked as every quota check locks it.
     */
    public Operation take(long serverId, String idempotencyKey) {
        Optional<Operation> previous = operations.previous(idempotencyKey, Operation.Kind.backup);
        if (previous.isPresent()) {
            return previous.get();
        }
        Tenant tenant = Tenant.lock(servers.get(serverId).tenant.id).orElseThrow();
        VirtualServer v = servers.managed(serverId);
        Plan plan = tenant.plan;
        long held = Backup.heldBy(v.id);
        if (held >= plan.serverMaxBackups) {
            throw new DomainException(DomainException.Kind.QUOTA, "backups", r -> r.backup_quota(plan.name, plan.serverMaxBackups, v.id, held));
        }
        Operation op = queue(v, false, idempotencyKey);
        audit.record("server.backup", "server/" + v.id, "backup " + op.payloadText("backup"));
        return op;
    }

    /**
     * A scheduled backup, in the scheduler's transaction (the server row-locked by it): taken unless the server's plan has no
     * room, counting the scheduled ones its retention will let go once this one is taken.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    Optional<Operation> scheduled(VirtualServer v, int retention) {
        long held = Backup.heldBy(v.id);
        long pruned = Math.max(0, Backup.scheduledOf(v.id).size() + 1 - retention);
        if (held - pruned >= v.tenant.plan.serverMaxBackups) {
            return Optional.empty();
        }
        Operation op = queue(v, true, null);
        op.requestedBy = BackupScheduler.WHO;
        return Optional.of(op);
    }

    private Operation queue(VirtualServer v, boolean scheduled, String idempotencyKey) {
        Backup b = new Backup();
        b.id = UUID.randomUUID().toString();
        b.server = v;
        b.tenant = v.tenant;
        b.host = v.host;
        b.scheduled = scheduled;
        b.status = Backup.Status.pending;
        b.template = v.template;
        b.createdAt = OffsetDateTime.now();
        b.persist();
        return operations.enqueue(v, Operation.Kind.backup, idempotencyKey, text.of(Map.of("backup", b.id)));
    }

    /** The backup a take queued. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public BackupView taking(Operation take) {
        return BackupView.of(Backup.<Backup>findById(take.payloadText("backup")));
    }

    /**
     * Queues putting the backup back in place of the server's disk: its host checks every chunk first and refuses a
     * backup that fails its checksum, leaving the server as it was.
     */
    public Operation restore(long serverId, String backupId, String idempotencyKey) {
        Optional<Operation> previous = operations.previous(idempotencyKey, Operation.Kind.backup_restore);
        if (previous.isPresent()) {
            return previous.get();
        }
        VirtualServer v = servers.managed(serverId);
        Backup b = found(v, backupId);
        if (b.status != Backup.Status.ready) {
            throw DomainException.conflict(r -> r.backup_not_ready(b.id, b.status.name()));
        }
        if (!b.host.id.equals(v.host.id) && (b.host.backupStore == null || !b.host.backupStore.equals(v.host.backupStore))) {
            throw DomainException.conflict(r -> r.backup_other_store(b.id, b.host.name, v.id, v.host.name));
        }
        Operation op = operations.enqueue(v, Operation.Kind.backup_restore, idempotencyKey,
                text.of(Map.of("backup", b.id, "sourceServer", b.server.agentId())));
        audit.record("server.backup_restore", "server/" + v.id, "backup " + b.id);
        return op;
    }

    /**
     * Orders a new server made from a backup the caller may see, of a server live or destroyed: for the backup's tenant,
     * on the host whose store keeps it, from the same template, with a disk no smaller; checked against the plan as any
     * order is. Its create is followed by the backup's restore, which the worker runs after it.
     */
    public VirtualServer newServer(String backupId, ServerRequest request, String idempotencyKey) {
        Optional<Operation> previous = operations.previous(idempotencyKey, Operation.Kind.create);
        if (previous.isPresent()) {
            return previous.get().server;
        }
        Backup b = restorable(backupId, LockModeType.PESSIMISTIC_WRITE);
        if (!b.template.equals(request.template())) {
            throw DomainException.invalid("template", r -> r.backup_template(b.template));
        }
        long backupMiB = diskMiB(b.diskBytes);
        if (request.limits().diskMiB() < backupMiB) {
            throw DomainException.invalid("diskMiB", r -> r.backup_disk_too_small(backupMiB));
        }
        VirtualServer v = servers.create(request, user.isAdmin() ? b.tenant.id : null, idempotencyKey, b.host);
        operations.enqueue(v, Operation.Kind.backup_restore, null, text.of(Map.of("backup", b.id, "sourceServer", b.server.agentId())));
        audit.record("server.backup_restore", "server/" + v.id, "backup " + b.id + " of server " + b.server.id + ", into this new server");
        return v;
    }

    /** A ready backup the caller may see, of a server live or destroyed, that a new server can be made from. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public BackupView orderable(String backupId) {
        return BackupView.of(restorable(backupId, LockModeType.NONE));
    }

    private Backup restorable(String backupId, LockModeType lock) {
        Backup b = Optional.ofNullable(backupId).filter(id -> ID.matcher(id).matches()).flatMap(id -> Backup.<Backup>findByIdOptional(id, lock))
                .filter(found -> found.deletedAt == null && visible(found))
                .orElseThrow(() -> DomainException.notFound(r -> r.backup_not_found(backupId)));
        if (b.status != Backup.Status.ready) {
            throw DomainException.conflict(r -> r.backup_not_ready(b.id, b.status.name()));
        }
        return b;
    }

    /** The least disk a server made from a backup takes: the disk it was taken of, in whole MiB. */
    public static long diskMiB(long diskBytes) {
        return (diskBytes + (1 << 20) - 1) >> 20;
    }

    /**
     * A deleted tenant's backups go with it (nobody could restore them, and they would be billed on): each one's delete is
     * queued; one still being taken holds the tenant's deletion up.
     */
    void onTenantDeleted(@Observes TenantDeleted deleted) {
        for (Backup b : Backup.<Backup>list("tenant.id = ?1 and status in ?2", deleted.tenantId(),
                List.of(Backup.Status.pending, Backup.Status.ready))) {
            if (b.status == Backup.Status.pending) {
                throw DomainException.conflict(r -> r.backup_tenant_pending(deleted.slug(), b.id));
            }
            deleting(b, null);
            audit.record("server.backup_delete", "server/" + b.server.id, "backup " + b.id + ", with tenant " + deleted.slug());
        }
    }

    /** Queues the backup's delete from its store (once more for one whose delete failed). */
    public Operation delete(long serverId, String backupId, String idempotencyKey) {
        Optional<Operation> previous = operations.previous(idempotencyKey, Operation.Kind.backup_delete);
        if (previous.isPresent()) {
            return previous.get();
        }
        VirtualServer v = servers.managed(serverId);
        Backup b = found(v, backupId);
        if (b.status == Backup.Status.pending) {
            throw DomainException.conflict(r -> r.backup_pending(b.id));
        }
        Operation op = deleting(b, idempotencyKey);
        audit.record("server.backup_delete", "server/" + v.id, "backup " + b.id);
        return op;
    }

    /** Locks the backup's row (as an order of a new server from it does) and says whether a restore of it is queued or running. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean beingRestored(Backup b) {
        Backup.getEntityManager().refresh(b, LockModeType.PESSIMISTIC_WRITE);
        return Operation.<Operation>list("kind = ?1 and status in ?2", Operation.Kind.backup_restore,
                List.of(Operation.Status.queued, Operation.Status.running)).stream().anyMatch(o -> b.id.equals(o.payloadText("backup")));
    }

    /**
     * Marks the backup deleting and queues its delete, with its row locked as an order of a new server from it locks it: a
     * restore of it into another server (a new one) runs on that server's queue, which a delete on its own would not wait for.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    Operation deleting(Backup b, String idempotencyKey) {
        if (beingRestored(b)) {
            throw DomainException.conflict(r -> r.backup_being_restored(b.id));
        }
        b.status = Backup.Status.deleting;
        return operations.enqueue(b.server, Operation.Kind.backup_delete, idempotencyKey, text.of(Map.of("backup", b.id)));
    }

    private static Backup found(VirtualServer v, String backupId) {
        // an id the panel never gives out is not looked for: the database would refuse some (a NUL) rather than find none
        return Optional.of(backupId).filter(id -> ID.matcher(id).matches()).flatMap(id -> Backup.ofServer(v.id, id))
                .orElseThrow(() -> DomainException.notFound(r -> r.backup_of_server_not_found(backupId, v.id)));
    }
}
