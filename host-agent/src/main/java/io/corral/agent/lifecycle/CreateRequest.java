package io.corral.agent.lifecycle;

import io.corral.agent.network.Firewall;
import io.corral.agent.network.NetworkSpec;
import io.corral.agent.spec.LimitsChange;

/**
 * A request to create a virtual server; limits left out take their defaults. With {@code start} the
 * server is booted too, in the same call: a boot that fails leaves it created and stopped, and the
 * answer is the boot's error. network: its place on one of the panel's networks; null for loopback only.
 * firewall: what may reach it there from its first boot; null for open.
 */
public record CreateRequest(String id, String hostname, String template, LimitsChange limits, boolean start, NetworkSpec network,
                            Firewall firewall) {
    public CreateRequest(String id, String hostname, String template, LimitsChange limits, boolean start) {
        this(id, hostname, template, limits, start, null, null);
    }

    public CreateRequest(String id, String hostname, String template, LimitsChange limits, boolean start, NetworkSpec network) {
        this(id, hostname, template, limits, start, network, null);
    }
}
