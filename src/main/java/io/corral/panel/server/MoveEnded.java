package io.corral.panel.server;

/** A move operation ended, in the transaction that records it: succeeded, or failed with error. */
public record MoveEnded(long serverId, long operationId, boolean succeeded, String error) {
}
