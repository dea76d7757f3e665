package io.corral.panel.server;

/**
 * A move about to be queued, in the transaction that queues it, its target host row-locked: an observer refuses it (a
 * DomainException) where something the server has cannot go to that host.
 */
public record MoveQueued(long serverId, long toHostId, String toHostName) {
}
