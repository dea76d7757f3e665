package io.corral.panel.server;

import io.corral.panel.limits.Limits;
import io.corral.panel.network.AddressColumns;
import io.corral.panel.network.ServerNetwork;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;

/**
 * A server as its tenant and admins see it. hostname is its ASCII form, as set inside the server;
 * unicodeHostname the same name as people read it (ウェブ.example.jp for xn--gckc5l.example.jp).
 * ownUserNamespace: whether root inside is root of a host id range of its own (null until its host
 * has reported it). network: the network it has an address on, with its addresses; null for a server
 * without (loopback only).
 */
public record ServerView(long id, long tenantId, String tenant, Long hostId, String host, String hostname, String unicodeHostname,
                         String template, Limits limits, VirtualServer.Desired desiredState, VirtualServer.Observed observedState,
                         OffsetDateTime createdAt, OffsetDateTime updatedAt, Boolean ownUserNamespace, ServerNetwork network) {
    /**
     * The view's columns, the server aliased v, with its network's (AddressColumns): a list or a detail
     * reads servers and their addresses in one statement and loads no entities.
     */
    static final String SELECT = "select v.id, t.id, t.slug, h.id, h.name, v.hostname, v.template, v.memory_mib, v.swap_mib, v.cpus, "
            + "v.cpu_weight, v.pids, v.disk_mib, v.desired_state, v.observed_state, v.created_at, v.updated_at, v.own_user_namespace, "
            + AddressColumns.COLUMNS + " from virtual_server v join tenant t on t.id = v.tenant_id left join host h on h.id = v.host_id"
            + AddressColumns.JOINS;

    /** The view of a row of {@link #SELECT}. */
    static ServerView of(ResultSet r) throws SQLException {
        String hostname = r.getString(6);
        return new ServerView(r.getLong(1), r.getLong(2), r.getString(3), r.getObject(4, Long.class), r.getString(5), hostname,
                Hostnames.unicode(hostname), r.getString(7),
                new Limits(r.getLong(8), r.getLong(9), r.getBigDecimal(10), r.getInt(11), r.getInt(12), r.getLong(13)),
                VirtualServer.Desired.valueOf(r.getString(14)), VirtualServer.Observed.valueOf(r.getString(15)),
                r.getObject(16, OffsetDateTime.class), r.getObject(17, OffsetDateTime.class), r.getObject(18, Boolean.class),
                AddressColumns.read(r, 19));
    }

    /** Without its network: for lists that do not show it. */
    public static ServerView of(VirtualServer v) {
        return of(v, null);
    }

    public static ServerView of(VirtualServer v, ServerNetwork network) {
        return new ServerView(v.id, v.tenant.id, v.tenant.slug, v.host == null ? null : v.host.id,
                v.host == null ? null : v.host.name, v.hostname, v.unicodeHostname(), v.template, v.limits(), v.desiredState,
                v.observedState, v.createdAt, v.updatedAt, v.ownUserNamespace, network);
    }
}
