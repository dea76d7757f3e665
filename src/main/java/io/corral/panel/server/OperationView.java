package io.corral.panel.server;

import java.time.OffsetDateTime;

public record OperationView(long id, long serverId, Operation.Kind kind, Operation.Status status, String error,
                            String requestedBy, int attempts, OffsetDateTime createdAt, OffsetDateTime startedAt,
                            OffsetDateTime finishedAt) {
    public static OperationView of(Operation o) {
        return new OperationView(o.id, o.server.id, o.kind, o.status, o.error, o.requestedBy, o.attempts, o.createdAt,
                o.startedAt, o.finishedAt);
    }
}
