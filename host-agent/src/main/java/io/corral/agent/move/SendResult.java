package io.corral.agent.move;

/**
 * What a move's sending end did: the bytes and blocks it sent, in how many rounds (those while the server ran,
 * then the one with it stopped), how long the server was stopped until the receiver had checked its copy, and
 * whether it was running before; and where that time went: halting it (haltMillis, with unmounting its disk), the
 * last round (lastRoundMillis) and the receiver's check and swap (commitMillis).
 */
public record SendResult(long bytesSent, long blocksSent, int rounds, long stoppedMillis, boolean wasRunning, long haltMillis,
                         long lastRoundMillis, long commitMillis) {
}
