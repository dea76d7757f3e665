package io.corral.agent.lifecycle;

import io.corral.agent.network.Firewall;
import io.corral.agent.network.NetworkSpec;

/**
 * The optional body of a reinstall, as the panel sends it: the server's network again, unchanged (the
 * spec keeps it, so it is not read), and its firewall, which the reinstalled server boots with (null:
 * the one it has).
 */
public record ReinstallRequest(NetworkSpec network, Firewall firewall) {
}
