package io.corral.panel.network;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A server's network and addresses read in the same statement as the server: joins on the server's
 * row (aliased v), the columns they add, and how to read those columns back. A list or a detail page
 * then costs one statement, not one for the servers and one more for their addresses.
 */
public final class AddressColumns {
    /** Left joins: a server without a network still comes back, its network columns null. */
    public static final String JOINS = " left join server_address a4 on a4.server_id = v.id and family(a4.address) = 4"
            + " left join server_address a6 on a6.server_id = v.id and family(a6.address) = 6"
            + " left join network n on n.id = a4.network_id";
    public static final String COLUMNS = "host(a4.address), host(a6.address), " + NetworkRow.COLUMNS;

    private AddressColumns() {
    }

    /** The network of the row's {@link #COLUMNS}, the first of them at column from; null for a server without one. */
    public static ServerNetwork read(ResultSet row, int from) throws SQLException {
        String ipv4 = row.getString(from), ipv6 = row.getString(from + 1);
        if (ipv4 == null) {
            return null;
        }
        return NetworkRow.of(row, from + 2).serverNetwork(IpAddress.parse("address", ipv4, 4),
                ipv6 == null ? null : IpAddress.parse("address", ipv6, 6));
    }
}
