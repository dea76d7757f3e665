package io.corral.agent.move;

import io.corral.agent.AgentException;
import io.corral.agent.Json;
import io.corral.agent.backup.Sha256;
import io.corral.agent.filesystem.ServerPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The receiving end of a move, kept beside the server's files: the SHA-256 of the one token the panel issued
 * for this transfer (the sending agent presents it; the token itself is never stored). The blocks go into an image
 * and a checksums' file named after the token, both made with the receiving end and never by a block: a block of an
 * earlier attempt at the move (its panel died; another removed the receiving end and made it again) finds no file of
 * its token and writes nothing, and a removal never meets a file made while it deletes. The token is good an hour
 * after the receiving end was made or its last block arrived (when its checksums' file was last written). While the
 * receiving end is there the server cannot start, and an agent that restarts removes the server.
 */
public record IncomingMove(String tokenSha256) {
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
        return new IncomingMove(Sha256.of(token.getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * Made with the server: the empty image and checksums' file its blocks write into, then this record, whole at once (a
     * block arriving meanwhile never reads half of it).
     */
    public void prepare(ServerPaths paths) {
        try {
            Files.createFile(image(paths));
            Files.createFile(sums(paths));
            Path written = Files.write(paths.incoming().resolveSibling(paths.incoming().getFileName() + ".tmp"), Json.MAPPER.writeValueAsBytes(this));
            Files.move(written, paths.incoming(), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("prepare the receiving end in " + paths.dir() + ": " + e.getMessage(), e);
        }
    }

    /** The move whose token the request's bearer is, unchecked: its files exist only where it is the receiving end's. */
    public static IncomingMove presented(String authorization) {
        return of(authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : "");
    }

    /** The image this move's blocks are written into, which takes the disk's place when it commits. */
    public Path image(ServerPaths paths) {
        return paths.incomingImage(attempt());
    }

    /** The checksum of each block written into {@link #image}, taken as it arrived. */
    public Path sums(ServerPaths paths) {
        return paths.incomingSums(attempt());
    }

    /** What names this attempt's files: the start of its token's hash. */
    private String attempt() {
        return tokenSha256.substring(0, 16);
    }

    /**
     * The move whose token the bearer presents, while it is good; else refused. One answer for a server that is not
     * receiving and a wrong token alike, so a caller without the token learns nothing.
     */
    public static IncomingMove authorize(ServerPaths paths, String id, String authorization) {
        Optional<IncomingMove> move = find(paths.incoming());
        byte[] hash = HexFormat.of().parseHex(presented(authorization).tokenSha256());
        if (move.isEmpty() || !MessageDigest.isEqual(hash, HexFormat.of().parseHex(move.get().tokenSha256()))
                || !Instant.now().isBefore(move.get().lastBlock(paths).plus(LIFETIME))) {
            throw gone(id);
        }
        return move.get();
    }

    /** The answer to a block of a move that is not (or no longer) here. */
    public static AgentException gone(String id) {
        return new AgentException(AgentException.Kind.UNAUTHORIZED, "no move to server " + id + " with this token, or its token expired");
    }

    /** When the last block arrived, or the receiving end was made; long ago once its files are gone. */
    private Instant lastBlock(ServerPaths paths) {
        try {
            return Files.getLastModifiedTime(sums(paths)).toInstant();
        } catch (NoSuchFileException e) {
            return Instant.EPOCH;
        } catch (IOException e) {
            throw new UncheckedIOException("stat " + sums(paths) + ": " + e.getMessage(), e);
        }
    }

    private static Optional<IncomingMove> find(Path file) {
        try {
            return Optional.of(Json.MAPPER.readValue(Files.readAllBytes(file), IncomingMove.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("read " + file + ": " + e.getMessage(), e);
        }
    }
}
