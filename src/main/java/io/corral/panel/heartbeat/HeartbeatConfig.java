package io.corral.panel.heartbeat;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "corral.heartbeat")
public interface HeartbeatConfig {
    /** How often every host is asked; "off" stops it (tests beat by hand). Read by name by its schedule, Heartbeat's @Scheduled. */
    String every();

    /**
     * How often a scheduled heartbeat also asks for the host's facts (cores, memory, kernel, templates...), which change
     * rarely; the servers are asked every beat. A host that is not up is asked for both every beat.
     */
    @WithDefault("1m")
    Duration factsEvery();

    /** A host silent this long is down, and its servers' states unknown. */
    @WithDefault("30s")
    Duration downAfter();
}
