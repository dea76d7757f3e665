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
        return withScript(tool, "echo " + quoted(message) + " >&2\nexit 1\n");
    }

    /** As {@link #failing}, and each run first appends its arguments as a line to calls. */
    public static Path failingAndRecording(String tool, String message, Path calls) throws IOException {
        return withScript(tool, "echo \"$*\" >> " + quoted(calls.toString()) + "\necho " + quoted(message) + " >&2\nexit 1\n");
    }

    /** A directory whose `tool` writes its pid to started, then waits until it is killed. */
    public static Path hanging(String tool, Path started) throws IOException {
        return withScript(tool, "echo $$ > " + quoted(started.toString()) + "\nexec sleep 600\n");
    }

    /** text as one shell word, whatever quotes it holds. */
    private static String quoted(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    private static Path withScript(String tool, String body) throws IOException {
        Path dir = Files.createTempDirectory("corral-tool-fault-");
        Path script = dir.resolve(tool);
        Files.writeString(script, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }
}
