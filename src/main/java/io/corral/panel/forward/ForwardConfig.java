package io.corral.panel.forward;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** The host ports the panel hands out for forwards, the same range on every host (keep the agents' own ports out of it). */
@ConfigMapping(prefix = "corral.forwards")
public interface ForwardConfig {
    /** Checked at start: a port outside 1-65535 would only show when a customer asked for a forward. */
    @WithDefault("20000")
    @Min(1) @Max(65535)
    int firstHostPort();

    @WithDefault("29999")
    @Min(1) @Max(65535)
    int lastHostPort();

    /**
     * How many forwards one host has at most, of all its servers: each is an element of the host's nft map
     * and a port of the range, so one tenant's many servers cannot take every port of a host. 1,000 is 250
     * servers at the plan's default of 4.
     */
    @WithDefault("1000")
    @Min(0)
    int maxPerHost();
}
