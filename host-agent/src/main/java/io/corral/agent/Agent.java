package io.corral.agent;

import io.corral.agent.cgroup.Cgroups;
import io.corral.agent.metering.SampleSpool;
import io.corral.agent.server.ServerManager;
import io.corral.agent.sys.Spawn;
import io.corral.agent.template.TemplateStore;
import java.nio.file.Path;
import java.time.Duration;

/** The agent's parts wired together, for the CLI and for the API server alike. */
public record Agent(StateDir state, TemplateStore templates, ServerManager servers, SampleSpool samples) {
    /** How long samples wait in the spool for the panel: the panel's raw-sample window. */
    public static final Duration SAMPLE_RETENTION = Duration.ofDays(7);

    public static Agent open(Path stateDir, Duration stopGrace) {
        Spawn.warmUp();
        StateDir state = new StateDir(stateDir.toAbsolutePath().normalize());
        TemplateStore templates = new TemplateStore(state);
        return new Agent(state, templates, new ServerManager(state, Cgroups.detect(state.cgroupParent()), templates, stopGrace),
                new SampleSpool(state.samples(), SAMPLE_RETENTION));
    }
}
