package io.corral.panel;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
        HostCommand.run("ip", "netns", "add", namespace);
        HostCommand.run("ip", "link", "add", hostEnd, "type", "veth", "peer", "name", "out0", "netns", namespace);
        HostCommand.run("ip", "address", "add", hostAddress, "dev", hostEnd);
        HostCommand.run("ip", "link", "set", hostEnd, "up");
        HostCommand.run("ip", "-n", namespace, "address", "add", address, "dev", "out0");
        HostCommand.run("ip", "-n", namespace, "link", "set", "out0", "up");
        HostCommand.run("ip", "-n", namespace, "link", "set", "lo", "up");
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
            HostCommand.run("ip", "link", "delete", hostEnd);
        }
        HostCommand.run("ip", "netns", "delete", namespace);
    }
}
