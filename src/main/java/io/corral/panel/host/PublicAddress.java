package io.corral.panel.host;

import io.corral.panel.common.DomainException;
import io.corral.panel.common.Refusals;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * Where customers reach a host: its public IPv4 address or DNS name, shown with its port forwards'
 * ports. IPv4 only, as forwards are: a server on a network with IPv6 has an address of its own.
 */
final class PublicAddress {
    static final String FIELD = "publicAddress";
    private static final Pattern IPV4 = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private PublicAddress() {
    }

    /** The address as stored (a name in lower case), or null for none (null or blank); a refusal names the field and the rule. */
    static String validated(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String address = text.strip().toLowerCase(Locale.ROOT);
        if (address.length() > 254) { // a name's 253 characters and its root's dot
            throw DomainException.invalid(FIELD, r -> r.host_address_too_long(address.length()));
        }
        if (address.contains(":")) {
            throw invalid(Refusals::host_address_port, text);
        }
        if (address.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
            return ipv4(address, text);
        }
        String name = address.endsWith(".") ? address.substring(0, address.length() - 1) : address;
        String[] labels = name.split("\\.", -1);
        if (name.length() > 253 || labels.length < 2) {
            throw invalid(Refusals::host_address_dns_dot, text);
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                throw invalid(Refusals::host_address_dns_label, text);
            }
        }
        if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
            throw invalid(Refusals::host_address_dns_digits, text);
        }
        return name;
    }

    private static String ipv4(String address, String text) {
        if (!IPV4.matcher(address).matches()) {
            throw invalid(Refusals::host_address_ipv4, text);
        }
        String[] octets = address.split("\\.");
        for (String octet : octets) {
            if (Integer.parseInt(octet) > 255) {
                throw invalid(Refusals::host_address_ipv4, text);
            }
        }
        int first = Integer.parseInt(octets[0]);
        if (first == 0 || first == 127 || first >= 224) {
            throw invalid(Refusals::host_address_unreachable, text);
        }
        return address;
    }

    /** rule: the refusal's words, given the text as it was given. */
    private static DomainException invalid(BiFunction<Refusals, String, String> rule, String text) {
        return DomainException.invalid(FIELD, r -> rule.apply(r, text));
    }
}
