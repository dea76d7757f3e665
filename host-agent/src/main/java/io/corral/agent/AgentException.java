package io.corral.agent;

/**
 * A refusal or failure the caller should see as it is: the API maps the kind to a status code, the
 * CLI prints the message as its one-line reason.
 */
public class AgentException extends RuntimeException {
    public enum Kind {
        INVALID(400), UNAUTHORIZED(401), NOT_FOUND(404), CONFLICT(409),
        /** An operation of the panel's that went, or one after it did, already: answered so the panel does not send it again. */
        SUPERSEDED(412),
        UNUSABLE(422), TOO_MANY(429), FAILED(500),
        /** A call to another host whose outcome is not known (its answer never came): nothing was undone here. */
        OUTCOME_UNKNOWN(504);

        public final int status;

        Kind(int status) {
            this.status = status;
        }
    }

    private final Kind kind;
    private final String field;

    public AgentException(Kind kind, String field, String message) {
        super(message);
        this.kind = kind;
        this.field = field;
    }

    public AgentException(Kind kind, String message) {
        this(kind, null, message);
    }

    public static AgentException invalid(String field, String rule) {
        return new AgentException(Kind.INVALID, field, field + ": " + rule);
    }

    public static AgentException notFound(String what) {
        return new AgentException(Kind.NOT_FOUND, what + " does not exist");
    }

    public static AgentException conflict(String message) {
        return new AgentException(Kind.CONFLICT, message);
    }

    /** Well-formed, but what it names cannot be used for it (a backup that fails its checksum, data that does not fit). */
    public static AgentException unusable(String field, String reason) {
        return new AgentException(Kind.UNUSABLE, field, reason);
    }

    public static AgentException tooMany(String message) {
        return new AgentException(Kind.TOO_MANY, message);
    }

    public static AgentException failed(String message, Throwable cause) {
        AgentException e = new AgentException(Kind.FAILED, message);
        e.initCause(cause);
        return e;
    }

    public Kind kind() {
        return kind;
    }

    /** The request field at fault, or null. */
    public String field() {
        return field;
    }
}
