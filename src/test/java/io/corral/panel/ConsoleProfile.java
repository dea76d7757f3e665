package io.corral.panel;

import java.util.Map;

/** The worker on, and consoles closing after 30 s without input, so a test can see one close. */
public class ConsoleProfile extends WorkerOnProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new java.util.HashMap<>(super.getConfigOverrides());
        overrides.put("corral.console.idle", "30s");
        return overrides;
    }
}
