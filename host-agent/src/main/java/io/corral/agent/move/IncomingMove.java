package io.corral.agent.move;

import io.corral.agent.AgentException;
import io.corral.agent.Json;
import io.corral.agent.backup.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The receiving end of a move, kept beside the server's files: the SHA-256 of the one token the panel issued
 * for this transfer (the sending agent presents it; the token itself is never stored) and until when it is
 * good: an hour after the receiving end was made or its last block arrived. While it is there the server cannot start, and an agent that restarts removes the server.
 */
public record IncomingMove(String tokenSha256, Instant expiresAt) {
    /** How long a token lets the sending agent write after its last block (each renews it). */
    public static final Duration LIFETIME = Duration.ofHours(1);
    /** Letters, digits, - and _, from 32 (at least 192 bits as base64url) to 128 characters. */
    private static final String TOKEN = "[A-Za-z0-9_-]{32,128}";

    public static void checkToken(String field, String token) {
        if (token == null || !token.matches(TOKEN)) {
            throw AgentException.invalid(field, "must be 32 to 128 letters, digits, - or _ (the panel's token for this move)");
        }
    }

    public static IncomingMove of(String token) {
        return new IncomingMove(Sha256.of(token.getBytes(StandardCharsets.US_ASCII)), Instant.now().plus(LIFETIME));
    }

    /** This move with its expiry a lifetime from now, where more than a minute of it has passed; else empty. */
    public Optional<IncomingMove> renewed() {
        Instant renewed = Instant.now().plus(LIFETIME);
        return renewed.isAfter(expiresAt.plus(Duration.ofMinutes(1))) ? Optional.of(new IncomingMove(tokenSha256, renewed)) : Optional.empty();
    }

    public void save(Path file) {
        try {
            Files.write(file, Json.MAPPER.writeValueAsBytes(this));
        } catch (IOException e) {
            throw new UncheckedIOException("write " + file + ": " + e.getMessage(), e);
        }
    }

    public static Optional<IncomingMove> find(Path file) {
        try {
            return Optional.of(Json.MAPPER.readValue(Files.readAllBytes(file), IncomingMove.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Refuses a request whose bearer token is not this move's, or comes after it expired. One answer for a
     * server that is not receiving and a wrong token alike, so a caller without the token learns nothing.
     */
    public static void authorize(Optional<IncomingMove> move, String id, String authorization) {
        String presented = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : "";
        byte[] hash = HexFormat.of().parseHex(Sha256.of(presented.getBytes(StandardCharsets.US_ASCII)));
        boolean matches = move.isPresent()
                && MessageDigest.isEqual(hash, HexFormat.of().parseHex(move.get().tokenSha256()))
                && Instant.now().isBefore(move.get().expiresAt());
        if (!matches) {
            throw new AgentException(AgentException.Kind.UNAUTHORIZED, "no move to server " + id + " with this token, or its token expired");
        }
    }
}
