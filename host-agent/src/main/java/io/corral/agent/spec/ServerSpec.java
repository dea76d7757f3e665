package io.corral.agent.spec;

import io.corral.agent.containment.UserRange;

/**
 * What a virtual server should be: kept on disk, the only state the live system cannot tell. users is
 * the host id range its own user namespace maps to, fixed when it is created; null for a server
 * made where user namespaces were off or unavailable, whose root is the host's root (held in by
 * the rest of the containment).
 */
public record ServerSpec(String id, String hostname, String template, Limits limits, DesiredState desired, UserRange users) {
    public enum DesiredState { running, stopped }

    public ServerSpec withLimits(Limits newLimits) {
        return new ServerSpec(id, hostname, template, newLimits, desired, users);
    }

    public ServerSpec withDesired(DesiredState newDesired) {
        return new ServerSpec(id, hostname, template, limits, newDesired, users);
    }

    /** The name of the server's cgroup. */
    public String group() {
        return groupOf(id);
    }

    public static String groupOf(String id) {
        return "vs-" + id;
    }
}
