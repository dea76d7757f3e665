package io.corral.agent.backup;

import java.time.Instant;
import java.util.List;

/**
 * What a backup is made of, as stored: the image's size and its non-empty chunks by index, each named by the
 * SHA-256 of its content, with its compressed size. usersFirst: the first host id of the source server's user
 * range (null without one), which the files' owners in the image are. Chunks not listed are zeros.
 */
record Manifest(int format, String serverId, String backupId, String template, Long usersFirst, Instant createdAt,
                long diskBytes, int chunkBytes, long pauseMillis, int newChunks, long storedBytes, List<Chunk> chunks) {
    static final int FORMAT = 1;

    record Chunk(long index, String sha256, long size) {
    }
}
