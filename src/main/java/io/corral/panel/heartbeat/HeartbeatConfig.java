package io.corral.panel.heartbeat;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "corral.heartbeat")
public interface HeartbeatConfig {
    /** How often every host is asked; "off" stops it (tests beat by hand). Read by name by its schedule, Heartbeat's @Scheduled. */
    String every();

    /** A host silent this long is down, and its servers' states unknown. */
    @WithDefault("30s")
    Duration downAfter();
}
