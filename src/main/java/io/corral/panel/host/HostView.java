package io.corral.panel.host;

import io.corral.panel.limits.Allocation;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A host as admins see it: never its secret. tlsFingerprint: the agent certificate's pinned SHA-256
 * fingerprint (tlsFingerprintTaken: taken from what the agent presented, not given by an admin);
 * heartbeatError: why the last heartbeat got no answer. userNamespaces: whether new servers get a
 * user namespace of their own there (if not, userNamespacesUnavailable says why);
 * serversWithoutUserNamespace: how many of its servers run without one. publicAddress: where customers
 * reach it when not at its agent URL's host (null: there). backupStore: the backup store it shares with other hosts (null: its own).
 */
public record HostView(long id, String name, String agentUrl, String publicAddress, Host.Status status, Integer cores, Long memoryMiB,
                       Long diskMiB, String kernel, String cgroupVersion, BigDecimal memoryOvercommit,
                       BigDecimal cpuOvercommit, OffsetDateTime lastHeartbeat, long servers, long allocatedMemoryMiB,
                       BigDecimal allocatedCpus, long allocatedDiskMiB, boolean userNamespaces,
                       String userNamespacesUnavailable, long serversWithoutUserNamespace, boolean deviceControl,
                       String tlsFingerprint, boolean tlsFingerprintTaken, String heartbeatError, List<String> templates, String backupStore) {
    public static HostView of(Host h, Allocation a, long serversWithoutUserNamespace) {
        return new HostView(h.id, h.name, h.agentUrl, h.publicAddress, h.status, h.cores, h.memoryMib, h.diskMib, h.kernel, h.cgroupVersion,
                h.memoryOvercommit, h.cpuOvercommit, h.lastHeartbeat, a.servers(), a.memoryMiB(), a.cpus(), a.diskMiB(),
                h.userNamespaces, h.userNamespacesUnavailable, serversWithoutUserNamespace, h.deviceControl,
                h.tlsFingerprint, h.tlsFingerprintTaken, h.heartbeatError, h.templates(), h.backupStore);
    }
}
