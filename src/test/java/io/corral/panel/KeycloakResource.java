package io.corral.panel;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** The test run's Keycloak (started once, see {@link TestKeycloak}) wired into the panel under test. */
public class KeycloakResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        return TestKeycloak.get().panelConfig();
    }

    @Override
    public void stop() {
        // Shared by every Quarkus start of the run; it ends with the JVM.
    }
}
