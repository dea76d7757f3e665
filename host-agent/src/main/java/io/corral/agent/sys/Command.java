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
        return run(environment, null, command);
    }

    /** input: the tool's standard input (a batch for ip or nft, say), small enough for a pipe's buffer. */
    public static String runWithInput(String input, String... command) {
        return run(Map.of(), input, command);
    }

    public static String runWithInput(Map<String, String> environment, String input, String... command) {
        return run(environment, input, command);
    }

    private static String run(Map<String, String> environment, String input, String... command) {
        ProcessBuilder pb = new ProcessBuilder(List.of(command)).redirectErrorStream(true);
        // the backup store's access key may be in the agent's environment: no host tool needs it
        pb.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
        pb.environment().putAll(environment);
        if (input == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        try {
            Process p = pb.start();
            if (input != null) {
                try (var stdin = p.getOutputStream()) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            int exit = p.waitFor();
            if (exit != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + exit
                        + (output.isEmpty() ? "" : ": " + (input == null ? output.lines().reduce((a, b) -> b).orElse("")
                                : String.join(" | ", output.lines().map(String::strip).toList()))));
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
