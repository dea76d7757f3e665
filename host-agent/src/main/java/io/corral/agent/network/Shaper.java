package io.corral.agent.network;

import com.fasterxml.jackson.databind.JsonNode;
import io.corral.agent.Json;
import io.corral.agent.sys.Command;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A server's bandwidth, held by tc on the host's end of its veth, where root inside cannot reach it.
 * Into the server is that end's egress: a token bucket (tbf) queues what comes faster than the rate.
 * Out of the server is that end's ingress, which has no queue of its own: a u32 filter that matches
 * every packet redirects it (mirred) to an IFB device of the server's, whose egress has the same kind
 * of token bucket, and the IFB hands it back to the veth's receive path (the bridge, its rules and
 * counters) once it may pass. A policer on the ingress would need no IFB but drops whatever exceeds
 * its burst, and TCP answers drops by halving its window, so it stays well below the rate; a queue
 * delays instead and TCP settles at the rate (measured: 95% of it as goodput, the rest headers). This
 * host's kernel has no police action at all. Applying the same bandwidth again changes nothing.
 */
final class Shaper {
    /** How long a packet may wait in a bucket's queue before it is dropped: the queue is the rate times this. */
    private static final String LATENCY = "50ms";
    private static final long MIN_BURST_BYTES = 16 * 1024;

    private Shaper() {
    }

    static void apply(Port port, Bandwidth bandwidth) {
        String veth = port.hostInterface(), ifb = ifb(port);
        JsonNode qdiscs = qdiscs(veth);
        StringBuilder tc = new StringBuilder();
        if (bandwidth.inMbit() > 0) {
            tc.append("qdisc replace dev ").append(veth).append(" root ").append(bucket(bandwidth.inMbit())).append('\n');
        } else if (has(qdiscs, "tbf")) {
            tc.append("qdisc del dev ").append(veth).append(" root\n");
        }
        if (bandwidth.outMbit() > 0) {
            if (!HostLinks.exists(ifb)) {
                Command.run("ip", "link", "add", ifb, "type", "ifb");
            }
            Command.run("ip", "link", "set", ifb, "up");
            tc.append("qdisc replace dev ").append(ifb).append(" root ").append(bucket(bandwidth.outMbit())).append('\n');
            if (!has(qdiscs, "ingress")) {
                tc.append("qdisc add dev ").append(veth).append(" handle ffff: ingress\n");
                tc.append("filter add dev ").append(veth).append(" parent ffff: protocol all prio 1 u32 match u32 0 0")
                        .append(" action mirred egress redirect dev ").append(ifb).append('\n');
            }
        } else if (has(qdiscs, "ingress")) {
            tc.append("qdisc del dev ").append(veth).append(" ingress\n");
        }
        if (!tc.isEmpty()) {
            Command.runWithInput(tc.toString(), "tc", "-batch", "-");
        }
        if (bandwidth.outMbit() == 0) {
            remove(port);
        }
    }

    /** Removes the server's IFB device; the veth's own qdiscs go with the veth. */
    static void remove(Port port) {
        String ifb = ifb(port);
        if (HostLinks.exists(ifb)) {
            try {
                Command.run("ip", "link", "delete", ifb);
            } catch (IllegalStateException e) {
                if (HostLinks.exists(ifb)) { // else removed meanwhile
                    throw e;
                }
            }
        }
    }

    /** The server's IFB device: named like its veth's host end, cb instead of cv. */
    static String ifb(Port port) {
        return "cb" + port.hostInterface().substring(2);
    }

    /**
     * A token bucket at the rate; its burst is what the rate sends in 5 ms, at least 16 KiB (several
     * full-size frames, so segments of a large send are not held back one by one).
     */
    private static String bucket(long mbit) {
        long burst = Math.max(MIN_BURST_BYTES, mbit * 1_000_000 / 8 / 200);
        return "tbf rate " + mbit + "mbit burst " + burst + " latency " + LATENCY;
    }

    private static JsonNode qdiscs(String dev) {
        try {
            return Json.MAPPER.readTree(Command.run("tc", "-j", "qdisc", "show", "dev", dev));
        } catch (IOException e) {
            throw new UncheckedIOException("tc's qdiscs of " + dev + ": " + e.getMessage(), e);
        }
    }

    private static boolean has(JsonNode qdiscs, String kind) {
        for (JsonNode qdisc : qdiscs) {
            if (qdisc.path("kind").asText().equals(kind)) {
                return true;
            }
        }
        return false;
    }
}
