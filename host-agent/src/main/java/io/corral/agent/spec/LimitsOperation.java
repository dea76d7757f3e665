package io.corral.agent.spec;

/**
 * The panel's last operation that changed a server's limits: its id (each later one's is larger) and, if it was refused,
 * why (null: taken). The panel sends an operation again when its answer was lost; it is answered as it went the first
 * time, and an older one arriving late (held up on the way, or behind the server's lock) is refused rather than put
 * over what a later one set.
 */
public record LimitsOperation(long id, Refusal refused) {
    /** A refusal as it was answered: the field at fault (null: none) and the reason. */
    public record Refusal(String field, String reason) {
    }
}
