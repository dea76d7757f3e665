package io.corral.panel.server;

import io.corral.panel.limits.Limits;
import io.corral.panel.network.AddressColumns;
import io.corral.panel.network.ServerNetwork;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

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
    static ServerView of(Object[] r) {
        String hostname = (String) r[5];
        return new ServerView(number(r[0]), number(r[1]), (String) r[2], r[3] == null ? null : number(r[3]), (String) r[4], hostname,
                Hostnames.unicode(hostname), (String) r[6],
                new Limits(number(r[7]), number(r[8]), (BigDecimal) r[9], (int) number(r[10]), (int) number(r[11]), number(r[12])),
                VirtualServer.Desired.valueOf((String) r[13]), VirtualServer.Observed.valueOf((String) r[14]), time(r[15]), time(r[16]),
                (Boolean) r[17], AddressColumns.read(r, 18));
    }

    private static long number(Object column) {
        return ((Number) column).longValue();
    }

    /** A native query's timestamptz comes as an Instant; in UTC, as PostgreSQL's driver gives the entities theirs. */
    private static OffsetDateTime time(Object column) {
        return ((Instant) column).atOffset(ZoneOffset.UTC);
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
