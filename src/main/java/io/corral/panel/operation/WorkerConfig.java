package io.corral.panel.operation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "corral.worker")
public interface WorkerConfig {
    /** Off in tests that run operations step by step themselves. */
    @WithDefault("true")
    boolean enabled();

    /** How long a claimed operation is held before another panel instance may take it over. */
    @WithDefault("60s")
    Duration lease();
}
