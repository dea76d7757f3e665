package io.corral.panel.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/** Files and directories only the panel's own user may read: made so from the start, never widened later. */
final class PrivateFiles {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> PRIVATE_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private PrivateFiles() {
    }

    /** 256 random bits, in characters that need no quoting anywhere. */
    static String randomSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The directory, made if it is missing, and 0700 whatever it was. */
    static Path directory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE_DIRECTORY));
        }
        Files.setPosixFilePermissions(dir, PRIVATE_DIRECTORY);
        return dir;
    }

    /** Replaces the file whole (mode 0600, synced), so a crash leaves the old content or the new, never a part. */
    static void write(Path file, String content) {
        Path temp = file.resolveSibling(file.getFileName() + ".new");
        try {
            Files.deleteIfExists(temp);
            try (FileChannel out = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                out.write(java.nio.ByteBuffer.wrap((content + "\n").getBytes(StandardCharsets.UTF_8)));
                out.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("write " + file + ": " + e.getMessage(), e);
        }
    }
}
