package io.corral.panel.host;

import io.corral.panel.limits.Allocation;
import java.util.Collection;
import java.util.Map;

/**
 * What the servers placed on a host hold, for the host's view. Servers are kept by server/, which uses
 * hosts, so hosts ask through this and server/ answers (server/Allocations).
 */
public interface HostServers {
    Allocation onHost(long hostId);

    /** How many of the host's servers run without a user namespace of their own. */
    long withoutUserNamespace(long hostId);

    /** onHost of each of these hosts, in one query, as the database keeps it; hosts that never held a server are absent. */
    Map<Long, Allocation> onHosts(Collection<Long> hostIds);

    /** withoutUserNamespace of each of these hosts, in one query; hosts without such servers are absent. */
    Map<Long, Long> withoutUserNamespace(Collection<Long> hostIds);
}
