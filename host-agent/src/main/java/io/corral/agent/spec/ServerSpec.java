package io.corral.agent.spec;

import io.corral.agent.containment.UserRange;
import io.corral.agent.credentials.Credentials;
import io.corral.agent.network.Firewall;
import io.corral.agent.network.Forward;
import io.corral.agent.network.NetworkSpec;
import java.util.List;

/**
 * What a virtual server should be: kept on disk, the only state the live system cannot tell. users is
 * the host id range its own user namespace maps to, fixed when it is created; null for a server
 * made where user namespaces were off or unavailable, whose root is the host's root (held in by
 * the rest of the containment). network: its place on one of the panel's networks, or null for a
 * server with loopback only. firewall: what may reach it on its network (a spec written before
 * firewalls, without one, is open). forwards: the host's ports sent on to it on a private network
 * (none in a spec written before them). credentials: root's SSH keys and password hash, kept for a
 * reinstall (none in a spec written before them). lastLimitsOperation: the panel's last operation that changed its
 * limits, null before the first (and for a change from the command line, which has none).
 */
public record ServerSpec(String id, String hostname, String template, Limits limits, DesiredState desired, UserRange users,
                         NetworkSpec network, Firewall firewall, List<Forward> forwards, Credentials credentials,
                         LimitsOperation lastLimitsOperation) {
    public enum DesiredState { running, stopped }

    public ServerSpec {
        firewall = firewall == null ? Firewall.OPEN : firewall;
        forwards = forwards == null ? List.of() : List.copyOf(forwards);
        credentials = credentials == null ? Credentials.NONE : credentials;
    }

    public ServerSpec withLimits(Limits newLimits) {
        return new ServerSpec(id, hostname, template, newLimits, desired, users, network, firewall, forwards, credentials, lastLimitsOperation);
    }

    public ServerSpec withLastLimitsOperation(LimitsOperation operation) {
        return new ServerSpec(id, hostname, template, limits, desired, users, network, firewall, forwards, credentials, operation);
    }

    public ServerSpec withDesired(DesiredState newDesired) {
        return new ServerSpec(id, hostname, template, limits, newDesired, users, network, firewall, forwards, credentials, lastLimitsOperation);
    }

    public ServerSpec withFirewall(Firewall newFirewall) {
        return new ServerSpec(id, hostname, template, limits, desired, users, network, newFirewall, forwards, credentials, lastLimitsOperation);
    }

    public ServerSpec withForwards(List<Forward> newForwards) {
        return new ServerSpec(id, hostname, template, limits, desired, users, network, firewall, newForwards, credentials, lastLimitsOperation);
    }

    public ServerSpec withCredentials(Credentials newCredentials) {
        return new ServerSpec(id, hostname, template, limits, desired, users, network, firewall, forwards, newCredentials, lastLimitsOperation);
    }

    /** The name of the server's cgroup. */
    public String group() {
        return groupOf(id);
    }

    public static String groupOf(String id) {
        return "vs-" + id;
    }
}
