package io.corral.panel.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.OffsetDateTime;

/**
 * A backup in a host's backup store: its disk cut into chunks (chunks: those with data), newChunks of them written by
 * this backup, storedBytes what those took compressed, totalBytes what all of its chunks take (what a restore reads),
 * sha256 of its manifest.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DiskBackup(String id, String serverId, String template, OffsetDateTime createdAt, long diskBytes, long chunks,
                         long newChunks, long storedBytes, long totalBytes, long pauseMillis, String sha256) {
}
