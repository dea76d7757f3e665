package io.corral.panel.console;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The browser console. How many sessions a server may hold at once is its agent's bound
 * (corral-agent serve --console-sessions, 4 unless set): the agent counts them, whichever panel
 * instance relays them.
 */
@ConfigMapping(prefix = "corral.console")
public interface ConsoleConfig {
    /** A session with no input for this long is closed. */
    @WithDefault("15m")
    Duration idle();

    /** Sessions this panel instance relays at once: each holds a thread and a connection to an agent. */
    @WithDefault("64")
    int maxSessions();

    /** Sessions one tenant's users may hold at once on this panel instance, so that one tenant cannot take all its places. */
    @WithDefault("8")
    int maxSessionsPerTenant();
}
