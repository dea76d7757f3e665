package io.corral.panel.host;

import io.corral.panel.common.DomainException;

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

    /**
     * The agent's refusal, with its message, as the panel answers it to a client: bad input, a state that
     * does not allow it (the server is not running, or not made yet: the agent's 409 and 404) and too many
     * at once keep their meaning (field names the request field at fault); anything else is the host
     * being unavailable.
     */
    public DomainException refusal(String field) {
        DomainException.Kind kind = switch (status) {
            case 400 -> DomainException.Kind.INVALID;
            case 404, 409 -> DomainException.Kind.CONFLICT;
            case 429 -> DomainException.Kind.TOO_MANY;
            default -> DomainException.Kind.UNAVAILABLE;
        };
        return new DomainException(kind, status == 400 ? field : null, getMessage());
    }
}
