package io.corral.agent.sys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Runs a host tool (mkfs.ext4, resize2fs, ...) to completion; a non-zero exit is an error quoting its output. */
public final class Command {
    private Command() {
    }

    public static String run(String... command) {
        return run(Map.of(), command);
    }

    /** environment: added to the agent's own; the way to hand a tool a password, which its arguments would show in ps. */
    public static String run(Map<String, String> environment, String... command) {
        ProcessBuilder pb = new ProcessBuilder(List.of(command)).redirectErrorStream(true);
        pb.environment().putAll(environment);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            int exit = p.waitFor();
            if (exit != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + exit
                        + (output.isEmpty() ? "" : ": " + output.lines().reduce((a, b) -> b).orElse("")));
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException(command[0] + " could not be started: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(command[0] + " was interrupted", e);
        }
    }
}
