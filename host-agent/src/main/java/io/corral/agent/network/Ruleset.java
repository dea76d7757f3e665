package io.corral.agent.network;

import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

/**
 * The agent's nftables rules, as nft -f input: each change is one transaction, applied whole or not
 * at all. Two tables named after the agent's instance (corral, or corral-HASH for another state
 * directory): bridge INSTANCE holds what is per port (anti-spoofing, tenants apart on private
 * networks, the servers' firewalls, byte counters), inet INSTANCE what is per network (servers
 * cannot reach the host, private IPv4 masqueraded on its way out, replies marked for the firewalls)
 * and the private servers' port forwards (a map's elements, each server's own).
 * Every statement is idempotent: tables, chains, sets and counters are added if missing (a named counter keeps its count), a chain's rules are flushed and
 * written anew, so the same change applied twice (adoption, a restart) leaves the same rules once.
 */
final class Ruleset {
    /**
     * The packet mark bit the inet table sets on replies (ct state established or related) on their way
     * to a bridge: the bridge family has no conntrack of its own on kernels without nf_conntrack_bridge,
     * while bridged traffic passes the inet hooks (br_netfilter, on for the agent's bridges), so the
     * servers' firewalls learn there what is a reply. A server cannot forge it: a packet's mark is
     * cleared when it leaves the server's network namespace.
     */
    static final String REPLY_MARK = "0x01000000";
    private final String table;
    private final StringBuilder out = new StringBuilder();

    Ruleset(String table) {
        this.table = table;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private Ruleset line(String family, String statement) {
        out.append(statement.replace("@T", family + " " + table)).append('\n');
        return this;
    }

    Ruleset bridge(String statement) {
        return line("bridge", statement);
    }

    Ruleset inet(String statement) {
        return line("inet", statement);
    }

    /**
     * Both tables deleted, with everything in them: no server of the agent is on a network any more. Added
     * first, as deleting a missing table fails (after a host's reboot, say) and this nft has no "destroy".
     */
    Ruleset drop() {
        bridge("add table @T");
        bridge("delete table @T");
        inet("add table @T");
        return inet("delete table @T");
    }

    /** The base chains and what each network needs (networks: every network of the agent's servers): see {@link BaseChains}. */
    Ruleset base(Collection<NetworkSpec> networks) {
        BaseChains.add(this, networks);
        return this;
    }

    /**
     * A server's port: it sends from its own MAC, its own IPv4 (also as ARP's sender) and its own IPv6
     * or link-local address (or the unspecified one for duplicate address detection), advertises no
     * neighbour but itself, and sends no router advertisement, redirect, DHCP server answer, VLAN tag
     * or other protocol.
     */
    Ruleset port(Port port, NetworkSpec network, Firewall firewall) {
        String chain = "port-" + port.hostInterface(), mac = port.mac();
        bridge("add chain @T " + chain);
        bridge("flush chain @T " + chain);
        bridge("add rule @T " + chain + " ether saddr != " + mac + " drop");
        if (network.ipv4() != null) {
            String ipv4 = NetworkSpec.host(network.ipv4());
            bridge("add rule @T " + chain + " arp saddr ether != " + mac + " drop");
            bridge("add rule @T " + chain + " arp saddr ip != " + ipv4 + " drop");
            bridge("add rule @T " + chain + " ip saddr != " + ipv4 + " drop");
        } else {
            bridge("add rule @T " + chain + " ether type { arp, ip } drop");
        }
        if (network.ipv6() != null) {
            String ipv6 = NetworkSpec.host(network.ipv6());
            bridge("add rule @T " + chain + " ip6 saddr != { " + ipv6 + ", " + port.linkLocal() + ", :: } drop");
            bridge("add rule @T " + chain + " ip6 saddr :: icmpv6 type != { nd-neighbor-solicit, mld2-listener-report } drop");
            bridge("add rule @T " + chain + " icmpv6 type nd-neighbor-advert @th,64,128 != " + number(ipv6)
                    + " @th,64,128 != " + number(port.linkLocal()) + " drop");
            bridge("add rule @T " + chain + " icmpv6 type { nd-router-advert, nd-redirect } drop");
        } else {
            bridge("add rule @T " + chain + " ether type ip6 drop");
        }
        bridge("add rule @T " + chain + " udp sport { 67, 547 } drop");
        bridge("add rule @T " + chain + " ether type != { arp, ip, ip6 } drop");
        bridge("add counter @T out-" + port.hostInterface());
        bridge("add counter @T in-" + port.hostInterface());
        for (String element : elements(port)) {
            bridge("add element @T " + element);
        }
        if (network.isPrivate()) {
            tenant(network.tenant());
            bridge("add element @T " + tenantElement(port, network));
            bridge("add element @T " + privateElement(port, network));
        }
        return firewall(port, firewall);
    }

    /**
     * The server's firewall, what reaches its port (from outside, from the host, from servers on its
     * bridge): replies to its own connections, later fragments of a datagram, ARP and neighbour discovery pass, then its rules decide
     * in order (allow returns to the postrouting chain, which counts the frame; deny drops), then its
     * default. Rewriting the chain and its map element is one transaction, so no frame sees it half made.
     */
    Ruleset firewall(Port port, Firewall firewall) {
        String chain = "fw-" + port.hostInterface();
        bridge("add chain @T " + chain);
        bridge("flush chain @T " + chain);
        bridge("add rule @T " + chain + " meta mark & " + REPLY_MARK + " != 0 return");
        // A datagram larger than a link arrives here in fragments (conntrack reassembles it and the host fragments it
        // again on the way to the bridge), and only the first carries ports for a rule to match: the later ones follow
        // it. Without the first, which met the rules, the server's stack makes nothing of them.
        bridge("add rule @T " + chain + " ip frag-off & 0x1fff != 0 return");
        bridge("add rule @T " + chain + " frag frag-off != 0 return");
        bridge("add rule @T " + chain + " ether type arp return");
        bridge("add rule @T " + chain + " icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } return");
        for (Firewall.Rule rule : firewall.rules()) {
            bridge("add rule @T " + chain + " " + match(rule) + (rule.action().equals(Firewall.ALLOW) ? "return" : "drop"));
        }
        if (firewall.defaultInbound().equals(Firewall.DENY)) {
            bridge("add rule @T " + chain + " drop");
        }
        bridge("add element @T " + inboundElement(port));
        return this;
    }

    /** The match of a validated rule (see {@link Firewall#validate}), followed by a space, or nothing for every packet. */
    private static String match(Firewall.Rule rule) {
        StringBuilder match = new StringBuilder();
        if (rule.source() != null) {
            match.append(rule.source().contains(":") ? "ip6" : "ip").append(" saddr ").append(rule.source()).append(' ');
        }
        switch (rule.protocol()) {
            case "tcp", "udp" -> match.append(rule.ports() == null ? "meta l4proto " + rule.protocol() : rule.protocol() + " dport " + rule.ports()).append(' ');
            case "icmp" -> match.append("meta l4proto { icmp, ipv6-icmp } ");
            default -> { } // any
        }
        return match.toString();
    }

    /**
     * Removes a port's rules and counters; lastOfTenant: no other server of its tenant is left on a
     * private network, so the tenant's chain goes too. Each element is added before it is deleted, so
     * the removal holds whether or not the port's rules were there (a server never started, a host
     * whose tables went at a reboot).
     */
    Ruleset removePort(Port port, NetworkSpec network, boolean lastOfTenant) {
        String chain = "port-" + port.hostInterface();
        bridge("add chain @T " + chain);
        bridge("add counter @T out-" + port.hostInterface());
        bridge("add counter @T in-" + port.hostInterface());
        if (network.isPrivate()) {
            tenant(network.tenant());
            for (String element : List.of(tenantElement(port, network), privateElement(port, network))) {
                bridge("add element @T " + element);
                bridge("delete element @T " + element.substring(0, element.indexOf('{')) + "{ \"" + port.hostInterface() + "\" }");
            }
            if (lastOfTenant) {
                bridge("flush chain @T tenant-" + network.tenant());
                bridge("delete chain @T tenant-" + network.tenant());
                bridge("delete set @T tenant-" + network.tenant());
            }
        }
        bridge("add chain @T fw-" + port.hostInterface());
        for (String element : elements(port)) {
            bridge("add element @T " + element);
            bridge("delete element @T " + element.substring(0, element.indexOf('{')) + "{ \"" + port.hostInterface() + "\" }");
        }
        bridge("add element @T " + inboundElement(port));
        bridge("delete element @T inbound { \"" + port.hostInterface() + "\" }");
        for (String each : List.of(chain, "fw-" + port.hostInterface())) {
            bridge("flush chain @T " + each);
            bridge("delete chain @T " + each);
        }
        bridge("delete counter @T out-" + port.hostInterface());
        bridge("delete counter @T in-" + port.hostInterface());
        return this;
    }

    /**
     * Replaces a private network's server's forwards (before: what it had, as its spec said; after: what
     * it has now) in the forwards map: its own elements only, so another server's are not touched. Each
     * element it had is added before it is deleted, so the change holds whether or not it was there
     * (a stopped server's forwards, a host whose tables went at a reboot).
     */
    Ruleset forwards(NetworkSpec network, List<Forward> before, List<Forward> after) {
        if (before.isEmpty() && after.isEmpty()) {
            return this; // a server without any, perhaps without IPv4
        }
        String address = NetworkSpec.host(network.ipv4());
        for (Forward forward : before) {
            inet("add element @T forwards { " + forward.key() + " : " + address + " . " + forward.serverPort() + " }");
            inet("delete element @T forwards { " + forward.key() + " }");
        }
        for (Forward forward : after) {
            inet("add element @T forwards { " + forward.key() + " : " + address + " . " + forward.serverPort() + " }");
        }
        return this;
    }

    /** No forward of any server. */
    Ruleset clearForwards() {
        return inet("flush map @T forwards");
    }

    /** Ports of one tenant on private networks forward only to each other. */
    private void tenant(String tenant) {
        String name = "tenant-" + tenant;
        bridge("add set @T " + name + " { type ifname; }");
        bridge("add chain @T " + name);
        bridge("flush chain @T " + name);
        bridge("add rule @T " + name + " oifname @" + name + " accept");
        bridge("add rule @T " + name + " drop");
    }

    private static List<String> elements(Port port) {
        String name = "\"" + port.hostInterface() + "\"";
        return List.of("ports { " + name + " : jump port-" + port.hostInterface() + " }",
                "sent { " + name + " : \"out-" + port.hostInterface() + "\" }",
                "received { " + name + " : \"in-" + port.hostInterface() + "\" }");
    }

    private static String inboundElement(Port port) {
        return "inbound { \"" + port.hostInterface() + "\" : jump fw-" + port.hostInterface() + " }";
    }

    private static String tenantElement(Port port, NetworkSpec network) {
        return "tenant-" + network.tenant() + " { \"" + port.hostInterface() + "\" }";
    }

    private static String privateElement(Port port, NetworkSpec network) {
        return "private { \"" + port.hostInterface() + "\" : goto tenant-" + network.tenant() + " }";
    }

    static String set(Collection<String> names) {
        return "{ " + String.join(", ", names.stream().map(n -> "\"" + n + "\"").toList()) + " }";
    }

    /** An IPv6 address as the 128-bit number a raw payload match compares with. */
    private static String number(String ipv6) {
        return "0x" + HexFormat.of().formatHex(Cidr.ipv6(ipv6).orElseThrow().getAddress());
    }
}
