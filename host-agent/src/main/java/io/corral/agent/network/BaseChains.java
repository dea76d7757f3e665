package io.corral.agent.network;

import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/** The part of a {@link Ruleset} that every server shares: its tables' base chains, maps and per-network rules. */
final class BaseChains {
    private static final String NOT_REPLY_MARK = "0xfeffffff";

    private BaseChains() {
    }

    /**
     * The agent's base chains, and what each network needs (networks: every network of the agent's servers):
     * frames from a port are counted and go through its port's chain, frames to a port through its
     * firewall's chain and, when it lets them pass, are counted; a private network's port
     * goes to its tenant's chain when the bridge forwards; from the bridges the host answers only
     * ARP, neighbour discovery and ping; a private network's IPv4 is masqueraded leaving its bridge,
     * and is not routed into a private network, its own or another; what comes to a forwarded port of
     * the host is sent on to its server.
     */
    static void add(Ruleset rules, Collection<NetworkSpec> networks) {
        rules.bridge("add table @T");
        rules.bridge("add chain @T prerouting { type filter hook prerouting priority filter; policy accept; }");
        rules.bridge("add chain @T forward { type filter hook forward priority filter; policy accept; }");
        rules.bridge("add chain @T postrouting { type filter hook postrouting priority filter; policy accept; }");
        for (String map : List.of("ports", "private", "inbound")) {
            rules.bridge("add map @T " + map + " { type ifname : verdict; }");
        }
        for (String map : List.of("sent", "received")) {
            rules.bridge("add map @T " + map + " { type ifname : counter; }");
        }
        rules.bridge("flush chain @T prerouting");
        rules.bridge("add rule @T prerouting counter name iifname map @sent");
        rules.bridge("add rule @T prerouting iifname vmap @ports");
        rules.bridge("flush chain @T forward");
        rules.bridge("add rule @T forward iifname vmap @private");
        rules.bridge("flush chain @T postrouting");
        rules.bridge("add rule @T postrouting oifname vmap @inbound");
        rules.bridge("add rule @T postrouting counter name oifname map @received");

        rules.inet("add table @T");
        rules.inet("add chain @T input { type filter hook input priority filter; policy accept; }");
        rules.inet("add chain @T forward { type filter hook forward priority filter; policy accept; }");
        rules.inet("add chain @T output { type filter hook output priority filter; policy accept; }");
        rules.inet("add chain @T postrouting { type nat hook postrouting priority srcnat; policy accept; }");
        rules.inet("add chain @T forwards-in { type nat hook prerouting priority dstnat; policy accept; }");
        rules.inet("add chain @T forwards-local { type nat hook output priority -100; policy accept; }");
        rules.inet("add map @T forwards { type inet_proto . inet_service : ipv4_addr . inet_service; }");
        rules.inet("add chain @T from_servers");
        rules.inet("add chain @T replies");
        for (String chain : List.of("input", "forward", "output", "postrouting", "forwards-in", "forwards-local", "from_servers", "replies")) {
            rules.inet("flush chain @T " + chain);
        }
        // a reply, not any established packet: a connection from outside stays judged by the firewall's
        // rules packet by packet, so a rule denying its source cuts it off
        rules.inet("add rule @T replies meta mark set meta mark & " + NOT_REPLY_MARK);
        rules.inet("add rule @T replies ct direction reply ct state established meta mark set meta mark | " + Ruleset.REPLY_MARK);
        rules.inet("add rule @T replies ct state related meta mark set meta mark | " + Ruleset.REPLY_MARK);
        rules.inet("add rule @T from_servers ct state established,related accept");
        rules.inet("add rule @T from_servers icmp type echo-request accept");
        rules.inet("add rule @T from_servers icmpv6 type { echo-request, nd-router-solicit, nd-neighbor-solicit, nd-neighbor-advert,"
                + " mld-listener-report, mld2-listener-report } accept");
        rules.inet("add rule @T from_servers drop");
        TreeSet<String> bridges = new TreeSet<>(), privateBridges = new TreeSet<>();
        for (NetworkSpec network : networks) {
            bridges.add(network.bridge());
            if (network.isPrivate()) {
                privateBridges.add(network.bridge());
            }
        }
        // a forward takes what reaches one of the host's addresses from outside (not from the servers, which
        // do not reach the host), and the host's own connections to them except over loopback, whose source
        // address could not leave the host
        rules.inet("add rule @T forwards-in " + (bridges.isEmpty() ? "" : "iifname != " + Ruleset.set(bridges) + " ") + "fib daddr type local"
                + " dnat ip to meta l4proto . th dport map @forwards");
        rules.inet("add rule @T forwards-local ip daddr != 127.0.0.0/8 fib daddr type local dnat ip to meta l4proto . th dport map @forwards");
        if (!bridges.isEmpty()) {
            // into a bridge only from a source that the host would answer the way the packet came (a strict
            // reverse-path check): from outside, an address of the servers' own networks is forged, and would
            // pass a firewall rule that lets in a server's neighbours (forwards and public addresses alike)
            rules.inet("add rule @T forward oifname " + Ruleset.set(bridges) + " fib saddr . iif oif missing drop");
            rules.inet("add rule @T input iifname " + Ruleset.set(bridges) + " jump from_servers");
            // only what goes to the bridges: the mark means nothing elsewhere, where the host may use it
            rules.inet("add rule @T forward oifname " + Ruleset.set(bridges) + " jump replies");
            rules.inet("add rule @T output oifname " + Ruleset.set(bridges) + " jump replies");
        }
        for (String bridge : privateBridges) {
            // what a private network's server sends to the gateway's MAC is routed by the host: never into a
            // private network, its own included (that would carry it past the tenants' chains); frames the
            // bridge forwards within the network, which br_netfilter shows here too, go to another MAC
            rules.inet("add rule @T forward iifname \"" + bridge + "\" ether daddr " + Port.bridgeMac(bridge) + " oifname "
                    + Ruleset.set(privateBridges) + " drop");
            // nothing new is routed into a private network: not its IPv4 from anywhere (it leaves masqueraded,
            // and is answered) but through a forward, nor anything from the servers of the agent's other networks
            rules.inet("add rule @T forward meta nfproto ipv4 oifname \"" + bridge + "\" iifname != \"" + bridge + "\" ct state new"
                    + " ct status & dnat == 0 drop");
            rules.inet("add rule @T forward oifname \"" + bridge + "\" iifname " + Ruleset.set(bridges) + " iifname != \"" + bridge + "\" ct state new drop");
            rules.inet("add rule @T postrouting meta nfproto ipv4 iifname \"" + bridge + "\" oifname != \"" + bridge + "\" masquerade");
        }
    }
}
