package io.corral.agent.network;

import java.util.List;

/** A server's network as the API answers it: what the panel sent, with the MAC and the host's end of its veth. */
public record NetworkView(String name, String kind, String tenant, String ipv4, String gateway4, String ipv6,
                          String gateway6, List<String> resolvers, String uplink, String mac, String hostInterface) {
    public static NetworkView of(NetworkSpec network, Port port) {
        return network == null ? null : new NetworkView(network.name(), network.kind(), network.tenant(), network.ipv4(),
                network.gateway4(), network.ipv6(), network.gateway6(), network.resolvers(), network.uplink(), port.mac(), port.hostInterface());
    }
}
