package io.corral.panel.consolidation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The defaults of a request that gives neither. */
@ConfigMapping(prefix = "corral.consolidation")
public interface ConsolidationConfig {
    /** Room kept on top of the fleet's measured p95 use, as a share of it. */
    @WithDefault("0.2")
    double headroom();

    /** Below this share of its cores in use (p95) a host counts as nearly idle. */
    @WithDefault("0.1")
    double idleBelow();
}
