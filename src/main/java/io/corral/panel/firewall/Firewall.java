package io.corral.panel.firewall;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.corral.panel.common.DomainException;
import io.corral.panel.common.Refusals;
import io.corral.panel.network.IpAddress;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A server's inbound firewall as the API reads and writes it (and the server's page shows it). */
@Schema(description = "What may reach the server on its network. Rules apply in order and the first that matches a packet decides; "
        + "defaultInbound decides the rest. Replies to the server's own connections, ARP and neighbour discovery always pass.")
public record Firewall(
        @Schema(description = "allow or deny: what happens to a packet no rule matches", enumeration = {"allow", "deny"}, required = true)
        String defaultInbound,
        @Schema(description = "At most 64, in order") List<Rule> rules) {
    public static final String ALLOW = "allow", DENY = "deny";
    /** A server's firewall before anyone set one. */
    public static final Firewall OPEN = new Firewall(ALLOW, List.of());
    static final int MAX_RULES = 64;
    private static final List<String> PROTOCOLS = List.of("tcp", "udp", "icmp", "any");
    private static final Pattern PORTS = Pattern.compile("([0-9]{1,5})(?:-([0-9]{1,5}))?");

    public Firewall {
        rules = rules == null ? List.of() : rules;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(description = "One rule: a packet matches when its protocol, destination port and source all match")
    public record Rule(
            @Schema(enumeration = {"allow", "deny"}, required = true) String action,
            @Schema(description = "icmp covers ICMP and ICMPv6", enumeration = {"tcp", "udp", "icmp", "any"}, required = true) String protocol,
            @Schema(description = "tcp and udp only: a port (22) or a range (8000-8100) within 1-65535; absent: every port", examples = "22")
            String ports,
            @Schema(description = "An address or a prefix of either family (198.51.100.0/24, 2001:db8::/48), answered as a prefix; "
                    + "absent: anywhere. A rule with a source matches that family only", examples = "198.51.100.0/24")
            String source) {

        /** The first and last port, or null for every port. */
        int[] portRange() {
            if (ports == null) {
                return null;
            }
            Matcher m = PORTS.matcher(ports);
            if (!m.matches()) {
                return null;
            }
            int first = Integer.parseInt(m.group(1));
            return new int[] {first, m.group(2) == null ? first : Integer.parseInt(m.group(2))};
        }
    }

    /**
     * The firewall with every field checked as the agent checks it and sources written as prefixes; a
     * refusal names the field (rules[3].ports) and the rule.
     */
    public Firewall validated() {
        if (!ALLOW.equals(defaultInbound) && !DENY.equals(defaultInbound)) {
            throw DomainException.invalid("defaultInbound", r -> r.firewall_allow_or_deny("defaultInbound", quoted(r, defaultInbound)));
        }
        if (rules.size() > MAX_RULES) {
            throw DomainException.invalid("rules", r -> r.firewall_too_many_rules(MAX_RULES, rules.size()));
        }
        List<Rule> valid = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            valid.add(validated("rules[" + i + "]", rules.get(i)));
        }
        return new Firewall(defaultInbound, List.copyOf(valid));
    }

    private static Rule validated(String field, Rule rule) {
        if (rule == null) {
            throw DomainException.invalid(field, r -> r.firewall_rule_missing(field));
        }
        if (!ALLOW.equals(rule.action) && !DENY.equals(rule.action)) {
            throw DomainException.invalid(field + ".action", r -> r.firewall_allow_or_deny(field + ".action", quoted(r, rule.action)));
        }
        if (!PROTOCOLS.contains(rule.protocol)) {
            throw DomainException.invalid(field + ".protocol", r -> r.firewall_protocol(field + ".protocol", quoted(r, rule.protocol)));
        }
        String ports = rule.ports == null || rule.ports.isBlank() ? null : rule.ports.strip();
        if (ports != null) {
            String portsField = field + ".ports";
            if (!rule.protocol.equals("tcp") && !rule.protocol.equals("udp")) {
                throw DomainException.invalid(portsField, r -> r.firewall_ports_protocol(portsField, rule.protocol));
            }
            int[] range = new Rule(rule.action, rule.protocol, ports, null).portRange();
            if (range == null) {
                throw DomainException.invalid(portsField, r -> r.firewall_ports_form(portsField, quoted(r, ports)));
            }
            if (range[0] < 1 || range[1] > 65535) {
                throw DomainException.invalid(portsField, r -> r.firewall_ports_range(portsField, ports));
            }
            if (range[0] > range[1]) {
                throw DomainException.invalid(portsField, r -> r.firewall_ports_order(portsField, ports));
            }
        }
        String source = rule.source == null || rule.source.isBlank() ? null : source(field + ".source", rule.source.strip());
        return new Rule(rule.action, rule.protocol, ports, source);
    }

    /** An address or a prefix with no bits set past its length, as a prefix: 198.51.100.7 is 198.51.100.7/32. */
    private static String source(String field, String text) {
        int slash = text.indexOf('/');
        String prefix = slash < 0 ? null : text.substring(slash + 1);
        if (prefix != null && !prefix.matches("[0-9]{1,3}")) {
            throw DomainException.invalid(field, r -> r.firewall_source_form(field, quoted(r, text)));
        }
        IpAddress address = IpAddress.parseEither(field, slash < 0 ? text : text.substring(0, slash));
        if (address.family() == 6 && address.value().shiftRight(32).equals(BigInteger.valueOf(0xffff))) {
            // ::ffff:0:0/96 is how IPv4 shows inside IPv6 sockets, never a source on the wire; the agent refuses it
            throw DomainException.invalid(field, r -> r.firewall_source_mapped(field, quoted(r, text)));
        }
        int length = prefix == null ? address.bits() : Integer.parseInt(prefix);
        if (length > address.bits()) {
            throw DomainException.invalid(field, r -> r.firewall_source_length(field, address.bits(), text));
        }
        BigInteger hostBits = BigInteger.ONE.shiftLeft(address.bits() - length).subtract(BigInteger.ONE);
        if (address.value().and(hostBits).signum() != 0) {
            throw DomainException.invalid(field, r -> r.firewall_source_host_bits(field, length, text));
        }
        return address + "/" + length;
    }

    private static String quoted(Refusals r, String value) {
        return value == null ? r.value_nothing() : "'" + value + "'";
    }
}
