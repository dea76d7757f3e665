package io.corral.panel.network;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A network's row, its addresses parsed. v6 and gateway6 are null on a network without IPv6. */
record NetworkRow(long id, String name, Kind kind, Prefix v4, IpAddress gateway4, Prefix v6, IpAddress gateway6, List<String> resolvers) {
    /** The columns {@link #of} reads, in its order. */
    static final String COLUMNS = "n.id, n.name, n.kind, n.ipv4_prefix::text, host(n.gateway4), n.ipv6_prefix::text, host(n.gateway6), n.resolvers";

    /** The network of the row's {@link #COLUMNS}, the first of them at column from. */
    static NetworkRow of(ResultSet r, int from) throws SQLException {
        String v6 = r.getString(from + 5), gateway6 = r.getString(from + 6), resolvers = r.getString(from + 7);
        return new NetworkRow(r.getLong(from), r.getString(from + 1), Kind.of(r.getString(from + 2)),
                Prefix.parse("ipv4Prefix", r.getString(from + 3), 4), IpAddress.parse("gateway4", r.getString(from + 4), 4),
                v6 == null ? null : Prefix.parse("ipv6Prefix", v6, 6), gateway6 == null ? null : IpAddress.parse("gateway6", gateway6, 6),
                resolvers.isEmpty() ? List.of() : Arrays.asList(resolvers.split(",")));
    }

    /** The prefix of the family, null if the network has none. */
    Prefix prefix(int family) {
        return family == 4 ? v4 : v6;
    }

    /**
     * The addresses of the family never handed out: the gateway, the network's own address (on IPv6 the
     * subnet-router anycast address) and, on IPv4, the broadcast address.
     */
    List<IpAddress> neverHandedOut(int family) {
        List<IpAddress> never = new ArrayList<>();
        Prefix p = prefix(family);
        if (p != null) {
            never.add(p.first());
            never.add(family == 4 ? gateway4 : gateway6);
            if (family == 4) {
                never.add(p.last());
            }
        }
        return never;
    }

    ServerNetwork serverNetwork(IpAddress ipv4, IpAddress ipv6) {
        return new ServerNetwork(name, kind, ipv4 + "/" + v4.length(), gateway4.toString(), ipv6 == null ? null : ipv6 + "/" + v6.length(),
                ipv6 == null ? null : gateway6.toString(), resolvers);
    }
}
