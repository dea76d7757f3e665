package io.corral.panel.network;

import io.corral.panel.common.DomainException;
import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address as a number, so ranges and prefixes are plain arithmetic. Parsed as a literal
 * only (never looked up: a name is refused, not resolved), written in the form PostgreSQL and `ip` print
 * (RFC 5952 for IPv6: lower case, the longest run of zero groups as ::).
 */
public record IpAddress(int family, BigInteger value) implements Comparable<IpAddress> {
    private static final Pattern V4 = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");
    private static final Pattern V6 = Pattern.compile("[0-9a-fA-F:]{2,39}");

    public int bits() {
        return family == 4 ? 32 : 128;
    }

    /** An address of the given family (4 or 6), or a refusal naming the field. */
    public static IpAddress parse(String field, String text, int family) {
        IpAddress a = parseEither(field, text);
        if (a.family != family) {
            throw DomainException.invalid(field, r -> r.network_address_family(field, family, text));
        }
        return a;
    }

    /** An IPv4 or IPv6 address, or a refusal naming the field. */
    public static IpAddress parseEither(String field, String text) {
        if (text != null && V4.matcher(text).matches()) {
            BigInteger v = BigInteger.ZERO;
            for (String octet : text.split("\\.")) {
                int o = Integer.parseInt(octet);
                if (o > 255) {
                    throw DomainException.invalid(field, r -> r.network_address_octet(field, text));
                }
                v = v.shiftLeft(8).or(BigInteger.valueOf(o));
            }
            return new IpAddress(4, v);
        }
        if (text != null && V6.matcher(text).matches()) {
            BigInteger v = v6(text);
            if (v != null) {
                return new IpAddress(6, v);
            }
        }
        throw DomainException.invalid(field, r -> r.network_address_form(field));
    }

    /** The eight groups of an IPv6 address (one :: at most standing for the zero groups left out), or null. */
    private static BigInteger v6(String text) {
        int gap = text.indexOf("::");
        if (gap != text.lastIndexOf("::") || text.contains(":::")) {
            return null;
        }
        String[] head = gap < 0 ? text.split(":", -1) : text.substring(0, gap).split(":", -1);
        String[] tail = gap < 0 ? new String[0] : text.substring(gap + 2).split(":", -1);
        if (gap >= 0 && head.length == 1 && head[0].isEmpty()) {
            head = new String[0];
        }
        if (gap >= 0 && tail.length == 1 && tail[0].isEmpty()) {
            tail = new String[0];
        }
        int groups = head.length + tail.length;
        if (gap < 0 ? groups != 8 : groups > 7) {
            return null;
        }
        BigInteger v = BigInteger.ZERO;
        for (String[] part : new String[][] {head, null, tail}) {
            if (part == null) {
                v = v.shiftLeft(16 * (8 - groups));
                continue;
            }
            for (String g : part) {
                if (g.isEmpty() || g.length() > 4) {
                    return null;
                }
                v = v.shiftLeft(16).or(new BigInteger(g, 16));
            }
        }
        return v;
    }

    public IpAddress plus(long n) {
        return new IpAddress(family, value.add(BigInteger.valueOf(n)));
    }

    @Override
    public int compareTo(IpAddress o) {
        return family != o.family ? Integer.compare(family, o.family) : value.compareTo(o.value);
    }

    @Override
    public String toString() {
        if (family == 4) {
            long v = value.longValue();
            return (v >> 24 & 255) + "." + (v >> 16 & 255) + "." + (v >> 8 & 255) + "." + (v & 255);
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = value.shiftRight(16 * (7 - i)).intValue() & 0xffff;
        }
        int bestStart = -1, bestLength = 1; // a single zero group stays written out (RFC 5952)
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLength - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(g[i]));
        }
        return s.toString();
    }
}
