package io.corral.panel.host;

import io.corral.panel.agent.AgentClient;
import io.corral.panel.agent.AgentException;
import io.corral.panel.agent.CertificatePin;
import io.corral.panel.agent.HostFacts;
import io.corral.panel.audit.Audit;
import io.corral.panel.common.DomainException;
import io.corral.panel.common.Refusals;
import io.corral.panel.common.Page;
import io.corral.panel.common.PageRequest;
import io.corral.panel.limits.Allocation;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@ApplicationScoped
public class HostService {
    @Inject
    AgentClient agents;
    @Inject
    Audit audit;
    @Inject
    HostServers servers;

    public Optional<Host> find(long id) {
        return Host.findByIdOptional(id);
    }

    public Page<HostView> list(PageRequest page, HostSearch search) {
        Parameters parameters = new Parameters();
        Page<Host> found = Page.of(Host.<Host>find(search.condition(parameters), Sort.by("name"), parameters), page, h -> h);
        return new Page<>(views(found.items()), found.page(), found.size(), found.total());
    }

    public List<HostView> all() {
        return views(Host.<Host>findAll(Sort.by("name")).list());
    }

    /** The hosts' views with what their servers hold, in two queries for all of them (a page of hosts is not 100 queries). */
    private List<HostView> views(List<Host> hosts) {
        List<Long> ids = hosts.stream().map(h -> h.id).toList();
        Map<Long, Allocation> held = servers.onHosts(ids);
        Map<Long, Long> withoutUserNamespace = servers.withoutUserNamespace(ids);
        return hosts.stream().map(h -> HostView.of(h, held.getOrDefault(h.id, Allocation.NONE), withoutUserNamespace.getOrDefault(h.id, 0L)))
                .toList();
    }

    /** The templates new servers can be ordered from: those installed on the hosts that take new servers. */
    public List<String> offeredTemplates() {
        return Host.offeredTemplates();
    }

    public HostView view(Host h) {
        return HostView.of(h, servers.onHost(h.id), servers.withoutUserNamespace(h.id));
    }

    /**
     * Registers a host after pinning its agent's certificate (the one the admin names, or the one it
     * presents) and reading its facts from the agent, which proves the address and secret work.
     */
    @Transactional
    public Host register(HostRequest r) {
        if (Host.findByName(r.name()).isPresent()) {
            throw new DomainException(DomainException.Kind.CONFLICT, "name", words -> words.host_name_taken(r.name()));
        }
        Host h = new Host();
        h.name = r.name();
        h.agentUrl = r.agentUrl().replaceAll("/+$", "");
        h.secret = r.secret();
        h.publicAddress = PublicAddress.validated(r.publicAddress());
        h.tlsFingerprint = pinnable(h.agentUrl, r.fingerprint());
        h.tlsFingerprintTaken = r.fingerprint() == null;
        HostFacts facts;
        try {
            facts = agents.host(h.agent());
        } catch (AgentException e) {
            throw e.status() == 401 ? DomainException.invalid("secret", Refusals::host_secret_refused)
                    : DomainException.invalid("agentUrl", words -> words.host_agent_failed(e.words().apply(words)));
        }
        h.memoryOvercommit = r.memoryOvercommit() == null ? BigDecimal.ONE : r.memoryOvercommit();
        h.cpuOvercommit = r.cpuOvercommit() == null ? BigDecimal.valueOf(4) : r.cpuOvercommit();
        h.createdAt = OffsetDateTime.now();
        applyFacts(h, facts);
        h.persist();
        audit.record("host.register", "host/" + h.name, h.agentUrl + (h.publicAddress == null ? "" : ", public address " + h.publicAddress) + ", " + h.cores + " cores, " + h.memoryMib + " MiB, certificate SHA-256 "
                + h.tlsFingerprint);
        if (h.tlsFingerprintTaken) {
            audit.record("host.pin", "host/" + h.name, takenPin(h.tlsFingerprint, "no fingerprint was given"));
        }
        return h;
    }

    @Transactional
    public Host change(long id, HostChange c) {
        Host h = Host.<Host>findByIdOptional(id).orElseThrow(() -> DomainException.notFound(r -> r.host_not_found(id)));
        if (c.publicAddress() != null) {
            h.publicAddress = PublicAddress.validated(c.publicAddress());
        }
        if (c.fingerprint() != null) {
            h.tlsFingerprint = pinnable(h.agentUrl, c.fingerprint());
            h.tlsFingerprintTaken = false;
            audit.record("host.pin", "host/" + h.name, "pinned certificate SHA-256 " + h.tlsFingerprint + " as given");
        }
        if (c.draining() != null) {
            if (c.draining()) {
                h.status = Host.Status.draining;
            } else if (h.status == Host.Status.draining) {
                h.status = Host.Status.up;
            }
        }
        if (c.memoryOvercommit() != null) {
            h.memoryOvercommit = c.memoryOvercommit();
        }
        if (c.backupStore() != null) {
            h.backupStore = backupStore(c.backupStore());
        }
        if (c.cpuOvercommit() != null) {
            h.cpuOvercommit = c.cpuOvercommit();
        }
        audit.record("host.change", "host/" + h.name, "status " + h.status + ", overcommit memory " + h.memoryOvercommit
                + " cpu " + h.cpuOvercommit + ", public address " + (h.publicAddress == null ? "none (the agent URL's host)" : h.publicAddress)
                + ", backup store " + (h.backupStore == null ? "its own" : h.backupStore));
        return h;
    }

    /**
     * The fingerprint to pin: the given one if the agent presents that certificate (a typo, or another
     * machine at the address, is refused with both named), else the one it presents.
     */
    private String pinnable(String agentUrl, String given) {
        String presented;
        try {
            presented = agents.presentedFingerprint(agentUrl);
        } catch (IOException e) {
            throw DomainException.invalid("agentUrl", r -> r.host_agent_unreachable(agentUrl, String.valueOf(e.getMessage())));
        }
        if (given != null && !CertificatePin.canonical(given).equals(presented)) {
            throw DomainException.invalid("fingerprint", r -> r.host_fingerprint_mismatch(agentUrl, presented, CertificatePin.canonical(given)));
        }
        return presented;
    }

    /** A backup store's name as stored, null for none (empty); the rule is V25's check on host.backup_store. */
    private static String backupStore(String name) {
        if (name.isEmpty()) {
            return null;
        }
        if (!name.matches("[a-z0-9][a-z0-9-]{0,39}")) {
            throw DomainException.invalid("backupStore", r -> r.host_backup_store(name, name.length(), name.length() > 40));
        }
        return name;
    }

    /** The audit log's words for a pin the panel took rather than was given. */
    public static String takenPin(String fingerprint, String why) {
        return "took the certificate the agent presented, SHA-256 " + fingerprint + ", as " + why
                + ": compare it with `corral-agent fingerprint` on the host";
    }

    public static void applyFacts(Host h, HostFacts facts) {
        h.cores = facts.cores();
        h.memoryMib = facts.memoryMiB();
        h.diskMib = facts.diskMiB();
        h.kernel = facts.kernel();
        h.cgroupVersion = facts.cgroupVersion();
        h.userNamespaces = facts.userNamespaces();
        h.userNamespacesUnavailable = facts.userNamespacesUnavailable();
        h.deviceControl = facts.deviceControl();
        h.templateNames = facts.templates() == null ? "" : String.join(" ", facts.templates());
        heard(h);
        h.factsTakenAt = h.lastHeartbeat;
    }

    /** The host's agent answered now. */
    public static void heard(Host h) {
        h.lastHeartbeat = OffsetDateTime.now();
        h.heartbeatError = null;
        if (h.status == null || h.status == Host.Status.down) {
            h.status = Host.Status.up;
        }
    }
}
