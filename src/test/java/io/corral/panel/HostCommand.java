package io.corral.panel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A command run on this host, as root, by a test arranging what its agent finds there. */
final class HostCommand {
    private HostCommand() {
    }

    /** Runs it to its end; one that fails fails the test with its output. */
    static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + ": " + output.strip());
        }
    }
}
