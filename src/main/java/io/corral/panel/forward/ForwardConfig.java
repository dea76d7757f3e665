package io.corral.panel.forward;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The host ports the panel hands out for forwards, the same range on every host (keep the agents' own ports out of it). */
@ConfigMapping(prefix = "corral.forwards")
public interface ForwardConfig {
    @WithDefault("20000")
    int firstHostPort();

    @WithDefault("29999")
    int lastHostPort();
}
