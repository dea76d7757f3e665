package io.corral.panel.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Bytes of a server's console log as its agent keeps them: data lies at offsets from to next of every
 * byte the server ever wrote there; start is the oldest offset the agent still holds.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConsoleChunk(long start, long from, long next, byte[] data) {
}
