package io.corral.agent.network;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A server's veth pair, named and addressed from its id alone, so nothing about it needs storing:
 * hostInterface is the host's end on the bridge (cv + 12 hex digits of a hash of the agent's
 * instance and the id: unique on the host, 14 characters where the kernel allows 15), mac the
 * server's end (locally administered, unicast, from the id: stable wherever the server runs), and
 * linkLocal the IPv6 link-local address made from that MAC (EUI-64), the one the server may send from.
 */
public record Port(String hostInterface, String mac, String linkLocal) {
    public static Port of(String instance, String id) {
        byte[] m = localMac("mac/" + id);
        String linkLocal = String.format("fe80::%x:%x:%x:%x", ((m[0] & 0xff) ^ 0x02) << 8 | (m[1] & 0xff),
                (m[2] & 0xff) << 8 | 0xff, 0xfe00 | (m[3] & 0xff), (m[4] & 0xff) << 8 | (m[5] & 0xff));
        return new Port("cv" + HexFormat.of().formatHex(sha256(instance + "/" + id), 0, 6), colons(m), linkLocal);
    }

    /** A bridge's own MAC, fixed, so servers' neighbour entries for the gateway stay right as ports come and go. */
    static String bridgeMac(String bridge) {
        return colons(localMac("bridge/" + bridge));
    }

    /** Six bytes of a hash, made a locally administered unicast MAC. */
    private static byte[] localMac(String seed) {
        byte[] m = sha256(seed);
        m[0] = (byte) ((m[0] & 0xfc) | 0x02);
        return m;
    }

    private static String colons(byte[] mac) {
        return HexFormat.ofDelimiter(":").formatHex(mac, 0, 6);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
