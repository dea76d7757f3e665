package io.corral.panel.agent;

/**
 * A host's agent as the panel reaches it: the host's name (for messages), its https:// address, the
 * SHA-256 fingerprint of the one certificate trusted from it (null until pinned) and the secret it expects.
 */
public record Agent(String host, String url, String fingerprint, String secret) {
    @Override
    public String toString() {
        // never the secret
        return "Agent[" + host + " " + url + "]";
    }
}
