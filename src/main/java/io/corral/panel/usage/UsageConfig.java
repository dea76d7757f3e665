package io.corral.panel.usage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "corral.usage")
public interface UsageConfig {
    /** How often the agents' samples are taken; "off" stops it. Read by name by its schedule, UsageIngest's @Scheduled. */
    String every();

    /** How long raw samples are kept; the hourly usage ledger is kept for good. */
    @WithDefault("7d")
    Duration rawRetention();
}
