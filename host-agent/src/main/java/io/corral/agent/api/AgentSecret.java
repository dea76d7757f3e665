package io.corral.agent.api;

import io.corral.agent.AgentException;
import io.corral.agent.StateDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The host's shared secret with the panel: $CORRAL_AGENT_SECRET, else <state>/agent.secret (made
 * on first use, readable by root only). Compared in constant time.
 */
final class AgentSecret {
    /** As the panel asks of a host's secret. */
    static final int MIN_LENGTH = 16;
    private final byte[] secret;
    private final String source;

    private AgentSecret(String secret, String source) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.source = source;
    }

    static AgentSecret load(StateDir state) {
        String env = System.getenv("CORRAL_AGENT_SECRET");
        if (env != null && !env.isBlank()) {
            return checked(env.trim(), "$CORRAL_AGENT_SECRET");
        }
        try {
            if (!Files.exists(state.secret())) {
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                Files.createDirectories(state.root());
                // made whole beside it, then moved: a crash never leaves an empty secret, which would let anyone in
                Path made = state.secret().resolveSibling("agent.secret.new");
                Files.deleteIfExists(made);
                Files.createFile(made, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(made, HexFormat.of().formatHex(random) + "\n", StandardOpenOption.SYNC);
                Files.move(made, state.secret(), StandardCopyOption.ATOMIC_MOVE);
            }
            return checked(Files.readString(state.secret()).trim(), state.secret().toString());
        } catch (IOException e) {
            throw new UncheckedIOException("read " + state.secret() + ": " + e.getMessage(), e);
        }
    }

    private static AgentSecret checked(String secret, String source) {
        if (secret.length() < MIN_LENGTH) {
            throw AgentException.invalid(source, "the host secret must be at least " + MIN_LENGTH + " characters");
        }
        return new AgentSecret(secret, source);
    }

    /** Where it came from: $CORRAL_AGENT_SECRET or the file. */
    String source() {
        return source;
    }

    boolean matches(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, secret);
    }
}
