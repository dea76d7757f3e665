package io.corral.panel.server;

import java.time.OffsetDateTime;

/** A server as its tenant and admins see it. */
public record ServerView(long id, long tenantId, String tenant, Long hostId, String host, String hostname, String template,
                         Limits limits, VirtualServer.Desired desiredState, VirtualServer.Observed observedState,
                         OffsetDateTime createdAt, OffsetDateTime updatedAt) {
    public static ServerView of(VirtualServer v) {
        return new ServerView(v.id, v.tenant.id, v.tenant.slug, v.host == null ? null : v.host.id,
                v.host == null ? null : v.host.name, v.hostname, v.template, Limits.of(v), v.desiredState,
                v.observedState, v.createdAt, v.updatedAt);
    }
}
