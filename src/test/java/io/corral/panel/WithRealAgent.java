package io.corral.panel;

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

    @BeforeEach
    void emptyDatabase() {
        fixtures.wipe();
    }
}
