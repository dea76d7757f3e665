package io.corral.panel.network;

import io.corral.panel.common.DomainException;
import java.util.regex.Pattern;

/**
 * A public network's uplink on one host: the host's interface on whose segment the provider expects the
 * servers' addresses, where its agent answers ARP and neighbour discovery for them. The rule is stricter than
 * the agent's (its NetworkSpec takes any printable interface name the kernel does): letters, digits, '_', '.'
 * and '-', which every interface name an admin gives in practice is; and names the agent refuses on every host
 * (loopback's, its bridges' and servers' interfaces') are refused here already, not at a server's order. The
 * database's check on host_network.uplink is the same (V18).
 */
final class Uplink {
    static final String FIELD = "uplink";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,15}");
    private static final Pattern AGENTS = Pattern.compile("crb-.*|c[vb][0-9a-f]{12}");

    private Uplink() {
    }

    /** The uplink as stored, null for none (absent or empty: the network is routed to the host); a refusal names the field and the rule. */
    static String validated(String uplink, NetworkRow network) {
        if (uplink == null || uplink.isEmpty()) {
            return null;
        }
        if (uplink.length() > 15) { // not echoed: it may be any length
            throw DomainException.invalid(FIELD, r -> r.network_uplink_long(uplink.length()));
        }
        if (!NAME.matcher(uplink).matches() || uplink.equals(".") || uplink.equals("..")) {
            throw DomainException.invalid(FIELD, r -> r.network_uplink_form(uplink));
        }
        if (uplink.equals("lo") || AGENTS.matcher(uplink).matches()) {
            throw DomainException.invalid(FIELD, r -> r.network_uplink_reserved(uplink));
        }
        if (network.kind() != Kind.PUBLIC) {
            throw DomainException.invalid(FIELD, r -> r.network_uplink_private(network.name()));
        }
        return uplink;
    }
}
