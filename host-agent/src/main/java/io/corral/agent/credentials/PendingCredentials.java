package io.corral.agent.credentials;

import io.corral.agent.filesystem.ServerPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Credentials waiting to be written into a server's root, as files of the agent's in the server's
 * directory (host root's alone), which corral-enter reads on the host before it enters anything of the
 * server's: written at the next boot (after a create, a reinstall or a restore, or a change of keys while stopped)
 * or into the running server at once. A boot that has run takes them; so they are written once, and a
 * password the customer changed inside is not put back by a later restart.
 */
public final class PendingCredentials {
    private PendingCredentials() {
    }

    /** What a new or reinstalled root gets: its keys, if it has any, and its password hash, if it has one. */
    public static void forNewRoot(ServerPaths paths, Credentials credentials) {
        if (credentials == null) {
            return;
        }
        if (!credentials.sshKeys().isEmpty()) {
            keys(paths, credentials);
        }
        if (credentials.rootPasswordHash() != null) {
            write(paths.pendingPasswordHash(), credentials.rootPasswordHash());
        }
    }

    /**
     * What a restored root gets: an image of another time (or of another server) holds the keys and the
     * password of then, so the keys as they now are (none: an empty authorized_keys) and the password hash,
     * if it has one, replace them at the next boot.
     */
    public static void forRestoredRoot(ServerPaths paths, Credentials credentials) {
        keys(paths, credentials);
        if (credentials.rootPasswordHash() != null) {
            write(paths.pendingPasswordHash(), credentials.rootPasswordHash());
        }
    }

    /** The keys as they now are, to be written whole (none: an empty authorized_keys). */
    public static void keys(ServerPaths paths, Credentials credentials) {
        write(paths.pendingKeys(), credentials.authorizedKeys());
    }

    /** corral-enter's options for those pending: -a for the keys, -s for the hash. */
    public static List<String> helperOptions(ServerPaths paths) {
        List<String> options = new ArrayList<>();
        if (Files.exists(paths.pendingKeys())) {
            options.addAll(List.of("-a", paths.pendingKeys().toString()));
        }
        if (Files.exists(paths.pendingPasswordHash())) {
            options.addAll(List.of("-s", paths.pendingPasswordHash().toString()));
        }
        return options;
    }

    /** After a boot or a write that took them. */
    public static void taken(ServerPaths paths) {
        try {
            Files.deleteIfExists(paths.pendingKeys());
            Files.deleteIfExists(paths.pendingPasswordHash());
        } catch (IOException e) {
            throw new UncheckedIOException("remove " + paths.pendingKeys() + ": " + e.getMessage(), e);
        }
    }

    /** Written aside and renamed over, so corral-enter never reads half of one. */
    private static void write(Path file, String content) {
        Path aside = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.writeString(aside, content);
            Files.move(aside, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("write " + file + ": " + e.getMessage(), e);
        }
    }
}
