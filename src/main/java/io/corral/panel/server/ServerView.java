package io.corral.panel.server;

import io.corral.panel.limits.Limits;
import io.corral.panel.network.ServerNetwork;
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
    /** The flat form a JPQL constructor expression fills, for lists read without loading entities. */
    public ServerView(long id, long tenantId, String tenant, Long hostId, String host, String hostname, String template,
                      long memoryMiB, long swapMiB, java.math.BigDecimal cpus, int cpuWeight, int pids, long diskMiB,
                      VirtualServer.Desired desiredState, VirtualServer.Observed observedState, OffsetDateTime createdAt,
                      OffsetDateTime updatedAt, Boolean ownUserNamespace) {
        this(id, tenantId, tenant, hostId, host, hostname, Hostnames.unicode(hostname), template,
                new Limits(memoryMiB, swapMiB, cpus, cpuWeight, pids, diskMiB),
                desiredState, observedState, createdAt, updatedAt, ownUserNamespace, null);
    }

    static final String SELECT = "select new io.corral.panel.server.ServerView(v.id, t.id, t.slug, h.id, h.name, v.hostname, "
            + "v.template, v.memoryMib, v.swapMib, v.cpus, v.cpuWeight, v.pids, v.diskMib, v.desiredState, v.observedState, "
            + "v.createdAt, v.updatedAt, v.ownUserNamespace) from VirtualServer v join v.tenant t left join v.host h";

    /** Without its network: for lists that do not show it. */
    public static ServerView of(VirtualServer v) {
        return of(v, null);
    }

    public static ServerView of(VirtualServer v, ServerNetwork network) {
        return new ServerView(v.id, v.tenant.id, v.tenant.slug, v.host == null ? null : v.host.id,
                v.host == null ? null : v.host.name, v.hostname, v.unicodeHostname(), v.template, v.limits(), v.desiredState,
                v.observedState, v.createdAt, v.updatedAt, v.ownUserNamespace, network);
    }

    ServerView on(ServerNetwork network) {
        return new ServerView(id, tenantId, tenant, hostId, host, hostname, unicodeHostname, template, limits, desiredState, observedState,
                createdAt, updatedAt, ownUserNamespace, network);
    }
}
