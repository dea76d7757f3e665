package io.corral.agent.lifecycle;

import io.corral.agent.AgentException;
import io.corral.agent.network.Firewall;
import io.corral.agent.network.Forward;
import io.corral.agent.spec.ServerSpec;
import io.corral.agent.spec.SpecStore;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A server's rules in the host's network: its firewall and its forwards of host ports. Each change is saved, then
 * applied, and saved back if the host refuses it ({@link #saveThenApply}); reads wait for a change under way.
 */
public final class ServerRules {
    private final ServerManager servers;
    private final SpecStore specs;
    /** Held while a change of forwards checks the host ports free and takes them, so two servers cannot take one. */
    private final Object hostPorts = new Object();

    ServerRules(ServerManager servers, SpecStore specs) {
        this.servers = servers;
        this.specs = specs;
    }

    /**
     * The server's firewall as it holds it: read under its lock, since a change is saved before it is applied and
     * may yet be refused and saved back; waits up to {@link ServerManager#READ_PATIENCE} for an action under way, then a 409.
     */
    public Firewall firewall(String id) {
        try (ServerLock.Held lock = servers.awaitLock(id, Action.inspect, ServerManager.READ_PATIENCE)) {
            return servers.existing(id).firewall();
        }
    }

    /**
     * Replaces the server's firewall: on a running server with a network at once (one transaction, so
     * nothing is open meanwhile), else from its next boot. A refused one changes nothing.
     */
    public Firewall changeFirewall(String id, Firewall firewall) {
        if (firewall == null) {
            throw AgentException.invalid("body", "must be a firewall object, got nothing");
        }
        firewall.validate("");
        try (ServerLock.Held lock = servers.lock(id, Action.firewall)) {
            ServerSpec before = servers.existing(id);
            ServerSpec spec = before.withFirewall(firewall);
            saveThenApply(before, spec, () -> {
                if (spec.network() != null && servers.init(spec).isPresent()) {
                    servers.network().applyRules(id, spec.network(), firewall, spec.forwards(), servers::networks);
                }
            });
            return firewall;
        }
    }

    /** The server's forwards as it holds them, read under its lock as its firewall is ({@link #firewall}). */
    public List<Forward> forwards(String id) {
        try (ServerLock.Held lock = servers.awaitLock(id, Action.inspect, ServerManager.READ_PATIENCE)) {
            return servers.existing(id).forwards();
        }
    }

    /**
     * Replaces the server's forwards: at once whether it runs or not (a stopped server's forwarded
     * traffic finds nobody, and no forward of its stays behind in the host's rules to be found by the
     * next owner of the port). A refused change leaves everything as it was.
     */
    public List<Forward> changeForwards(String id, List<Forward> forwards) {
        if (forwards == null) {
            throw AgentException.invalid("forwards", "must be a list of forwards, got nothing");
        }
        try (ServerLock.Held lock = servers.lock(id, Action.forwards)) {
            return changeForwards(servers.existing(id), forwards).forwards();
        }
    }

    /** Under the server's lock: the forwards checked and free, then saved and applied ({@link #saveThenApply}). */
    ServerSpec changeForwards(ServerSpec spec, List<Forward> forwards) {
        Forward.validate(forwards, spec.network());
        synchronized (hostPorts) {
            Forward.checkFree(forwards, forwardsOfOthers(spec.id()));
            ServerSpec changed = spec.withForwards(forwards);
            saveThenApply(spec, changed, () -> {
                if (spec.network() != null) {
                    servers.network().forward(spec.network(), spec.forwards(), forwards, servers::networks);
                }
            });
            return changed;
        }
    }

    /** Saves a new server's spec: the host ports its forwards name are checked free, and taken by saving it. */
    ServerSpec saveNew(ServerSpec spec, Save save) throws IOException {
        synchronized (hostPorts) {
            Forward.checkFree(spec.forwards(), forwardsOfOthers(spec.id()));
            return save.save(spec);
        }
    }

    /** How a new server's spec is saved (with a user range of its own or without): it answers the spec saved. */
    interface Save {
        ServerSpec save(ServerSpec spec) throws IOException;
    }

    /**
     * A change of the server's rules (its firewall, its forwards): the changed spec saved, then the host's
     * rules changed; the spec before is saved back if the host refuses. Saved first, so an agent that dies
     * between the two leaves a spec naming rules the host may not hold yet (adoption applies the spec
     * again), never rules in the host that no spec names, which a destroy, removing what the spec names,
     * would leave behind.
     */
    private void saveThenApply(ServerSpec before, ServerSpec changed, Runnable apply) {
        specs.save(changed);
        try {
            apply.run();
        } catch (RuntimeException e) {
            try {
                specs.save(before);
            } catch (RuntimeException notSaved) {
                e.addSuppressed(notSaved); // the host's refusal stays the error the caller reads
            }
            throw e;
        }
    }

    /** The forwards of every other server of this agent, by id. */
    private Map<String, List<Forward>> forwardsOfOthers(String id) {
        return specs.all().stream().filter(s -> !s.id().equals(id) && !s.forwards().isEmpty())
                .collect(Collectors.toMap(ServerSpec::id, ServerSpec::forwards));
    }
}
