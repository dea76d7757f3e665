package io.corral.panel.network;

import java.util.List;

/**
 * A server's place on its network, as its agent is told it (net-contract.md): the network's name, kind,
 * gateways and resolvers, the server's addresses with the network's prefix length (192.0.2.10/24); ipv6 and
 * gateway6 are null on a network without IPv6.
 */
public record ServerNetwork(String name, Kind kind, String ipv4, String gateway4, String ipv6, String gateway6, List<String> resolvers) {
}
