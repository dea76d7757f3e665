package io.corral.agent.network;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.corral.agent.AgentException;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server's inbound firewall, as the panel sends it: rules in order, the first that matches a packet
 * decides, and defaultInbound decides what none matches. Replies to the server's own connections and
 * what the network itself needs (ARP, neighbour discovery) pass whatever the rules say (see
 * {@link Ruleset#firewall}). A server without one is open: default allow, no rules.
 */
public record Firewall(String defaultInbound, List<Rule> rules) {
    public static final String ALLOW = "allow", DENY = "deny";
    public static final Firewall OPEN = new Firewall(ALLOW, List.of());
    static final int MAX_RULES = 64;
    private static final List<String> PROTOCOLS = List.of("tcp", "udp", "icmp", "any");
    /** Without leading zeros: the rule goes to nft as written, and nft reads 0022 as octal (port 18). */
    private static final Pattern PORTS = Pattern.compile("([1-9][0-9]{0,4})(?:-([1-9][0-9]{0,4}))?");

    public Firewall {
        rules = rules == null ? List.of() : rules;
    }

    /**
     * One rule: action allow or deny; protocol tcp, udp, icmp (ICMP and ICMPv6) or any; ports (tcp and
     * udp only) one port or a range, all when absent; source an address or prefix of either family,
     * anywhere when absent (a rule with a source matches that family only).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Rule(String action, String protocol, String ports, String source) {
    }

    /** Every field within its rule; a refusal names the field (prefix + rules[3].ports, ...) and the rule. */
    public void validate(String prefix) {
        if (!ALLOW.equals(defaultInbound) && !DENY.equals(defaultInbound)) {
            throw AgentException.invalid(prefix + "defaultInbound", "must be allow or deny, got " + quoted(defaultInbound));
        }
        if (rules.size() > MAX_RULES) {
            throw AgentException.invalid(prefix + "rules", "at most " + MAX_RULES + " rules, got " + rules.size());
        }
        for (int i = 0; i < rules.size(); i++) {
            String field = prefix + "rules[" + i + "]";
            Rule rule = rules.get(i);
            if (rule == null) {
                throw AgentException.invalid(field, "must be a rule, got nothing");
            }
            if (!ALLOW.equals(rule.action) && !DENY.equals(rule.action)) {
                throw AgentException.invalid(field + ".action", "must be allow or deny, got " + quoted(rule.action));
            }
            if (rule.protocol == null || !PROTOCOLS.contains(rule.protocol)) { // List.of's contains refuses null
                throw AgentException.invalid(field + ".protocol", "must be tcp, udp, icmp or any, got " + quoted(rule.protocol));
            }
            if (rule.ports != null) {
                ports(field + ".ports", rule);
            }
            if (rule.source != null) {
                source(field + ".source", rule.source);
            }
        }
    }

    private static void ports(String field, Rule rule) {
        if (!rule.protocol.equals("tcp") && !rule.protocol.equals("udp")) {
            throw AgentException.invalid(field, "only with protocol tcp or udp, got protocol " + rule.protocol);
        }
        Matcher m = PORTS.matcher(rule.ports);
        if (!m.matches()) {
            throw AgentException.invalid(field, "must be a port (22) or a range (8000-8100), got " + quoted(rule.ports));
        }
        int first = Integer.parseInt(m.group(1)), last = m.group(2) == null ? first : Integer.parseInt(m.group(2));
        if (first < 1 || last > 65535) {
            throw AgentException.invalid(field, "ports lie between 1 and 65535, got " + rule.ports);
        }
        if (first > last) {
            throw AgentException.invalid(field, "a range goes from the lower port to the higher, got " + rule.ports);
        }
    }

    /** An address, or a network's address with its prefix (no host bits set, which would be read as another network). */
    private static void source(String field, String source) {
        int slash = source.indexOf('/');
        String address = slash < 0 ? source : source.substring(0, slash), prefix = slash < 0 ? null : source.substring(slash + 1);
        Optional<InetAddress> parsed = Cidr.ipv4(address).or(() -> Cidr.ipv6(address));
        if (parsed.isEmpty() || (prefix != null && !prefix.matches("0|[1-9][0-9]{0,2}"))) {
            throw AgentException.invalid(field, "must be an address or a prefix (198.51.100.0/24, 2001:db8::/48), got " + quoted(source));
        }
        Cidr cidr = new Cidr(parsed.get(), prefix == null ? parsed.get().getAddress().length * 8 : Integer.parseInt(prefix));
        if (cidr.prefix() > cidr.bits()) {
            throw AgentException.invalid(field, "the prefix is at most /" + cidr.bits() + ", got " + source);
        }
        if (cidr.hostPart(cidr.address()).signum() != 0) {
            throw AgentException.invalid(field, "has bits set past its prefix /" + cidr.prefix() + ", got " + source);
        }
    }

    private static String quoted(String value) {
        return value == null ? "nothing" : "'" + value + "'";
    }
}
