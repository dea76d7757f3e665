package io.corral.agent.lifecycle;

import io.corral.agent.credentials.Credentials;
import io.corral.agent.network.Firewall;
import io.corral.agent.network.Forward;
import io.corral.agent.network.NetworkSpec;
import java.util.List;

/**
 * The optional body of a reinstall, as the panel sends it: the server's network again, unchanged (the
 * spec keeps it, so it is not read), and its firewall and forwards, which the reinstalled server boots
 * with (null: the ones it has), and root's credentials, written into the fresh root (null: the ones it has).
 */
public record ReinstallRequest(NetworkSpec network, Firewall firewall, List<Forward> forwards, Credentials credentials) {
}
