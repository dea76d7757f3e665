package io.corral.panel.host;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;

@ConfigMapping(prefix = "corral.rounds")
public interface HostRoundsConfig {
    /**
     * Hosts a panel asks at once in each round (heartbeats, and usage apart): each call waits mostly on its agent's
     * answer, so a few threads serve many hosts (how many, bench/RESULTS.md, scale, is still being found).
     */
    @WithDefault("16")
    @Min(1)
    int parallel();
}
