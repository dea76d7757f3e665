package io.corral.agent.backup;

import java.time.Instant;

/**
 * A backup in the store, as the API shows it. chunks: the non-empty chunks it references; newChunks and
 * storedBytes: those this backup wrote (compressed bytes), the rest being in the store already; totalBytes:
 * the compressed bytes of every chunk it references (what a restore reads); sha256: of its manifest.
 */
public record Backup(String id, String serverId, String template, Instant createdAt, long diskBytes, int chunks,
                     int newChunks, long storedBytes, long totalBytes, long pauseMillis, String sha256) {
    static Backup of(Manifest m, String sha256) {
        return new Backup(m.backupId(), m.serverId(), m.template(), m.createdAt(), m.diskBytes(), m.chunks().size(),
                m.newChunks(), m.storedBytes(), m.chunks().stream().mapToLong(Manifest.Chunk::size).sum(), m.pauseMillis(), sha256);
    }
}
