package io.corral.panel;

import io.corral.panel.host.Host;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** A panel test against a real host agent, started once per test class, and an empty database before each test. */
abstract class WithRealAgent {
    static RealAgent agent;
    @Inject
    Fixtures fixtures;

    @BeforeAll
    static void startAgent() throws Exception {
        agent = RealAgent.start();
    }

    @AfterAll
    static void stopAgent() throws Exception {
        agent.close();
    }

    /** Removes a bridge the agent made for the test's network, which it keeps when the network's last server goes. */
    static void removeBridge(String bridge) throws Exception {
        new ProcessBuilder("ip", "link", "delete", bridge).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start().waitFor();
    }

    @BeforeEach
    void emptyDatabase() {
        fixtures.wipe();
    }

    Host host(long id) {
        return fixtures.found(id);
    }

    void lastHeardLongAgo(long id) {
        fixtures.lastHeardLongAgo(id);
    }
}
