package io.corral.agent.spec;

import io.corral.agent.containment.UserRange;
import io.corral.agent.network.NetworkSpec;

/**
 * What a virtual server should be: kept on disk, the only state the live system cannot tell. users is
 * the host id range its own user namespace maps to, fixed when it is created; null for a server
 * made where user namespaces were off or unavailable, whose root is the host's root (held in by
 * the rest of the containment). network: its place on one of the panel's networks, or null for a
 * server with loopback only.
 */
public record ServerSpec(String id, String hostname, String template, Limits limits, DesiredState desired, UserRange users,
                         NetworkSpec network) {
    public enum DesiredState { running, stopped }

    public ServerSpec withLimits(Limits newLimits) {
        return new ServerSpec(id, hostname, template, newLimits, desired, users, network);
    }

    public ServerSpec withDesired(DesiredState newDesired) {
        return new ServerSpec(id, hostname, template, limits, newDesired, users, network);
    }

    /** The name of the server's cgroup. */
    public String group() {
        return groupOf(id);
    }

    public static String groupOf(String id) {
        return "vs-" + id;
    }
}
