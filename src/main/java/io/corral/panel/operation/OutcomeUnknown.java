package io.corral.panel.operation;

/**
 * An operation whose agent did not say whether it took it, within the time one attempt asks: left unfinished, for its
 * next attempt to send again once its lease has run out.
 */
final class OutcomeUnknown extends RuntimeException {
    OutcomeUnknown(String message) {
        super(message);
    }
}
