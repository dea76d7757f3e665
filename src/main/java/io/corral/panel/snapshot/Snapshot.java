package io.corral.panel.snapshot;

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
 * A snapshot of a server's disk, kept by the server's host: what the panel asked for, and once taken, what the host
 * measured. Its id is the panel's, and the agent's name for it.
 */
@Entity
public class Snapshot extends PanacheEntityBase {
    /** pending: queued; ready: on the host; deleting: its delete is queued; deleted, failed: not on the host. */
    public enum Status { pending, ready, deleting, deleted, failed }

    @Id
    public String id;
    @ManyToOne(optional = false)
    public VirtualServer server;
    @ManyToOne(optional = false)
    public Tenant tenant;
    @Enumerated(EnumType.STRING)
    public Status status;
    public String error;
    public String template;
    public Long diskBytes;
    public Long storedBytes;
    public Long pauseMillis;
    public Boolean wasRunning;
    public OffsetDateTime createdAt;
    public OffsetDateTime takenAt;
    public OffsetDateTime deletedAt;

    /** The server's snapshots that are not gone, oldest first. */
    static List<Snapshot> ofServer(long serverId) {
        return list("server.id = ?1 and deletedAt is null", Sort.by("createdAt").and("id"), serverId);
    }

    static Optional<Snapshot> ofServer(long serverId, String id) {
        return find("id = ?1 and server.id = ?2 and deletedAt is null", id, serverId).firstResultOptional();
    }

    /** How many the server holds or is having taken: what its plan's count bounds. */
    static long heldBy(long serverId) {
        return count("server.id = ?1 and status in ?2", serverId, List.of(Status.pending, Status.ready));
    }

    /** What the tenant's snapshots take on their hosts, as the hosts measured them. */
    static long storedBytesOf(long tenantId) {
        Number sum = (Number) getEntityManager().createQuery(
                "select coalesce(sum(s.storedBytes), 0) from Snapshot s where s.tenant.id = ?1 and s.deletedAt is null")
                .setParameter(1, tenantId).getSingleResult();
        return sum.longValue();
    }

    void gone(Status how, String why) {
        status = how;
        error = why;
        deletedAt = OffsetDateTime.now();
    }
}
