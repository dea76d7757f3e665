package io.corral.panel.backup;

import io.corral.panel.host.Host;
import io.corral.panel.server.VirtualServer;
import io.corral.panel.tenant.Tenant;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Sort;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * A backup of a server's disk in the backup store of the host it was taken on (host): what the panel asked for, and once
 * taken, what the host measured. It outlives its server. Its id is the panel's, and the agent's name for it.
 */
@Entity
public class Backup extends PanacheEntityBase {
    /** pending: queued; ready: in the store; deleting: its delete is queued; deleted, failed: not in the store. */
    public enum Status { pending, ready, deleting, deleted, failed }

    @Id
    public String id;
    @ManyToOne(optional = false)
    public VirtualServer server;
    @ManyToOne(optional = false)
    public Tenant tenant;
    @ManyToOne(optional = false)
    public Host host;
    /** Taken by the server's schedule, so pruned by its retention; else taken on request, and kept until deleted. */
    public boolean scheduled;
    @Enumerated(EnumType.STRING)
    public Status status;
    public String error;
    public String template;
    public Long diskBytes;
    public Long chunks;
    public Long newChunks;
    public Long storedBytes;
    public Long totalBytes;
    public Long pauseMillis;
    public String sha256;
    public OffsetDateTime createdAt;
    public OffsetDateTime takenAt;
    public OffsetDateTime deletedAt;

    /** The server's backups that are not gone, oldest first. */
    static List<Backup> ofServer(long serverId) {
        return list("server.id = ?1 and deletedAt is null", Sort.by("createdAt").and("id"), serverId);
    }

    static Optional<Backup> ofServer(long serverId, String id) {
        return find("id = ?1 and server.id = ?2 and deletedAt is null", id, serverId).firstResultOptional();
    }

    /** How many the server keeps or is having taken: what its plan bounds. */
    static long heldBy(long serverId) {
        return count("server.id = ?1 and status in ?2", serverId, List.of(Status.pending, Status.ready));
    }

    /** The server's ready scheduled backups, newest first: those past its schedule's retention go. */
    static List<Backup> scheduledOf(long serverId) {
        return list("server.id = ?1 and scheduled = true and status = ?2", Sort.descending("createdAt", "id"), serverId, Status.ready);
    }

    void gone(Status how, String why) {
        status = how;
        error = why;
        deletedAt = OffsetDateTime.now();
    }
}
