package io.corral.panel.host;

import io.corral.panel.common.DomainException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where customers reach a host: its public IPv4 address or DNS name, shown with its port forwards'
 * ports. IPv4 only, as forwards are: a server on a network with IPv6 has an address of its own.
 */
final class PublicAddress {
    static final String FIELD = "publicAddress";
    private static final Pattern IPV4 = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private static final String IPV4_RULE = "an IPv4 address is four numbers 0-255 without leading zeros (198.51.100.7)";

    private PublicAddress() {
    }

    /** The address as stored (a name in lower case), or null for none (null or blank); a refusal names the field and the rule. */
    static String validated(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String address = text.strip().toLowerCase(Locale.ROOT);
        if (address.length() > 254) { // a name's 253 characters and its root's dot
            throw DomainException.invalid(FIELD, "at most 253 characters, got " + address.length());
        }
        if (address.contains(":")) {
            throw invalid("port forwards are IPv4: give the host's IPv4 address or a DNS name, without a port", text);
        }
        if (address.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
            return ipv4(address, text);
        }
        String name = address.endsWith(".") ? address.substring(0, address.length() - 1) : address;
        String[] labels = name.split("\\.", -1);
        if (name.length() > 253 || labels.length < 2) {
            throw invalid("a DNS name has a dot and at most 253 characters (host7.example.net)", text);
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                throw invalid("a DNS name's labels are 1 to 63 of a-z, 0-9 and '-', not starting or ending with '-' "
                        + "(an international name in its ASCII form, xn--…)", text);
            }
        }
        if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
            throw invalid("a DNS name's last label is not all digits", text);
        }
        return name;
    }

    private static String ipv4(String address, String text) {
        if (!IPV4.matcher(address).matches()) {
            throw invalid(IPV4_RULE, text);
        }
        String[] octets = address.split("\\.");
        for (String octet : octets) {
            if (Integer.parseInt(octet) > 255) {
                throw invalid(IPV4_RULE, text);
            }
        }
        int first = Integer.parseInt(octets[0]);
        if (first == 0 || first == 127 || first >= 224) {
            throw invalid("must be an address others can reach the host at: not 0.0.0.0/8, loopback (127.0.0.0/8), multicast "
                    + "or reserved (224.0.0.0 and above)", text);
        }
        return address;
    }

    private static DomainException invalid(String rule, String text) {
        return DomainException.invalid(FIELD, rule + ", got '" + text + "'");
    }
}
