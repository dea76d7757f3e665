package io.corral.panel.network;

import java.util.List;

/** A network as admins read it: its addresses, its pools with how full each is, the hosts attached to it with their uplinks. */
public record NetworkView(long id, String name, String kind, String ipv4Prefix, String gateway4, String ipv6Prefix, String gateway6,
                          List<String> resolvers, List<PoolView> pools, List<HostRef> hosts, long servers) {
    /** A host attached to the network; uplink: its interface where it answers for the servers' addresses, null for none (routed). */
    public record HostRef(long id, String name, String uplink) {
    }
}
