package io.corral.agent.lifecycle;

import io.corral.agent.AgentException;
import io.corral.agent.StateDir;
import io.corral.agent.credentials.PendingCredentials;
import io.corral.agent.filesystem.Disk;
import io.corral.agent.filesystem.ServerPaths;
import io.corral.agent.host.HostProbe;
import io.corral.agent.move.IncomingMove;
import io.corral.agent.network.Forward;
import io.corral.agent.network.HostLinks;
import io.corral.agent.spec.Limits;
import io.corral.agent.spec.ServerSpec;
import io.corral.agent.spec.SpecStore;
import io.corral.agent.spec.UserRanges;
import io.corral.agent.sys.FileTrees;
import io.corral.agent.template.Template;
import io.corral.agent.template.TemplateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A server's creation: the request checked, then against the host (the id free, the network's addresses not
 * another server's, no processes left in its cgroup); then its directory, spec, disk and waiting credentials made
 * under its lock, or all removed again. Until the marker file {@code creating} is gone, no other action sees it.
 */
final class ServerCreation {
    private final ServerManager servers;
    private final StateDir state;
    private final SpecStore specs;
    private final TemplateStore templates;
    /** Null where servers share the host's users. */
    private final UserRanges userRanges;

    ServerCreation(ServerManager servers, StateDir state, SpecStore specs, TemplateStore templates, UserRanges userRanges) {
        this.servers = servers;
        this.state = state;
        this.specs = specs;
        this.templates = templates;
        this.userRanges = userRanges;
    }

    ServerView create(CreateRequest request) {
        Validation.id(request.id());
        Validation.hostname(request.hostname());
        Template template = templates.get(request.template());
        Limits limits = Limits.DEFAULTS.with(request.limits());
        Validation.limits(limits, HostProbe.diskFreeMiB(state.root()));
        if (request.network() != null) {
            request.network().validate();
        }
        if (request.firewall() != null) {
            request.firewall().validate("firewall.");
        }
        Forward.validate(request.forwards(), request.network());
        if (request.credentials() != null) {
            request.credentials().validate("credentials.");
        }
        if (request.moveToken() != null) {
            IncomingMove.checkToken("moveToken", request.moveToken());
            if (request.start()) {
                throw AgentException.invalid("start", "must be false for the receiving end of a move: it starts once the move commits");
            }
        }
        if (Files.exists(state.server(request.id()))) {
            throw AgentException.conflict("server " + request.id() + " already exists");
        }
        if (request.network() != null) {
            request.network().validateAgainst(specs.all().stream().filter(s -> s.network() != null)
                    .collect(Collectors.toMap(ServerSpec::id, ServerSpec::network)));
            HostLinks.checkHost(request.network());
        }
        String group = ServerSpec.groupOf(request.id());
        Set<Integer> strangers = servers.cgroups().pids(group);
        if (!strangers.isEmpty()) {
            throw AgentException.conflict("cgroup " + group + " already holds processes " + strangers
                    + ", perhaps of another agent's server " + request.id() + "; stop them first");
        }
        try (ServerLock.Held lock = servers.lock(request.id(), Action.create)) {
            ServerPaths paths = servers.paths(request.id());
            ServerSpec spec = new ServerSpec(request.id(), request.hostname(), template.name(), limits,
                    ServerSpec.DesiredState.stopped, null, request.network(), request.firewall(), request.forwards(), request.credentials(),
                    null);
            try {
                FileTrees.createPrivateDirectories(paths.dir());
                Files.createFile(paths.creating());
                spec = servers.rules().saveNew(spec, userRanges != null ? userRanges::saveWithFreeRange : unshared -> {
                    specs.save(unshared);
                    return unshared;
                });
                Disk.create(paths, limits.diskMiB());
                Disk.mount(paths);
                PendingCredentials.forNewRoot(paths, request.credentials());
                if (request.moveToken() != null) {
                    IncomingMove.of(request.moveToken()).prepare(paths);
                }
                Files.delete(paths.creating());
            } catch (IOException | RuntimeException e) {
                lock.deleteOnClose();
                servers.removeFiles(request.id());
                throw e instanceof AgentException ae ? ae
                        : AgentException.failed("create server " + request.id() + ": " + e.getMessage(), e);
            }
            // Started under the same lock: nothing can act on the server between its creation and its boot.
            return request.start() ? servers.bootAndKeepRunning(spec) : servers.view(spec, Optional.empty());
        }
    }
}
