package io.corral.panel.common;

/**
 * A refusal the user should read as it is. The kind picks the status code (in {@link ProblemMapper},
 * one table for the whole panel); field names the request field at fault, where there is one.
 */
public class DomainException extends RuntimeException {
    public enum Kind { INVALID, FORBIDDEN, NOT_FOUND, CONFLICT, QUOTA, TOO_MANY, NO_CAPACITY, UNAVAILABLE }

    private final Kind kind;
    private final String field;

    public DomainException(Kind kind, String field, String message) {
        super(message);
        this.kind = kind;
        this.field = field;
    }

    public static DomainException invalid(String field, String rule) {
        return new DomainException(Kind.INVALID, field, field + ": " + rule);
    }

    public static DomainException notFound(String what) {
        return new DomainException(Kind.NOT_FOUND, null, what + " does not exist");
    }

    public static DomainException conflict(String message) {
        return new DomainException(Kind.CONFLICT, null, message);
    }

    public Kind kind() {
        return kind;
    }

    public String field() {
        return field;
    }
}
