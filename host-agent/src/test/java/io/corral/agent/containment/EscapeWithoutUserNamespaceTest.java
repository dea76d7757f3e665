package io.corral.agent.containment;

import io.corral.agent.Agent;
import io.corral.agent.TestHost;

/**
 * The escape suite on a host that turned user namespaces off: root inside is the host's root, held
 * in by the bounding set, seccomp, the device rules and the masked /proc alone, and every probe must
 * still be refused.
 */
class EscapeWithoutUserNamespaceTest extends EscapeTest {
    @Override
    Agent agent() {
        return TestHost.agentWithoutUserNamespaces();
    }
}
