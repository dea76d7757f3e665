package io.corral.panel.consolidation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The defaults of a request that gives neither, and how long the page waits for what it shows. */
@ConfigMapping(prefix = "corral.consolidation")
public interface ConsolidationConfig {
    /** Room kept on top of the fleet's measured p95 use, as a share of it. */
    @WithDefault("0.2")
    double headroom();

    /** Below this share of its cores in use (p95) a host counts as nearly idle. */
    @WithDefault("0.1")
    double idleBelow();

    /**
     * How long the consolidation page waits for its statistics and plan being made before it shows what it has and reloads
     * (not at all where the last one made took longer than the time left).
     */
    @WithDefault("0.4s")
    Duration pageWaits();

    /**
     * How long a plan waits for its turn while others are made (ConsolidationPlans.PLANS_AT_ONCE), then is refused: a run
     * or a drain waits and plans within its transaction's 60 s.
     */
    @WithDefault("20s")
    Duration planWaits();

    /** How long statistics and a plan the page was shown are shown again, from when they were made, rather than made anew. */
    @WithDefault("30s")
    Duration pageShownFor();
}
