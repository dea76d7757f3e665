package io.corral.panel.host;

/** A host agent refused or failed a call (status is its HTTP status), or could not be reached (status 0). */
public class AgentException extends RuntimeException {
    private final int status;

    public AgentException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public boolean unreachable() {
        return status == 0;
    }
}
