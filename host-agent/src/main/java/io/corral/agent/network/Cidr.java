package io.corral.agent.network;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An address with the prefix length of its network, parsed from literals only: nothing here ever
 * asks a resolver (InetAddress.getByName would look a name up, and reads "10.1" as 10.0.0.1).
 */
record Cidr(InetAddress address, int prefix) {
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    /** An IPv4 literal in dotted quads, or empty. */
    static Optional<InetAddress> ipv4(String text) {
        return text != null && IPV4.matcher(text).matches() ? literal(text) : Optional.empty();
    }

    /** An IPv6 literal (no zone, no brackets), or empty. */
    static Optional<InetAddress> ipv6(String text) {
        if (text == null || !IPV6.matcher(text).matches() || !text.contains(":")) {
            return Optional.empty();
        }
        return literal(text).filter(a -> a instanceof Inet6Address);
    }

    /** A network's address with its prefix, already validated: 198.51.100.10/24. */
    static Cidr of(String validated) {
        int slash = validated.indexOf('/');
        String address = validated.substring(0, slash);
        return new Cidr(ipv4(address).or(() -> ipv6(address)).orElseThrow(), Integer.parseInt(validated.substring(slash + 1)));
    }

    private static Optional<InetAddress> literal(String text) {
        try {
            return Optional.of(InetAddress.getByName(text)); // a literal by the patterns above: no lookup
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    boolean isIpv4() {
        return address instanceof Inet4Address;
    }

    int bits() {
        return address.getAddress().length * 8;
    }

    /** Whether other lies in this address's network. */
    boolean contains(InetAddress other) {
        if (other.getAddress().length != address.getAddress().length) {
            return false;
        }
        BigInteger mask = BigInteger.ONE.shiftLeft(bits()).subtract(BigInteger.ONE)
                .xor(BigInteger.ONE.shiftLeft(bits() - prefix).subtract(BigInteger.ONE));
        return new BigInteger(1, address.getAddress()).and(mask).equals(new BigInteger(1, other.getAddress()).and(mask));
    }

    /** The host part of an address in this network: 0 is the network's own address, all ones IPv4's broadcast. */
    BigInteger hostPart(InetAddress other) {
        return new BigInteger(1, other.getAddress()).and(BigInteger.ONE.shiftLeft(bits() - prefix).subtract(BigInteger.ONE));
    }

    boolean isBroadcast(InetAddress other) {
        return isIpv4() && hostPart(other).equals(BigInteger.ONE.shiftLeft(bits() - prefix).subtract(BigInteger.ONE));
    }
}
