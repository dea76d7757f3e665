package io.corral.agent.lifecycle;

import io.corral.agent.credentials.Credentials;
import io.corral.agent.network.Firewall;
import io.corral.agent.network.Forward;
import io.corral.agent.network.NetworkSpec;
import io.corral.agent.spec.LimitsChange;
import java.util.List;

/**
 * A request to create a virtual server; limits left out take their defaults. With {@code start} the
 * server is booted too, in the same call: a boot that fails leaves it created and stopped, and the
 * answer is the boot's error. network: its place on one of the panel's networks; null for loopback only.
 * firewall: what may reach it there from its first boot; null for open. forwards: the host's ports sent
 * on to it on a private network; null for none. credentials: root's SSH keys and password hash, written
 * into its root before its first boot; null for none. moveToken: the server is the receiving end of a move
 * (move/IncomingMove), whose sending agent presents this token; it cannot start until the move commits.
 */
public record CreateRequest(String id, String hostname, String template, LimitsChange limits, boolean start, NetworkSpec network,
                            Firewall firewall, List<Forward> forwards, Credentials credentials, String moveToken) {
    public CreateRequest {
        forwards = forwards == null ? List.of() : forwards;
    }

    public CreateRequest(String id, String hostname, String template, LimitsChange limits, boolean start, NetworkSpec network,
                         Firewall firewall, List<Forward> forwards, Credentials credentials) {
        this(id, hostname, template, limits, start, network, firewall, forwards, credentials, null);
    }

    public CreateRequest(String id, String hostname, String template, LimitsChange limits, boolean start) {
        this(id, hostname, template, limits, start, null, null, null, null);
    }

    public CreateRequest(String id, String hostname, String template, LimitsChange limits, boolean start, NetworkSpec network) {
        this(id, hostname, template, limits, start, network, null, null, null);
    }

    public CreateRequest(String id, String hostname, String template, LimitsChange limits, boolean start, NetworkSpec network,
                         Firewall firewall) {
        this(id, hostname, template, limits, start, network, firewall, null, null);
    }

    public CreateRequest(String id, String hostname, String template, LimitsChange limits, boolean start, NetworkSpec network,
                         Firewall firewall, List<Forward> forwards) {
        this(id, hostname, template, limits, start, network, firewall, forwards, null);
    }
}
