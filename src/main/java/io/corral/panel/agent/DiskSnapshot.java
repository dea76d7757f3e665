package io.corral.panel.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.OffsetDateTime;

/**
 * A snapshot of a server's disk as its agent holds it: diskBytes the image's apparent size, storedBytes what it
 * takes on the host, pauseMillis how long the running server was frozen for the copy (0 when stopped).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DiskSnapshot(String id, String serverId, String template, OffsetDateTime createdAt, long diskBytes, long storedBytes,
                           long pauseMillis, boolean wasRunning) {
}
