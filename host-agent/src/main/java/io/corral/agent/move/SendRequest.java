package io.corral.agent.move;

import io.corral.agent.AgentException;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where to move a server, from the panel: the receiving agent's address (https://host:port), the SHA-256
 * fingerprint of its certificate (the only one trusted on that connection) and the move's token.
 */
public record SendRequest(String to, String fingerprint, String token) {
    private static final String FINGERPRINT = "(?:[0-9A-F]{2}:){31}[0-9A-F]{2}";

    public URI validate() {
        URI uri;
        try {
            uri = to == null ? null : new URI(to);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || !"https".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() <= 0
                || !(uri.getRawPath() == null || uri.getRawPath().isEmpty()) || uri.getRawQuery() != null || uri.getUserInfo() != null) {
            throw AgentException.invalid("to", "must be the receiving agent's address, https://host:port");
        }
        if (fingerprint == null || !fingerprint.matches(FINGERPRINT)) {
            throw AgentException.invalid("fingerprint", "must be the receiving agent's SHA-256 certificate fingerprint, AB:CD:… (32 pairs)");
        }
        IncomingMove.checkToken("token", token);
        return uri;
    }
}
