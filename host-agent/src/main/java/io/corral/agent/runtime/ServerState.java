package io.corral.agent.runtime;

import java.util.Optional;

/** The observed state of a virtual server, derived from the live system. */
public enum ServerState {
    stopped, running;

    /** A server runs while its init does. */
    public static ServerState of(Optional<InitProcess> init) {
        return init.isPresent() ? running : stopped;
    }
}
