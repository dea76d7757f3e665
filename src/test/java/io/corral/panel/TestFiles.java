package io.corral.panel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.function.UnaryOperator;

/** Files a test makes and removes: directory trees, and stand-ins for a host tool on an agent's PATH. */
final class TestFiles {
    private TestFiles() {
    }

    /** The directory and all beneath it, gone; nothing if it is not there. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * A shell script in dir named as the host's tool, which an agent with dir first on its PATH runs instead: script is
     * its body, made from the path of the host's own tool (which it may run in its turn).
     */
    static void standIn(Path dir, String tool, UnaryOperator<String> script) throws IOException {
        String real = new String(new ProcessBuilder("sh", "-c", "command -v " + tool).start().getInputStream().readAllBytes()).trim();
        if (real.isEmpty()) {
            throw new IllegalStateException(tool + " is not on this host's PATH: install it (./test.sh does)");
        }
        Path standIn = dir.resolve(tool);
        Files.writeString(standIn, "#!/bin/sh\n" + script.apply(real));
        Files.setPosixFilePermissions(standIn, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
