package io.corral.panel.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A server as its agent has it: its id (the panel's), its state (creating, stopped, running ...) and the
 * host ids its own user namespace maps to, absent for a server without one; incoming: it is the receiving end of a
 * move that has not committed (it cannot start; the agent removes it when it restarts).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ServerState(String id, String state, UserRange users, boolean incoming) {
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record UserRange(long first, long count) {
    }

    public boolean ownUserNamespace() {
        return users != null;
    }
}
