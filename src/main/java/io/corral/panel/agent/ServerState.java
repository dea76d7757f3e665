package io.corral.panel.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A server as its agent has it: its id (the panel's), its state (creating, stopped, running ...) and the
 * host ids its own user namespace maps to, absent for a server without one.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ServerState(String id, String state, UserRange users) {
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record UserRange(long first, long count) {
    }

    public boolean ownUserNamespace() {
        return users != null;
    }
}
