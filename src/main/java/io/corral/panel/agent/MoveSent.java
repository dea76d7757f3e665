package io.corral.panel.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What the sending agent of a move did: the bytes and blocks it sent, in how many rounds (while the server ran, then
 * the one with it stopped), how long the server was stopped until the receiver had checked its copy, and whether it ran.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MoveSent(long bytesSent, long blocksSent, int rounds, long stoppedMillis, boolean wasRunning) {
}
