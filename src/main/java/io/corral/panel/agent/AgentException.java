package io.corral.panel.agent;

import io.corral.panel.common.DomainException;
import io.corral.panel.common.Refusals;
import java.util.function.Function;

/**
 * A host agent refused or failed a call (status is its HTTP status), or could not be reached (status
 * 0). It is the panel's own refusal as it stands, answered by the one error mapper: bad input, a state
 * that does not allow it (the server is not running, or not made yet: the agent's 409 and 404) and too
 * many at once keep their meaning (a 400 names the request field at fault, a 422 the field the agent named, such as a
 * backup that failed its checksum); anything else is the host
 * being unavailable.
 */
public class AgentException extends DomainException {
    private final int status;

    AgentException(int status, String field, Function<Refusals, String> words) {
        super(kind(status), status == 400 || status == 422 ? field : null, words);
        this.status = status;
    }

    private static Kind kind(int status) {
        return switch (status) {
            case 400, 422 -> Kind.INVALID;
            case 404, 409 -> Kind.CONFLICT;
            case 429 -> Kind.TOO_MANY;
            default -> Kind.UNAVAILABLE;
        };
    }

    public int status() {
        return status;
    }

}
