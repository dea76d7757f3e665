package io.corral.panel.server;

/** Fired when an operation is queued; observed after commit to wake the worker at once. */
public record OperationQueued(long id) {
}
