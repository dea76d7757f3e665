package io.corral.panel.operation;

/**
 * An operation whose agent did not say whether it took it: left unfinished, for its next attempt to send it again. busy:
 * the agent answered, busy with another action of the server; the next attempt comes soon and this one does not count
 * towards giving up.
 */
final class OutcomeUnknown extends RuntimeException {
    private final boolean busy;

    OutcomeUnknown(boolean busy, String message) {
        super(message);
        this.busy = busy;
    }

    boolean busy() {
        return busy;
    }
}
