package io.corral.agent.network;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import io.corral.agent.AgentException;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A server's place on one of the panel's networks, as the panel sends it (see
 * /work/wt/prompts/net-contract.md): the network's name (its bridge here is crb-NAME), its kind,
 * the server's tenant, its addresses with their prefix and gateways, and its resolvers. The panel
 * picks every address; the agent checks them and never picks one. uplink (public networks only, optional):
 * the host's interface on whose segment the provider expects the servers' addresses, where the host
 * answers ARP and neighbour discovery for each of them (see {@link Uplink}).
 */
public record NetworkSpec(String name, String kind, String tenant, String ipv4, String gateway4, String ipv6,
                          String gateway6, List<String> resolvers, String uplink) {
    public static final String PUBLIC = "public", PRIVATE = "private";
    private static final Pattern NAME = Pattern.compile("[a-z0-9]{1,8}");
    private static final Pattern TENANT = Pattern.compile("[a-z0-9-]{1,40}");
    private static final int MAX_RESOLVERS = 3;

    @JsonCreator
    public NetworkSpec {
        resolvers = resolvers == null ? List.of() : resolvers;
    }

    /** A network without an uplink: the provider routes its prefixes to the host, or it is private. */
    public NetworkSpec(String name, String kind, String tenant, String ipv4, String gateway4, String ipv6, String gateway6,
                       List<String> resolvers) {
        this(name, kind, tenant, ipv4, gateway4, ipv6, gateway6, resolvers, null);
    }

    @JsonIgnore
    public boolean isPrivate() {
        return PRIVATE.equals(kind);
    }

    /** The host's bridge for this network. */
    public String bridge() {
        return "crb-" + name;
    }

    /** Every field within its rule; each refusal names the field (network.ipv4, ...) and the rule. */
    public void validate() {
        if (name == null || !NAME.matcher(name).matches()) {
            throw AgentException.invalid("network.name", "1 to 8 lower-case letters or digits, got " + quoted(name));
        }
        if (!PUBLIC.equals(kind) && !PRIVATE.equals(kind)) {
            throw AgentException.invalid("network.kind", "must be public or private, got " + quoted(kind));
        }
        if (tenant == null || !TENANT.matcher(tenant).matches()) {
            throw AgentException.invalid("network.tenant", "1 to 40 lower-case letters, digits or '-', got " + quoted(tenant));
        }
        if (ipv4 == null && ipv6 == null) {
            throw AgentException.invalid("network.ipv4", "an IPv4 or an IPv6 address (or both) is needed");
        }
        if (ipv4 != null) {
            Cidr address = cidr("network.ipv4", ipv4, Cidr::ipv4, 8, 30, "an IPv4 address with its prefix, 198.51.100.10/24");
            InetAddress a = address.address();
            if (a.isLoopbackAddress() || a.isMulticastAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()
                    || (a.getAddress()[0] & 0xf0) == 0xf0) {
                throw AgentException.invalid("network.ipv4", "must be a unicast address (not loopback, link-local, multicast or reserved), got " + ipv4);
            }
            hostOf(address, "network.ipv4", a);
            gateway("network.gateway4", gateway4, address, Cidr::ipv4);
        } else if (gateway4 != null) {
            throw AgentException.invalid("network.gateway4", "only with network.ipv4");
        }
        if (ipv6 != null) {
            Cidr address = cidr("network.ipv6", ipv6, Cidr::ipv6, 16, 126, "an IPv6 address with its prefix, 2001:db8:1::10/64");
            InetAddress a = address.address();
            if (a.isLoopbackAddress() || a.isMulticastAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()) {
                throw AgentException.invalid("network.ipv6", "must be a unicast address (not loopback, link-local or multicast), got " + ipv6);
            }
            hostOf(address, "network.ipv6", a);
            gateway("network.gateway6", gateway6, address, Cidr::ipv6);
        } else if (gateway6 != null) {
            throw AgentException.invalid("network.gateway6", "only with network.ipv6");
        }
        if (resolvers.size() > MAX_RESOLVERS) {
            throw AgentException.invalid("network.resolvers", "at most " + MAX_RESOLVERS + " addresses, got " + resolvers.size());
        }
        for (int i = 0; i < resolvers.size(); i++) {
            String resolver = resolvers.get(i);
            if (Cidr.ipv4(resolver).isEmpty() && Cidr.ipv6(resolver).isEmpty()) {
                throw AgentException.invalid("network.resolvers[" + i + "]", "must be an IPv4 or IPv6 address, got " + quoted(resolver));
            }
        }
        if (uplink != null) {
            if (isPrivate()) {
                throw AgentException.invalid("network.uplink", "only a public network has an uplink: a private network's addresses are not reached from outside");
            }
            Uplink.validateName(uplink);
        }
    }

    /**
     * Against the other servers of this host (by id): one network name means one bridge, so the same
     * kind, and the same gateways and prefixes where both have the family; two networks never share a gateway; no two servers share an address.
     */
    public void validateAgainst(Map<String, NetworkSpec> others) {
        others.forEach((id, other) -> {
            if (other.name.equals(name)) {
                same("network.kind", kind, other.kind, id);
                if (!Objects.equals(uplink, other.uplink)) { // a network's addresses are answered on its uplink, all or none
                    throw AgentException.invalid("network.uplink", "network " + name + " on this host has "
                            + (other.uplink == null ? "no uplink" : "uplink " + other.uplink) + " (server " + id + "), got " + quoted(uplink));
                }
                same("network.gateway4", gateway4, other.gateway4, id);
                same("network.gateway6", gateway6, other.gateway6, id);
                same("network.ipv4", ipv4 == null ? null : "/" + prefix(ipv4), other.ipv4 == null ? null : "/" + prefix(other.ipv4), id);
                same("network.ipv6", ipv6 == null ? null : "/" + prefix(ipv6), other.ipv6 == null ? null : "/" + prefix(other.ipv6), id);
            } else if (sameAddress(gateway4, other.gateway4) || sameAddress(gateway6, other.gateway6)) {
                throw AgentException.invalid(gateway4 != null && sameAddress(gateway4, other.gateway4) ? "network.gateway4" : "network.gateway6",
                        "is already the gateway of network " + other.name + " on this host (server " + id + ")");
            }
            if (sameAddress(host(ipv4), host(other.ipv4))) {
                throw AgentException.invalid("network.ipv4", host(ipv4) + " is already server " + id + "'s on this host");
            }
            if (sameAddress(host(ipv6), host(other.ipv6))) {
                throw AgentException.invalid("network.ipv6", host(ipv6) + " is already server " + id + "'s on this host");
            }
        });
    }

    /** A family one of the two servers leaves out is no disagreement: a dual-stack network may have IPv4-only servers. */
    private void same(String field, String mine, String theirs, String id) {
        if (mine != null && theirs != null && !mine.equals(theirs) && !sameAddress(mine, theirs)) {
            throw AgentException.invalid(field, "network " + name + " on this host has " + theirs + " (server " + id + "), got " + mine);
        }
    }

    private static boolean sameAddress(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        Optional<InetAddress> x = Cidr.ipv4(a).or(() -> Cidr.ipv6(a)), y = Cidr.ipv4(b).or(() -> Cidr.ipv6(b));
        return x.isPresent() && x.equals(y);
    }

    private static Cidr cidr(String field, String text, Function<String, Optional<InetAddress>> parse,
                             int minPrefix, int maxPrefix, String example) {
        int slash = text.indexOf('/');
        Optional<InetAddress> address = slash < 0 ? Optional.empty() : parse.apply(text.substring(0, slash));
        String prefix = slash < 0 ? "" : text.substring(slash + 1);
        if (address.isEmpty() || !prefix.matches("[0-9]{1,3}")) {
            throw AgentException.invalid(field, "must be " + example + ", got " + quoted(text));
        }
        int length = Integer.parseInt(prefix);
        if (length < minPrefix || length > maxPrefix) {
            throw AgentException.invalid(field, "the prefix must be between /" + minPrefix + " and /" + maxPrefix + ", got /" + length);
        }
        return new Cidr(address.get(), length);
    }

    /** Neither the network's own address nor IPv4's broadcast. */
    private static void hostOf(Cidr network, String field, InetAddress a) {
        if (network.hostPart(a).signum() == 0 || network.isBroadcast(a)) {
            throw AgentException.invalid(field, "must not be the network's own or broadcast address, got " + a.getHostAddress());
        }
    }

    private static void gateway(String field, String text, Cidr network, Function<String, Optional<InetAddress>> parse) {
        if (text == null) {
            throw AgentException.invalid(field, "is required with the address");
        }
        InetAddress gateway = parse.apply(text).orElseThrow(() -> AgentException.invalid(field,
                "must be an address of the same family, got " + quoted(text)));
        if (!network.contains(gateway)) {
            throw AgentException.invalid(field, "must lie inside the server's network " + network.address().getHostAddress()
                    + "/" + network.prefix() + ", got " + text);
        }
        if (gateway.equals(network.address())) {
            throw AgentException.invalid(field, "must not be the server's own address " + text);
        }
        hostOf(network, field, gateway);
    }

    private static String quoted(String value) {
        return value == null ? "nothing" : "'" + value + "'";
    }

    /** The address without its prefix: 198.51.100.10. */
    static String host(String cidr) {
        return cidr == null ? null : cidr.substring(0, cidr.indexOf('/'));
    }

    /** The prefix length of an address with its prefix. */
    static String prefix(String cidr) {
        return cidr.substring(cidr.indexOf('/') + 1);
    }
}
