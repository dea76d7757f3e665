package io.corral.panel;

import java.util.Map;

/** The worker on, consoles closing after 30 s without input, so a test can see one close, and 5 a tenant, so it can see the bound. */
public class ConsoleProfile extends WorkerOnProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new java.util.HashMap<>(super.getConfigOverrides());
        overrides.put("corral.console.idle", "30s");
        overrides.put("corral.console.max-sessions-per-tenant", "5");
        return overrides;
    }
}
