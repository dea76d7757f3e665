package io.corral.panel.host;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "corral.rounds")
public interface HostRoundsConfig {
    /**
     * Hosts a panel asks at once in a round (heartbeats, usage): each waits mostly on its agent's answer, so a few
     * threads keep thousands of hosts within their interval (bench/RESULTS.md, scale).
     */
    @WithDefault("16")
    int parallel();
}
