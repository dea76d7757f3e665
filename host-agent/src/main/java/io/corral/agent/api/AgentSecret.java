package io.corral.agent.api;

import io.corral.agent.StateDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The host's shared secret with the panel: $CORRAL_AGENT_SECRET, else <state>/agent.secret (made
 * on first use, readable by root only). Compared in constant time.
 */
final class AgentSecret {
    private final byte[] secret;

    private AgentSecret(String secret) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    static AgentSecret load(StateDir state) {
        String env = System.getenv("CORRAL_AGENT_SECRET");
        if (env != null && !env.isBlank()) {
            return new AgentSecret(env.trim());
        }
        try {
            if (!Files.exists(state.secret())) {
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                Files.createDirectories(state.root());
                Files.createFile(state.secret(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(state.secret(), HexFormat.of().formatHex(random) + "\n");
            }
            return new AgentSecret(Files.readString(state.secret()).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("read " + state.secret() + ": " + e.getMessage(), e);
        }
    }

    boolean matches(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, secret);
    }
}
