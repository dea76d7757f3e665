package io.corral.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A host tool that fails or hangs, in a directory to put first on an agent process's PATH: an action
 * stopped at a chosen point (mkfs.ext4 runs after the server's directory, spec and user range exist
 * and before its disk is mounted), with everything else real.
 */
public final class ToolFault {
    private ToolFault() {
    }

    /** A directory whose `tool` prints message on stderr and exits 1. */
    public static Path failing(String tool, String message) throws IOException {
        return withScript(tool, "echo '" + message + "' >&2\nexit 1\n");
    }

    /** A directory whose `tool` writes its pid to started, then waits until it is killed. */
    public static Path hanging(String tool, Path started) throws IOException {
        return withScript(tool, "echo $$ > '" + started + "'\nexec sleep 600\n");
    }

    private static Path withScript(String tool, String body) throws IOException {
        Path dir = Files.createTempDirectory("corral-tool-fault-");
        Path script = dir.resolve(tool);
        Files.writeString(script, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }
}
