package io.corral.panel.network;

import io.corral.panel.common.DomainException;
import java.math.BigInteger;

/** A network's prefix (192.0.2.0/24, 2001:db8:1::/64): its first address and how many leading bits are fixed. */
public record Prefix(IpAddress first, int length) {
    /** A gateway and at least one server fit: IPv4 /8 to /30; IPv6 /16 to /126. */
    static final int V4_LONGEST = 30, V4_SHORTEST = 8, V6_LONGEST = 126, V6_SHORTEST = 16;

    /** A prefix of the given family whose host bits are zero, with a length that leaves room; or a refusal naming the field. */
    public static Prefix parse(String field, String text, int family) {
        String example = family == 4 ? "192.0.2.0/24" : "2001:db8:1::/64";
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash < 0 || !text.substring(slash + 1).matches("[0-9]{1,3}")) {
            throw DomainException.invalid(field, r -> r.network_prefix_form(field, family, example));
        }
        IpAddress a = IpAddress.parse(field, text.substring(0, slash), family);
        int length = Integer.parseInt(text.substring(slash + 1));
        int shortest = family == 4 ? V4_SHORTEST : V6_SHORTEST, longest = family == 4 ? V4_LONGEST : V6_LONGEST;
        if (length < shortest || length > longest) {
            throw DomainException.invalid(field, r -> r.network_prefix_length(field, shortest, longest, length));
        }
        Prefix p = new Prefix(new IpAddress(family, a.value().andNot(hostMask(a.bits(), length))), length);
        if (!p.first.equals(a)) {
            throw DomainException.invalid(field, r -> r.network_prefix_host_bits(field, text, p.toString()));
        }
        return p;
    }

    private static BigInteger hostMask(int bits, int length) {
        return BigInteger.ONE.shiftLeft(bits - length).subtract(BigInteger.ONE);
    }

    public int family() {
        return first.family();
    }

    /** The last address: IPv4's broadcast address. */
    public IpAddress last() {
        return new IpAddress(family(), first.value().or(hostMask(first.bits(), length)));
    }

    public boolean contains(IpAddress a) {
        return a.family() == family() && a.compareTo(first) >= 0 && a.compareTo(last()) <= 0;
    }

    public boolean overlaps(Prefix o) {
        return o.family() == family() && (contains(o.first) || o.contains(first));
    }

    @Override
    public String toString() {
        return first + "/" + length;
    }
}
