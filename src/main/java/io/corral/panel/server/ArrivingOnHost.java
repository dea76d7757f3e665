package io.corral.panel.server;

/**
 * A server about to go to another host (a move about to be queued, or an evacuation putting it there at once), in the
 * transaction that does it, that host row-locked: an observer refuses it (a DomainException) where something the server
 * has cannot go to that host.
 */
public record ArrivingOnHost(long serverId, long toHostId, String toHostName) {
}
