package io.corral.panel.snapshot;

import java.time.OffsetDateTime;

/**
 * A snapshot as customers read it: sizes and pause once the host has taken it (null before), error why it failed or was
 * removed again.
 */
public record SnapshotView(String id, long serverId, Snapshot.Status status, String error, String template, OffsetDateTime createdAt,
                           OffsetDateTime takenAt, Long diskBytes, Long storedBytes, Long pauseMillis, Boolean wasRunning) {
    static SnapshotView of(Snapshot s) {
        return new SnapshotView(s.id, s.server.id, s.status, s.error, s.template, s.createdAt, s.takenAt, s.diskBytes, s.storedBytes,
                s.pauseMillis, s.wasRunning);
    }
}
