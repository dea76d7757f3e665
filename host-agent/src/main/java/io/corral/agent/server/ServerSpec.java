package io.corral.agent.server;

/** What a virtual server should be: kept on disk, the only state the live system cannot tell. */
public record ServerSpec(String id, String hostname, String template, Limits limits, DesiredState desired) {
    public enum DesiredState { running, stopped }

    public ServerSpec withLimits(Limits newLimits) {
        return new ServerSpec(id, hostname, template, newLimits, desired);
    }

    public ServerSpec withDesired(DesiredState newDesired) {
        return new ServerSpec(id, hostname, template, limits, newDesired);
    }

    /** The name of the server's cgroup. */
    public String group() {
        return groupOf(id);
    }

    static String groupOf(String id) {
        return "vs-" + id;
    }
}
