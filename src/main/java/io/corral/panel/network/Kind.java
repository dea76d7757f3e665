package io.corral.panel.network;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Optional;

/**
 * What a network's addresses are: public ones, reached from outside; or a private range whose IPv4 traffic
 * out is masqueraded by its host, where servers of different tenants cannot reach each other.
 */
public enum Kind {
    PUBLIC, PRIVATE;

    /** The plans', the API's and the agent's word for it. */
    @JsonValue
    public String word() {
        return name().toLowerCase();
    }

    public static Kind of(String word) {
        return valueOf(word.toUpperCase());
    }

    /** The kind a plan's servers get: its network column, empty for none. */
    public static Optional<Kind> ofPlan(String network) {
        return "none".equals(network) ? Optional.empty() : Optional.of(of(network));
    }
}
