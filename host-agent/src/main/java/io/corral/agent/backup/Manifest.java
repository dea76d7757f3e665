package io.corral.agent.backup;

import io.corral.agent.AgentException;
import io.corral.agent.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a backup is made of, as stored: the image's size and its non-empty chunks by index, each named by the
 * SHA-256 of its content, with its compressed size. usersFirst: the first host id of the source server's user
 * range (null without one), which the files' owners in the image are. Chunks not listed are zeros.
 */
record Manifest(int format, String serverId, String backupId, String template, Long usersFirst, Instant createdAt,
                long diskBytes, int chunkBytes, long pauseMillis, int newChunks, long storedBytes, List<Chunk> chunks) {
    static final int FORMAT = 1;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    record Chunk(long index, String sha256, long size) {
    }

    static Manifest parse(byte[] bytes, String backupId) {
        try {
            return Json.MAPPER.readValue(bytes, Manifest.class);
        } catch (IOException e) {
            throw refused(backupId, "its manifest cannot be read: " + e.getMessage());
        }
    }

    /** The manifest's bytes, checked against their recorded SHA-256 ("none" if absent) and for what a restore relies on. */
    static Manifest checked(byte[] bytes, String recorded, String serverId, String backupId) {
        String actual = Sha256.of(bytes);
        if (!actual.equals(recorded)) {
            throw refused(backupId, "its manifest's SHA-256 is " + actual + ", recorded as " + recorded);
        }
        Manifest m = parse(bytes, backupId);
        if (m.format() != FORMAT || m.chunkBytes() != BackupStore.CHUNK_BYTES || !backupId.equals(m.backupId())
                || !serverId.equals(m.serverId()) || m.diskBytes() < 0) {
            throw refused(backupId, "its manifest is not one this agent writes (format " + m.format() + ", chunks of "
                    + m.chunkBytes() + " bytes, of " + m.serverId() + "/" + m.backupId() + ")");
        }
        long previous = -1;
        for (Chunk chunk : m.chunks()) {
            if (chunk.index() <= previous || chunk.index() >= (m.diskBytes() + BackupStore.CHUNK_BYTES - 1) / BackupStore.CHUNK_BYTES
                    || !SHA256.matcher(chunk.sha256()).matches()) {
                throw refused(backupId, "its manifest lists chunk " + chunk.index() + " out of order, past the disk's end or without a SHA-256");
            }
            previous = chunk.index();
        }
        return m;
    }

    /** A backup that is not what it was written as: restoring it is refused (422, naming backupId). */
    static AgentException refused(String backupId, String reason) {
        return AgentException.unusable("backupId", "backup " + backupId + " failed its checksum: " + reason);
    }
}
