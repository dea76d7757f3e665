package io.corral.agent.network;

import io.corral.agent.sys.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The test's outside world: a network namespace of the test's own with one veth, out0, whose host end
 * is either a port of a server network's bridge (a neighbour on the servers' network) or an interface
 * of the host with an address of its own (a network the host routes to). Only documentation ranges;
 * nothing is routed towards the machine's own interfaces. Closing removes the namespace and the veth.
 */
final class Outside implements AutoCloseable {
    final String namespace, hostEnd;

    private Outside() {
        String tag = Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
        namespace = "corral-test-" + tag;
        hostEnd = "cto" + tag;
        Command.run("ip", "netns", "add", namespace);
        Command.run("ip", "link", "add", hostEnd, "type", "veth", "peer", "name", "out0", "netns", namespace);
    }

    /** A neighbour on the bridge, with these addresses (with prefixes) on out0. */
    static Outside onBridge(String bridge, String... addresses) {
        Outside outside = new Outside();
        outside.configure(addresses);
        Command.run("ip", "link", "set", outside.hostEnd, "master", bridge, "up");
        return outside;
    }

    /** A network the host routes to: hostAddress on the host's end, address on out0; the host forwards from it. */
    static Outside routed(String hostAddress, String address) throws Exception {
        Outside outside = new Outside();
        outside.configure(address);
        Command.runWithInput("address add " + hostAddress + " dev " + outside.hostEnd + "\nlink set " + outside.hostEnd + " up\n",
                "ip", "-batch", "-");
        Files.writeString(Path.of("/proc/sys/net/ipv4/conf", outside.hostEnd, "forwarding"), "1");
        return outside;
    }

    /**
     * A neighbour on the segment of an uplink of the host's: the host end, with hostAddresses, stands for
     * the uplink; the outside has only its on-link routes, and no forwarding is set on either end.
     */
    static Outside onSegment(List<String> hostAddresses, String... addresses) {
        Outside outside = new Outside();
        outside.configure(addresses);
        StringBuilder batch = new StringBuilder();
        for (String address : hostAddresses) {
            batch.append("address add ").append(address).append(" dev ").append(outside.hostEnd).append(address.contains(":") ? " nodad\n" : "\n");
        }
        Command.runWithInput(batch.append("link set ").append(outside.hostEnd).append(" up\n").toString(), "ip", "-batch", "-");
        return outside;
    }

    /** The MAC of the host's end. */
    String hostMac() throws java.io.IOException {
        return Files.readString(Path.of("/sys/class/net", hostEnd, "address")).trim();
    }

    private void configure(String... addresses) {
        StringBuilder batch = new StringBuilder("link set lo up\n");
        for (String address : addresses) {
            batch.append("address add ").append(address).append(" dev out0").append(address.contains(":") ? " nodad\n" : "\n");
        }
        batch.append("link set out0 up\n");
        Command.runWithInput(batch.toString(), "ip", "-n", namespace, "-batch", "-");
    }

    /** Runs a host program in the namespace; its output, or an IllegalStateException when it fails. */
    String run(String... command) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        all.addAll(List.of(command));
        return Command.run(all.toArray(String[]::new));
    }

    boolean succeeds(String... command) {
        try {
            run(command);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    Process start(String... command) throws java.io.IOException {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        all.addAll(List.of(command));
        return new ProcessBuilder(all).redirectErrorStream(true).start();
    }

    /** Bytes the host end has passed into the namespace, and out of it. */
    long[] bytes() throws java.io.IOException {
        Path statistics = Path.of("/sys/class/net", hostEnd, "statistics");
        return new long[] {Long.parseLong(Files.readString(statistics.resolve("tx_bytes")).trim()),
                Long.parseLong(Files.readString(statistics.resolve("rx_bytes")).trim())};
    }

    @Override
    public void close() {
        if (Files.exists(Path.of("/sys/class/net", hostEnd))) {
            Command.run("ip", "link", "delete", hostEnd);
        }
        Command.run("ip", "netns", "delete", namespace);
    }
}
