package io.corral.panel;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The background worker running, as in production (the API tests keep it off to look at queued work); consoles
 * closing after 30 s without input, so a test can see one close, and 5 a tenant, so it can see the bound. One
 * profile for all of these, since each profile of a run is a build and a start of the panel of its own.
 */
public class WorkerOnProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("corral.worker.enabled", "true", "corral.worker.lease", "5s", "corral.console.idle", "30s",
                "corral.console.max-sessions-per-tenant", "5");
    }
}
