package io.corral.agent.lifecycle;

import io.corral.agent.AgentException;
import io.corral.agent.runtime.ServerState;
import java.util.EnumSet;
import java.util.Set;

/** What can be done to a server, and from which observed states: the lifecycle's transition table. */
enum Action {
    /** Makes a server that does not exist yet: allowed from no state. */
    create(EnumSet.noneOf(ServerState.class)),
    start(EnumSet.of(ServerState.stopped)),
    stop(EnumSet.of(ServerState.running)),
    restart(EnumSet.of(ServerState.running)),
    exec(EnumSet.of(ServerState.running)),
    reinstall(EnumSet.allOf(ServerState.class)),
    limits(EnumSet.allOf(ServerState.class)),
    firewall(EnumSet.allOf(ServerState.class)),
    forwards(EnumSet.allOf(ServerState.class)),
    sshKeys(EnumSet.allOf(ServerState.class)),
    snapshot(EnumSet.allOf(ServerState.class)),
    backup(EnumSet.allOf(ServerState.class)),
    /** Puts a snapshot's or a backup's image in place of the server's disk. */
    restore(EnumSet.allOf(ServerState.class)),
    /** Sends the server to another host, or takes in the end of a move here. */
    move(EnumSet.allOf(ServerState.class)),
    /** Reads what a change of firewall or forwards holds, never while one is half-applied. */
    inspect(EnumSet.allOf(ServerState.class)),
    destroy(EnumSet.allOf(ServerState.class));

    private final Set<ServerState> from;

    Action(Set<ServerState> from) {
        this.from = from;
    }

    /** Refuses the action, naming both states, unless the table allows it from the given state. */
    void check(String id, ServerState state) {
        if (!from.contains(state)) {
            throw AgentException.conflict("cannot " + name() + " server " + id + ": it is " + state
                    + ", " + name() + " needs " + String.join(" or ", from.stream().map(Enum::name).toList()));
        }
    }
}
