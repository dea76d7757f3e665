package io.corral.panel;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The background worker running, as in production (the API tests keep it off to look at queued work). */
public class WorkerOnProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("corral.worker.enabled", "true", "corral.worker.lease", "5s");
    }
}
