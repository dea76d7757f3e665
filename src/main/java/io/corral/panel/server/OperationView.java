package io.corral.panel.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.OffsetDateTime;

/**
 * An operation as the API shows it; busyAttempts: of its attempts, those that found its server busy on its host (another
 * action of it running there), which do not count towards giving up; result: what it measured (a move: bytes sent,
 * downtime), absent for most.
 */
public record OperationView(long id, long serverId, Operation.Kind kind, Operation.Status status, String error,
                            String requestedBy, int attempts, int busyAttempts, OffsetDateTime createdAt, OffsetDateTime startedAt,
                            OffsetDateTime finishedAt, @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode result) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static OperationView of(Operation o) {
        return new OperationView(o.id, o.server.id, o.kind, o.status, o.error, o.requestedBy, o.attempts, o.busyAttempts, o.createdAt,
                o.startedAt, o.finishedAt, result(o));
    }

    private static JsonNode result(Operation o) {
        if (o.payload == null || o.kind != Operation.Kind.move) {
            return null;
        }
        try {
            return JSON.readTree(o.payload).get("result");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("operation " + o.id + " has a payload that is not JSON", e);
        }
    }
}
