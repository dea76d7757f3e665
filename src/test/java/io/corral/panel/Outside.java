package io.corral.panel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The internet, as a test sees it: a network namespace of the test's own joined by a veth to this host,
 * the host's end with hostAddress and the namespace's with address (documentation ranges only), so the
 * host routes between the namespace and the agent's bridges and nothing goes near the machine's own
 * interfaces. Closing removes the namespace and the veth.
 */
final class Outside implements AutoCloseable {
    final String namespace, hostEnd;

    Outside(String hostAddress, String address) throws Exception {
        String tag = Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
        namespace = "corral-panel-test-" + tag;
        hostEnd = "cpo" + tag;
        run("ip", "netns", "add", namespace);
        run("ip", "link", "add", hostEnd, "type", "veth", "peer", "name", "out0", "netns", namespace);
        run("ip", "address", "add", hostAddress, "dev", hostEnd);
        run("ip", "link", "set", hostEnd, "up");
        run("ip", "-n", namespace, "address", "add", address, "dev", "out0");
        run("ip", "-n", namespace, "link", "set", "out0", "up");
        run("ip", "-n", namespace, "link", "set", "lo", "up");
        Files.writeString(Path.of("/proc/sys/net/ipv4/conf", hostEnd, "forwarding"), "1");
    }

    /** The body of a GET from the namespace answered within 2 seconds, or null: refused, dropped or timed out. */
    String get(String url) throws Exception {
        Process curl = new ProcessBuilder("ip", "netns", "exec", namespace, "curl", "-s", "-f", "-m", "2", url)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String body = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return curl.waitFor(10, TimeUnit.SECONDS) && curl.exitValue() == 0 ? body : null;
    }

    @Override
    public void close() throws Exception {
        if (Files.exists(Path.of("/sys/class/net", hostEnd))) {
            run("ip", "link", "delete", hostEnd);
        }
        run("ip", "netns", "delete", namespace);
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + ": " + output.strip());
        }
    }
}
