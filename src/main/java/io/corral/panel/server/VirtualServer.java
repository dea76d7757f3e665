package io.corral.panel.server;

import io.corral.panel.host.Host;
import io.corral.panel.limits.Limits;
import io.corral.panel.tenant.Tenant;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Sort;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import org.hibernate.annotations.DynamicUpdate;

/** A tenant's virtual server: what it should be (desired) and what its host last said it is (observed). */
// only the columns changed are written: a heartbeat marking the observed state must not write back limits it read before
// a change of them committed (the host's room and the tenant's quota count them)
@DynamicUpdate
@Entity
public class VirtualServer extends PanacheEntityBase {
    public enum Desired { running, stopped, destroyed }

    public enum Observed {
        creating, stopped, running, unknown, failed, destroyed;

        /**
         * The state an agent reports: running or stopped, the only two an agent has; anything else (an agent newer than the
         * panel, or one gone wrong) is unknown, and the rest of the agent's answer is still taken. The states only the panel
         * gives (creating, failed, destroyed) are never taken from an agent.
         */
        public static Observed reported(String state) {
            return running.name().equals(state) ? running : stopped.name().equals(state) ? stopped : unknown;
        }
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @ManyToOne(optional = false)
    public Tenant tenant;
    @ManyToOne
    public Host host;
    /** The host a move is taking it to, whose room is held for it until the move ends; null when none is under way. */
    @ManyToOne
    @jakarta.persistence.JoinColumn(name = "moving_to_host_id")
    public Host movingTo;
    public String hostname;
    public String template;
    public long memoryMib;
    public long swapMib;
    public BigDecimal cpus;
    public int cpuWeight;
    public int pids;
    public long diskMib;
    @Enumerated(EnumType.STRING)
    public Desired desiredState;
    @Enumerated(EnumType.STRING)
    public Observed observedState;
    public OffsetDateTime createdAt;
    public OffsetDateTime updatedAt;
    /** Whether the server runs in a user namespace of its own, as its agent last reported; null before it has. */
    public Boolean ownUserNamespace;

    /** The host name as people read it: in Unicode where its stored (ASCII) form has xn-- labels. */
    public String unicodeHostname() {
        return Hostnames.unicode(hostname);
    }

    public Limits limits() {
        return new Limits(memoryMib, swapMib, cpus, cpuWeight, pids, diskMib);
    }

    public void setLimits(Limits l) {
        memoryMib = l.memoryMiB();
        swapMib = l.swapMiB();
        cpus = l.cpus();
        cpuWeight = l.cpuWeight();
        pids = l.pids();
        diskMib = l.diskMiB();
    }

    /** The id the host agent knows the server by: the panel's id, which never changes. */
    public String agentId() {
        return Long.toString(id);
    }

    /** The host's servers that run without a user namespace of their own (made before, or where the host has none). */
    public static PanacheQuery<VirtualServer> withoutUserNamespaceOn(long hostId) {
        return find("host.id = ?1 and desiredState <> ?2 and ownUserNamespace = false", Sort.by("id"), hostId, Desired.destroyed);
    }

    public void observe(Observed state) {
        observedState = state;
        updatedAt = OffsetDateTime.now();
    }
}
