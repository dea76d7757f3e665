package io.corral.panel.backup;

import java.time.OffsetDateTime;

/**
 * A backup as customers read it; once taken: the disk's size, its chunks with data and how many this backup wrote new
 * (newChunks: the rest were in the store already), the compressed bytes it wrote (storedBytes) and that all its chunks
 * take (totalBytes, what a restore reads and the bill counts), the server's pause, and the SHA-256 of its manifest.
 */
public record BackupView(String id, long serverId, boolean scheduled, Backup.Status status, String error, String template,
                         OffsetDateTime createdAt, OffsetDateTime takenAt, Long diskBytes, Long chunks, Long newChunks, Long storedBytes,
                         Long totalBytes, Long pauseMillis, String sha256) {
    static BackupView of(Backup b) {
        return new BackupView(b.id, b.server.id, b.scheduled, b.status, b.error, b.template, b.createdAt, b.takenAt, b.diskBytes, b.chunks,
                b.newChunks, b.storedBytes, b.totalBytes, b.pauseMillis, b.sha256);
    }
}
