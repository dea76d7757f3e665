package io.corral.agent.backup;

import java.time.Instant;

/**
 * A snapshot of a server's disk image, kept on this host beside the server. diskBytes: the image's
 * apparent size; storedBytes: the bytes of data the copy holds (its holes take nothing); pauseMillis: how
 * long the server's processes were frozen for it (0 when it was stopped).
 */
public record Snapshot(String id, String serverId, String template, Instant createdAt, long diskBytes, long storedBytes,
                       long pauseMillis, boolean wasRunning) {
}
