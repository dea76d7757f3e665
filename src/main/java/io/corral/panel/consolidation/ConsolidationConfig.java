package io.corral.panel.consolidation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The defaults of a request that gives neither, and how long the page waits for a plan. */
@ConfigMapping(prefix = "corral.consolidation")
public interface ConsolidationConfig {
    /** Room kept on top of the fleet's measured p95 use, as a share of it. */
    @WithDefault("0.2")
    double headroom();

    /** Below this share of its cores in use (p95) a host counts as nearly idle. */
    @WithDefault("0.1")
    double idleBelow();

    /** How long the consolidation page waits for a plan being made before it shows the page without it and reloads. */
    @WithDefault("0.5s")
    Duration pageWaitsForPlan();

    /** How long a plan the page was shown is shown again rather than made anew. */
    @WithDefault("30s")
    Duration planShownFor();
}
