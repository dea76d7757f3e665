package io.corral.panel.host;

import io.corral.panel.agent.Agent;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import java.math.BigDecimal;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * A machine running a host agent. Its secret authenticates the panel to the agent and is never
 * shown; its pinned certificate fingerprint is the only certificate the panel accepts from the agent.
 */
@Entity
public class Host extends PanacheEntityBase {
    public enum Status { up, down, draining }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String name;
    public String agentUrl;
    /** Where customers reach the host (its public IPv4 address or DNS name), when not the agent URL's host; null: that one. */
    public String publicAddress;
    public String secret;
    /** The backup store its agent shares with other hosts' agents (same name, same store); null: its own, read by no other host. */
    public String backupStore;
    /** SHA-256 of the agent's certificate (AB:CD:...); null for a host registered before agents spoke TLS, until its heartbeat pins one. */
    public String tlsFingerprint;
    /** Whether the panel took the certificate the agent presented, no fingerprint having been given by an admin. */
    public boolean tlsFingerprintTaken;
    /** Why the last heartbeat got no answer from the agent; null when it did. */
    public String heartbeatError;
    @Enumerated(EnumType.STRING)
    public Status status;
    public Integer cores;
    public Long memoryMib;
    public Long diskMib;
    public String kernel;
    public String cgroupVersion;
    /** Whether the host gives servers their own user range; where not, root inside is root on the host, held in. */
    public boolean userNamespaces;
    /** Why the host gives new servers no user namespace of their own, as its agent says; null when it does. */
    public String userNamespacesUnavailable;
    /** Whether the host's devices cgroup holds servers to the device allow-list. */
    public boolean deviceControl;
    /** The templates its agent has installed, space-separated (template names have no spaces): see {@link #templates}. */
    public String templateNames;
    /** The number of the last sampling round of this host's agent that is in the usage ledger. */
    public long sampleCursor;
    /** The host's CPU counters at its last ingested round, which the next round's use is measured from. */
    public OffsetDateTime meterSampledAt;
    public Long meterCpuBusyTicks;
    public Long meterCpuTotalTicks;
    public BigDecimal memoryOvercommit;
    public BigDecimal cpuOvercommit;
    public OffsetDateTime lastHeartbeat;
    /** When a heartbeat last read the host's facts (cores, memory, kernel, templates); null: to be read at the next. */
    public OffsetDateTime factsTakenAt;
    public OffsetDateTime createdAt;

    /** The templates new servers can be made from here: those its agent said it has installed. */
    public List<String> templates() {
        return HostSize.templatesIn(templateNames);
    }

    /** The templates of the hosts that take new servers, each once, in name order. */
    public static List<String> offeredTemplates() {
        return HostSize.templatesOf(placeable());
    }

    /** Where customers reach the host, and so its port forwards: its public address, else the host of its agent's URL. */
    public String reachedAt() {
        return publicAddress != null ? publicAddress : URI.create(agentUrl).getHost();
    }

    /** Its agent, as the agent client reaches it. */
    public Agent agent() {
        return new Agent(name, agentUrl, tlsFingerprint, secret);
    }

    public static Optional<Host> findByName(String name) {
        return find("name", name).firstResultOptional();
    }

    /** The sizes of the hosts that may take new servers, in id order. */
    public static List<HostSize> placeable() {
        return getEntityManager().createQuery("select new io.corral.panel.host.HostSize(h.id, h.memoryMib, h.cores, h.diskMib,"
                + " h.memoryOvercommit, h.cpuOvercommit, h.templateNames) from Host h where h.status = :up order by h.id", HostSize.class)
                .setParameter("up", Status.up).getResultList();
    }

    @Override
    public String toString() {
        // never the secret
        return "Host[" + id + " " + name + " " + agentUrl + " " + status + "]";
    }
}
